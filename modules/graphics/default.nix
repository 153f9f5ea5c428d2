# axiOS graphics: drivers, VA-API and Vulkan for the host's GPU vendor, and
# vendor tools. What applies is computed by lib/core/graphics.nix from the
# options below; the aspect files apply that plan.
{ lib, ... }:
let
  # GPU vendors and driver channels (lib/rules.toml) and PRIME modes:
  # lib/core/vocabulary.nix.
  vocabulary = (import ../../lib/core { }).vocabulary;
  busId = lib.types.nullOr (lib.types.strMatching "([[:print:]]+[:@])?[0-9]{1,3}:[0-9]{1,2}:[0-9]");
in
{
  imports = [
    ./common.nix
    ./amd.nix
    ./nvidia.nix
  ];

  options.axios.hardware = {
    gpuType = lib.mkOption {
      type = lib.types.nullOr (lib.types.enum vocabulary.gpuTypes);
      default = null;
      description = ''
        The main GPU vendor. mkSystem sets it from the host's hardware.gpu.
        null configures only the vendor-neutral parts (Mesa, Vulkan loader,
        tools).
      '';
    };

    isLaptop = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether the machine is a laptop. On desktops NVIDIA PRIME is off by
        default; on laptops it is left to nixos-hardware and to
        axios.hardware.nvidiaPrime.
      '';
    };

    nvidiaDriver = lib.mkOption {
      type = lib.types.enum vocabulary.nvidiaDrivers;
      default = vocabulary.nvidiaDriverDefault;
      description = ''
        The NVIDIA driver channel, an attribute of
        boot.kernelPackages.nvidiaPackages: "production" is the long-lived
        branch, "stable" the current one, "beta" the newest.
      '';
    };

    nvidiaOpen = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to use NVIDIA's open kernel modules. They are required for
        Blackwell (RTX 50) and recommended by NVIDIA for every Turing or newer
        GPU (GTX 16, RTX 20 and later). Set false for Maxwell, Pascal and Volta
        cards (GTX 9xx/10xx, Titan V), which only the proprietary module drives.
      '';
    };

    nvidiaPrime = {
      mode = lib.mkOption {
        type = lib.types.nullOr (lib.types.enum vocabulary.primeModes);
        default = null;
        description = ''
          NVIDIA PRIME for machines with a second (integrated) GPU. null means
          "off" on desktops and "leave alone" on laptops (nixos-hardware's
          laptop modules choose). "offload" runs programs on the NVIDIA GPU on
          demand (`nvidia-offload <program>`); "sync" and "reverseSync" render
          everything on it. Any mode but "off" needs nvidiaBusId and one of
          intelBusId or amdgpuBusId (`lspci | grep -E 'VGA|3D'`).
        '';
      };
      nvidiaBusId = lib.mkOption {
        type = busId;
        default = null;
        example = "PCI:1:0:0";
        description = "Bus id of the NVIDIA GPU (lspci 01:00.0 is PCI:1:0:0).";
      };
      intelBusId = lib.mkOption {
        type = busId;
        default = null;
        example = "PCI:0:2:0";
        description = "Bus id of the Intel integrated GPU.";
      };
      amdgpuBusId = lib.mkOption {
        type = busId;
        default = null;
        example = "PCI:5:0:0";
        description = "Bus id of the AMD integrated GPU.";
      };
    };

    enableGPURecovery = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        AMD only: add amdgpu.gpu_recovery=1 so the driver resets a hung GPU
        instead of leaving the display frozen.
      '';
    };
  };
}
