# axios.overlay: the axiOS packages in the system's package set, so a user
# module (and every home-manager module, through useGlobalPkgs) can write
# pkgs.axios and pkgs.pwa-apps, as in the original axiOS. The overlay is the
# flake's overlays.default (pkgs/default.nix): one attribute per pkgs/<name>.
# It does not follow axios.system.enable: it adds packages, not opinions.
{
  config,
  lib,
  axiosFlake,
  ...
}:
let
  cfg = config.axios.overlay;
in
{
  options.axios.overlay = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = ''
        Whether to add the axiOS overlay (`axios.overlays.default`) to
        `nixpkgs.overlays`, which makes `pkgs.axios` (the axios command) and
        `pkgs.pwa-apps` available to NixOS and home-manager modules.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    nixpkgs.overlays = [ axiosFlake.self.overlays.default ];
  };
}
