# Crash diagnostics: reboot after a kernel panic, optionally treat oopses as
# panics and capture a crash dump with kdump.
{ config, lib, ... }:
let
  cfg = config.hardware.crashDiagnostics;
in
{
  options.hardware.crashDiagnostics = {
    enable = lib.mkEnableOption "crash diagnostics (reboot on kernel panic, optional kdump)";

    rebootOnPanic = lib.mkOption {
      type = lib.types.ints.unsigned;
      default = 30;
      description = "Seconds to wait before rebooting after a kernel panic; 0 halts instead.";
    };

    treatOopsAsPanic = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether a kernel oops panics (and so reboots) instead of limping on.";
    };

    enableCrashDump = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether to load a crash kernel (NixOS boot.crashDump: reserves
        boot.crashDump.reservedMemory, 128M by default). After a panic it boots
        into systemd's rescue shell, where the dump of the crashed kernel is
        /proc/vmcore; copy it away before rebooting. Note that the crash
        kernel, not rebootOnPanic, then handles the panic.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    boot.kernelParams = [
      "panic=${toString cfg.rebootOnPanic}"
    ]
    ++ lib.optional cfg.treatOopsAsPanic "oops=panic";

    boot.crashDump.enable = cfg.enableCrashDump;
  };
}
