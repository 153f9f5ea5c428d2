# Nix settings, garbage collection and the state version.
#
# Trusted users of the Nix daemon are root-equivalent (they can add
# substituters, import unsigned paths, turn the sandbox off), so only root is
# trusted unless axios.nix.trustWheel says otherwise. Third-party binary
# caches are not set here: each module adds the cache of the packages it
# installs (docs/system.md lists them), so a host trusts only what it uses.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.system;
in
{
  options.axios.nix.trustWheel = lib.mkOption {
    type = lib.types.bool;
    default = false;
    example = true;
    description = ''
      Whether to make every member of the wheel group a trusted user of the
      Nix daemon (`nix.settings.trusted-users = [ "@wheel" ]`). A trusted user
      is root-equivalent without typing the sudo password: it can add binary
      caches, import unsigned store paths and disable the build sandbox. Off
      by default; use `sudo nix …` for the rare command that needs it.
    '';
  };

  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ pkgs.cachix ];

    nix.gc = {
      automatic = lib.mkDefault true;
      dates = lib.mkDefault "daily";
      options = lib.mkDefault "--delete-older-than 5d";
    };

    nix.settings = {
      substitute = lib.mkDefault true;
      builders-use-substitutes = lib.mkDefault true;
      download-buffer-size = lib.mkDefault 268435456; # 256 MiB
      experimental-features = [
        "nix-command"
        "flakes"
      ];
      auto-optimise-store = lib.mkDefault true;
      # NixOS itself sets trusted-users = [ "root" ] and the cache.nixos.org
      # substituter and key; list options merge, so this only adds.
      trusted-users = lib.mkIf config.axios.nix.trustWheel [ "@wheel" ];
    };

    nixpkgs.config.allowUnfree = lib.mkDefault true;

    # The release the machine's stateful data was first created with. This
    # default is frozen forever (changing it under existing installs would
    # silently change data formats and paths); a new install should set its
    # own value with a plain assignment, which wins over this mkDefault.
    system.stateVersion = lib.mkDefault "24.05";
  };
}
