# System76 laptops: firmware and power daemons, keyboard backlight, and the
# Pangolin 12 quirks (touchpad over I2C only, MT7921/7922 Wi-Fi stability).
{ config, lib, ... }:
let
  cfg = config.hardware.laptop;
in
{
  config = lib.mkMerge [
    (lib.mkIf (cfg.enable && cfg.enableSystem76) {
      hardware.system76.firmware-daemon.enable = lib.mkDefault true;
      # system76-power manages power profiles; power-profiles-daemon must be
      # off for it (the desktop module keys on this option).
      hardware.system76.power-daemon.enable = lib.mkDefault true;
      # nixos-hardware's common-pc-laptop turns TLP on (mkDefault) whenever
      # power-profiles-daemon is off; two power managers would fight.
      services.tlp.enable = lib.mkIf config.hardware.system76.power-daemon.enable (lib.mkOverride 900 false);
      boot.kernelModules = [ "system76_acpi" ];
    })

    (lib.mkIf (cfg.enable && cfg.enablePangolinQuirks) {
      boot.blacklistedKernelModules = [ "psmouse" ];
      boot.extraModprobeConfig = ''
        options mt7921_common disable_clc=1
      '';
    })
  ];
}
