# Reads a host of the original axiOS for `axios migrate` (internal/migrate):
# nix-instantiate --eval --strict --json -E "$(cat eval.nix)" --argstr file F --argstr mode host|module
#
# The file is imported; a function is called with stand-ins for its
# arguments (a small `lib` whose mk* functions return the module system's
# markers, the original init's `userModulePath`, and a `throw` for anything
# else). The result becomes JSON: a path becomes { __axiosMigrate = "path"; },
# and an attribute whose value JSON cannot hold (a function, a package, a
# value whose evaluation fails) becomes { __axiosMigrate = <kind>; pos = ...; }
# with the place it was written, so the Go side can keep its source text.
{ file, mode }:
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
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: a: if c then a else { };
    optionalString = c: s: if c then s else "";
  };
  missing = name: throw "${M}: the argument ${name} is not available";
  standIns = {
    inherit lib;
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
  plain =
    v:
    if isPath v then
      {
        ${M} = "path";
        path = toString v;
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
if isAttrs value then
  conv value
else
  {
    ${M} = "notAttrs";
    type = typeOf value;
  }
