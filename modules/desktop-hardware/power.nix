# Power and storage housekeeping for an always-plugged-in machine.
{ config, lib, ... }:
let
  cfg = config.hardware.desktop;
in
{
  config = lib.mkIf cfg.enable {
    powerManagement.enable = lib.mkDefault true;
    # Priority 1100, below mkDefault: nixos-generate-config writes
    # `powerManagement.cpuFreqGovernor = lib.mkDefault "<governor>";` (the
    # one the CPU offers) into hardware-configuration.nix, and a second
    # mkDefault with another value fails evaluation. The machine's own
    # choice wins; "powersave" applies when it names none.
    powerManagement.cpuFreqGovernor = lib.mkOverride 1100 "powersave";
    services.fstrim.enable = lib.mkDefault true;
    services.irqbalance.enable = lib.mkDefault true;
    # The governor above manages frequency, so power-profiles-daemon stays
    # off. Priority 800: the desktop module (modules/desktop/power.nix) turns
    # it on at 900 and DankMaterialShell at mkDefault (1000); at the same 900
    # the two would be conflicting definition values on a desktop with
    # desktop hardware. A host's plain assignment still wins.
    services.power-profiles-daemon.enable = lib.mkOverride 800 false;
  };
}
