{
  description = "axiOS - a modular NixOS framework";

  # No nixConfig: nothing this flake builds comes from a third-party cache,
  # and a host gets each cache from the module that installs its packages
  # (docs/system.md, "Binary caches").

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    nixos-hardware.url = "github:NixOS/nixos-hardware/master";
    systems.url = "github:nix-systems/default-linux";

    flake-parts = {
      url = "github:hercules-ci/flake-parts";
      inputs.nixpkgs-lib.follows = "nixpkgs";
    };
    home-manager = {
      url = "github:nix-community/home-manager";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    agenix = {
      url = "github:ryantm/agenix";
      inputs.nixpkgs.follows = "nixpkgs";
      inputs.home-manager.follows = "home-manager";
      inputs.systems.follows = "systems";
    };
    lanzaboote = {
      url = "github:nix-community/lanzaboote";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    devshell = {
      url = "github:numtide/devshell";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    vscode-server = {
      url = "github:nix-community/nixos-vscode-server";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    zig-overlay = {
      url = "github:mitchellh/zig-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    fenix = {
      url = "github:nix-community/fenix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    ghostty = {
      url = "github:ghostty-org/ghostty";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    quickshell = {
      url = "github:quickshell-mirror/quickshell";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    dankMaterialShell = {
      url = "github:AvengeMedia/DankMaterialShell";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    dank-greeter = {
      url = "github:AvengeMedia/dank-greeter";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    dsearch = {
      url = "github:AvengeMedia/danksearch";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    niri = {
      url = "github:sodiboo/niri-flake";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nix-ai-tools.url = "github:numtide/nix-ai-tools";
    mcp-servers-nix = {
      url = "github:natsukium/mcp-servers-nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    treefmt-nix = {
      url = "github:numtide/treefmt-nix";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    inputs@{ flake-parts, self, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } (
      { lib, ... }:
      let
        axiosLib = import ./lib { inherit inputs self; };

        # Every vector in tests/hosts/ through the pure core, compared with
        # its expected file (the Go tests do the same with nix-instantiate).
        vectorMismatches =
          let
            got = import ./tests/nix/vectors.nix;
            want = stem: builtins.fromJSON (builtins.readFile (./tests/hosts + "/${stem}.expected.json"));
          in
          builtins.filter (stem: got.${stem} != want stem) (builtins.attrNames got);

        # What `nix flake init -t` prints after copying a template.
        templateWelcome = host: hardware: ''
          # An axiOS configuration

          1. Edit `${host}` (every key: docs/hosts.md) and replace
             `${hardware}` with the output of
             `nixos-generate-config --show-hardware-config`.
          2. `git init && git add -A` (a flake sees only tracked files).
          3. Check it without building: `nix run github:kcalvelli/axios -- check .`
          4. Build and switch: `sudo nixos-rebuild switch --flake .#<name>`
        '';

        # The example hosts, evaluated with this checkout's library.
        exampleSystems =
          lib.mapAttrs' (n: v: lib.nameValuePair "example-minimal-${n}" v) (
            axiosLib.mkHosts ./examples/minimal/hosts
          )
          // lib.mapAttrs' (n: v: lib.nameValuePair "example-multi-host-${n}" v) (
            axiosLib.mkHosts ./examples/multi-host/hosts
          )
          // {
            example-nix-attrset = axiosLib.mkSystem (import ./examples/nix-attrset/host.nix);
          };
      in
      {
        systems = import inputs.systems;

        imports = [
          inputs.treefmt-nix.flakeModule
          ./pkgs
          ./devshells
        ];

        flake = {
          lib = axiosLib;
          inherit (axiosLib) nixosModules homeModules;

          # `nix flake init -t github:kcalvelli/axios` (#default) or
          # `…#multi-host`. The templates are the example folders themselves,
          # so what users start from is what the checks above build.
          templates = {
            default = {
              path = ./examples/minimal;
              description = "One axiOS host described in hosts/mycomputer.toml";
              welcomeText = templateWelcome "hosts/mycomputer.toml" "hosts/mycomputer/hardware.nix";
            };
            multi-host = {
              path = ./examples/multi-host;
              description = "Several axiOS machines in one flake: hosts/desktop.toml, laptop.toml, server.toml";
              welcomeText = templateWelcome "hosts/<name>.toml" "hosts/<name>/hardware.nix";
            };
          };
        };

        perSystem =
          {
            pkgs,
            self',
            system,
            ...
          }:
          {
            # `nix fmt` formats Nix (nixfmt, RFC 166) and Go; checks.treefmt
            # fails when a tracked file is not formatted.
            treefmt = {
              projectRootFile = "flake.nix";
              flakeCheck = true;
              programs.nixfmt.enable = true;
              programs.gofmt.enable = true;
            };

            apps = {
              init = {
                type = "app";
                program = "${pkgs.writeShellScript "axios-init" ''
                  exec ${lib.getExe self'.packages.axios} init "$@"
                ''}";
                meta.description = "Create a new axiOS configuration (axios init)";
              };
              default = {
                type = "app";
                program = lib.getExe self'.packages.axios;
                meta.description = "The axios command";
              };
            };

            # `nix flake check` builds all of these (and treefmt's check):
            # the core vectors, every development shell, and on x86_64-linux
            # the toplevel of every example host.
            checks = {
              core-vectors =
                if vectorMismatches == [ ] then
                  pkgs.runCommand "axios-core-vectors" { } "touch $out"
                else
                  throw "pure core disagrees with tests/hosts on: ${builtins.concatStringsSep ", " vectorMismatches}";
            }
            // lib.mapAttrs' (n: v: lib.nameValuePair "devshell-${n}" v) self'.devShells
            // lib.optionalAttrs (system == "x86_64-linux") (
              lib.mapAttrs (_: s: s.config.system.build.toplevel) exampleSystems
            );
          };
      }
    );
}
