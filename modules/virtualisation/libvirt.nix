# libvirt with QEMU/KVM. UEFI guests work out of the box: current nixpkgs
# makes every OVMF image shipped with QEMU available to libvirt (the old
# virtualisation.libvirtd.qemu.ovmf options are gone). swtpm gives guests a
# TPM (Windows 11).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.virt.libvirt;
in
{
  config = lib.mkIf cfg.enable {
    virtualisation.libvirtd = {
      enable = true;
      qemu = {
        package = lib.mkDefault pkgs.qemu_kvm;
        swtpm.enable = lib.mkDefault true;
      };
      onBoot = lib.mkDefault "ignore";
      onShutdown = lib.mkDefault "shutdown";
    };

    programs.virt-manager.enable = lib.mkDefault true;
    environment.systemPackages = with pkgs; [
      virt-viewer
      quickemu
      quickgui
    ];

    security.polkit.enable = lib.mkDefault true;
    virtualisation.spiceUSBRedirection.enable = lib.mkDefault true;
    services.spice-vdagentd.enable = lib.mkDefault true;
  };
}
