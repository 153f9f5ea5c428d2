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
      "fs.inotify.max_user_watches" = lib.mkDefault 524288;
      "fs.inotify.max_user_instances" = lib.mkDefault 1024;
    };
  };
}
