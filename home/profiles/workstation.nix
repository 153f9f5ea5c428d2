# The desktop workstation profile (homeProfile = "workstation", the default).
# base comes through the catalog (`requires = ["base"]`).
#
# Solaar (Logitech receivers) starts hidden at login, but only when the
# system actually installs it: the NixOS option
# hardware.logitech.wireless.enableGraphical, which the desktop hardware
# module turns on. Without it there is no autostart entry pointing at a
# missing program.
{
  config,
  lib,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.workstation;
  solaarInstalled =
    osConfig != null && (osConfig.hardware.logitech.wireless.enableGraphical or false);
in
{
  options.axios.workstation.solaarAutostart = lib.mkOption {
    type = lib.types.bool;
    default = solaarInstalled;
    defaultText = lib.literalExpression "osConfig.hardware.logitech.wireless.enableGraphical";
    description = ''
      Whether to start Solaar hidden at login (an XDG autostart entry). On by
      default exactly when the system installs Solaar.
    '';
  };

  config = lib.mkMerge [
    { axios.home.profile = "workstation"; }
    (lib.mkIf cfg.solaarAutostart {
      xdg.configFile."autostart/solaar.desktop" = lib.mapAttrsRecursive (_: lib.mkDefault) {
        force = true;
        text = ''
          [Desktop Entry]
          Type=Application
          Name=Solaar
          Comment=Logitech Unifying Receiver peripherals manager
          Exec=solaar --window=hide
          Icon=solaar
          StartupNotify=true
          Terminal=false
          Keywords=logitech;unifying;receiver;mouse;keyboard;
          Categories=Utility;GTK;
        '';
      };
    })
  ];
}
