# Self-hosted services behind Caddy on the tailnet.
#
# The module is always imported (catalog kind "core"), so other modules and
# user code can register Caddy routes even on hosts without self-hosting;
# nothing is configured until selfHosted.enable is true (modules.services).
{
  config,
  lib,
  ...
}:
let
  cfg = config.selfHosted;
  # networking.tailscale.domain comes from the axiOS networking module; it is
  # absent when that module is not imported.
  tailnetDomain = config.networking.tailscale.domain or null;
  exposure = (import ../../lib/core { }).exposure;
in
{
  imports = [
    ./caddy.nix
    ./immich.nix
  ];

  options.selfHosted = {
    enable = lib.mkEnableOption "self-hosted services published by Caddy with Tailscale HTTPS certificates";
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = tailnetDomain != null;
        message = ''
          selfHosted.enable needs the tailnet's DNS name for the HTTPS certificates.
            fix: set networking.tailscale.domain = "tail1234ab.ts.net"; (Tailscale
            admin console → DNS → Tailnet name), with modules.networking = true.
        '';
      }
    ];

    services.caddy.enable = true;

    # TCP 80 and 443 on the tailnet interface only (lib/ports.toml); open
    # them on other interfaces yourself to publish beyond the tailnet.
    networking.firewall = exposure.firewall {
      id = "caddy";
      inherit config;
      tailnetInterface = config.services.tailscale.interfaceName;
    };

    # tailscaled hands *.ts.net certificates to the Caddy user.
    services.tailscale.permitCertUid = lib.mkDefault config.services.caddy.user;
  };
}
