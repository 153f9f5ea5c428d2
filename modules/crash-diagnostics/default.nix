# Crash diagnostics: reboot after a kernel panic, optionally treat oopses as
# panics, reboot through the hardware watchdog after a hard freeze, and
# capture a crash dump with kdump.
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

    enableHardwareWatchdog = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether systemd arms the machine's hardware watchdog
        (/dev/watchdog0: the chipset's iTCO_wdt, sp5100_tco, a Super I/O
        timer …) and pets it while PID 1 runs. A hard freeze, where the
        kernel cannot even panic, then reboots the machine after
        runtimeWatchdogSec. Sets systemd.settings.Manager.RuntimeWatchdogSec.
      '';
    };

    runtimeWatchdogSec = lib.mkOption {
      type = lib.types.strMatching "[0-9]+(ms|s|min|h)?";
      default = "30s";
      example = "2min";
      description = ''
        How long the machine may hang before the hardware watchdog resets it
        (systemd's RuntimeWatchdogSec, a time span such as "30s" or "2min";
        the device may round it to what it supports). Used when
        enableHardwareWatchdog is true.
      '';
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

    systemd.settings.Manager.RuntimeWatchdogSec = lib.mkIf cfg.enableHardwareWatchdog (
      lib.mkDefault cfg.runtimeWatchdogSec
    );
  };
}
