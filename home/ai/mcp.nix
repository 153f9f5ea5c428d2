# Declarative MCP servers for Claude Code (programs.claude-code.mcpServers).
#
# Which servers are on is decided by the pure function in
# lib/core/mcp.nix: a server is off when you disable it, when its package is
# not available, or when it needs a secret that is not configured. A server
# off for a missing secret is reported as a home-manager warning
# (axios.ai.mcp.warnWhenOff); one off for a missing package only when you
# named it in axios.ai.mcp.servers.
#
# No secret ever reaches the Nix store: a server that needs one is started
# through a small wrapper that reads the secret at run time (from a file such
# as an agenix path, or from a command such as `gh auth token`), exports it to
# the server only, and exits with a message when it is missing.
{
  config,
  lib,
  pkgs,
  axiosFlake,
  ...
}:
let
  cfg = config.axios.ai.mcp;
  enabled = config.axios.ai.enable && cfg.enable;
  system = pkgs.stdenv.hostPlatform.system;
  inputs = axiosFlake.inputs;
  core = import ../../lib/core/mcp.nix;

  # natsukium/mcp-servers-nix packages most reference servers.
  serversNix = inputs.mcp-servers-nix.packages.${system} or null;
  fromServersNix =
    name:
    if serversNix != null && serversNix ? ${name} then
      {
        command = lib.getExe serversNix.${name};
      }
    else
      {
        command = null;
        unavailable = "the flake has no mcp-servers-nix input providing ${name}";
      };
  fromPkgs =
    name:
    if pkgs ? ${name} then
      { command = lib.getExe pkgs.${name}; }
    else
      {
        command = null;
        unavailable = "nixpkgs has no package ${name}";
      };

  # Where a secret comes from: the explicit file option, else the agenix
  # secret of the same name (homeModules.secrets), else nothing.
  ageSecrets = config.age.secrets or { };
  fileSource =
    name: explicit:
    if explicit != null then
      { file = explicit; }
    else if ageSecrets ? ${name} then
      { file = ageSecrets.${name}.path; }
    else
      null;

  secrets = {
    brave-api-key = fileSource "brave-api-key" cfg.secrets.braveApiKeyFile;
    tavily-api-key = fileSource "tavily-api-key" cfg.secrets.tavilyApiKeyFile;
    github-token =
      let
        f = fileSource "github-token" cfg.secrets.githubTokenFile;
      in
      if f != null then
        f
      else if cfg.githubTokenFromGh then
        {
          command = [
            (lib.getExe config.programs.gh.package)
            "auth"
            "token"
          ];
        }
      else
        null;
  };

  secretHint =
    name: option:
    "set axios.ai.mcp.secrets.${option} to a file outside the Nix store, or declare age.secrets.${name} (homeModules.secrets)";

  builtinServers = {
    axios =
      if cfg.axiosPackage != null then
        {
          command = lib.getExe' cfg.axiosPackage "axios";
          args = [ "mcp" ];
        }
      else
        {
          command = null;
          unavailable = "this flake provides no axios package";
        };

    git = fromServersNix "mcp-server-git";

    github = fromPkgs "github-mcp-server" // {
      args = [ "stdio" ];
      secret = {
        name = "github-token";
        env = "GITHUB_PERSONAL_ACCESS_TOKEN";
        hint =
          if cfg.githubTokenFromGh then
            "run `gh auth login`, or set axios.ai.mcp.secrets.githubTokenFile"
          else
            secretHint "github-token" "githubTokenFile";
      };
    };

    time = fromServersNix "mcp-server-time";

    mcp-nixos = fromPkgs "mcp-nixos" // {
      env.MCP_NIXOS_CLEANUP_ORPHANS = "true";
    };

    sequential-thinking = fromServersNix "mcp-server-sequential-thinking";

    context7 = fromServersNix "context7-mcp";

    filesystem = fromServersNix "mcp-server-filesystem" // {
      args = cfg.filesystemRoots;
    };

    # The reference server was archived; Brave's own server replaces it.
    brave-search = {
      command = "${pkgs.nodejs}/bin/npx";
      args = [
        "-y"
        "@brave/brave-search-mcp-server"
        "--transport"
        "stdio"
      ];
      secret = {
        name = "brave-api-key";
        env = "BRAVE_API_KEY";
        hint = secretHint "brave-api-key" "braveApiKeyFile";
      };
    };

    tavily = fromServersNix "tavily-mcp" // {
      secret = {
        name = "tavily-api-key";
        env = "TAVILY_API_KEY";
        hint = secretHint "tavily-api-key" "tavilyApiKeyFile";
      };
    };
  };

  selection = core.select {
    servers = lib.mapAttrs (
      name: s: s // { enable = cfg.servers.${name}.enable or true; }
    ) builtinServers;
    inherit secrets;
  };

  wrapper =
    name: server: pkgs.writeShellScript "axios-mcp-${name}" (core.wrapperScript name server);

  render =
    name: server:
    {
      type = "stdio";
      command = if server.secret == null then server.command else "${wrapper name server}";
      inherit (server) args;
    }
    // lib.optionalAttrs (server.env != { }) { inherit (server) env; };
