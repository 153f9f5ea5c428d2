# Host validation and module selection, exactly as docs/validation.md
# describes. Builtins only; the Go interpreter (internal/hostrules) must
# agree with this file on every vector in tests/hosts/.
{
  rules,
  cat,
  timeZones ? [ ],
}:
let
  inherit (builtins)
    all
    any
    attrNames
    concatMap
    elem
    filter
    foldl'
    head
    isAttrs
    isBool
    isString
    length
    match
    sort
    typeOf
    ;
  util = import ./util.nix;
  inherit (util)
    unset
    isUnset
    getPath
    joinPath
    renderValue
    renderList
    renderSuggestion
    ;

  fields = rules.field or { };
  hiddenValue = "(not shown)";
  fieldNames = attrNames fields;
  codes = rules.code or { };
  suggestDistance = rules.suggestDistance or 2;
  userPattern = rules.userPattern;
  reservedUsers = rules.reservedUsers or [ ];
  timeZoneSet = util.listToSet timeZones;

  typeNames = {
    string = "a string";
    bool = "true or false";
    int = "an integer";
    table = "a table";
    list = "a list";
    module = "a path or module";
  };
  expectedOf = t: typeNames.${t} or "a ${t}";

  typeOk =
    t: v:
    let
      k = typeOf v;
    in
    if t == "string" then
      k == "string"
    else if t == "bool" then
      k == "bool"
    else if t == "int" then
      k == "int"
    else if t == "table" then
      k == "set"
    else if t == "list" then
      k == "list"
    else if t == "module" then
      elem k [
        "path"
        "string"
        "set"
        "lambda"
      ]
    else
      false;

  # A diagnostic; `vars` fill the code's message and fix templates.
  diag =
    code: field: vars:
    let
      c = codes.${code};
      allVars = {
        inherit field;
        value = "";
        allowed = "";
        expected = "";
        suggestion = "";
        requires = "";
        flag = "";
      }
      // vars;
    in
    {
      inherit code field;
      severity = c.severity;
      message = util.fill allVars c.message;
      fix = util.fill allVars c.fix;
    };

  # Schema keys that are direct children of the schema path `sp`.
  childrenOf =
    sp:
    let
      prefix = if sp == "" then "" else "${sp}.";
      direct = filter (
        n:
        util.hasPrefix prefix n
        && (
          let
            rest = builtins.substring (builtins.stringLength prefix) (builtins.stringLength n) n;
          in
          rest != "*" && match ".*\\..*" rest == null
        )
      ) fieldNames;
    in
    map (n: builtins.substring (builtins.stringLength prefix) (builtins.stringLength n) n) direct;

  sortDiagnostics = sort (
    a: b: if a.field == b.field then a.code < b.code else a.field < b.field
  );

  check =
    {
      host,
      name ? null,
      form ? "nix",
    }:
    let
      # null means "not set": remove it wherever the walk looks.
      isOpen = p: (fields.${p} or { }).open or false;
      h = util.stripNulls isOpen "" host;

      enumValues =
        s:
        if s ? enum then
          s.enum
        else if (s.enumFrom or null) == "flags" then
          cat.flags
        else if (s.enumFrom or null) == "profiles" then
          cat.profiles
        else if (s.enumFrom or null) == "timeZones" then
          timeZones
        else
          null;
      # Membership without a linear scan of a long list.
      isAllowed =
        s: allowed: v:
        if (s.enumFrom or null) == "timeZones" then
          isString v && timeZoneSet ? ${v}
        else
          elem v allowed;

      # Steps 1-3: one value whose schema key is `sk`.
      checkValue =
        field: sk: v:
        let
          s = fields.${sk};
          allowed = enumValues s;
          # A secret field's value never appears in a message.
          renderValue = x: if s.secret or false then hiddenValue else util.renderValue x;
        in
        if (s.nixOnly or false) && form == "toml" then
          [ (diag "AX109" field { }) ]
        else if !(typeOk s.type v) then
          [
            (diag "AX102" field {
              expected = expectedOf s.type;
              value = renderValue v;
            })
          ]
        else
          (
            if allowed != null && !(isAllowed s allowed v) then
              [
                (diag (s.enumCode or "AX104") field {
                  value = renderValue v;
                  allowed = renderList allowed;
                  suggestion = renderSuggestion (
                    util.suggest suggestDistance (if isString v then v else renderValue v) allowed
                  );
                })
              ]
            else
              [ ]
          )
          ++ (
            if s ? pattern && isString v && match s.pattern v == null then
              [
                (diag "AX105" field {
                  value = renderValue v;
                  expected = s.help or "";
                })
              ]
            else
              [ ]
          )
          ++ (
            if builtins.isInt v && ((s ? min && v < s.min) || (s ? max && v > s.max)) then
              [
                (diag "AX105" field {
                  value = renderValue v;
                  expected = s.help or "";
                })
              ]
            else
              [ ]
          )
          ++ (
            if s ? items && !(all (typeOk s.items) v) then
              [
                (diag "AX102" field {
                  expected = "a list of ${s.items}s";
                  value = "a list containing ${renderValue (head (filter (x: !(typeOk s.items x)) v))}";
                })
              ]
            else
              [ ]
          )
          ++ (if s.type == "table" then checkTable field sk s v else [ ]);

      checkTable =
        field: sk: s: v:
        if s.open or false then
          [ ]
        else if (s.keys or null) == "flags" then
          concatMap (
            k:
            (
              if elem k cat.flags then
                [ ]
              else
                [
                  (diag "AX106" (joinPath field k) {
                    flag = k;
                    suggestion = renderSuggestion (util.suggest suggestDistance k cat.flags);
                  })
                ]
            )
            ++ (
              if isBool v.${k} then
                [ ]
              else
                [
                  (diag "AX102" (joinPath field k) {
                    expected = expectedOf "bool";
                    value = renderValue v.${k};
                  })
                ]
            )
          ) (attrNames v)
        else if (s.keys or null) == "users" then
          concatMap (
            k:
            if match userPattern k == null then
              [ (diag "AX107" (joinPath field k) { value = renderValue k; }) ]
            else if builtins.elem k reservedUsers then
              [ (diag "AX111" (joinPath field k) { value = renderValue k; }) ]
            else
              checkValue (joinPath field k) (joinPath sk "*") v.${k}
          ) (attrNames v)
        else
          walk field sk v;

      # Step 1: every key of a table at field path `p`, schema path `sp`.
      walk =
        p: sp: t:
        concatMap (
          k:
          let
            exact = joinPath sp k;
            wild = joinPath sp "*";
            # A quoted key with a dot ("hardware.cpu" = …) is one key, not a
            # nested path: it never names a schema field.
            dotted = match ".*[.].*" k != null;
            sk =
              if !dotted && fields ? ${exact} then
                exact
              else if fields ? ${wild} then
                wild
              else
                null;
          in
          if sk == null then
            [
              (diag "AX101" (joinPath p (if dotted then "\"${k}\"" else k)) {
                suggestion = renderSuggestion (util.suggest suggestDistance k (childrenOf sp));
              })
            ]
          else
            checkValue (joinPath p k) sk t.${k}
        ) (attrNames t);

      walked = walk "" "" h;

      # Step 4: required fields. A field below the top level is required
      # only while its table is there: set as a table, or unset with a
      # table default and its own table there.
      parentOf =
        f:
        let
          segs = util.splitDots f;
          n = length segs;
        in
        if n < 2 then "" else builtins.concatStringsSep "." (builtins.genList (i: builtins.elemAt segs i) (n - 1));
      tablePresent =
        p:
        let
          v = getPath h p;
        in
        p == ""
        || (if isUnset v then isAttrs ((fields.${p} or { }).default or null) && tablePresent (parentOf p) else isAttrs v);
      required = concatMap (
        f:
        if
          (fields.${f}.required or false)
          && match ".*\\*.*" f == null
          && isUnset (getPath h f)
          && tablePresent (parentOf f)
        then
          [ (diag "AX103" f { expected = expectedOf fields.${f}.type; }) ]
        else
          [ ]
      ) fieldNames;

      step4 = walked ++ required;
      hasDiagIn = ds: f: any (d: d.field == f) ds;

      # Step 5: exactly one primary user.
      users = getPath h "users";
      userNames = if isAttrs users && !(isUnset users) then attrNames users else [ ];
      isPrimary =
        n:
        let
          u = users.${n};
        in
        isAttrs u && ((u.primary or null) == true || (length userNames == 1 && !(u ? primary)));
      step5 =
        if userNames != [ ] && !(hasDiagIn step4 "users") && util.count isPrimary userNames != 1 then
          [ (diag "AX108" "users" { }) ]
        else
          [ ];

      # Step 6: hostname matches the file name.
      hostname = getPath h "hostname";
      step6 =
        if
          name != null
          && isString hostname
          && !(hasDiagIn (step4 ++ step5) "hostname")
          && hostname != name
        then
          [
            (diag "AX110" "hostname" {
              value = renderValue hostname;
              expected = name;
            })
          ]
        else
          [ ];

      # The value of a field for rules: the host's, else the default; for
      # modules.<flag> (no schema entry of its own) the flag's value of
      # step 8, unset when it has a type error.
      walkTypeError = f: any (d: d.field == f && (d.code == "AX102" || d.code == "AX109")) step4;
      isFlagPath = f: util.hasPrefix "modules." f && !(fields ? ${f});
      ruleValue =
        f:
        let
          v = getPath h f;
        in
        if isFlagPath f then
          (
            if walkTypeError f || walkTypeError "modules" then
              unset
            else
              flagValue (builtins.substring 8 (builtins.stringLength f) f)
          )
        else if !(isUnset v) then
          v
        else if (fields.${f} or { }) ? default then
          fields.${f}.default
        else
          unset;
      equalsValue = f: want: let v = ruleValue f; in !(isUnset v) && v == want;

      # Step 7: consistency rules, in file order.
      step7 = foldl' (
        ds: r:
        let
          named =
            attrNames (r."if" or { }) ++ attrNames (r.ifBetween or { }) ++ attrNames (r."then" or { });
          skip = any (hasDiagIn ds) named;
          inRange =
            f:
            let
              v = ruleValue f;
              lh = r.ifBetween.${f};
            in
            isString v && builtins.elemAt lh 0 <= v && v <= builtins.elemAt lh 1;
          ifHolds =
            all (f: equalsValue f r."if".${f}) (attrNames (r."if" or { }))
            && all inRange (attrNames (r.ifBetween or { }));
          thenFails = any (f: !(equalsValue f r."then".${f})) (attrNames (r."then" or { }));
        in
        if !skip && ifHolds && thenFails then
          ds ++ [ (diag r.code r.field { value = renderValue (ruleValue r.field); }) ]
        else
          ds
      ) (step4 ++ step5 ++ step6) (rules.rule or [ ]);

      # Fields with a type error count as unset for selection.
      typeError = f: any (d: d.field == f && (d.code == "AX102" || d.code == "AX109")) step7;
      selValue = f: if typeError f then unset else getPath h f;
      selOrDefault =
        f:
        let
          v = selValue f;
        in
        if !(isUnset v) then
          v
        else if (fields.${f} or { }) ? default then
          fields.${f}.default
        else
          unset;

      flagValue =
        f:
        let
          v = getPath h "modules.${f}";
        in
        if isBool v then v else (cat.byFlag.${f}.default or false);

      vendor = selValue "hardware.vendor";
      formFactor = selValue "formFactor";
      hardwareSelected =
        e:
        if !(isUnset vendor) then
          elem vendor (e.vendors or [ ])
        else
          !(isUnset formFactor) && elem formFactor (e.formFactors or [ ]);

      nixosNames = attrNames cat.nixos;
      isSelected =
        n:
        let
          e = cat.nixos.${n};
        in
        if e.kind == "core" then
          true
        else if e.kind == "flagged" then
          flagValue e.flag
        else if e.kind == "hardware" then
          hardwareSelected e
        else
          false;
      isActive =
        n:
        let
          e = cat.nixos.${n};
        in
        if e.kind == "flagged" then
          flagValue e.flag
        else if e.kind == "core" then
          !(e ? flag) || flagValue e.flag
        else if e.kind == "hardware" then
          hardwareSelected e
        else
          false;
      activeNames = filter isActive nixosNames;
      selectedNames = filter isSelected nixosNames;

      # Step 8: module dependencies (skips use the diagnostics of steps 1-7).
      step8 = concatMap (
        n:
        let
          e = cat.nixos.${n};
        in
        if !(e ? flag) then
          [ ]
        else
          concatMap (
            r:
            if
              !(flagValue r)
              && !(hasDiagIn step7 "modules.${e.flag}")
              && !(hasDiagIn step7 "modules.${r}")
            then
              [
                (diag "AX301" "modules.${e.flag}" {
                  flag = e.flag;
                  requires = r;
                })
              ]
            else
              [ ]
          ) e.requires
      ) activeNames;

      # Step 9: settings tables and host keys of inactive modules.
      step9 = concatMap (
        n:
        let
          e = cat.nixos.${n};
          keys = (if e ? settings then [ e.settings ] else [ ]) ++ (e.hostKeys or [ ]);
        in
        concatMap (
          k:
          let
            v = getPath h k;
          in
          if e ? flag && isAttrs v && !(isUnset v) && !(typeError k) && !(isActive n) then
            [ (diag "AX302" k { flag = e.flag; }) ]
          else
            [ ]
        ) keys
      ) nixosNames;

      # Step 10: every table below a need's parent sets one of its keys
      # (non-empty, without a type error) while the need's flag is on.
      step10 =
        let
          before = step7 ++ step8 ++ step9;
          nonEmpty = x: x != "" && x != [ ];
        in
        concatMap (
          n:
          let
            parent = util.removeSuffix ".*" n.each;
            t = selValue parent;
          in
          if !(flagValue n.flag) || isUnset t || !(isAttrs t) then
            [ ]
          else
            concatMap (
              k:
              let
                fp = joinPath parent k;
                satisfied = any (
                  key:
                  let
                    v = selValue (joinPath fp key);
                  in
                  !(isUnset v) && nonEmpty v
                ) n.anyOf;
              in
              if hasDiagIn before fp || !(isAttrs t.${k}) || satisfied then
                [ ]
              else
                [ (diag n.code fp { }) ]
            ) (attrNames t)
        ) (rules.need or [ ]);

      diagnostics = sortDiagnostics (step7 ++ step8 ++ step9 ++ step10);

      # Module selection.
      profile = selOrDefault "homeProfile";
      profileNames =
        if isString profile && cat.home ? ${profile} && cat.home.${profile}.kind == "profile" then
          [ profile ]
        else
          [ ];
      homeSeed = profileNames ++ concatMap (n: cat.nixos.${n}.home) selectedNames;
      closeHome =
        names:
        let
          next = util.unique (
            names
            ++ concatMap (n: if cat.home ? ${n} then cat.home.${n}.requires else [ ]) names
          );
        in
        if length next == length names then names else closeHome next;
      homeNames = util.sortStrings (filter (n: cat.home ? ${n}) (closeHome (util.unique homeSeed)));

      nixosHardware = map (e: e.module) (
        filter (
          e:
          all (
            f:
            let
              v = selOrDefault f;
            in
            !(isUnset v) && v == e.when.${f}
          ) (attrNames e.when)
        ) cat.nixosHardware
      );
    in
    {
      inherit diagnostics;
      errors = filter (d: d.severity == "error") diagnostics;
      warnings = filter (d: d.severity != "error") diagnostics;
      selection = {
        nixos = util.sortStrings selectedNames;
        home = homeNames;
        inherit nixosHardware;
      };
      # For lib/default.nix: which entries are active (enable, settings …).
      active = util.sortStrings activeNames;
      # The host with nulls removed (what was validated).
      host = h;
    };
in
{
  checkHost = check;
  inherit typeOk expectedOf;
}
