# axiOS desktop: Niri (Wayland) with DankMaterialShell, the DMS greeter on
# greetd, GNOME PIM apps without GNOME, Flatpak with Flathub, portals and the
# application set.
#
# Imported with the DankMaterialShell NixOS and greeter modules and niri-flake's
# NixOS module (see the catalog entry nixos.desktop). mkSystem sets
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
      description = "Whether to install the axiOS application set (productivity, media, utilities, Wayland tools, themes).";
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
