# axiOS system: boot, locale and time zone, Nix settings, memory, printing,
# sound and Bluetooth. Every aspect applies only while axios.system.enable is
# true (the default), so a host can import the module and still switch the
# whole opinion set off.
{
  config,
  lib,
  options,
  pkgs,
  ...
}:
let
  cfg = config.axios.system;
in
{
  imports = [
    ./locale.nix
    ./nix.nix
    ./boot.nix
    ./memory.nix
    ./printing.nix
    ./sound.nix
    ./bluetooth.nix
    ./overlay.nix
  ];

  options.axios.system = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = ''
        Whether to apply the axiOS system configuration (boot, locale, Nix
        settings, memory, printing, sound, Bluetooth and the base packages).
      '';
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        environment.systemPackages = with pkgs; [
          # core utilities
          killall
          wget
          curl
          # file systems and mounting
          sshfs
          fuse
          ntfs3g
          # hardware and system information
          pciutils
          usbutils
          wirelesstools
          htop
          lm_sensors
          smartmontools
          # archives
          p7zip
          unzip
          unrar # unfree, allowed by nix.nix
          # secrets and crypto
          libsecret
          lssecret
          openssl
          # Nix
          fh # FlakeHub CLI
        ];

        documentation.enable = lib.mkDefault false;
        documentation.nixos.enable = lib.mkDefault false;
        documentation.dev.enable = lib.mkDefault false;
        programs.command-not-found.enable = lib.mkDefault false;
      }

      # home-manager's NixOS module is imported by mkSystem; with plain
      # nixosSystem it may be absent, so only set its options when declared.
      (lib.optionalAttrs (options ? home-manager) {
        home-manager.useGlobalPkgs = lib.mkDefault true;
        home-manager.useUserPackages = lib.mkDefault true;
      })
    ]
  );
}
