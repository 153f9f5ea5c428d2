# The axiOS application set. Every attribute here was checked against
# nixpkgs-unstable (pkgs/by-name or its top-level file); see docs/desktop.md.
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
  config = lib.mkIf (cfg.enable && cfg.applications.enable) {
    environment.systemPackages = with pkgs; [
      # Wayland system apps
      wayvnc

      # Productivity
      obsidian
      discord
      typora
      libreoffice-fresh
      bitwarden-desktop

      # Media creation
      pitivi
      pinta
      inkscape
      obs-studio

      # Media viewing
      shotwell
      loupe
      celluloid
      amberol

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
  };
}
