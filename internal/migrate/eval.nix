# Reads a host of the original axiOS for `axios migrate` (internal/migrate):
# nix-instantiate --eval --strict --json -E "$(cat eval.nix)" --argstr file F --argstr root DIR --argstr mode host|module|flake
#
# The file is imported; a function is called with stand-ins for its
# arguments (a small `lib` whose mk* functions return the module system's
# markers, the original init's `userModulePath`, and a `throw` for anything
# else). The result becomes JSON: a path becomes { __axiosMigrate = "path"; },
# and an attribute whose value JSON cannot hold (a function, a package, a
# value whose evaluation fails) becomes { __axiosMigrate = <kind>; pos = ...; }
# with the place it was written, so the Go side can keep its source text.
#
# Mode flake reads an original configuration's flake.nix: its outputs are
# called with stand-in inputs whose lib.mkSystem returns the host it is
# given, and the result is { <name> = host; } for each nixosConfigurations
# entry made by mkSystem (others are { __axiosMigrate = "notMkSystem"; }).
#
# `self` (of a flake, or an argument of a host function) is a stand-in whose
# outPath is root: a string made from it (self + "/motd") becomes a path.
{
  file,
  root,
  mode,
}:
let
  inherit (builtins)
    attrNames
    deepSeq
    filter
    foldl'
    functionArgs
    isAttrs
    isFunction
    isList
    isPath
    listToAttrs
    mapAttrs
    removeAttrs
    stringLength
    substring
    tryEval
    typeOf
    unsafeGetAttrPos
    ;
  M = "__axiosMigrate";
  mkOverride = priority: content: {
    _type = "override";
    inherit priority content;
  };
  mkOrder = priority: content: {
    _type = "order";
    inherit priority content;
  };
  lib = {
    inherit mkOverride mkOrder;
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;
    mkOptionDefault = mkOverride 1500;
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkVMOverride = mkOverride 10;
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: a: if c then a else { };
    optionalString = c: s: if c then s else "";
    genAttrs =
      names: f:
      listToAttrs (
        map (n: {
          name = n;
          value = f n;
        }) names
      );
    filterAttrs = pred: set: removeAttrs set (filter (n: !(pred n set.${n})) (attrNames set));
    recursiveUpdate =
      a: b:
      a
      // mapAttrs (
        n: v: if isAttrs v && isAttrs (a.${n} or null) then lib.recursiveUpdate a.${n} v else v
      ) b;
    hasPrefix = p: s: substring 0 (stringLength p) s == p;
    hasSuffix =
      x: s:
      let
        l = stringLength s;
        n = stringLength x;
      in
      n <= l && substring (l - n) n s == x;
    inherit (builtins)
      attrNames
      attrValues
      concatLists
      concatMap
      concatStringsSep
      elem
      filter
      head
      length
      mapAttrs
      tail
      toString
      ;
    flatten = x: if isList x then builtins.concatMap lib.flatten x else [ x ];
    unique = foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
    versionAtLeast = v: w: builtins.compareVersions v w >= 0;
  };
  missing = name: throw "${M}: the argument ${name} is not available";
  selfMark = "${M}:self";
  self = {
    outPath = selfMark;
  };
  standIns = {
    inherit lib self;
    userModulePath = "${M}:userModulePath";
  };
  call =
    f:
    let
      args = functionArgs f;
      wanted = filter (n: standIns ? ${n} || !args.${n}) (attrNames args);
    in
    f (
      listToAttrs (
        map (n: {
          name = n;
          value = standIns.${n} or (missing n);
        }) wanted
      )
    );
  # The stand-in of every flake input: lib.mkSystem hands back its host;
  # inputs.nixpkgs.lib (axios.inputs.nixpkgs.lib) is the stand-in lib.
  input = {
    lib = lib // {
      mkSystem = host: { ${M + "Host"} = host; };
      nixosSystem = _: throw "${M}: not made by axios.lib.mkSystem";
    };
    inputs.nixpkgs.lib = lib;
    outPath = dirOf file;
  };
  flakeHosts =
    let
      flake = import file;
      args = functionArgs flake.outputs;
      given = mapAttrs (n: _: if n == "self" then self else input) args;
      outputs = flake.outputs given;
      configs = outputs.nixosConfigurations or { };
      isHost =
        n:
        let
          r = tryEval (isAttrs configs.${n} && configs.${n} ? ${M + "Host"});
        in
        r.success && r.value;
    in
    mapAttrs (n: c: if isHost n then c.${M + "Host"} else { ${M} = "notMkSystem"; }) configs;
  raw = import file;
  value0 = if isFunction raw then call raw else raw;
  value =
    if mode == "host" && isAttrs value0 && value0 ? hostConfig && !(value0 ? hostname) then
      value0.hostConfig
    else
      value0;
  firstOf = foldl' (acc: k: if acc != null then acc else k) null;
  isPackage = v: (v.type or null) == "derivation";
  # null when v is plain data (after paths become markers), else why not.
  kind =
    v:
    if isFunction v then
      "function"
    else if isAttrs v then
      (if isPackage v then "package" else firstOf (map (n: kind v.${n}) (attrNames v)))
    else if isList v then
      firstOf (map kind v)
    else
      deepSeq v null;
  selfPath =
    v:
    builtins.isString v
    && substring 0 (stringLength selfMark) v == selfMark
    && (stringLength v == stringLength selfMark || substring (stringLength selfMark) 1 v == "/");
  plain =
    v:
    if isPath v then
      {
        ${M} = "path";
        path = toString v;
      }
    else if selfPath v then
      {
        ${M} = "path";
        path = root + substring (stringLength selfMark) (stringLength v) v;
      }
    else if isAttrs v then
      mapAttrs (_: plain) v
    else if isList v then
      map plain v
    else
      v;
  # An attribute set is converted attribute by attribute (so one bad
  # attribute keeps only itself out); any other value as a whole.
  recurse = v: isAttrs v && !(isPackage v) && !(v ? _type);
  conv = s: mapAttrs (n: _: attr s n) s;
  attr =
    s: n:
    let
      r = tryEval (
        let
          v = s.${n};
        in
        if recurse v then
          null
        else
          let
            k = kind v;
          in
          deepSeq k k
      );
      why = if r.success then r.value else "error";
    in
    if r.success && why == null && recurse s.${n} then
      conv s.${n}
    else if why == null then
      plain s.${n}
    else
      {
        ${M} = why;
        pos = unsafeGetAttrPos n s;
      };
in
if mode == "flake" then
  mapAttrs (
    n: h:
    if isAttrs h && h ? ${M} then
      h
    else if isAttrs h then
      conv h
    else
      {
        ${M} = "notAttrs";
        type = typeOf h;
      }
  ) flakeHosts
else if isAttrs value then
  conv value
else
  {
    ${M} = "notAttrs";
    type = typeOf value;
  }
