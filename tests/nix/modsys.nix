# The part of a module system that the test harnesses share, with builtins
# only (there is no nixpkgs here): mkIf / mkMerge / mkOverride and how they
# are pushed down and discharged, option types, a builtins-only `lib`, and
# loading modules (imports, deduplicated by path as nixpkgs does by key).
#
# Used by tests/fixtures/modules/eval.nix (NixOS modules) and
# tests/nix/home-harness.nix (home-manager modules); each of them keeps its own
# merging against its own option declarations.
let
  inherit (builtins)
    all
    any
    attrNames
    concatMap
    concatStringsSep
    elem
    filter
    foldl'
    head
    isAttrs
    isBool
    isFunction
    isInt
    isList
    isPath
    isString
    listToAttrs
    map
    mapAttrs
    match
    substring
    stringLength
    tail
    ;

  # ---- properties ------------------------------------------------------
  mkIf = condition: content: {
    _type = "if";
    inherit condition content;
  };
  mkMerge = contents: {
    _type = "merge";
    inherit contents;
  };
  mkOverride = priority: content: {
    _type = "override";
    inherit priority content;
  };

  # Whether v is an mkIf / mkMerge / mkOverride.
  isProp =
    v:
    isAttrs v
    && elem (v._type or null) [
      "if"
      "merge"
      "override"
    ];

  # An attribute set that is configuration structure, not a value (a
  # property, type, option or package marker).
  isTree = v: isAttrs v && !(v ? _type) && !(v ? _pkg);

  isOption = v: isAttrs v && (v._type or null) == "option";

  # { a = 1; } and { a = 2; b = 3; } → { a = [ 1 2 ]; b = [ 3 ]; }
  zip =
    sets:
    let
      names = attrNames (genAttrs (concatMap attrNames sets) (_: null));
    in
    genAttrs names (n: concatMap (s: if s ? ${n} then [ s.${n} ] else [ ]) sets);

  # Turn a definition into an attribute set of definitions without
  # evaluating any condition (nixpkgs' pushDownProperties). A property
  # around a value that is not an attribute set stays as it is.
  pushDown =
    def:
    if !isProp def then
      def
    else if def._type == "merge" then
      let
        ps = map pushDown def.contents;
      in
      if ps != [ ] && all isTree ps then mapAttrs (_: mkMerge) (zip ps) else def
    else
      let
        inner = pushDown def.content;
        wrap = if def._type == "if" then mkIf def.condition else mkOverride def.priority;
      in
      if isTree inner then mapAttrs (_: wrap) inner else def;

  # A definition at a leaf → [ { priority; value; } ], conditions evaluated
  # (content under a false condition is not).
  discharge =
    def:
    if !isProp def then
      [
        {
          priority = 100;
          value = def;
        }
      ]
    else if def._type == "merge" then
      concatMap discharge def.contents
    else if def._type == "if" then
      (if def.condition then discharge def.content else [ ])
    else
      map (d: d // { priority = def.priority; }) (discharge def.content);

  # Whether a definition still defines anything once conditions are known;
  # conditions are looked at before the content, so content under a false
  # condition is never evaluated (as nixpkgs' dischargeProperties).
  alive =
    def:
    if !isProp def then
      true
    else if def._type == "merge" then
      any alive def.contents
    else if def._type == "if" then
      def.condition && alive def.content
    else
      alive def.content;

  # The discharged definitions of the highest priority (lowest number).
  highest =
    ds:
    let
      p = foldl' (acc: d: if d.priority < acc then d.priority else acc) 10000 ds;
    in
    filter (d: d.priority == p) ds;

  # ---- types -----------------------------------------------------------
  # A type: { name; check; kind; … }. kind tells the merging how to combine
  # several definitions: "unique" (equal values only), "list" (concatenate),
  # "lines" (join with newlines), "attrsOf" (elemType), "submodule"
  # (options), "anything" (merge structurally).
  mkType =
    name: check: extra:
    {
      _type = "type";
      inherit name check;
      kind = "unique";
    }
    // extra;
  types = {
    bool = mkType "bool" isBool { };
    int = mkType "int" isInt { };
    str = mkType "str" isString { };
    lines = mkType "lines" isString { kind = "lines"; };
    # absolute and string-like (a package's outPath counts), as nixpkgs'
    # types.path
    path = mkType "path" (
      v: (isPath v || isString v || (isAttrs v && v ? outPath)) && substring 0 1 (toString v) == "/"
    ) { };
    port = mkType "port" (v: isInt v && v >= 0 && v <= 65535) { };
    package = mkType "package" (v: isAttrs v && v ? _pkg) { };
    ints.positive = mkType "positive int" (v: isInt v && v > 0) { };
    ints.unsigned = mkType "unsigned int" (v: isInt v && v >= 0) { };
    ints.between =
      lo: hi: mkType "integer between ${toString lo} and ${toString hi} (both inclusive)" (v: isInt v && v >= lo && v <= hi) { };
    strMatching = re: mkType "string matching ${re}" (v: isString v && match re v != null) { };
    enum = vs: mkType "one of ${concatStringsSep ", " (map toString vs)}" (v: elem v vs) { };
    nullOr = t: mkType "null or ${t.name}" (v: v == null || t.check v) { };
    listOf = t: mkType "list of ${t.name}" (v: isList v && all t.check v) { kind = "list"; };
    # The check looks at every element (a submodule element: that it is a set).
    attrsOf =
      t:
      mkType "attrs of ${t.name}" (v: isAttrs v && all (n: t.check v.${n}) (attrNames v)) {
        kind = "attrsOf";
        elemType = t;
      };
    submodule = m: mkType "submodule" isAttrs {
      kind = "submodule";
      options = m.options;
    };
    anything = mkType "anything" (_: true) { kind = "anything"; };
  };

  # ---- lib -------------------------------------------------------------
  genAttrs =
    names: f:
    listToAttrs (
      map (n: {
        name = n;
        value = f n;
      }) names
    );
  setPath = path: value: if path == [ ] then value else { ${head path} = setPath (tail path) value; };

  # The subset of nixpkgs' lib the axiOS modules use, same names and meaning.
  lib = {
    inherit
      mkIf
      mkMerge
      mkOverride
      types
      genAttrs
      mapAttrs
      attrNames
      concatMap
      concatStringsSep
      listToAttrs
      filter
      all
      any
      ;
    mkDefault = mkOverride 1000;
    mkOptionDefault = mkOverride 1500;
    mkForce = mkOverride 50;
    setAttrByPath = setPath;
    makeSearchPath =
      sub: paths: concatStringsSep ":" (map (p: "${p}/${sub}") (filter (p: p != null) paths));
    mkOption = attrs: attrs // { _type = "option"; };
    mkPackageOption = pkgs: name: extra: {
      _type = "option";
      type = types.package;
      default = pkgs.${name};
      description = "The ${name} package to use.";
    };
    mkEnableOption = name: {
      _type = "option";
      type = types.bool;
      default = false;
      description = "Whether to enable ${name}.";
    };
    mkRemovedOptionModule = path: msg: {
      options = setPath path {
        _type = "option";
        type = types.anything;
        default = null;
      };
      config.assertions = [ ];
      _removed = {
        inherit path msg;
      };
    };
    literalExpression = text: {
      _type = "literalExpression";
      inherit text;
    };
    optional = c: x: if c then [ x ] else [ ];
    optionals = c: xs: if c then xs else [ ];
    optionalAttrs = c: a: if c then a else { };
    attrValues = s: map (n: s.${n}) (attrNames s);
    concatStrings = concatStringsSep "";
    filterAttrs = f: s: genAttrs (filter (n: f n s.${n}) (attrNames s)) (n: s.${n});
    concatMapAttrs = f: s: foldl' (acc: n: acc // f n s.${n}) { } (attrNames s);
    hasPrefix = p: s: substring 0 (stringLength p) s == p;
    hasSuffix =
      suffix: s:
      let
        ls = stringLength s;
        lx = stringLength suffix;
      in
      lx <= ls && substring (ls - lx) lx s == suffix;
    nameValuePair = name: value: { inherit name value; };
    "mapAttrs'" = f: s: listToAttrs (map (n: f n s.${n}) (attrNames s));
    mapAttrsToList = f: s: map (n: f n s.${n}) (attrNames s);
    # nixpkgs quotes only what needs quoting (lib/strings.nix).
    escapeShellArg =
      arg:
      let
        s = toString arg;
      in
      if match "[[:alnum:],._+:@%/-]+" s != null then s else "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] s}'";
    escapeShellArgs = args: concatStringsSep " " (map lib.escapeShellArg args);
    removeSuffix =
      suffix: s:
      let
        ls = stringLength s;
        lx = stringLength suffix;
      in
      if lx <= ls && substring (ls - lx) lx s == suffix then substring 0 (ls - lx) s else s;
    # (literal separators only: "." is escaped, as nixpkgs escapes every one)
    splitString = sep: s: filter isString (builtins.split (builtins.replaceStrings [ "." ] [ "[.]" ] sep) s);
    getAttrFromPath = path: set: foldl' (acc: k: acc.${k}) set path;
    # f path value for every value that is not an attribute set (recursing
    # into every attribute set, packages too, as nixpkgs does)
    mapAttrsRecursive =
      f: set:
      let
        recurse =
          path:
          mapAttrs (
            name: value: if isAttrs value then recurse (path ++ [ name ]) value else f (path ++ [ name ]) value
          );
      in
      recurse [ ] set;
    attrByPath =
      path: default: set:
      if path == [ ] then
        set
      else if isAttrs set && set ? ${head path} then
        lib.attrByPath (tail path) default set.${head path}
      else
        default;
    concatMapStrings = f: list: concatStringsSep "" (map f list);
    concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
    optionalString = c: s: if c then s else "";
    findFirst =
      pred: default: list:
      let
        found = filter pred list;
      in
      if found == [ ] then default else head found;
    inherit (builtins) replaceStrings;
    platforms.linux = [
      "x86_64-linux"
      "aarch64-linux"
    ];
    # A package's main program: meta.mainProgram as nixpkgs reads it (the
    # markers of the harnesses carry it at the top, or not at all).
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram or p.mainProgram or p._pkg}";
    getExe' = p: exe: "${p.outPath}/bin/${exe}";
  };

  # ---- modules -----------------------------------------------------------
  # The modules and everything they import, depth first, each called with
  # args if it is a function. A file or folder is taken once, however often
  # it is imported (nixpkgs keys such modules by path).
  collectModules =
    args: modules:
    let
      load = m: if isPath m then load (import m) else if isFunction m then m args else m;
      visit =
        st: m:
        let
          key = if isPath m then toString m else null;
          mod = load m;
        in
        if key != null && st.seen ? ${key} then
          st
        else
          foldl' visit {
            seen = st.seen // (if key != null then { ${key} = true; } else { });
            mods = st.mods ++ [ mod ];
          } (mod.imports or [ ]);
    in
    (foldl' visit {
      seen = { };
      mods = [ ];
    } modules).mods;

  # A module's configuration: `config` when it declares options or config
  # (any other attribute is then an error, as in nixpkgs), else the module
  # itself without `imports` (the shorthand form).
  structural = [
    "imports"
    "options"
    "config"
    "key"
    "_file"
    "meta"
    "_removed"
  ];
  configOf =
    m:
    if m ? config || m ? options then
      let
        extra = filter (n: !elem n structural) (attrNames m);
      in
      if extra != [ ] then
        throw "module defines `${head extra}` next to `options`/`config`: move it under `config`"
      else
        m.config or { }
    else
      removeAttrs m [
        "imports"
        "key"
        "_file"
        "meta"
      ];
in
{
  inherit
    mkIf
    mkMerge
    mkOverride
    isProp
    isTree
    isOption
    zip
    pushDown
    discharge
    alive
    highest
    mkType
    types
    genAttrs
    setPath
    lib
    collectModules
    configOf
    ;
}
