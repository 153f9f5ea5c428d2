# Command-line flags for Chromium-family browsers (Brave and the PWA
# launchers), with hardware video decoding chosen from the GPU vendor:
# builtins only, so the Go tests evaluate it per GPU with nix-instantiate.
#
#   (import ./browser.nix).args {
#     gpuType = "amd" | "intel" | "nvidia" | null;   # axios.hardware.gpuType
#     hardwareVideoDecode = true;
#     args = [ "--password-store=detect" … ];       # the user's own flags
#   }
#   => args without their --enable-features / --disable-features, then one
#      --enable-features=… and one --disable-features=… holding the user's
#      features and the decoding ones (Chromium honours only the last
#      occurrence of a switch, so they must be merged, not repeated).
#
# What each GPU gets:
#   amd, intel  VA-API through Mesa (radeonsi) or the iHD driver: decoding
#               into GL textures with zero copy, and encoding (WebRTC).
#   nvidia      VA-API through nvidia-vaapi-driver (installed by the graphics
#               module, NVD_BACKEND=direct), which Chromium only tries with
#               VaapiOnNvidiaGPUs and its driver check waived; no zero-copy
#               and no GPU memory buffers for video frames, which crash the
#               renderer with the NVIDIA driver.
#   null        nothing: software decoding.
let
  inherit (builtins)
    concatMap
    concatStringsSep
    elem
    filter
    foldl'
    isBool
    isList
    isString
    split
    substring
    stringLength
    ;

  perGpu = {
    amd = {
      enable = [
        "AcceleratedVideoDecodeLinuxGL"
        "AcceleratedVideoDecodeLinuxZeroCopyGL"
        "AcceleratedVideoEncoder"
      ];
      disable = [ ];
      flags = [ ];
    };
    intel = {
      enable = [
        "AcceleratedVideoDecodeLinuxGL"
        "AcceleratedVideoDecodeLinuxZeroCopyGL"
        "AcceleratedVideoEncoder"
      ];
      disable = [ ];
      flags = [ ];
    };
    nvidia = {
      enable = [
        "AcceleratedVideoDecodeLinuxGL"
        "VaapiOnNvidiaGPUs"
        "VaapiIgnoreDriverChecks"
      ];
      disable = [ ];
      flags = [ "--disable-gpu-memory-buffer-video-frames" ];
    };
  };
  none = {
    enable = [ ];
    disable = [ ];
    flags = [ ];
  };

  gpuTypes = builtins.attrNames perGpu;

  hasPrefix = p: s: substring 0 (stringLength p) s == p;
  after = p: s: substring (stringLength p) (stringLength s) s;
  enablePrefix = "--enable-features=";
  disablePrefix = "--disable-features=";
  splitList = s: filter (x: isString x && x != "") (split "," s);
  dedup = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];
  featuresIn = prefix: args: concatMap (a: if hasPrefix prefix a then splitList (after prefix a) else [ ]) args;
in
rec {
  # The decoding features and flags for a GPU (see above).
  videoDecode =
    gpuType:
    if gpuType == null then
      none
    else if !(isString gpuType) || !(elem gpuType gpuTypes) then
      throw "axios.hardware.gpuType = ${builtins.toJSON gpuType} is not supported for browser video decoding; use one of ${concatStringsSep ", " gpuTypes} or null"
    else
      perGpu.${gpuType};

  args =
    {
      gpuType ? null,
      hardwareVideoDecode ? true,
      args ? [ ],
    }:
    let
      user = args;
      check =
        if !(isList user) || filter (a: !(isString a)) user != [ ] then
          throw "browser flags must be a list of strings (axios.browser.commandLineArgs, axios.pwa.browserArgs)"
        else if !(isBool hardwareVideoDecode) then
          throw "hardwareVideoDecode must be true or false"
        else
          true;
      v = if hardwareVideoDecode then videoDecode gpuType else none;
      plain = filter (a: !(hasPrefix enablePrefix a) && !(hasPrefix disablePrefix a)) user;
      disabled = dedup (featuresIn disablePrefix user ++ v.disable);
      # A feature the user disables stays disabled.
      enabled = filter (f: !(elem f disabled)) (dedup (featuresIn enablePrefix user ++ v.enable));
    in
    assert check;
    plain
    ++ filter (f: !(elem f plain)) v.flags
    ++ (if enabled == [ ] then [ ] else [ (enablePrefix + concatStringsSep "," enabled) ])
    ++ (if disabled == [ ] then [ ] else [ (disablePrefix + concatStringsSep "," disabled) ]);
}
