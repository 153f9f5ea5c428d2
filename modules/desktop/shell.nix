# The graphical shell: niri (through niri-flake's NixOS module, which also
# hands its home-manager settings module to every user), XWayland via
# xwayland-satellite, DankMaterialShell, and the DMS greeter on greetd
# (dank-greeter's NixOS module, programs.dms-greeter).
{
  config,
  lib,
  pkgs,
  axiosFlake,
  ...
}:
let
  cfg = config.desktop;
  system = pkgs.stdenv.hostPlatform.system;
  quickshell = axiosFlake.inputs.quickshell.packages.${system}.default;
in
{
  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        programs.niri = {
          enable = true;
          # nixpkgs' niri is built by Hydra and cached on cache.nixos.org.
          package = lib.mkDefault cfg.niri.package;
        };
        programs.xwayland.enable = true;
        environment.systemPackages = [ pkgs.xwayland-satellite ];

        # niri-flake's NixOS module starts a KDE polkit agent for niri
        # sessions; DankMaterialShell has its own, and a second agent makes
        # every authentication prompt race between the two.
        systemd.user.services.niri-flake-polkit.enable = lib.mkDefault false;

        programs.dank-material-shell = {
          enable = true;
          quickshell.package = quickshell;
        };
      }
      (lib.mkIf cfg.greeter.enable {
        # dank-greeter turns greetd on and runs dms-greeter in the compositor;
        # before greetd starts it copies the DMS settings, session (wallpaper)
        # and colours from configHome, so the login screen wears the user's
        # theme.
        programs.dms-greeter = {
          enable = true;
          compositor.name = lib.mkDefault "niri";
          quickshell.package = lib.mkDefault quickshell;
          configHome = cfg.greeter.configHome;
        };
      })
    ]
  );
}
