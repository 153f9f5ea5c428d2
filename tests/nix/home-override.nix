# Plays a user who overrides, at normal priority, every leaf that axiOS's
# home modules define, one leaf at a time, for tests/homeoverride_test.go.
#
# 1. Evaluate the home harness (home-harness.nix) for one scenario and walk
#    what the modules define (`defined`) down to its leaves: values that are
#    not attribute sets (packages, lists, strings, numbers, booleans, null,
#    paths). Lists are leaves: their elements are not options. What the
#    harness itself defines in place of home-manager (home.username …) and
#    what the scenario's own `home` module defines are not axiOS's and are
#    left out.
# 2. For each leaf, pick another value of the same type (a negated boolean,
#    another member of an enum, a changed string, another package, a list of
#    one changed element …) and evaluate the harness again with one more
#    module that assigns it with a plain `path = value;`.
# 3. The evaluation of that path must succeed (no "conflicting definitions"),
#    give the user's value (lists and "lines" merge: the user's elements or
#    lines must be in the result), and leave everything else under the same
#    option as it was (a whole `mkDefault { … }` under a free-form or
#    submodule option loses as a whole to one plain assignment inside it).
#
# Leaves of read-only options are not assignable by anyone and are skipped;
# leaves in `allow` (path → reason) are axiOS's contract and must still
# conflict, so the list cannot outlive its reasons.
#
#   import ./home-override.nix { optionsTsv = …; scenario = { profile = …; os = …; home = …; }; allow = { "a.b" = "why"; }; }
#
# upstreamDecls, when given, is the option list already parsed (the home
# harness's `upstream`), as home-harness.nix takes it.
#
# Returns { leaves; results; } with one result per leaf:
# { path; ok; skipped; reason; user; } (user: the override module as JSON).
{
  optionsTsv,
  upstreamDecls ? null,
  scenario ? { },
  allow ? { },
}:
let
  inherit (builtins)
    all
    any
    attrNames
    concatMap
    concatStringsSep
    deepSeq
    elem
    filter
    genList
    head
    isAttrs
    isBool
    isFloat
    isInt
    isList
    isPath
    isString
    length
    map
    match
    removeAttrs
    split
    tail
    tryEval
    ;
  modsys = import ./modsys.nix;
  inherit (modsys) setPath isProp configOf;
  inherit (modsys.lib) getAttrFromPath;

  call =
    extra: import ./home-harness.nix (scenario // { inherit optionsTsv upstreamDecls; } // extra);
  base = call { };
  # every further evaluation reuses base's option declarations (the
  # modules it adds define leaves and declare nothing)
  harness =
    extra:
    call (
      {
        upstreamDecls = base.upstream;
        knownDecls = base.decls;
      }
      // extra
    );
  scenarioHome = scenario.home or { };

  showPath = concatStringsSep ".";
  take = n: l: genList (i: builtins.elemAt l i) n;
  drop = n: l: genList (i: builtins.elemAt l (i + n)) (length l - n);
  isPrefix = a: b: length a <= length b && take (length a) b == a;

  # A value that is configuration structure (walked into), not a leaf.
  isTree = v: isAttrs v && !(v ? _type) && !(v ? _pkg) && v != { };

  leavesOf =
    path: v:
    if isTree v then
      concatMap (n: leavesOf (path ++ [ n ]) v.${n}) (attrNames v)
    else
      [
        {
          inherit path;
          value = v;
        }
      ];

  # Not axiOS's: the harness's stand-ins at normal priority (its option
  # defaults are lower) and the scenario's own home module.
  notOurs = filter (p: p != [ ]) (
    map (l: l.path) (filter (l: !isProp l.value) (leavesOf [ ] base.standIn))
    ++ map (l: l.path) (leavesOf [ ] (configOf scenarioHome))
  );
  ours = l: !any (p: isPrefix p l.path || isPrefix l.path p) notOurs;

  # The declaration that governs a path: the deepest declared option on the
  # way down (placeholders <name> and * match any name), where it is, and
  # whether it is declared exactly at the path.
  declAt =
    path:
    let
      go =
        node: done: rest: found:
        let
          found' =
            if node._decl != null then
              {
                decl = node._decl;
                at = done;
              }
            else
              found;
        in
        if rest == [ ] then
          found'
          // {
            exact = node._decl != null;
          }
        else
          let
            n = head rest;
            next = node._children.${n} or node._children."<name>" or node._children."*" or null;
          in
          if next == null then found' // { exact = false; } else go next (done ++ [ n ]) (tail rest) found';
    in
    go base.decls [ ] path {
      decl = null;
      at = path;
    };

  # The members of an enum type, from its name: home-manager's option list
  # quotes strings ("one of <null>, true, "auto", …"), modsys.nix's enum
  # does not ("one of workstation, laptop").
  enumMembers =
    type:
    let
      m = match "(null or )?one of (.*)" type;
      body = builtins.elemAt m 1;
      quoted = filter isList (split "\"([^\"]*)\"" body);
    in
    if m == null then
      [ ]
    else if quoted != [ ] then
      map head quoted
    else
      filter (x: isString x && x != "") (split ", " body);

  pkg = name: {
    _pkg = name;
    outPath = "/nix/store/11111111111111111111111111111111-${name}";
  };

  noInfo = {
    decl = null;
    exact = false;
  };

  # v with the leaf at path replaced by x.
  updateAt =
    path: x: v:
    if path == [ ] then x else v // { ${head path} = updateAt (tail path) x v.${head path}; };

  # Another value of the same type as v (null: none found).
  altValue =
    info: v:
    let
      type = if info.decl == null then "" else info.decl.type or "";
      check = if info.exact then info.decl.check or (_: true) else (_: true);
      firstOk =
        cs:
        let
          ok = filter check cs;
        in
        if ok == [ ] then null else head ok;
      members = filter (x: x != v) (enumMembers type);
    in
    if isBool v then
      !v
    else if isInt v then
      firstOk [
        (v + 1)
        (v - 1)
      ]
    else if isFloat v then
      v + 0.5
    else if isString v then
      (if members != [ ] then firstOk members else firstOk [ "${v}-user" ])
    else if v == null then
      (
        if match ".*package.*" type != null then
          pkg "user-package"
        else if match ".*(string|path).*" type != null then
          firstOk [ "/home/alice/user-value" ]
        else if match ".*boolean.*" type != null then
          true
        else if match ".*submodule.*" type != null then
          { name = "user-value"; }
        else
          null
      )
    else if isAttrs v && v ? _pkg then
      pkg "user-${v._pkg}"
    else if isPath v then
      "/home/alice/user-override"
    else if isTree v then
      # an element of a list: change its first leaf
      let
        l = head (leavesOf [ ] v);
        x = altValue noInfo l.value;
      in
      if x == null then null else updateAt l.path x v
    else if isList v then
      (
        if v == [ ] then
          # (under a free-form option: a list of one string)
          (
            if !info.exact || match ".*(string|JSON|anything|unspecified).*" type != null then
              [ "user-value" ]
            else
              null
          )
        else
          let
            e = altValue noInfo (head v);
          in
          if e == null then null else [ e ]
      )
    else
      null;

  lines = s: filter isString (split "\n" s);

  # Whether the merged result keeps the user's value.
  kept =
    info: user: got:
    if isList user then
      isList got && all (e: elem e got) user
    else if isString user && info.exact && (info.decl.kind or "") == "lines" then
      isString got && all (l: elem l (lines got)) (lines user)
    else if isTree user then
      # a submodule value: the user's leaves are there (beside defaults)
      isAttrs got && all (l: modsys.lib.attrByPath l.path null got == l.value) (leavesOf [ ] user)
    else
      got == user;

  # The value of the option that governs path, without the leaf at path.
  removeAt =
    path: v:
    if path == [ ] then
      null
    else if length path == 1 then
      removeAttrs v [ (head path) ]
    else
      v // { ${head path} = removeAt (tail path) v.${head path}; };
  siblings =
    info: path: config:
    removeAt (drop (length info.at) path) (getAttrFromPath info.at config);

  check =
    leaf:
    let
      path = showPath leaf.path;
      info = declAt leaf.path;
      user = altValue info leaf.value;
      h = harness {
        home = {
          imports = [
            scenarioHome
            (setPath leaf.path user)
          ];
        };
      };
      # (of a submodule value only the user's leaves: the harness knows no
      # defaults of home-manager's submodule options)
      got = tryEval (
        let
          v = getAttrFromPath leaf.path h.config;
          forced = if isTree user then map (l: modsys.lib.attrByPath l.path null v) (leavesOf [ ] user) else v;
        in
        deepSeq forced v
      );
      othersKept = tryEval (
        let
          before = siblings info leaf.path base.defined;
          after = siblings info leaf.path h.defined;
        in
        deepSeq [ before after ] (before == after)
      );
      allowed = allow ? ${path};
      result = ok: reason: {
        inherit path ok reason;
        skipped = false;
        user = builtins.toJSON (setPath leaf.path user);
      };
    in
    if info.exact && (info.decl.readOnly or false) then
      {
        inherit path;
        ok = true;
        skipped = true;
        reason = "read-only option";
        user = "";
      }
    else if user == null then
      result false "no other value of this type to assign (value ${builtins.toJSON leaf.value}, type ${
        if info.decl == null then "undeclared" else info.decl.type or "?"
      }); teach altValue in tests/nix/home-override.nix"
    else if allowed then
      (
        if got.success then
          result false "allowlisted as axiOS's contract, but a plain assignment now wins: remove it from the allowlist"
        else
          result true "allowlisted: ${allow.${path}}"
      )
    else if !got.success then
      result false "a plain assignment fails (conflicting definitions)"
    else if !kept info user got.value then
      result false "the user's value ${builtins.toJSON user} lost to ${builtins.toJSON got.value}"
    else if !(othersKept.success && othersKept.value) then
      result false "a plain assignment here drops axiOS's other values under ${showPath info.at} (a whole attribute set in mkDefault? put mkDefault on each leaf)"
    else
      result true "";

  leaves = filter ours (leavesOf [ ] base.defined);
in
{
  leaves = map (l: showPath l.path) leaves;
  results = map check leaves;
}
