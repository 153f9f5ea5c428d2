# Hardware common to every machine: the CPU vendor, firmware and microcode.
{ lib, ... }:
{
  imports = [
    ./firmware.nix
  ];

  options.axios.hardware.cpu = lib.mkOption {
    type = lib.types.nullOr (
      lib.types.enum [
        "amd"
        "intel"
      ]
    );
    default = null;
    example = "amd";
    description = ''
      The CPU vendor. mkSystem sets it from the host's hardware.cpu. It selects
      the microcode update and the KVM module (kvm-amd or kvm-intel); null
      loads both microcode updates and no KVM module.
    '';
  };
}
