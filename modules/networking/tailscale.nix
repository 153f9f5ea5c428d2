# Tailscale: the tailnet is not blanket-trusted (each axiOS service opens its
# own port on the tailnet interface, lib/ports.toml); its MagicDNS domain
# names the HTTPS endpoints of self-hosted services. An auth key (an agenix
# secret) logs the machine in unattended; the operator may run `tailscale`
# without sudo.
{ config, lib, ... }:
let
  ts = config.services.tailscale;
  cfg = config.networking.tailscale;
  primaryUser = config.axios.user.name or "";
  exposure = (import ../../lib/core { }).exposure;
in
{
  options.networking.tailscale.authKeyFile = lib.mkOption {
    type = lib.types.nullOr (lib.types.strMatching "/[^[:space:]]*");
    default = null;
    example = lib.literalExpression "config.age.secrets.tailscale-authkey.path";
    description = ''
      A file holding a Tailscale auth key (services.tailscale.authKeyFile):
      the machine logs in to the tailnet at boot without anyone running
      `tailscale up`. Give the path of an agenix secret
      (/run/agenix/<name>), never a file in your configuration, which would
      be copied into the world-readable Nix store; a Nix path is refused for
      that reason.
    '';
  };

  options.networking.tailscale.operator = lib.mkOption {
    type = lib.types.nullOr (lib.types.strMatching "[a-z_][a-z0-9_-]*");
    default = if primaryUser == "" then null else primaryUser;
    defaultText = lib.literalExpression ''config.axios.user.name (the primary user), or null without one'';
    example = "alice";
    description = ''
      The local user allowed to run `tailscale up`, `set`, `serve` and
      `file` without sudo (`tailscale set --operator`). null leaves the
      operator alone.
    '';
  };

  options.networking.tailscale.acceptRoutes = lib.mkOption {
    type = lib.types.bool;
    default = false;
    description = ''
      Whether to use the subnet routes other machines of the tailnet
      advertise (`tailscale set --accept-routes`). Set at every boot, so a
      change made by hand with `tailscale set` is reset to this value.
    '';
  };

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
        enable = lib.mkDefault (exposure.default "services.tailscale.enable");
        # UDP 41641 on every interface: direct connections from peers that
        # cannot punch through NAT. Closed by default; Tailscale still
        # connects (NAT traversal, or its relays).
        openFirewall = lib.mkDefault (exposure.default "services.tailscale.openFirewall");
        # "client" accepts subnet routes and exit nodes; "server"/"both" turn
        # on IP forwarding, which a workstation should opt into.
        useRoutingFeatures = lib.mkDefault "client";
      };
    }
    # The conditions on services.tailscale.enable sit on each value, not
    # around the attribute set: a condition read from the namespace it
    # defines recurses wherever that namespace is not made of declared
    # options (scripts/eval-upstream's stand-in for NixOS).
    {
      services.tailscale.authKeyFile = lib.mkIf (ts.enable && cfg.authKeyFile != null) (
        lib.mkDefault cfg.authKeyFile
      );
      # `tailscale set` (the tailscaled-set unit, after the auto-login)
      # rather than extraUpFlags: those are used only with an auth key and
      # only at the first login, and `tailscale up` flags become preferences
      # that every later `tailscale up` must repeat.
      services.tailscale.extraSetFlags = lib.mkIf ts.enable (
        lib.optional (cfg.operator != null) "--operator=${cfg.operator}"
        ++ [ "--accept-routes=${if cfg.acceptRoutes then "true" else "false"}" ]
      );
    }
    (lib.mkIf ts.enable {
      assertions = [
        {
          assertion = cfg.operator == null || config.users.users ? ${cfg.operator};
          message = ''
            networking.tailscale.operator = "${toString cfg.operator}" is not a user of this machine.
              fix: name an existing user (users.users.<name>), or set it to null.
          '';
        }
      ];
    })
  ];
}
