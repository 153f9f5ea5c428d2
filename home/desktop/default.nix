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

    # No "ssh" component: the SSH agent is gcr-ssh-agent on NixOS, or the
    # one home/security starts (see that module), never two.
    services.gnome-keyring = {
      enable = lib.mkDefault true;
      components = [
        "pkcs11"
        "secrets"
      ];
    };

    services.kdeconnect = {
      enable = lib.mkDefault true;
      indicator = lib.mkDefault true;
    };
  };
}
