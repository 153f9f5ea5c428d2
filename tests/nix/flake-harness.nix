# Evaluates flake.nix's outputs without the network: flake inputs are the
# stubs of lib-harness.nix, flake-parts' mkFlake just calls the top-level
# module with a small stand-in for nixpkgs' lib, and perSystem is called with
# stub packages. The result is JSON-friendly data for the Go tests.
let
  inherit (builtins) attrNames mapAttrs;
  stubs = import ./lib-harness.nix;
  flake = import ../../flake.nix;

  fakeLib = {
    mapAttrs = builtins.mapAttrs;
    mapAttrs' =
      f: set:
      builtins.listToAttrs (map (n: f n set.${n}) (attrNames set));
    nameValuePair = name: value: { inherit name value; };
    optionalAttrs = c: a: if c then a else { };
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram}";
  };

  inputs = stubs.inputs // {
    nixpkgs.lib.nixosSystem = args: {
      config.system.build.toplevel = "toplevel with ${toString (builtins.length args.modules)} modules";
    };
    flake-parts.lib.mkFlake = _args: module: module { lib = fakeLib; };
    treefmt-nix.flakeModule = "treefmt-nix.flakeModule";
  };
  self = {
    outPath = toString ../..;
  };
  top = flake.outputs (inputs // { inherit self; });

  pkgs = {
    writeShellScript = name: text: "/nix/store/script-${name}";
    runCommand = name: _env: _script: "derivation ${name}";
  };
  perSystem =
    system:
    top.perSystem {
      inherit pkgs system;
      self' = {
        packages.axios = {
          outPath = "/nix/store/axios";
          meta.mainProgram = "axios";
        };
        devShells = builtins.listToAttrs (
          map
            (n: {
              name = n;
              value = "devshell ${n} on ${system}";
            })
            [
              "default"
              "go"
            ]
        );
      };
    };
in
{
  imports = map toString top.imports;
  nixosModules = attrNames top.flake.nixosModules;
  homeModules = attrNames top.flake.homeModules;
  lib = attrNames top.flake.lib;
  templates = mapAttrs (_: t: {
    path = toString t.path;
    inherit (t) description welcomeText;
  }) top.flake.templates;
  x86 =
    let
      p = perSystem "x86_64-linux";
    in
    {
      apps = mapAttrs (_: a: { inherit (a) type program; }) p.apps;
      inherit (p) checks treefmt;
    };
  aarch64Checks = attrNames (perSystem "aarch64-linux").checks;
  nixConfig = flake.nixConfig or null;
  description = flake.description;
}
