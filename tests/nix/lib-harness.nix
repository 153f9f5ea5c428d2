# Evaluates lib/default.nix without nixpkgs: the flake inputs are stubs
# (named markers), nixosSystem returns its arguments, and NixOS modules that
# are functions are called with the module harness's lib (modsys.nix). The result
# describes module lists as JSON-friendly data for the Go tests.
let
  inherit (builtins)
    attrNames
    concatStringsSep
    foldl'
    isAttrs
    isFunction
    isList
    isPath
    mapAttrs
    stringLength
    substring
    tryEval
    ;
  core = import ../../lib/core { };
  util = import ../../lib/core/util.nix;
  rootStr = toString ../..;

  recursiveUpdate =
    a: b:
    a
    // mapAttrs (k: v: if isAttrs v && isAttrs (a.${k} or null) then recursiveUpdate a.${k} v else v) b;

  stub = path: { _stub = concatStringsSep "." path; };
  inputPaths =
    core.catalogInfo.inputPaths
    ++ [ [ "home-manager" "nixosModules" "home-manager" ] ]
    ++ map (e: [
      "nixos-hardware"
      "nixosModules"
      e.module
    ]) core.catalogInfo.nixosHardware;

  inputs = foldl' (acc: p: recursiveUpdate acc (util.setPathList p (stub p))) {
    nixpkgs.lib.nixosSystem = args: args;
  } inputPaths;

  self = {
    outPath = rootStr;
  };

  axiosLib = import ../../lib { inherit inputs self; };

  # The module harness's lib (tests/nix/modsys.nix); `plain` shows its
  # properties as the markers the Go tests read (_default, _force, …).
  fakeLib = (import ./modsys.nix).lib;

  relPath =
    p:
    let
      s = toString p;
      n = stringLength rootStr;
    in
    if substring 0 n s == rootStr then "." + substring n (stringLength s - n) s else s;

  # Replace values JSON cannot hold (functions, paths, throws, wrappers).
  plain =
    v:
    if isFunction v then
      "<function>"
    else if isPath v then
      relPath v
    else if isList v then
      map plain v
    else if isAttrs v && v ? key then
      v.key
    else if isAttrs v && v ? _stub then
      v._stub
    else if isAttrs v && (v._type or null) == "override" then
      let
        label =
          {
            "50" = "_force";
            "1000" = "_default";
            "1500" = "_optionDefault";
          }
          .${toString v.priority} or null;
      in
      if label != null then
        { ${label} = tryPlain v.content; }
      else
        {
          _override = v.priority;
          _value = tryPlain v.content;
        }
    else if isAttrs v && (v._type or null) == "merge" then
      { _merge = tryPlain v.contents; }
    else if isAttrs v then
      mapAttrs (
        _: x:
        let
          r = tryEval x;
        in
        if r.success then plain x else "<throws>"
      ) v
    else
      v;

  tryPlain =
    x:
    let
      r = tryEval x;
    in
    if r.success then plain x else "<throws>";

  describe =
    m:
    if isAttrs m && m ? _stub then
      m._stub
    else if isAttrs m && m ? key then
      m.key
    else if isPath m then
      relPath m
    else if isFunction m then
      let
        r = m {
          lib = fakeLib;
          config = { };
          pkgs = { };
        };
      in
      {
        file = r._file or "<function>";
        config = plain (r.config or r);
      }
    else if isAttrs m then
      {
        attrs = attrNames m;
      }
    else
      m;
in
{
  inherit axiosLib inputs;

  # The described module list of a host.
  modules = args: map describe (axiosLib.buildModulesWith args);

  # mkHosts dir -> { <name> = [ described modules ]; }
  hosts = dir: mapAttrs (_: s: map describe s.modules) (axiosLib.mkHosts dir);

  # mkSystem attrs -> described modules
  system = host: map describe (axiosLib.mkSystem host).modules;

  # The names of the module arguments mkSystem passes as specialArgs.
  specialArgs = host: builtins.attrNames (axiosLib.mkSystem host).specialArgs;

  hardware = hw: map describe (axiosLib.hardwareModules hw);

  wrappers = {
    nixos = mapAttrs (_: w: {
      inherit (w) key;
      imports = map describe w.imports;
    }) axiosLib.nixosModules;
    home = mapAttrs (_: w: {
      inherit (w) key;
      imports = map describe w.imports;
    }) axiosLib.homeModules;
  };

  # What the shared args module gives every module as `axiosFlake`.
  flakeArgs =
    let
      m = builtins.head (
        builtins.filter (
          i: isAttrs i && (i.key or "") == "axios#flake-args"
        ) axiosLib.nixosModules.system.imports
      );
    in
    {
      self = m._module.args.axiosFlake.self.outPath;
      inputs = attrNames m._module.args.axiosFlake.inputs;
    };
}
