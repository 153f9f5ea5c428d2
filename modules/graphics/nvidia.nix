# NVIDIA: the driver channel, open or proprietary kernel modules,
# modesetting, nvidia-settings and PRIME.
{ config, lib, ... }:
let
  cfg = config.axios.hardware;
  prime = cfg.nvidiaPrime;
  plan = import ./plan.nix config;

  # Above nixos-hardware's common-gpu-nvidia (mkOverride 990, which turns
  # offload on) and mkDefault, below a plain assignment by the user.
  axiosPrime = lib.mkOverride 900;

  explicitMode = prime.mode != null && prime.mode != "off";
in
{
  config = lib.mkIf (plan.nvidiaPackage != null) (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion =
              explicitMode -> prime.nvidiaBusId != null && (prime.intelBusId != null || prime.amdgpuBusId != null);
            message = ''
              axios.hardware.nvidiaPrime.mode = "${toString prime.mode}" needs the GPU bus ids: set
              axios.hardware.nvidiaPrime.nvidiaBusId and intelBusId (or amdgpuBusId), e.g.
              "PCI:1:0:0" for lspci's 01:00.0, or set the mode to "off".
            '';
          }
          {
            assertion = !(prime.intelBusId != null && prime.amdgpuBusId != null);
            message = ''
              axios.hardware.nvidiaPrime sets both intelBusId and amdgpuBusId; keep only the
              one of the integrated GPU your CPU has.
            '';
          }
        ];

        hardware.nvidia = {
          package = lib.mkDefault config.boot.kernelPackages.nvidiaPackages.${plan.nvidiaPackage};
          # Must be set explicitly for drivers 560 and newer.
          open = lib.mkDefault cfg.nvidiaOpen;
          modesetting.enable = lib.mkDefault true;
          nvidiaSettings = lib.mkDefault true;
          powerManagement.enable = lib.mkDefault false;
          powerManagement.finegrained = lib.mkDefault false;
        };
      }

      (lib.mkIf (plan.prime != null) {
        hardware.nvidia.prime = {
          offload.enable = axiosPrime plan.prime.offload;
          offload.enableOffloadCmd = axiosPrime plan.prime.offload;
          sync.enable = axiosPrime plan.prime.sync;
          reverseSync.enable = axiosPrime plan.prime.reverseSync;
        };
      })

      {
        hardware.nvidia.prime = {
          nvidiaBusId = lib.mkIf (prime.nvidiaBusId != null) prime.nvidiaBusId;
          intelBusId = lib.mkIf (prime.intelBusId != null) prime.intelBusId;
          amdgpuBusId = lib.mkIf (prime.amdgpuBusId != null) prime.amdgpuBusId;
        };
      }
    ]
  );
}
