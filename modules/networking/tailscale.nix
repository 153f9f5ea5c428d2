# Tailscale: the tailnet is trusted by the firewall; its MagicDNS domain
# names the HTTPS endpoints of self-hosted services.
{ config, lib, ... }:
let
  ts = config.services.tailscale;
in
{
  options.networking.tailscale.domain = lib.mkOption {
    type = lib.types.nullOr (lib.types.strMatching "[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    default = null;
    example = "tail1234ab.ts.net";
    description = ''
      The tailnet's MagicDNS suffix (`tailscale status --json | jq -r
      .MagicDNSSuffix`). Self-hosted services are published as
      <name>.<domain> with Tailscale HTTPS certificates.
    '';
  };

  config = lib.mkMerge [
    {
      services.tailscale = {
        enable = lib.mkDefault true;
        openFirewall = lib.mkDefault true; # UDP 41641
        # "client" accepts subnet routes and exit nodes; "server"/"both" turn
        # on IP forwarding, which a workstation should opt into.
        useRoutingFeatures = lib.mkDefault "client";
      };
    }
    (lib.mkIf ts.enable {
      networking.firewall.trustedInterfaces = [ ts.interfaceName ];
    })
  ];
}
