# Laptop tuning: KVM for the CPU, fstrim, the fingerprint reader, and
# optional System76 daemons and Pangolin quirks.
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

    enableFingerprint = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = ''
        Whether to run fprintd (services.fprintd) for the laptop's
        fingerprint reader, and accept a finger at the login greeter (PAM
        service greetd) and for sudo (security.pam.services.<name>.fprintAuth).
        Enrol a finger with `fprintd-enroll`; a machine without a reader, or
        without an enrolled finger, keeps asking for the password.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    boot.kernelModules = import ../../lib/core/kvm.nix (config.axios.hardware.cpu or null);
    boot.initrd.availableKernelModules = [
      "nvme"
      "xhci_pci"
    ];
    services.fstrim.enable = lib.mkDefault true;

    services.fprintd.enable = lib.mkIf cfg.enableFingerprint (lib.mkDefault true);
    # fprintAuth defaults to services.fprintd.enable for every PAM service;
    # the greeter and sudo are named so the intent stays when that changes.
    security.pam.services = lib.mkIf cfg.enableFingerprint {
      greetd.fprintAuth = lib.mkDefault true;
      sudo.fprintAuth = lib.mkDefault true;
    };
  };
}
