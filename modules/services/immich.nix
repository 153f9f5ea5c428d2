# Immich photo and video backup, bound to 127.0.0.1 and published by the
# Caddy route registry as the catch-all of its domain.
{
  config,
  lib,
  ...
}:
let
  cfg = config.selfHosted.immich;
  tailnetDomain = config.networking.tailscale.domain or null;
  hostLabel = if cfg.subdomain != null then cfg.subdomain else config.networking.hostName;
  domain = "${hostLabel}.${tailnetDomain}";
  inherit ((import ../../lib/core { }).vocabulary) gpuTypes;
in
{
  options.selfHosted.immich = {
    enable = lib.mkEnableOption "Immich, published at https://<subdomain or host name>.<tailnet domain>";

    subdomain = lib.mkOption {
      type = lib.types.nullOr (lib.types.strMatching "[a-z0-9]([a-z0-9-]*[a-z0-9])?");
      default = null;
      example = "photos";
      description = ''
        First label of Immich's address; `null` uses the host name. The full
        address is `<subdomain>.<networking.tailscale.domain>` (a Tailscale
        Services name or a machine name on the tailnet).
      '';
    };

    port = lib.mkOption {
      type = lib.types.port;
      default = 2283;
      description = "Port Immich listens on, on 127.0.0.1 only.";
    };

    mediaLocation = lib.mkOption {
      type = lib.types.path;
      default = "/var/lib/immich";
      description = "Folder for uploaded photos and videos. A non-default folder must exist and be writable by the immich user.";
    };

    enableGpuAcceleration = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Give Immich access to the GPU (all devices, plus the video and render
        groups) for hardware video transcoding; pick the method (VA-API,
        NVENC, Quick Sync) in Immich's administration settings.
      '';
    };

    gpuType = lib.mkOption {
      type = lib.types.nullOr (lib.types.enum gpuTypes);
      default = config.axios.hardware.gpuType or null;
      defaultText = lib.literalExpression "config.axios.hardware.gpuType";
      description = "GPU vendor used for acceleration; defaults to the graphics module's GPU type.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        assertions = [
          {
            assertion = config.selfHosted.enable;
            message = ''
              selfHosted.immich.enable needs selfHosted.enable = true.
                fix: set modules.services = true in the host (or selfHosted.enable = true).
            '';
          }
          {
            assertion = cfg.enableGpuAcceleration -> cfg.gpuType != null;
            message = ''
              selfHosted.immich.enableGpuAcceleration needs a GPU type.
                fix: set hardware.gpu in the host (with modules.graphics), or
                selfHosted.immich.gpuType = "amd", "nvidia" or "intel".
            '';
          }
        ];

        services.immich = {
          enable = true;
          host = "127.0.0.1";
          inherit (cfg) port mediaLocation;
          settings.newVersionCheck.enabled = lib.mkDefault false;
          # null = every device: the GPU nodes differ between vendors.
          accelerationDevices = lib.mkIf cfg.enableGpuAcceleration null;
        };

        users.users.immich.extraGroups = lib.optionals cfg.enableGpuAcceleration [
          "video"
          "render"
        ];

        # Redis (used by Immich) wants overcommit; this wins over the memory
        # module's strict setting.
        boot.kernel.sysctl."vm.overcommit_memory" = lib.mkForce 1;
      }

      (lib.mkIf (tailnetDomain != null) {
        services.immich.settings.server.externalDomain = lib.mkDefault "https://${domain}";

        selfHosted.caddy.routes.immich = {
          inherit domain;
          path = null;
          target = "http://127.0.0.1:${toString cfg.port}";
          priority = 1000;
          extraConfig = ''
            # Keep long uploads and WebSocket streams open, also across reloads
            stream_timeout 0
            stream_close_delay 1h
          '';
          handleConfig = ''
            # Phones upload whole videos in one request
            request_body {
              max_size 50GB
            }
          '';
        };
      })
    ]
  );
}
