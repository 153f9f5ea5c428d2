# AI tools: three CLI coding agents (Claude Code, GitHub Copilot CLI, Gemini
# CLI) and workflow tools, each vendor behind its own switch, plus an optional local LLM stack: Ollama with the
# acceleration that matches the GPU, OpenCode pointed at it, and an optional
# Caddy route publishing Ollama on the tailnet.
{
  config,
  lib,
  pkgs,
  options,
  axiosFlake,
  ...
}:
let
  cfg = config.services.ai;
  local = cfg.local;
  proxy = local.ollamaReverseProxy;
  ollamaRoute = import ../../lib/core/ollama.nix;
  system = pkgs.stdenv.hostPlatform.system;

  # The agents move faster than nixpkgs; they come from the nix-ai-tools
  # flake (numtide, now published as llm-agents.nix).
  aiTools = axiosFlake.inputs.nix-ai-tools.packages.${system} or null;
  aiTool = name: if aiTools != null then aiTools.${name} or null else null;
  # The nix-ai-tools packages each vendor switch installs.
  vendorTools = {
    claude = [ "claude-code" ];
    openai = [ "copilot-cli" ];
    gemini = [ "gemini-cli" ];
    workflow = [
      "spec-kit"
      "backlog-md"
    ];
  };
  wantedTools = lib.concatMap (v: lib.optionals cfg.${v}.enable vendorTools.${v}) [
    "claude"
    "openai"
    "gemini"
    "workflow"
  ];
  missingTools = builtins.filter (n: aiTool n == null) (
    wantedTools ++ lib.optional (local.enable && local.cli) "opencode"
  );
  present = builtins.filter (p: p != null);

  # The VS Code extension looks for a `claude-code` command; the package
  # ships `claude`.
  claudeCodeWrapper = pkgs.writeShellScriptBin "claude-code" ''
    exec ${lib.getExe (aiTool "claude-code")} "$@"
  '';

  gpuType = config.axios.hardware.gpuType or null;
  acceleration =
    if local.acceleration != "auto" then
      local.acceleration
    else
      {
        amd = "rocm";
        nvidia = "cuda";
        intel = "vulkan";
      }
      .${toString gpuType} or "cpu";
  ollamaPackage =
    {
      rocm = pkgs.ollama-rocm;
      cuda = pkgs.ollama-cuda;
      vulkan = pkgs.ollama-vulkan;
      cpu = pkgs.ollama-cpu or (pkgs.ollama.override { acceleration = false; });
    }
    .${acceleration};

  tailnetDomain = config.networking.tailscale.domain or null;
  proxyDomain =
    if proxy.domain != null then
      proxy.domain
    else if tailnetDomain != null then
      "${config.networking.hostName}.${tailnetDomain}"
    else
      null;
  proxyPath = lib.removeSuffix "/" proxy.path;

  userName = config.axios.user.name or "";
  opencodeConfig = import ./opencode-config.nix {
    inherit (config.services.ollama) host port;
    models = local.models;
  };
