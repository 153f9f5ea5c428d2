# XDG: MIME database, icons and desktop portals (GNOME for screen casting
# under niri, GTK for file choosers and the rest).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.desktop;
in
{
  config = lib.mkIf cfg.enable {
    xdg.mime.enable = true;
    xdg.icons.enable = true;
    xdg.portal = {
      enable = true;
      extraPortals = with pkgs; [
        xdg-desktop-portal-gnome
        xdg-desktop-portal-gtk
      ];
      config.common.default = [
        "gnome"
        "gtk"
      ];
    };
  };
}
