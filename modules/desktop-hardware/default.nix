# Desktop tuning: Logitech receivers, KVM for the CPU, fstrim, irqbalance,
# CPU governor and MSI board sensors.
{ config, lib, ... }:
let
  cfg = config.hardware.desktop;
in
{
  imports = [
    ./peripherals.nix
    ./power.nix
    ./msi-sensors.nix
  ];

  options.hardware.desktop = {
    enable = lib.mkEnableOption "axiOS desktop hardware tuning";
    enableMsiSensors = lib.mkEnableOption "MSI motherboard sensors (nct6775, with acpi_enforce_resources=lax)";
  };

  config = lib.mkIf cfg.enable {
    boot.kernelModules = import ../../lib/core/kvm.nix (config.axios.hardware.cpu or null);
    boot.initrd.availableKernelModules = [
      "nvme"
      "xhci_pci"
      "ahci"
      "usbhid"
      "usb_storage"
      "sd_mod"
    ];
  };
}
