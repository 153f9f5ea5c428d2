# Whole axiOS hosts through the real module code of the flake inputs, for
# scripts/eval-upstream (tools/eval-upstream runs it; docs/upstream-eval.md).
#
# The hosts go through the project's own mkHosts / mkSystem (lib/default.nix)
# with:
# * nixpkgs: the real nixpkgs lib; lib.nixosSystem is lib.evalModules over
#   the host's modules plus nixos-base.nix (a freeform root standing in for
#   NixOS) and stub packages (stub-pkgs.nix);
# * home-manager, DankMaterialShell, dank-greeter, niri-flake, agenix,
#   nixos-hardware and lanzaboote: their real flake outputs, computed from
#   checkouts by calling each flake.nix with this nixpkgs and small fakes for
#   the flake inputs of those inputs (inputs.nix);
# * every other axiOS input: a fake declaring just what axiOS uses.
#
# Arguments (nix-instantiate --argstr):
#   configFile  JSON: { project, nixpkgsLib, nixpkgsStub, names, sources,
#               hostDirs, homePrefixes, enableOptions } (absolute paths; names: pkgs
#               attribute paths to stub; sources: checkout per input;
#               hostDirs: extra folders of <name>.toml hosts to evaluate,
#               used by the tests; homePrefixes: see below; enableOptions:
#               NixOS's boolean enable options, see nixos-base.nix)
#   target      a name from `targets`, for `result` and `homeOption`
# Entry points (-A):
#   targets     the names of every host: examples/<example>[/<host>],
#               tests/hosts/<stem> (vectors without errors), and
#               <hostDir>/<name>
#   faked       what is not real upstream code (printed by the script)
#   result      the summary of one host (see `summary`)
#   homeOption  one home-manager option of one user, without catching errors
#               (--argstr user, --argstr option): for the message
{
  configFile,
  target ? "",
  user ? "",
  option ? "",
}:
let
  cfg = builtins.fromJSON (builtins.readFile configFile);
  toPath = s: /. + s;
  project = toPath cfg.project;
  lib = import (toPath cfg.nixpkgsLib);
  system = "x86_64-linux";
  stubDir = toPath cfg.nixpkgsStub;

  pkgs = import ./stub-pkgs.nix {
    inherit lib system;
    inherit (cfg) names;
    path = stubDir;
  };

  base = import ./nixos-base.nix {
    inherit lib pkgs;
    enableOptions = cfg.enableOptions or [ ];
  };

  utils = {
    escapeSystemdPath =
      s: lib.replaceStrings [ "/" "-" " " ] [ "-" "\\x2d" "\\x20" ] (lib.removePrefix "/" s);
  };

  # lib.nixosSystem stand-in: lib.evalModules over the modules + nixos-base.
  nixosSystem =
    {
      modules,
      specialArgs ? { },
      ...
    }:
    lib.evalModules {
      class = "nixos";
      specialArgs = {
        modulesPath = stubDir + "/nixos/modules";
      }
      // specialArgs;
      modules = modules ++ [
        base
        {
          _file = "tests/upstream/eval.nix";
          _module.args = {
            inherit pkgs utils;
          };
          # Every home-manager module, option checking on (the default; made
          # explicit so no host can turn it off).
          home-manager.sharedModules = [ { _module.check = lib.mkForce true; } ];
        }
      ];
    };

  up = import ./inputs.nix {
    inherit
      lib
      pkgs
      system
      stubDir
      nixosSystem
      ;
    sources = lib.mapAttrs (_: toPath) cfg.sources;
    self = axiosSelf;
  };

  axiosSelf = {
    outPath = project;
    lib = axiosLib;
    packages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (
      _:
      let
        pwa = pkgs.hello // {
          name = "pwa-apps";
          missingIcons = [ ];
          entries = [ ];
          defs = { };
          override = _: pwa;
        };
      in
      {
        pwa-apps = pwa;
        axios = up.flakePackage "axios";
        default = up.flakePackage "axios";
      }
    );
    inherit (axiosLib) nixosModules homeModules;
  };
  axiosLib = import (project + "/lib") {
    inherit (up) inputs;
    self = axiosSelf;
  };

  # ---------------------------------------------------------------------------
  # The hosts.
  prefixed = p: lib.mapAttrs' (n: v: lib.nameValuePair "${p}/${n}" v);
  examples =
    let
      dir = project + "/examples";
      ex = lib.attrNames (lib.filterAttrs (_: t: t == "directory") (builtins.readDir dir));
      one =
        e:
        let
          d = dir + "/${e}";
        in
        if builtins.pathExists (d + "/hosts") then
          prefixed "examples/${e}" (axiosLib.mkHosts (d + "/hosts"))
        else if builtins.pathExists (d + "/host.nix") then
          { "examples/${e}" = axiosLib.mkSystem (import (d + "/host.nix")); }
        else
          { };
    in
    lib.foldl' (a: e: a // one e) { } ex;
  vectors =
    let
      dir = project + "/tests/hosts";
      valid =
        n: d:
        (axiosLib.core.checkHost {
          inherit (d) host;
          name = n;
          form = "toml";
        }).errors == [ ];
      ok = lib.filterAttrs valid (axiosLib.core.discoverHosts dir);
    in
    prefixed "tests/hosts" (lib.filterAttrs (n: _: ok ? ${n}) (axiosLib.mkHosts dir));
  extra = lib.foldl' (a: d: a // prefixed d (axiosLib.mkHosts (toPath d))) { } (cfg.hostDirs or [ ]);
  systems = examples // vectors // extra;

  # ---------------------------------------------------------------------------
  # What one host yields.
  isProjectFile = f: lib.hasPrefix (toString project) (toString f);
  isOwnFile = f: isProjectFile f || lib.any (d: lib.hasPrefix d (toString f)) (cfg.hostDirs or [ ]);

  # home-manager option subtrees whose project-defined values are forced
  # (the first two components of every home-manager path the project defines,
  # listed by tools/eval-upstream)
  inherit (cfg) homePrefixes;

  # Re-run one user's home-manager evaluation (same modules and specialArgs as
  # the home-manager.users submodule) to get at its `options`.
  hmEvalFor =
    sys: n:
    let
      opt = sys.options.home-manager.users;
      t = opt.type.nestedTypes.elemType;
      defs = lib.concatMap (
        d:
        if d.value ? ${n} then
          [
            {
              _file = d.file;
              imports = [ d.value.${n} ];
            }
          ]
        else
          [ ]
      ) opt.definitionsWithLocations;
    in
    lib.evalModules {
      class = "homeManager";
      modules = t.getSubModules ++ defs ++ [ { _module.args.name = n; } ];
      specialArgs = t.functor.payload.specialArgs;
    };

  # The options below homePrefixes that a project file defines.
  projectHomeOptions =
    hm:
    lib.filter (o: (builtins.tryEval (lib.any isProjectFile (o.files or [ ]))).value) (
      lib.concatMap (
        p:
        let
          o = lib.attrByPath (lib.splitString "." p) null hm.options;
        in
        if o == null then
          [ ]
        else if lib.isOption o then
          [ o ]
        else
          lib.collect lib.isOption (lib.filterAttrs (_: v: (builtins.tryEval v).success) o)
      ) homePrefixes
    );

  # A value with every throw replaced by "<throw>" (home-manager's removed
  # options throw when read even if unset, so a whole submodule cannot be
  # forced at once).
  safe =
    v:
    let
      r = builtins.tryEval v;
    in
    if !r.success then
      "<throw>"
    else if builtins.isFunction r.value then
      "<function>"
    else if lib.isDerivation r.value then
      "<drv>"
    else if builtins.isAttrs r.value then
      lib.mapAttrs (_: safe) r.value
    else if builtins.isList r.value then
      map safe r.value
    else if builtins.isPath r.value then
      toString r.value
    else
      r.value;
  hasThrow =
    v:
    if v == "<throw>" then
      true
    else if builtins.isAttrs v then
      lib.any hasThrow (lib.attrValues v)
    else if builtins.isList v then
      lib.any hasThrow v
    else
      false;

  # Names of the hidden sub-options of a submodule type: the options of
  # mkRemovedOptionModule / mkRenamedOptionModule, which throw when read even
  # if unset (their assertions report a real use).
  hiddenNames =
    t:
    let
      r = builtins.tryEval (t.getSubOptions [ ]);
    in
    if t ? getSubOptions && r.success && builtins.isAttrs r.value then
      lib.attrNames (lib.filterAttrs (_: x: lib.isOption x && (x.visible or true) == false) r.value)
    else
      [ ];
  # The value without those sub-options, following the option's type.
  stripHidden =
    t: v:
    let
      n = t.name or "";
      elem = t.nestedTypes.elemType or null;
    in
    if n == "submodule" && builtins.isAttrs v then
      removeAttrs v (hiddenNames t)
    else if
      lib.elem n [
        "attrsOf"
        "lazyAttrsOf"
      ]
      && builtins.isAttrs v
      && elem != null
    then
      lib.mapAttrs (_: stripHidden elem) v
    else if n == "listOf" && builtins.isList v && elem != null then
      map (stripHidden elem) v
    else if n == "nullOr" && elem != null then
      stripHidden elem v
    else
      v;

  homeValues =
    hm:
    lib.listToAttrs (
      map (o: {
        name = lib.showOption o.loc;
        value =
          let
            s = builtins.tryEval (stripHidden o.type o.value);
          in
          if s.success && !(hasThrow (safe s.value)) then "ok" else "throws";
      }) (projectHomeOptions hm)
    );

  # Every NixOS definition: its attribute path (`loc`), whether a module
  # declares it, and the deepest declared attribute set above it (`namespace`)
  # with the files declaring options there (for namespaces below the top).
  audit =
    sys:
    let
      declFiles =
        ns:
        lib.unique (
          map toString (
            lib.concatMap (x: x.declarations or [ ]) (lib.collect lib.isOption (lib.attrByPath ns { } sys.options))
          )
        );
      go =
        loc: v: opts: ns:
        let
          r = builtins.tryEval v;
          val = if r.success then r.value else null;
          isTree = x: builtins.isAttrs x && !(lib.isDerivation x) && !(x ? _type) && x != { };
        in
        if opts != null && lib.isOption opts then
          [
            {
              inherit loc;
              declared = true;
              namespace = ns;
              declaredBy = [ ];
            }
          ]
        else if loc == [ "system" "build" ] then
          [
            {
              inherit loc;
              declared = true;
              namespace = ns;
              declaredBy = [ ];
            }
          ]
        else if isTree val then
          lib.concatLists (
            lib.mapAttrsToList (
              k: x:
              go (loc ++ [ k ]) x (if opts == null then null else opts.${k} or null) (
                if opts != null && opts ? ${k} then loc ++ [ k ] else ns
              )
            ) val
          )
        else if val == { } || !r.success then
          [ ]
        else
          [
            {
              inherit loc;
              declared = false;
              namespace = ns;
              declaredBy = if lib.length ns > 1 then declFiles ns else [ ];
            }
          ];
    in
    lib.concatLists (
      lib.mapAttrsToList (k: x: go [ k ] x (sys.options.${k} or null) (if sys.options ? ${k} then [ k ] else [ ])) (
        removeAttrs sys.config [
          "_module"
          "home-manager"
        ]
      )
    );

  summary =
    sys:
    let
      c = sys.config;
      hmUsers = c.home-manager.users or { };
      niriConfig =
        n:
        let
          hc = c.home-manager.users.${n};
        in
        if hc ? programs.niri.finalConfig && hc.programs.niri.finalConfig != null then
          builtins.stringLength hc.programs.niri.finalConfig
        else
          0;
    in
    {
      hostName = c.networking.hostName;
      toplevel = c.system.build.toplevel;
      warnings = c.warnings;
      users = lib.attrNames (lib.filterAttrs (_: u: u.isNormalUser) c.users.users);
      homes = lib.mapAttrs (n: _: homeValues (hmEvalFor sys n)) hmUsers;
      homeAssertions = lib.mapAttrs (
        n: _: map (a: a.message) (lib.filter (a: !a.assertion) c.home-manager.users.${n}.assertions)
      ) hmUsers;
      homeWarnings = lib.mapAttrs (n: _: c.home-manager.users.${n}.warnings) hmUsers;
      niriConfigBytes = lib.mapAttrs (n: _: niriConfig n) hmUsers;
      audit = audit sys;
    };

  sanitize =
    v:
    if builtins.isFunction v then
      "<function>"
    else if lib.isDerivation v then
      "<drv>"
    else if builtins.isAttrs v then
      lib.mapAttrs (_: sanitize) v
    else if builtins.isList v then
      map sanitize v
    else if builtins.isPath v then
      toString v
    else
      v;

  pick =
    if systems ? ${target} then
      systems.${target}
    else
      throw "eval-upstream: no host ${target}; the hosts are: ${lib.concatStringsSep ", " (lib.attrNames systems)}";
in
{
  targets = lib.attrNames systems;
  inherit (up) faked;
  result = summary pick;
  homeOption = sanitize (
    lib.attrByPath (lib.splitString "." option) (throw "no option ${option}") (hmEvalFor pick user).options
  ).value;
}
