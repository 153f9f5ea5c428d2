# The graphics plan for this configuration (see lib/core/graphics.nix).
config:
let
  cfg = config.axios.hardware;
in
import ../../lib/core/graphics.nix {
  inherit (cfg)
    gpuType
    isLaptop
    nvidiaDriver
    enableGPURecovery
    ;
  primeMode = cfg.nvidiaPrime.mode;
}