in
{
  imports = [
    (lib.mkRemovedOptionModule [
      "services"
      "ai"
      "local"
      "gui"
    ] "axiOS no longer installs the Alpaca GUI; add pkgs.alpaca to environment.systemPackages to keep it.")
  ];

  options.services.ai = {
    enable = lib.mkEnableOption "AI coding agents and workflow tools";

    claude.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install Anthropic's Claude Code (with the `claude-code` wrapper) and claude-monitor, when services.ai.enable is on.";
    };

    openai.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install GitHub Copilot CLI (OpenAI's and other vendors' models through a GitHub Copilot plan), when services.ai.enable is on.";
    };

    gemini.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install Google's Gemini CLI, when services.ai.enable is on.";
    };

    workflow.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to install the agent workflow tools spec-kit and backlog-md, when services.ai.enable is on.";
    };

    local = {
      enable = lib.mkEnableOption "the local LLM stack (Ollama, OpenCode)";

      models = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [
          "qwen3-coder:30b"
          "qwen3:14b"
          "deepseek-coder-v2:16b"
          "qwen3:4b"
        ];
        description = "Ollama models pulled in the background after Ollama starts.";
      };

      acceleration = lib.mkOption {
        type = lib.types.enum [
          "auto"
          "rocm"
          "cuda"
          "vulkan"
          "cpu"
        ];
        default = "auto";
        description = ''
          Ollama build: "auto" follows axios.hardware.gpuType (AMD → ROCm,
          NVIDIA → CUDA, Intel → Vulkan, none → CPU).
        '';
      };

      rocmOverrideGfx = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = "10.3.0";
        example = null;
        description = ''
          HSA_OVERRIDE_GFX_VERSION for ROCm; the default suits RX 5500-6700
          class cards (gfx1031 and relatives). Set null for GPUs ROCm supports
          directly. Used only with ROCm.
        '';
      };

      contextLength = lib.mkOption {
        type = lib.types.ints.positive;
        default = 32768;
        description = "Default context window in tokens (OLLAMA_CONTEXT_LENGTH); agents with tools need about 32K.";
      };

      cli = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Install OpenCode and write ~/.config/opencode/opencode.json for the
          primary user (axios.user.name) with the local Ollama as provider.
        '';
      };

      ollamaReverseProxy = {
        enable = lib.mkEnableOption "publishing Ollama through Caddy on the tailnet (needs selfHosted.enable)";

        path = lib.mkOption {
          type = lib.types.strMatching "/[^[:space:]*]+";
          default = "/ollama";
          example = "/ai/ollama";
          description = "Path prefix; https://<domain><path>/api/… reaches Ollama's /api/… (the prefix is stripped).";
        };

        domain = lib.mkOption {
          type = lib.types.nullOr (lib.types.strMatching "[^[:space:]]+");
          default = null;
          example = "ai.tail1234ab.ts.net";
          description = "Site address; null uses <networking.hostName>.<networking.tailscale.domain>.";
        };
      };
    };
  };

  config = lib.mkMerge [
    {
      assertions = [
        {
          assertion = (cfg.enable && local.enable && proxy.enable) -> (config.selfHosted.enable or false);
          message = ''
            services.ai.local.ollamaReverseProxy.enable needs selfHosted.enable = true.
              fix: set modules.services = true in the host, or turn the proxy off.
          '';
        }
        {
          assertion = (cfg.enable && local.enable && proxy.enable) -> proxyDomain != null;
          message = ''
            services.ai.local.ollamaReverseProxy has no domain.
              fix: set services.ai.local.ollamaReverseProxy.domain, or
              networking.tailscale.domain (with modules.networking = true).
          '';
        }
      ];
    }

    (lib.mkIf cfg.enable {
      assertions = [
        {
          assertion = missingTools == [ ];
          message = ''
            services.ai needs the nix-ai-tools flake input for ${lib.concatStringsSep ", " missingTools}.
              fix: use axiOS's flake (it provides the input), or add
              inputs.nix-ai-tools.url = "github:numtide/nix-ai-tools".
          '';
        }
      ];

      # The axiOS MCP server and the agents read the journal.
      users.groups.systemd-journal.members = lib.attrNames (
        lib.filterAttrs (_: u: u.isNormalUser) config.users.users
      );

      environment.systemPackages =
        (with pkgs; [
          whisper-cpp
          nodejs
        ])
        ++ lib.optional cfg.claude.enable pkgs.claude-monitor
        ++ present (map aiTool wantedTools)
        ++ lib.optional (cfg.claude.enable && aiTool "claude-code" != null) claudeCodeWrapper;

      # The binary caches of what this module installs, trusted only on
      # hosts with AI on: numtide's for the nix-ai-tools agents, axiOS's own
      # for the `axios` MCP server of the home module (unless the desktop
      # module, which adds the same cache, is on: nix.conf lists it once).
      nix.settings =
        let
          axiosCache = !(config.desktop.enable or false);
        in
        {
          substituters = [ "https://numtide.cachix.org" ] ++ lib.optional axiosCache "https://axios.cachix.org";
          trusted-public-keys = [
            "numtide.cachix.org-1:2ps1kLBUWjxIneOy1Ik6cQjb41X0iXVXeHigGmycPPE="
          ]
          ++ lib.optional axiosCache "axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4=";
        };
    })

    (lib.mkIf (cfg.enable && local.enable) {
      services.ollama = {
        enable = true;
        package = lib.mkDefault ollamaPackage;
        host = lib.mkDefault "127.0.0.1";
        rocmOverrideGfx = lib.mkIf (acceleration == "rocm") (lib.mkDefault local.rocmOverrideGfx);
        environmentVariables.OLLAMA_CONTEXT_LENGTH = lib.mkDefault (toString local.contextLength);
        loadModels = local.models;
      };

      boot.kernelModules = lib.mkIf (gpuType == "amd") [ "amdgpu" ];

      environment.systemPackages =
        (with pkgs; [
          python3
          uv
        ])
        ++ lib.optional (acceleration == "rocm") pkgs.rocmPackages.rocminfo
        ++ lib.optionals local.cli (present [ (aiTool "opencode") ]);
    })

    (lib.mkIf (cfg.enable && local.enable && local.cli && userName != "") (
      lib.optionalAttrs (options ? home-manager) {
        home-manager.users.${userName}.xdg.configFile."opencode/opencode.json".text = lib.mkDefault (
          builtins.toJSON opencodeConfig
        );
      }
    ))

    # The route registry is the services module's (always imported by
    # mkSystem); with nixosModules.ai alone the option does not exist and the
    # assertion above explains what is missing.
    (lib.mkIf (cfg.enable && local.enable && proxy.enable && proxyDomain != null) (
      lib.optionalAttrs (options ? selfHosted) {
        # Inference endpoints only (lib/core/ollama.nix): no pull, create,
        # copy, push or delete from the tailnet.
        selfHosted.caddy.routes.ollama = ollamaRoute.route {
          domain = proxyDomain;
          path = proxyPath;
          inherit (config.services.ollama) port;
        };
      }
    ))
  ];
}
