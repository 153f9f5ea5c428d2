# The axiOS application set, in groups: a base set (utilities, Wayland tools,
# themes) and media, office, streaming and social apps, each with its own
# switch. Every attribute here was checked against nixpkgs-unstable
# (pkgs/by-name or its top-level file); see docs/desktop.md.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.desktop;
  on = cfg.enable && cfg.applications.enable;
in
{
  config = lib.mkIf on (
    lib.mkMerge [
      {
        environment.systemPackages = with pkgs; [
          # Wayland system apps
          wayvnc

          # Passwords
          bitwarden-desktop

          # Viewing images
          loupe

          # System utilities
          baobab
          swappy
          qalculate-gtk
          swaybg
          imagemagick
          libnotify
          gnome-software
          gnome-text-editor

          # Wayland tools
          fuzzel
          wtype
          playerctl
          pavucontrol
          wf-recorder
          slurp
          wl-clipboard
          cliphist

          # Themes (adw-gtk3, Papirus and Bibata are applied by home-manager)
          colloid-gtk-theme
          colloid-icon-theme
          adwaita-icon-theme
          papirus-icon-theme
          adw-gtk3
          bibata-cursors

          # Calendar and contact sync (timers in the calendar home module)
          vdirsyncer
        ];

        programs = {
          evince.enable = lib.mkDefault true;
          gnome-disks.enable = lib.mkDefault true;
          corectrl.enable = lib.mkDefault true;
          # KDE Connect opens TCP/UDP 1714-1764 on the firewall.
          kdeconnect.enable = lib.mkDefault true;
          localsend = {
            enable = lib.mkDefault true;
            openFirewall = lib.mkDefault true;
          };
          _1password.enable = lib.mkDefault true;
          _1password-gui.enable = lib.mkDefault true;
        };
      }

      # Creating and playing media
      (lib.mkIf cfg.media.enable {
        environment.systemPackages = with pkgs; [
          pitivi
          pinta
          inkscape
          shotwell
          celluloid
          amberol
        ];
      })

      # Documents and notes
      (lib.mkIf cfg.office.enable {
        environment.systemPackages = with pkgs; [
          libreoffice-fresh
          obsidian
          typora
        ];
      })

      # Recording and streaming the screen
      (lib.mkIf cfg.streaming.enable {
        environment.systemPackages = with pkgs; [
          obs-studio
        ];
      })

      # Chat: Vesktop is a Discord client with native Wayland screen sharing
      # (through the desktop portal), which the official client lacks.
      (lib.mkIf cfg.social.enable {
        environment.systemPackages = with pkgs; [
          vesktop
        ];
      })
    ]
  );
}
