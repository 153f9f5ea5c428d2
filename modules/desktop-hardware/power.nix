# Power and storage housekeeping for an always-plugged-in machine.
{ config, lib, ... }:
let
  cfg = config.hardware.desktop;
in
{
  config = lib.mkIf cfg.enable {
    powerManagement.enable = lib.mkDefault true;
    powerManagement.cpuFreqGovernor = lib.mkDefault "powersave";
    services.fstrim.enable = lib.mkDefault true;
    services.irqbalance.enable = lib.mkDefault true;
    # The governor above manages frequency; a higher-priority assignment than
    # the desktop module's mkDefault, still overridable with lib.mkForce.
    services.power-profiles-daemon.enable = lib.mkOverride 900 false;
  };
}
