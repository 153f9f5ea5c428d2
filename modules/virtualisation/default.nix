# axiOS virtualisation: libvirt/QEMU/KVM with virt-manager, and rootless
# Podman with compose. mkSystem copies the host's [virt] table into `virt`.
{ lib, ... }:
{
  imports = [
    ./libvirt.nix
    ./containers.nix
  ];

  options.virt = {
    libvirt.enable = lib.mkEnableOption "libvirt with QEMU/KVM, virt-manager and UEFI (OVMF) guests";
    containers.enable = lib.mkEnableOption "Podman containers with podman-compose";
  };
}
