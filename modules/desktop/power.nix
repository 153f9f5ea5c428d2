# Power and firmware: power-profiles-daemon unless System76's power daemon
# runs (they conflict), UPower, ACPI events, fwupd and the System76
# scheduler (foreground-process boosting, useful on any desktop).
{
  config,
  lib,
  ...
}:
let
  cfg = config.desktop;
in
{
  config = lib.mkIf cfg.enable {
    # Priority 900: above the DankMaterialShell module's mkDefault (1000), so
    # the two opinions never conflict, and below a plain assignment or the
    # desktop hardware module's mkOverride 800 (which turns it off).
    services.power-profiles-daemon.enable = lib.mkOverride 900 (
      !config.hardware.system76.power-daemon.enable
    );
    services.upower.enable = true;
    services.acpid.enable = lib.mkDefault true;
    services.fwupd.enable = lib.mkDefault true;
    services.system76-scheduler.enable = lib.mkDefault true;
  };
}
