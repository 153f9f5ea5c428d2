# GNOME personal information management without the GNOME desktop: online
# accounts, Evolution with its data server, Calendar and Contacts, the
# keyring (unlocked at login by PAM) and location for weather.
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
    services.gnome = {
      gnome-keyring.enable = true;
      evolution-data-server.enable = true;
      gnome-online-accounts.enable = true;
    };
    services.accounts-daemon.enable = true;
    services.geoclue2.enable = true;
    programs.evolution.enable = true;
    programs.seahorse.enable = lib.mkDefault true;

    # Unlock the login keyring with the password typed at the greeter or a TTY.
    security.pam.services.greetd.enableGnomeKeyring = true;
    security.pam.services.login.enableGnomeKeyring = true;

    environment.systemPackages = with pkgs; [
      gnome-online-accounts-gtk
      gnome-calendar
      gnome-contacts
      evolution-ews
    ];
  };
}
