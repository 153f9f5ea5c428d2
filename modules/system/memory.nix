# systemd-oomd: kill the worst offender under sustained memory pressure
# instead of letting the machine thrash.
{ config, lib, ... }:
let
  cfg = config.system.memory.oomd;
  kill = limit: {
    sliceConfig = {
      ManagedOOMMemoryPressure = "kill";
      ManagedOOMMemoryPressureLimit = limit;
    };
  };
in
{
  options.system.memory.oomd = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = ''
        Whether to enable systemd-oomd with per-slice memory-pressure limits
        (system 80 %, user 50 %, root 90 %).
      '';
    };
  };

  config = lib.mkIf (config.axios.system.enable && cfg.enable) {
    systemd.oomd = {
      enable = true;
      enableRootSlice = lib.mkDefault true;
      enableSystemSlice = lib.mkDefault true;
      enableUserSlices = lib.mkDefault true;
    };

    systemd.slices = {
      system = kill "80%";
      user = kill "50%";
      "-" = kill "90%";
    };

    # Pressure stall information, which oomd reads, is switched on by the
    # psi=1 kernel parameter in boot.nix.
    boot.kernel.sysctl = {
      "vm.oom_kill_allocating_task" = lib.mkDefault 0;
      "vm.overcommit_memory" = lib.mkDefault 0;
      "vm.panic_on_oom" = lib.mkDefault 0;
    };
  };
}
