# Small helpers for the pure core: builtins only, no nixpkgs lib.
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    elemAt
    filter
    foldl'
    genList
    head
    isAttrs
    isList
    length
    listToAttrs
    sort
    stringLength
    substring
    tail
    typeOf
    ;
in
rec {
  # Marker for "the host does not set this field".
  unset = {
    _axiosUnset = true;
  };
  isUnset = v: isAttrs v && v ? _axiosUnset;

  min = a: b: if a < b then a else b;
  max = a: b: if a > b then a else b;

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasSuffix =
    suffix: s:
    let
      ls = stringLength s;
      lx = stringLength suffix;
    in
    ls >= lx && substring (ls - lx) lx s == suffix;
  removeSuffix =
    suffix: s: if hasSuffix suffix s then substring 0 (stringLength s - stringLength suffix) s else s;

  # "a.b.c" -> [ "a" "b" "c" ]
  splitDots = s: filter (x: builtins.isString x) (builtins.split "\\." s);

  # The dotted name of a child key.
  joinPath = parent: key: if parent == "" then key else "${parent}.${key}";

  unique = foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];

  sortStrings = sort (a: b: a < b);

  # Look a dotted path up in an attribute set; `unset` when any step is
  # missing or not an attribute set.
  getPath =
    set: path:
    foldl' (v: k: if !isUnset v && isAttrs v && v ? ${k} then v.${k} else unset) set (splitDots path);

  # Set a value at a list path: [ "a" "b" ] v -> { a = { b = v; }; }
  setPathList =
    path: value:
    if path == [ ] then
      value
    else
      {
        ${head path} = setPathList (tail path) value;
      };

  # Remove attributes whose value is null, at every level of nested
  # attribute sets except below `keep` (a predicate on the dotted path).
  stripNulls =
    keep: prefix: set:
    listToAttrs (
      concatMap (
        k:
        let
          v = set.${k};
          p = joinPath prefix k;
        in
        if v == null then
          [ ]
        else
          [
            {
              name = k;
              value = if isAttrs v && !(keep p) && !(v ? _type) then stripNulls keep p v else v;
            }
          ]
      ) (attrNames set)
    );

  # Levenshtein distance over bytes.
  levenshtein =
    a: b:
    let
      la = stringLength a;
      lb = stringLength b;
      charsB = genList (j: substring j 1 b) lb;
      row0 = genList (j: j) (lb + 1);
      step =
        prev: i:
        let
          ai = substring (i - 1) 1 a;
        in
        foldl' (
          row: j:
          let
            cost = if ai == elemAt charsB (j - 1) then 0 else 1;
            del = elemAt prev j + 1;
            ins = elemAt row (j - 1) + 1;
            sub = elemAt prev (j - 1) + cost;
          in
          row ++ [ (min del (min ins sub)) ]
        ) [ i ] (genList (j: j + 1) lb);
      last = foldl' step row0 (genList (i: i + 1) la);
    in
    if la == 0 then
      lb
    else if lb == 0 then
      la
    else
      elemAt last lb;

  # The closest candidate, or null (docs/validation.md, "Suggestions").
  suggest =
    suggestDistance: input: candidates:
    let
      limit = max suggestDistance (stringLength input / 3);
      # The distance is at least the difference in length: candidates
      # further off than the limit cannot win (only a speed-up).
      near =
        c:
        let
          diff = stringLength c - stringLength input;
        in
        diff <= limit && -diff <= limit;
      scored = map (c: {
        name = c;
        d = levenshtein input c;
      }) (sortStrings (filter near candidates));
      best = foldl' (acc: x: if acc == null || x.d < acc.d then x else acc) null scored;
    in
    if best == null || best.d == 0 || best.d > limit then null else best.name;

  renderSuggestion = s: if s == null then "" else " (did you mean \"${s}\"?)";

  # A value as it appears in messages.
  renderValue =
    v:
    let
      t = typeOf v;
    in
    if isUnset v then
      "unset"
    else if t == "string" then
      builtins.toJSON v
    else if t == "bool" then
      (if v then "true" else "false")
    else if t == "int" then
      toString v
    else if t == "set" then
      "a table"
    else if t == "list" then
      "a list"
    else if t == "float" then
      "a float"
    else if t == "path" then
      "a path"
    else if t == "lambda" then
      "a function"
    else if t == "null" then
      "null"
    else
      t;

  renderList = vs: concatStringsSep ", " (map renderValue vs);

  # Fill {placeholders} in a message template.
  fill =
    vars: template:
    let
      names = attrNames vars;
    in
    builtins.replaceStrings (map (n: "{${n}}") names) (map (n: vars.${n}) names) template;

  isListOf = pred: v: isList v && builtins.all pred v;

  count = pred: list: length (filter pred list);

  listToSet =
    keys:
    listToAttrs (
      map (k: {
        name = k;
        value = true;
      }) keys
    );

  take =
    n: list: if n <= 0 || list == [ ] then [ ] else [ (head list) ] ++ take (n - 1) (tail list);
}
