# UEFI boot with systemd-boot, or Lanzaboote for Secure Boot; kernel,
# initrd, Plymouth, kernel tuning and zram swap.
#
# axiOS supports UEFI machines only: an EFI system partition (vfat) mounted
# at /boot is expected. GRUB and BIOS/MBR boot are refused by an assertion.
{
  config,
  lib,
  options,
  pkgs,
  ...
}:
let
  cfg = config.axios.system;
  secureBoot = config.boot.lanzaboote.enableSecureBoot;
  haveLanzaboote = options ? boot && options.boot ? lanzaboote && options.boot.lanzaboote ? enable;
in
{
  options.boot.lanzaboote.enableSecureBoot = lib.mkOption {
    type = lib.types.bool;
    default = false;
    description = ''
      Whether to boot through Lanzaboote with UEFI Secure Boot instead of
      plain systemd-boot. Turn it on only after creating keys with
      `sbctl create-keys` (they live in /var/lib/sbctl); enroll them in the
      firmware after the first signed boot.
    '';
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion = !config.boot.loader.grub.enable;
            message = ''
              axiOS boots UEFI machines with systemd-boot (or Lanzaboote) only, but
              boot.loader.grub.enable is true. Remove the GRUB settings (often from an
              old hardware-configuration.nix) and make sure an EFI system partition is
              mounted at /boot.
            '';
          }
          {
            assertion = secureBoot -> haveLanzaboote;
            message = ''
              boot.lanzaboote.enableSecureBoot is true but the Lanzaboote module is not
              imported. Use axios.lib.mkSystem or axios.nixosModules.system (both import
              it), or add lanzaboote.nixosModules.lanzaboote to your modules.
            '';
          }
        ];

        boot.kernelPackages = lib.mkDefault pkgs.linuxPackages_latest;
        boot.tmp.useTmpfs = lib.mkDefault true;

        boot.kernelParams = [
          "quiet"
          "loglevel=0"
          "splash"
          "systemd.show_status=false"
          "psi=1"
        ];

        boot.kernel.sysctl = {
          "net.core.default_qdisc" = lib.mkDefault "fq";
          "net.ipv4.tcp_congestion_control" = lib.mkDefault "bbr";
          "net.core.rmem_max" = lib.mkDefault 1048576;
          "net.core.wmem_max" = lib.mkDefault 1048576;
          "net.ipv4.tcp_rmem" = lib.mkDefault "4096  87380  1048576";
          "net.ipv4.tcp_wmem" = lib.mkDefault "4096  65536  1048576";
          "net.core.netdev_max_backlog" = lib.mkDefault 1000;
          "net.ipv4.tcp_fastopen" = lib.mkDefault 3;
          "fs.inotify.max_user_watches" = lib.mkDefault 524288;
          "vm.swappiness" = lib.mkDefault 10;
          "vm.dirty_ratio" = lib.mkDefault 3;
          "vm.dirty_background_ratio" = lib.mkDefault 2;
        };

        boot.loader.grub.enable = lib.mkDefault false;
        boot.loader.systemd-boot.enable = lib.mkDefault (!secureBoot);
        # Keep the newest 10 generations in the boot menu, so /boot (often a
        # few hundred MiB) cannot fill up and make activation fail; older
        # generations stay in the Nix profile until garbage collection.
        boot.loader.systemd-boot.configurationLimit = lib.mkDefault 10;
        boot.loader.efi.canTouchEfiVariables = lib.mkDefault true;
        boot.bootspec.enable = lib.mkDefault true;

        boot.initrd.systemd.enable = lib.mkDefault true;
        # TPM2 unlocking in the initrd; with Secure Boot the PCR policy is
        # handled by the user's own enrollment.
        boot.initrd.systemd.tpm2.enable = lib.mkDefault (!secureBoot);
        boot.initrd.verbose = lib.mkDefault false;

        boot.plymouth.enable = lib.mkDefault true;
        boot.consoleLogLevel = lib.mkDefault 0;

        zramSwap = {
          enable = lib.mkDefault true;
          algorithm = lib.mkDefault "zstd";
          memoryPercent = lib.mkDefault 25;
        };
      }

      (lib.optionalAttrs haveLanzaboote {
        boot.lanzaboote = lib.mkIf secureBoot {
          enable = true;
          configurationLimit = lib.mkDefault 5;
          pkiBundle = lib.mkDefault "/var/lib/sbctl";
        };
      })
    ]
  );
}
