# Firmware blobs and CPU microcode updates.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cpu = config.axios.hardware.cpu;
  # Microcode updates exist for x86 only; with an unknown vendor load both
  # (the kernel ignores the other vendor's update).
  microcodeFor = vendor: pkgs.stdenv.hostPlatform.isx86 && (cpu == null || cpu == vendor);
in
{
  config = {
    # All firmware, including non-redistributable blobs, when unfree packages
    # are allowed (the system module allows them; nixpkgs asserts it);
    # otherwise the redistributable set only.
    hardware.enableAllFirmware = lib.mkDefault (config.nixpkgs.config.allowUnfree or false);
    hardware.enableRedistributableFirmware = lib.mkDefault true;

    # Same expression and priority as nixos-generate-config and nixos-hardware
    # use, so their definitions agree with these instead of conflicting.
    hardware.cpu.amd.updateMicrocode = lib.mkIf (microcodeFor "amd") (
      lib.mkDefault config.hardware.enableRedistributableFirmware
    );
    hardware.cpu.intel.updateMicrocode = lib.mkIf (microcodeFor "intel") (
      lib.mkDefault config.hardware.enableRedistributableFirmware
    );
  };
}