in
{
  options.axios.ai.mcp = {
    enable = lib.mkEnableOption "the axiOS MCP servers for Claude Code" // {
      default = true;
    };

    servers = lib.mkOption {
      type = lib.types.attrsOf (
        lib.types.submodule {
          options.enable = lib.mkOption {
            type = lib.types.bool;
            default = true;
            description = "Whether this built-in MCP server is on.";
          };
        }
      );
      default = { };
      example = {
        brave-search.enable = false;
      };
      description = ''
        Turn built-in servers off: ${lib.concatStringsSep ", " (lib.attrNames builtinServers)}.
        Every built-in server is on unless it is disabled here, its package
        is missing or its secret is not configured.
      '';
    };

    extraServers = lib.mkOption {
      type = lib.types.attrsOf lib.types.anything;
      default = { };
      example = lib.literalExpression ''
        { my-server = { type = "stdio"; command = "''${pkgs.hello}/bin/hello"; args = [ ]; }; }
      '';
      description = "More MCP servers, passed to programs.claude-code.mcpServers as they are (put no secret here).";
    };

    axiosPackage = lib.mkOption {
      type = lib.types.nullOr lib.types.package;
      default = axiosFlake.self.packages.${system}.axios or null;
      defaultText = lib.literalExpression "axios.packages.\${system}.axios";
      description = "The package providing `axios mcp`, the axiOS MCP server (system state, logs, generations).";
    };

    filesystemRoots = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [
        "/tmp"
        "${config.home.homeDirectory}/Projects"
      ];
      defaultText = lib.literalExpression ''[ "/tmp" "''${config.home.homeDirectory}/Projects" ]'';
      description = "Folders the filesystem MCP server may read and write.";
    };

    githubTokenFromGh = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        When no GitHub token file is configured, take the token from
        `gh auth token` each time the GitHub server starts.
      '';
    };

    secrets = {
      braveApiKeyFile = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "/run/user/1000/agenix/brave-api-key";
        description = "A file holding the Brave Search API key, read when the server starts. Default: age.secrets.brave-api-key when declared.";
      };
      tavilyApiKeyFile = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "A file holding the Tavily API key. Default: age.secrets.tavily-api-key when declared.";
      };
      githubTokenFile = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        description = "A file holding a GitHub token. Default: age.secrets.github-token when declared, else `gh auth token`.";
      };
    };

    warnWhenOff = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to print a warning for every built-in server that is off for
        lack of a secret, and for those you named in axios.ai.mcp.servers
        that are off for lack of a package.
      '';
    };

    active = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      readOnly = true;
      description = "The names of the MCP servers that are on (built-in and extra).";
    };
  };

  config = lib.mkMerge [
    { axios.ai.mcp.active = lib.attrNames selection.on ++ lib.attrNames cfg.extraServers; }
    (lib.mkIf enabled {
      assertions = [
        {
          assertion = lib.all (n: builtinServers ? ${n}) (lib.attrNames cfg.servers);
          message = "axios.ai.mcp.servers: unknown server(s) ${
            lib.concatStringsSep ", " (lib.filter (n: !(builtinServers ? ${n})) (lib.attrNames cfg.servers))
          }; the built-in servers are ${lib.concatStringsSep ", " (lib.attrNames builtinServers)} (add others with axios.ai.mcp.extraServers)";
        }
      ];

      # A missing secret is yours to provide, so it is always reported; a
      # missing package or flake input only when you named the server in
      # axios.ai.mcp.servers.
      warnings = lib.optionals cfg.warnWhenOff (
        map (o: o.message) (
          lib.filter (
            o: o.reason == "missing-secret" || (o.reason == "unavailable" && cfg.servers ? ${o.name})
          ) selection.off
        )
      );

      # The built-in servers are opinions (mkDefault on each leaf: a user's
      # programs.claude-code.mcpServers.<name>.args replaces ours); the
      # extra servers are the user's own.
      programs.claude-code.mcpServers =
        lib.mapAttrs (name: s: lib.mapAttrsRecursive (_: lib.mkDefault) (render name s)) selection.on
        // cfg.extraServers;
    })
  ];
}
