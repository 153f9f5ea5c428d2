# axiOS desktop: Niri (Wayland) with DankMaterialShell, the DMS greeter on
# greetd, GNOME PIM apps without GNOME, Flatpak with Flathub, portals and the
# application set.
#
# Imported with the DankMaterialShell NixOS module, dank-greeter's NixOS
# module and niri-flake's NixOS module (see the catalog entry nixos.desktop). mkSystem sets
# desktop.enable and adds the home modules desktop, browser and calendar.
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
  imports = [
    ./shell.nix
    ./caches.nix
    ./pim.nix
    ./files.nix
    ./apps.nix
    ./flatpak.nix
    ./input.nix
    ./power.nix
    ./portals.nix
  ];

  options.desktop = {
    enable = lib.mkEnableOption "the desktop environment (Niri, DankMaterialShell) with applications and services";

    niri.package = lib.mkPackageOption pkgs "niri" { };

    greeter = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Whether to log in through the DankMaterialShell greeter on greetd (running in niri).";
      };
      configHome = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default =
          let
            name = lib.attrByPath [ "axios" "user" "name" ] "" config;
          in
          if name == "" then null else config.users.users.${name}.home or "/home/${name}";
        defaultText = lib.literalExpression "config.users.users.\${config.axios.user.name}.home when axios.user.name is set, else null";
        example = "/home/alice";
        description = ''
          Home folder whose DankMaterialShell settings, session and colours the
          greeter copies, so the login screen matches the user's desktop.
        '';
      };
    };

    applications.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to install the axiOS application set: the base set
        (utilities, Wayland tools, themes, Bitwarden, 1Password, KDE Connect,
        LocalSend …) and the groups switched on below. false installs none of
        them.
      '';
    };

    media.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install the media apps: Pitivi, Pinta, Inkscape, Shotwell, Celluloid and Amberol (with desktop.applications.enable).";
    };

    office.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install the office apps: LibreOffice (fresh), Obsidian and Typora (with desktop.applications.enable).";
    };

    streaming.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install OBS Studio for recording and streaming the screen (with desktop.applications.enable).";
    };

    social.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install Vesktop, a Discord client with Wayland screen sharing (with desktop.applications.enable).";
    };

    flathub.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to add the Flathub remote to Flatpak at boot (idempotent) and make GNOME Software show Flatpaks only.";
    };
  };

  config = lib.mkIf cfg.enable {
    environment.sessionVariables = {
      NIXOS_OZONE_WL = "1";
      OZONE_PLATFORM = "wayland";
      ELECTRON_OZONE_PLATFORM_HINT = "auto";
    };
    programs.dconf.enable = true;
  };
}
