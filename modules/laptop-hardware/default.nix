# Laptop tuning: KVM for the CPU, fstrim, and optional System76 daemons and
# Pangolin quirks.
{ config, lib, ... }:
let
  cfg = config.hardware.laptop;
in
{
  imports = [
    ./system76.nix
  ];

  options.hardware.laptop = {
    enable = lib.mkEnableOption "axiOS laptop hardware tuning";
    enableSystem76 = lib.mkEnableOption "System76 firmware and power daemons";
    enablePangolinQuirks = lib.mkEnableOption "System76 Pangolin 12 touchpad and Wi-Fi quirks";
  };

  config = lib.mkIf cfg.enable {
    boot.kernelModules = import ../../lib/core/kvm.nix (config.axios.hardware.cpu or null);
    boot.initrd.availableKernelModules = [
      "nvme"
      "xhci_pci"
    ];
    services.fstrim.enable = lib.mkDefault true;
  };
}
