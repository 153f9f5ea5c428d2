# The axiOS desktop for a user: niri settings, DankMaterialShell, wallpapers,
# theming, PWAs and Google Drive sync. Exported as homeModules.desktop and
# added to every user by the NixOS desktop module (through mkSystem), with
# the DMS, DMS-niri and danksearch home modules (catalog entry home.desktop).
{ lib, ... }:
{
  imports = [
    ./niri.nix
    ./dms.nix
    ./wallpaper.nix
    ./theming.nix
    ./pwa-apps.nix
    ./gdrive-sync.nix
  ];

  config = {
    axios.pwa.enable = lib.mkDefault true;

    services.gnome-keyring = {
      enable = lib.mkDefault true;
      components = [
        "pkcs11"
        "secrets"
        "ssh"
      ];
    };

    services.kdeconnect = {
      enable = lib.mkDefault true;
      indicator = lib.mkDefault true;
    };
  };
}
