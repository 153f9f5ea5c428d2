# A fake nixpkgs package set for scripts/eval-upstream (tests/upstream/eval.nix):
# module evaluation without a nixpkgs tree.
#
#   import ./stub-pkgs.nix { lib; names; system ? "x86_64-linux"; path ? null; }
#
# names: list of dotted attribute paths ("fish", "nvtopPackages.amd") that get a
# fake derivation each (tools/eval-upstream collects them from the sources). Every stub
# is callable (pkgs.writeText "a" "b" returns a stub) and has
# override/overrideAttrs/out/bin/meta, and the attributes of a Rust package that
# modules read (cargoBuildFeatures).
# path: a directory standing in for <nixpkgs> (home-manager imports
# nixos/modules/misc/{assertions,meta}.nix and lib/services/lib.nix from it).
# formats.<fmt> {} gives a value type that merges like nixpkgs' (lists concatenate,
# attribute sets merge recursively) — an approximation of pkgs/pkgs-lib/formats.nix.
{
  lib,
  names,
  system ? "x86_64-linux",
  path ? null,
}:
let
  inherit (lib) types;
  withContext = p: builtins.appendContext p { ${p}.path = true; };
  mkStub =
    p:
    let
      n = lib.concatStringsSep "." p;
      self = {
        type = "derivation";
        name = lib.last p;
        pname = lib.last p;
        version = "999.0.0";
        # with string context, as a real package's, so code that copies
        # plain paths to the store (builtins.path) leaves it alone
        outPath = withContext "/nix/store/00000000000000000000000000000000-stub-${lib.replaceStrings [ "." ] [ "-" ] n}";
        drvPath = "/nix/store/00000000000000000000000000000000-stub-${lib.replaceStrings [ "." ] [ "-" ] n}.drv";
        meta = {
          mainProgram = lib.last p;
          platforms = lib.platforms.all;
        };
        passthru = { };
        outputs = [ "out" ];
        outputName = "out";
        __functor = s: _: s;
        override = _: self;
        overrideAttrs = _: self;
        overrideDerivation = _: self;
        out = self;
        bin = self;
        lib = self;
        dev = self;
        man = self;
        unwrapped = self;
        src = self;
        cargoBuildNoDefaultFeatures = false;
        cargoBuildFeatures = [ ];
        system = system;
        __stubPath = n;
      };
    in
    self;

  # names -> nested tree; every node is also a stub derivation
  tree = lib.foldl' (
    acc: ref: lib.recursiveUpdate acc (lib.setAttrByPath (lib.splitString "." ref) { })
  ) { } (lib.filter (n: n != "" && builtins.match "[A-Za-z_][A-Za-z0-9_'-]*(\\.[A-Za-z_][A-Za-z0-9_'-]*)*" n != null) names);
  reserved = [ "lib" "stdenv" "formats" "path" "system" "pkgsi686Linux" "buildPackages" "pkgs" "callPackage" "hostPlatform" "buildPlatform" "targetPlatform" "writers" ];
  build =
    prefix: t:
    lib.mapAttrs (
      n: v:
      let
        p = prefix ++ [ n ];
      in
      mkStub p // build p v
    ) t;

  platform = lib.systems.elaborate system;

  valueType =
    nullable:
    let
      v =
        (if nullable then types.nullOr else lib.id) (
          types.oneOf [
            types.bool
            types.int
            types.float
            types.str
            types.path
            (types.attrsOf v)
            (types.listOf v)
          ]
        )
        // {
          description = "stub format value";
        };
    in
    v;
  mkFormat = fmt: nullable: _args: {
    type = if nullable then valueType true else types.attrsOf (valueType false);
    generate = name: _value: mkStub [ "formats" fmt name ];
    lib = {
      mkRaw = x: x;
      types = {
        atom = valueType nullable;
        list = types.listOf (valueType nullable);
        attrsOf = types.attrsOf;
      };
    };
  };
  formats =
    lib.genAttrs [ "json" "yaml" "yaml_1_1" "yaml_1_2" "lua" "xml" "plist" "nixConf" "hocon" "php" ] (f: mkFormat f true)
    // lib.genAttrs [ "toml" "ini" "iniWithGlobalSection" "gitIni" "keyValue" "javaProperties" "systemd" "elixirConf" "libconfig" "pythonVars" "cdn" "kdl" ] (f: mkFormat f false);

  pkgs =
    build [ ] (removeAttrs tree reserved)
    // {
      inherit lib system formats pkgs;
      path = if path == null then throw "stub-pkgs: pkgs.path not given" else path;
      stdenv = mkStub [ "stdenv" ] // {
        hostPlatform = platform;
        buildPlatform = platform;
        targetPlatform = platform;
        inherit (platform) isLinux isDarwin isx86_64 isAarch64;
        cc = mkStub [ "stdenv" "cc" ] // {
          cc = mkStub [ "stdenv" "cc" "cc" ];
        };
        mkDerivation = _: mkStub [ "stdenv" "mkDerivation" ];
      };
      hostPlatform = platform;
      buildPlatform = platform;
      targetPlatform = platform;
      pkgsi686Linux = pkgs;
      buildPackages = pkgs;
      callPackage = _: _: mkStub [ "callPackage" ];
      writers = build [ "writers" ] (tree.writers or { }) // mkStub [ "writers" ];
    };
in
pkgs
