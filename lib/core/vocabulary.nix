# The value lists that NixOS option types, the pure core and the Go command
# share, each written once in the data the core reads: the GPU vendors and
# the NVIDIA driver channels are the enums of hardware.gpu and
# hardware.nvidiaDriver in lib/rules.toml, the home profiles the catalog's
# entries of kind "profile". Go reads the same files (internal/rules,
# internal/catalog). The NVIDIA PRIME modes are no host key: they are
# written here, for the option type of axios.hardware.nvidiaPrime.mode and
# the core's GPU plan.
#
#   (import ./lib/core { }).vocabulary.gpuTypes   # [ "amd" "nvidia" "intel" ]
let
  # The core's own reading of the files (default.nix), shared by every call.
  core = import ./. { };
in
{
  rules ? core.rules,
  cat ? core.catalogInfo,
}:
{
  gpuTypes = rules.field."hardware.gpu".enum;
  nvidiaDrivers = rules.field."hardware.nvidiaDriver".enum;
  nvidiaDriverDefault = rules.field."hardware.nvidiaDriver".default;
  inherit (cat) profiles;
  primeModes = [
    "off"
    "offload"
    "sync"
    "reverseSync"
  ];
}
