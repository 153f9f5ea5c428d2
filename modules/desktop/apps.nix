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
  exposure = (import ../../lib/core { }).exposure;
in
{
  options.desktop.kdeconnect.enable = lib.mkOption {
    type = lib.types.bool;
    default = exposure.default "desktop.kdeconnect.enable";
    description = ''
      Whether KDE Connect (run for each user by the desktop home module)
      reaches phones on the tailnet: TCP/UDP 1714-1764 open on the tailnet
      interface. programs.kdeconnect.enable = true opens them on every
      interface instead (nixpkgs' module), for phones on the LAN.
    '';
  };

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
          # nixpkgs' KDE Connect module opens TCP/UDP 1714-1764 on every
          # interface; axiOS opens them on the tailnet (below).
          kdeconnect.enable = lib.mkDefault (exposure.default "programs.kdeconnect.enable");
          # LocalSend finds peers on the LAN: its port (TCP/UDP 53317) opens
          # only when the host sets programs.localsend.openFirewall = true.
          localsend = {
            enable = lib.mkDefault (exposure.default "programs.localsend.enable");
            openFirewall = lib.mkDefault (exposure.default "programs.localsend.openFirewall");
          };
          _1password.enable = lib.mkDefault true;
          _1password-gui.enable = lib.mkDefault true;
        };

        # KDE Connect's remote input (digitizer plugin).
        hardware.uinput.enable = lib.mkIf cfg.kdeconnect.enable (lib.mkDefault true);

        networking.firewall = exposure.firewall {
          id = "kdeconnect";
          inherit config;
          tailnetInterface = config.services.tailscale.interfaceName or "tailscale0";
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
