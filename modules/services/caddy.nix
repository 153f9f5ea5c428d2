# The Caddy route registry: modules and users add
# selfHosted.caddy.routes.<id>, and the Caddyfile is rendered from them by
# the pure function in lib/core/caddy.nix (ordering rules: docs/services.md).
{
  config,
  lib,
  ...
}:
let
  cfg = config.selfHosted;
  caddyCore = import ../../lib/core/caddy.nix;

  routeModule = {
    options = {
      domain = lib.mkOption {
        type = lib.types.strMatching "[^[:space:]]+";
        example = "nas.tail1234ab.ts.net";
        description = "Site address the route belongs to. Routes sharing a domain share one site block.";
      };
      path = lib.mkOption {
        type = lib.types.nullOr (lib.types.strMatching "[/*][^[:space:]]*");
        default = null;
        example = "/ollama/*";
        description = "Caddy path matcher for the route's `handle` block; `null` makes it the domain's catch-all.";
      };
      target = lib.mkOption {
        type = lib.types.strMatching "[^[:space:]]+";
        example = "http://127.0.0.1:8080";
        description = "Upstream address for `reverse_proxy`.";
      };
      priority = lib.mkOption {
        type = lib.types.int;
        default = 500;
        example = 100;
        description = ''
          Position inside the domain's site block: lower comes first. By
          convention 100 for path routes and 1000 for catch-alls. At equal
          priority path routes precede the catch-all, then route ids sort.
        '';
      };
      extraConfig = lib.mkOption {
        type = lib.types.lines;
        default = "";
        example = "flush_interval -1";
        description = "Sub-directives placed inside the `reverse_proxy` block.";
      };
      handleConfig = lib.mkOption {
        type = lib.types.lines;
        default = "";
        example = ''
          request_body {
            max_size 1GB
          }
        '';
        description = "Directives placed in the route's `handle` block, after `reverse_proxy`.";
      };
    };
  };

  # Plain values for the pure renderer.
  routes = lib.mapAttrs (_: r: {
    inherit (r)
      domain
      path
      target
      priority
      extraConfig
      handleConfig
      ;
  }) cfg.caddy.routes;
in
{
  options.selfHosted.caddy = {
    routes = lib.mkOption {
      type = lib.types.attrsOf (lib.types.submodule routeModule);
      default = { };
      example = lib.literalExpression ''
        {
          grafana = {
            domain = "mon.tail1234ab.ts.net";
            target = "http://127.0.0.1:3000";
          };
        }
      '';
      description = ''
        Reverse-proxy routes published by Caddy, keyed by route id. They are
        rendered only when selfHosted.enable is true.
      '';
    };
    extraConfig = lib.mkOption {
      type = lib.types.lines;
      default = "";
      description = "Hand-written Caddyfile text appended after the generated site blocks.";
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = map (message: {
      assertion = false;
      inherit message;
    }) (caddyCore.conflicts routes);

    services.caddy.globalConfig = ''
      # Certificates for *.ts.net names come from the local tailscaled
      # (services.tailscale.permitCertUid lets the Caddy user ask for them).
    '';
    services.caddy.extraConfig = caddyCore.render {
      inherit routes;
      inherit (cfg.caddy) extraConfig;
    };
  };
}
