# Bluetooth, powered on at boot.
{ config, lib, ... }:
let
  cfg = config.axios.system;
in
{
  config = lib.mkIf cfg.enable {
    hardware.bluetooth.enable = lib.mkDefault true;
    hardware.bluetooth.powerOnBoot = lib.mkDefault true;
  };
}
