# Editors, build essentials, Nix tooling and language servers.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.development;
in
{
  config = lib.mkIf cfg.enable {
    environment.systemPackages = with pkgs; [
      # editors
      vim
      vscode
      # build essentials and debugging
      gcc
      gnumake
      pkg-config
      gdb
      strace
      bun
      # Nix
      devenv
      nixfmt
      # language servers
      nil
      nixd
      bash-language-server
      yaml-language-server
      taplo
      marksman
      # shell and version control
      shellcheck
      jq
      gh
    ];

    # Editors, bundlers and language servers watch many files.
    boot.kernel.sysctl = {
      # modules/system/boot.nix sets the same value with mkDefault. A sysctl
      # value is a unique option (nixpkgs merges it with mergeOneOption), so
      # two definitions at one priority fail even when equal: 999 makes this
      # one win over the system default and stay below a host's assignment.
      "fs.inotify.max_user_watches" = lib.mkOverride 999 524288;
      "fs.inotify.max_user_instances" = lib.mkDefault 1024;
    };
  };
}
