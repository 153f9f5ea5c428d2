# The GPU plan of the graphics module: builtins only.
#
# From the GPU vendor and the axiOS graphics options it computes what the
# NixOS module applies: kernel parameters, X/Wayland video drivers, VA-API and
# Vulkan driver packages, tools, session variables, the NVIDIA driver channel
# and the PRIME switches. Packages are named by their attribute path in
# nixpkgs ("nvtopPackages.amd"); the module resolves them in `pkgs`.
#
#   import ./graphics.nix {
#     gpuType = "amd" | "nvidia" | "intel" | null;
#     isLaptop = false;
#     nvidiaDriver = "stable" | "beta" | "production";  # default "stable"
#     enableGPURecovery = false;        # AMD only
#     primeMode = null | "off" | "offload" | "sync" | "reverseSync";
#                                       # null: desktops "off", laptops untouched
#   }
{
  # The GPU vendors and driver channels (lib/rules.toml, see vocabulary.nix).
  vocabulary ? import ./vocabulary.nix { },
  gpuType ? null,
  isLaptop ? false,
  nvidiaDriver ? vocabulary.nvidiaDriverDefault,
  enableGPURecovery ? false,
  primeMode ? null,
}:
let
  inherit (builtins) elem concatStringsSep;
  inherit (vocabulary) gpuTypes nvidiaDrivers primeModes;

  quote = l: concatStringsSep ", " (map (v: "\"${v}\"") l);

  check =
    if gpuType != null && !(elem gpuType gpuTypes) then
      throw "axios.hardware.gpuType = \"${toString gpuType}\" is not supported; use one of ${quote gpuTypes} or null"
    else if !(elem nvidiaDriver nvidiaDrivers) then
      throw "axios.hardware.nvidiaDriver = \"${toString nvidiaDriver}\" is not a driver channel; use one of ${quote nvidiaDrivers}"
    else if primeMode != null && !(elem primeMode primeModes) then
      throw "axios.hardware.nvidiaPrime.mode = \"${toString primeMode}\" is not supported; use one of ${quote primeModes} or null"
    else
      true;

  isAmd = gpuType == "amd";
  isNvidia = gpuType == "nvidia";
  isIntel = gpuType == "intel";
  when = cond: list: if cond then list else [ ];

  effectivePrime = if primeMode != null then primeMode else if isLaptop then null else "off";
in
assert check;
{
  kernelParams =
    when isNvidia [ "nvidia_drm.modeset=1" ] ++ when (isAmd && enableGPURecovery) [ "amdgpu.gpu_recovery=1" ];

  # services.xserver.videoDrivers: the NixOS NVIDIA module keys on it, also
  # under Wayland.
  videoDrivers = when isNvidia [ "nvidia" ];

  # hardware.graphics.extraPackages (64-bit) and extraPackages32 (resolved in
  # pkgs.pkgsi686Linux). Mesa (radeonsi, RADV, iris, ANV) is the default
  # hardware.graphics.package and is not repeated here.
  extraPackages =
    when isIntel [
      "intel-media-driver"
      "vpl-gpu-rt"
    ]
    ++ when isNvidia [ "nvidia-vaapi-driver" ];
  extraPackages32 = when isIntel [ "intel-media-driver" ];

  # GPU diagnostics only with a GPU to diagnose; wayland-utils
  # (wayland-info) is about the compositor and stays.
  tools = [
    "wayland-utils"
  ]
  ++ when (gpuType != null) [
    "clinfo"
    "vulkan-tools"
    "libva-utils"
    "renderdoc"
  ]
  ++ when isAmd [
    "nvtopPackages.amd"
    "radeontop"
    "amdgpu_top"
  ]
  ++ when isNvidia [ "nvtopPackages.nvidia" ]
  ++ when isIntel [
    "nvtopPackages.intel"
    "intel-gpu-tools"
  ];

  sessionVariables =
    {
      GSK_RENDERER = "ngl";
    }
    // (
      if isAmd then
        {
          LIBVA_DRIVER_NAME = "radeonsi";
          HIP_PLATFORM = "amd";
        }
      else if isIntel then
        { LIBVA_DRIVER_NAME = "iHD"; }
      else if isNvidia then
        {
          LIBVA_DRIVER_NAME = "nvidia";
          NVD_BACKEND = "direct";
        }
      else
        { }
    );

  # Attribute of config.boot.kernelPackages.nvidiaPackages, or null.
  nvidiaPackage = if isNvidia then nvidiaDriver else null;

  # hardware.nvidia.prime.*.enable, or null to leave PRIME alone.
  prime =
    if !isNvidia || effectivePrime == null then
      null
    else
      {
        mode = effectivePrime;
        offload = effectivePrime == "offload";
        sync = effectivePrime == "sync";
        reverseSync = effectivePrime == "reverseSync";
      };

  amdInitrd = isAmd;
  corectrl = isAmd;
}
