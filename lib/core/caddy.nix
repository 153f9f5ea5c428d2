# The Caddy route registry: ordering and rendering, with builtins only.
#
# Input: a plain attribute set of routes keyed by route id,
#
#   { <id> = { domain; target; path ? null; priority ? 500;
#              extraConfig ? ""; handleConfig ? ""; }; }
#
# Output (render): the Caddyfile text for those routes followed by the
# hand-written extraConfig. The order is total, so the text depends only on
# the routes, never on the order modules defined them in:
#
#   1. one site block per domain, domains in byte order;
#   2. inside a site, routes by priority (lower first); at equal priority a
#      route with a path comes before a catch-all (path = null); then by
#      route id in byte order.
#
# docs/services.md describes the rules and the generated text.
let
  # Keys of an attribute set that routes may carry; anything else is an error.
  knownFields = [
    "domain"
    "path"
    "target"
    "priority"
    "extraConfig"
    "handleConfig"
  ];

  fieldError = id: field: problem: fix: ''
    selfHosted.caddy.routes.${id}.${field} ${problem}
      fix: ${fix}'';

  isNonEmptyString = v: builtins.isString v && v != "";

  hasWhitespace = s: builtins.match ".*[[:space:]].*" s != null;

  # Fill in defaults and check one route; throws a message naming the field.
  normalise =
    id: route:
    let
      unknown = builtins.filter (k: !(builtins.elem k knownFields)) (builtins.attrNames route);
      r = {
        path = null;
        priority = 500;
        extraConfig = "";
        handleConfig = "";
      }
      // route;
    in
    if !(builtins.isAttrs route) then
      throw (fieldError id "" "is not an attribute set" "write { domain = \"…\"; target = \"…\"; }")
    else if unknown != [ ] then
      throw (
        fieldError id (builtins.head unknown) "is not a route field"
          "use only ${builtins.concatStringsSep ", " knownFields}"
      )
    else if !(route ? domain) || !(isNonEmptyString r.domain) then
      throw (fieldError id "domain" "must be a non-empty string" "set it, e.g. \"host.tail1234.ts.net\"")
    else if hasWhitespace r.domain then
      throw (fieldError id "domain" "must not contain whitespace" "give one site address")
    else if !(route ? target) || !(isNonEmptyString r.target) then
      throw (fieldError id "target" "must be a non-empty string" "set it, e.g. \"http://127.0.0.1:8080\"")
    else if hasWhitespace r.target then
      throw (fieldError id "target" "must not contain whitespace" "give one upstream address")
    else if r.path != null && !(builtins.isString r.path) then
      throw (fieldError id "path" "must be a string or null" "use e.g. \"/app/*\", or null for a catch-all")
    else if r.path != null && builtins.match "[/*][^[:space:]]*" r.path == null then
      throw (
        fieldError id "path" "= \"${r.path}\" is not a Caddy path matcher"
          "start it with \"/\" and leave out spaces, e.g. \"/app/*\""
      )
    else if !(builtins.isInt r.priority) then
      throw (fieldError id "priority" "must be an integer" "use e.g. 100 (paths) or 1000 (catch-all)")
    else if !(builtins.isString r.extraConfig) then
      throw (fieldError id "extraConfig" "must be a string" "write Caddyfile lines as a string")
    else if !(builtins.isString r.handleConfig) then
      throw (fieldError id "handleConfig" "must be a string" "write Caddyfile lines as a string")
    else
      r // { inherit id; };

  # Strict "comes before" on normalised routes: priority, then path routes
  # before catch-alls, then id. Ids are unique, so this is a total order.
  before =
    a: b:
    if a.priority != b.priority then
      a.priority < b.priority
    else if (a.path == null) != (b.path == null) then
      b.path == null
    else
      a.id < b.id;

  normaliseAll =
    routes:
    if !(builtins.isAttrs routes) then
      throw ''
        selfHosted.caddy.routes must be an attribute set of routes
          fix: write { <id> = { domain = "…"; target = "…"; }; }''
    else
      builtins.map (id: normalise id routes.${id}) (builtins.attrNames routes);

  # [ { domain; routes = [ route … ]; } … ], domains in byte order.
  sites =
    routes:
    let
      all = normaliseAll routes;
      domains = builtins.sort builtins.lessThan (
        builtins.attrNames (
          builtins.listToAttrs (
            builtins.map (r: {
              name = r.domain;
              value = null;
            }) all
          )
        )
      );
    in
    builtins.map (domain: {
      inherit domain;
      routes = builtins.sort before (builtins.filter (r: r.domain == domain) all);
    }) domains;

  # Route ids in output order, grouped by domain (for tests and `axios plan`).
  order =
    routes:
    builtins.map (site: {
      inherit (site) domain;
      ids = builtins.map (r: r.id) site.routes;
    }) (sites routes);

  # Two routes with the same domain and path: the later one would never match.
  conflicts =
    routes:
    let
      all = normaliseAll routes;
      key = r: "${r.domain} ${if r.path == null then "(catch-all)" else r.path}";
      keys = builtins.sort builtins.lessThan (builtins.map key all);
      dups = builtins.filter (k: builtins.length (builtins.filter (x: x == k) keys) > 1) keys;
      uniqueDups = builtins.attrNames (
        builtins.listToAttrs (
          builtins.map (k: {
            name = k;
            value = null;
          }) dups
        )
      );
      idsFor = k: builtins.sort builtins.lessThan (builtins.map (r: r.id) (builtins.filter (r: key r == k) all));
    in
    builtins.map (
      k:
      "selfHosted.caddy.routes: ${builtins.concatStringsSep ", " (idsFor k)} all route ${k}, so only the first can match\n  fix: give each a different domain or path"
    ) uniqueDups;

  # Text helpers.
  lines = s: builtins.filter builtins.isString (builtins.split "\n" s);

  # Drop trailing empty lines so "a\nb\n" and "a\nb" render alike.
  trimTrailing =
    ls:
    if ls == [ ] then
      [ ]
    else if builtins.match "[[:space:]]*" (builtins.elemAt ls (builtins.length ls - 1)) != null then
      trimTrailing (builtins.genList (i: builtins.elemAt ls i) (builtins.length ls - 1))
    else
      ls;

  # Drop leading empty lines.
  trimLeading =
    ls:
    if ls == [ ] then
      [ ]
    else if builtins.match "[[:space:]]*" (builtins.head ls) != null then
      trimLeading (builtins.tail ls)
    else
      ls;

  # Strip leading and trailing whitespace from one line.
  trim =
    l:
    let
      m = builtins.match "[[:space:]]*([^[:space:]](.*[^[:space:]])?)?[[:space:]]*" l;
    in
    if m == null || builtins.head m == null then "" else builtins.head m;

  tabs = n: builtins.concatStringsSep "" (builtins.genList (_: "\t") n);

  # Re-indent a block of Caddyfile text by brace nesting, as `caddy fmt`
  # does: a line ending in "{" opens a level, a line starting with "}"
  # closes one. Every line gets `base` tabs plus its level; blank lines stay
  # empty. Unbalanced braces would break the whole file, so they are an
  # error naming `field`.
  reindent =
    field: base: text:
    let
      step =
        acc: l:
        let
          t = trim l;
          closes = builtins.match "}.*" t != null;
          d = if closes then acc.depth - 1 else acc.depth;
          opens = builtins.match ".*[{]" t != null;
        in
        {
          depth = if opens then d + 1 else d;
          low = if d < acc.low then d else acc.low;
          out = acc.out ++ [ (if t == "" then "" else tabs (base + d) + t) ];
        };
      result =
        builtins.foldl'
          step
          {
            depth = 0;
            low = 0;
            out = [ ];
          }
          (trimTrailing (trimLeading (lines text)));
    in
    if result.low < 0 || result.depth != 0 then
      throw ''
        ${field} has unbalanced braces
          fix: close every "{" line with a "}" line inside the same text''
    else
      result.out;

  handleBlock =
    r:
    let
      opening = if r.path == null then "\thandle {" else "\thandle ${r.path} {";
      field = name: "selfHosted.caddy.routes.${r.id}.${name}";
      extra = reindent (field "extraConfig") 3 r.extraConfig;
      proxy =
        if extra == [ ] then
          [ "\t\treverse_proxy ${r.target}" ]
        else
          [ "\t\treverse_proxy ${r.target} {" ] ++ extra ++ [ "\t\t}" ];
    in
    [ opening ] ++ proxy ++ reindent (field "handleConfig") 2 r.handleConfig ++ [ "\t}" ];

  siteBlock =
    site: [ "${site.domain} {" ] ++ builtins.concatLists (builtins.map handleBlock site.routes) ++ [ "}" ];

  # Join blocks (lists of lines) with one blank line between them.
  joinBlocks =
    blocks:
    builtins.concatStringsSep "\n\n" (
      builtins.map (b: builtins.concatStringsSep "\n" b) (builtins.filter (b: b != [ ]) blocks)
    );

  render =
    {
      routes ? { },
      extraConfig ? "",
    }:
    let
      body = joinBlocks (
        builtins.map siteBlock (sites routes) ++ [ (reindent "selfHosted.caddy.extraConfig" 0 extraConfig) ]
      );
    in
    if !(builtins.isString extraConfig) then
      throw ''
        selfHosted.caddy.extraConfig must be a string
          fix: write Caddyfile text as a string''
    else if body == "" then
      ""
    else
      body + "\n";
in
{
  inherit
    order
    conflicts
    render
    sites
    ;
}
