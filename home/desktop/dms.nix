# DankMaterialShell for the user: the shell (bar, launcher, notifications,
# lock screen, idle handling, polkit agent, clipboard UI) as the systemd user
# service dms.service, with its optional features' dependencies installed,
# and danksearch for file search.
#
# Idle and locking are DMS settings (Settings > Power, stored in
# ~/.config/DankMaterialShell/settings.json); axiOS runs no swayidle.
{
  config,
  lib,
  pkgs,
  axiosFlake,
  ...
}:
let
  cfg = config.axios.desktop.dms;
in
{
  options.axios.desktop.dms = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to run DankMaterialShell as the desktop shell (systemd user service) with danksearch.";
    };
  };

  config = lib.mkIf cfg.enable {
    programs.dank-material-shell = {
      enable = lib.mkDefault true;
      quickshell.package = lib.mkDefault axiosFlake.inputs.quickshell.packages.${pkgs.stdenv.hostPlatform.system}.default;
      systemd = {
        enable = lib.mkDefault true;
        restartIfChanged = lib.mkDefault true;
      };
      # Feature dependencies. Brightness, colour picker, clipboard and system
      # sound are built into current DMS (those options were removed).
      enableSystemMonitoring = lib.mkDefault true;
      enableVPN = lib.mkDefault true;
      enableDynamicTheming = lib.mkDefault true;
      enableAudioWavelength = lib.mkDefault true;
      enableCalendarEvents = lib.mkDefault true;
    };

    programs.dsearch.enable = lib.mkDefault true;
  };
}
