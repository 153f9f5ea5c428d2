# VR gaming: wireless streaming to standalone headsets (WiVRn, ALVR), wired
# headsets through Monado or SteamVR, the OpenXR runtime choice and desktop
# overlays. WiVRn is built with CUDA (NVENC) when the graphics module says
# the GPU is NVIDIA.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.gaming.vr;
  exposure = (import ../../lib/core { }).exposure;
  gpuType = config.axios.hardware.gpuType or null;
  backend = cfg.wireless.backend;
  useWivrn = cfg.wireless.enable && (backend == "wivrn" || backend == "both");
  useAlvr = cfg.wireless.enable && (backend == "alvr" || backend == "both");
in
{
  options.gaming.vr = {
    enable = lib.mkEnableOption "VR gaming (OpenXR runtime, Steam VR hardware, overlays)";

    wireless = {
      enable = lib.mkEnableOption "wireless VR streaming to standalone headsets such as Quest or Pico";

      backend = lib.mkOption {
        type = lib.types.enum [
          "wivrn"
          "alvr"
          "both"
        ];
        default = exposure.default "gaming.vr.wireless.backend";
        description = ''
          Streaming server: WiVRn (an OpenXR runtime of its own, TCP/UDP 9757),
          ALVR (a SteamVR driver, TCP/UDP 9943-9944) or both. The headset
          reaches them over the LAN: open their ports with
          services.wivrn.openFirewall or programs.alvr.openFirewall = true.
        '';
      };
    };

    runtime = lib.mkOption {
      type = lib.types.enum [
        "wivrn"
        "monado"
        "steamvr"
      ];
      default = if useWivrn then "wivrn" else "steamvr";
      defaultText = lib.literalExpression ''if WiVRn is a wireless backend then "wivrn" else "steamvr"'';
      description = ''
        The system's default OpenXR runtime: "wivrn" (needs WiVRn as a
        wireless backend; WiVRn makes itself the active runtime while it
        runs), "monado" (wired headsets without SteamVR) or
        "steamvr" (SteamVR sets itself as the runtime when it starts; nothing
        is written system-wide).
      '';
    };

    overlays = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Install the VR desktop overlay apps listed in gaming.vr.overlayPackages.";
    };

    overlayPackages = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      default = [ (pkgs.wayvr or pkgs.wlx-overlay-s) ];
      defaultText = lib.literalExpression "[ pkgs.wayvr ]";
      description = "Overlay apps: the desktop, keyboard and windows inside the headset (WayVR, formerly WlxOverlay-S).";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion = config.gaming.enable;
            message = ''
              gaming.vr.enable needs gaming.enable.
                fix: set modules.gaming = true in the host (or gaming.enable = true).
            '';
          }
          {
            assertion = cfg.runtime == "wivrn" -> useWivrn;
            message = ''
              gaming.vr.runtime = "wivrn" needs WiVRn as a wireless backend.
                fix: set gaming.vr.wireless.enable = true and gaming.vr.wireless.backend
                = "wivrn" or "both", or choose gaming.vr.runtime = "monado" or "steamvr".
            '';
          }
        ];

        # udev rules for Valve Index, Vive and other SteamVR hardware. The
        # gaming module (required, see the assertion) already sets it; a
        # default here keeps one owner of the plain assignment.
        hardware.steam-hardware.enable = lib.mkDefault true;

        environment.systemPackages = lib.optionals cfg.overlays cfg.overlayPackages;
      }

      (lib.mkIf useWivrn {
        services.wivrn = {
          enable = true;
          package = lib.mkDefault (
            if gpuType == "nvidia" then pkgs.wivrn.override { cudaSupport = true; } else pkgs.wivrn
          );
          # TCP/UDP 9757 on every interface, when the host asks
          # (lib/ports.toml): the headset is on the LAN.
          openFirewall = lib.mkDefault (exposure.default "services.wivrn.openFirewall");
          autoStart = lib.mkDefault true;
          # cap_sys_nice for asynchronous reprojection
          highPriority = lib.mkDefault true;
          # lets Steam games inside pressure-vessel find the WiVRn runtime
          steam.importOXRRuntimes = lib.mkDefault true;
        };
      })

      (lib.mkIf useAlvr {
        programs.alvr = {
          enable = true;
          # TCP/UDP 9943-9944 on every interface, when the host asks.
          openFirewall = lib.mkDefault (exposure.default "programs.alvr.openFirewall");
        };
      })

      (lib.mkIf (cfg.runtime == "monado") {
        services.monado = {
          enable = true;
          defaultRuntime = true;
          highPriority = lib.mkDefault true;
        };
      })
    ]
  );
}
