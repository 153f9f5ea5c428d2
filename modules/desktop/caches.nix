# Binary caches of the desktop's packages, trusted only on hosts that run the
# desktop.
#
# - axios.cachix.org: this flake's own packages the desktop installs (the
#   PWA launchers, the `axios` command behind the wallpaper blur hook).
# - niri.cachix.org: niri-flake's NixOS module adds it by default
#   (niri-flake.cache.enable), but axiOS runs nixpkgs' niri, which
#   cache.nixos.org serves, so it is off. Turn it on together with a
#   niri-flake package in desktop.niri.package.
{
  config,
  lib,
  options,
  ...
}:
let
  cfg = config.desktop;
in
{
  config = lib.mkMerge [
    (lib.optionalAttrs (options ? niri-flake) {
      niri-flake.cache.enable = lib.mkDefault false;
    })
    (lib.mkIf cfg.enable {
      nix.settings = {
        substituters = [ "https://axios.cachix.org" ];
        trusted-public-keys = [ "axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4=" ];
      };
    })
  ];
}
