# Pure helpers for Progressive Web Apps: Nix builtins only (no nixpkgs lib),
# so the Go tests evaluate them with a bare nix-instantiate.
#
#   appId { url = "https://messages.google.com/web"; }
#     => "brave-messages.google.com__web-Default"
#
# The app id is what Chromium-family browsers give an --app window on
# Wayland (and as WM_CLASS on X11): the URL without its scheme, every "/"
# turned into "__", between a browser prefix and the profile name. Desktop
# entries use it as StartupWMClass; niri window rules match it.
let
  inherit (builtins)
    attrNames
    concatLists
    concatStringsSep
    filter
    hasAttr
    isAttrs
    isList
    isString
    listToAttrs
    map
    match
    replaceStrings
    substring
    stringLength
    typeOf
    ;

  # The id prefix each supported browser uses.
  browserPrefixes = {
    brave = "brave";
    chromium = "chrome";
    google-chrome = "chrome";
  };

  hasPrefix = p: s: substring 0 (stringLength p) s == p;
  dropPrefix = p: s: if hasPrefix p s then substring (stringLength p) (stringLength s) s else s;

  # Characters with a meaning in the regular expressions niri uses.
  regexSpecials = [
    "\\"
    "."
    "+"
    "*"
    "?"
    "("
    ")"
    "["
    "]"
    "{"
    "}"
    "|"
    "^"
    "$"
  ];
in
rec {
  browsers = attrNames browserPrefixes;

  # appId { url; browser ? "brave"; profile ? "Default"; }
  appId =
    {
      url,
      browser ? "brave",
      profile ? "Default",
    }:
    if !(hasAttr browser browserPrefixes) then
      throw "PWA browser \"${browser}\" is not supported; use one of: ${concatStringsSep ", " browsers}"
    else
      let
        bare = dropPrefix "http://" (dropPrefix "https://" url);
      in
      "${browserPrefixes.${browser}}-${replaceStrings [ "/" ] [ "__" ] bare}-${profile}";

  # escapeRegex s: s with every regex metacharacter escaped.
  escapeRegex = s: replaceStrings regexSpecials (map (c: "\\" + c) regexSpecials) s;

  # appIdRegex: an anchored regex matching exactly the app id (niri rules).
  appIdRegex = args: "^${escapeRegex (appId args)}$";

  # launcherName id: the executable a PWA's desktop entry runs.
  launcherName = id: "pwa-${id}";

  # withDefaults def: a definition with the optional fields filled in.
  withDefaults =
    def:
    {
      categories = [ "Network" ];
      mimeTypes = [ ];
      actions = { };
      icon = null;
      themeIcon = null;
    }
    // def;

  # check id def: a list of problems (strings naming the field and the fix);
  # empty when the definition is usable.
  check =
    id: def:
    let
      field = f: "axios.pwa.extraApps.${id}.${f}";
      str =
        f:
        if !(isAttrs def) then
          [ ]
        else if !(def ? ${f}) then
          [ "${field f} is missing; set it to a string" ]
        else if !(isString def.${f}) || def.${f} == "" then
          [ "${field f} must be a non-empty string, got ${typeOf def.${f}}" ]
        else
          [ ];
      strList =
        f:
        if isAttrs def && def ? ${f} && !(isList def.${f} && filter (x: !(isString x)) def.${f} == [ ]) then
          [ "${field f} must be a list of strings" ]
        else
          [ ];
      url =
        if isAttrs def && isString (def.url or null) && match "https?://[^ ]+" def.url == null then
          [ "${field "url"} \"${def.url}\" must start with https:// (or http://) and contain no spaces" ]
        else
          [ ];
      actions =
        if isAttrs def && def ? actions then
          if !(isAttrs def.actions) then
            [ "${field "actions"} must be an attribute set of { name, url }" ]
          else
            concatLists (
              map (
                a:
                let
                  v = def.actions.${a};
                in
                if isAttrs v && isString (v.name or null) && isString (v.url or null) then
                  [ ]
                else
                  [ "${field "actions"}.${a} needs a string name and a string url" ]
              ) (attrNames def.actions)
            )
        else
          [ ];
      themeIcon =
        if isAttrs def && def ? themeIcon && def.themeIcon != null then
          if !(isString def.themeIcon) || match "[A-Za-z0-9][A-Za-z0-9._-]*" def.themeIcon == null then
            [ "${field "themeIcon"} must be an icon name of the theme (letters, digits, . _ -), such as \"gmail\"" ]
          else
            [ ]
        else
          [ ];
      idOk =
        if match "[a-z0-9][a-z0-9-]*" id == null then
          [ "axios.pwa.extraApps.\"${id}\": the id must be lower-case letters, digits and dashes (it names the desktop file and the pwa-<id> command)" ]
        else
          [ ];
    in
    if !(isAttrs def) then
      [ "axios.pwa.extraApps.${id} must be an attribute set, got ${typeOf def}" ]
    else
      idOk
      ++ str "name"
      ++ str "url"
      # An icon file name, or a theme icon, or both.
      ++ (
        if !(isAttrs def) then
          [ ]
        else if (def.icon or null) == null && (def.themeIcon or null) != null then
          [ ]
        else if (def.icon or null) == null then
          [ "${field "icon"} is missing; set icon (a PNG in axios.pwa.iconPath) or themeIcon (an icon of the theme)" ]
        else
          str "icon"
      )
      ++ themeIcon
      ++ url
      ++ strList "categories"
      ++ strList "mimeTypes"
      ++ actions;

  # merge { builtin; extra; includeDefaults ? true; }: the definitions to
  # install. An extra entry with a built-in's id replaces it wholesale.
  merge =
    {
      builtin,
      extra ? { },
      includeDefaults ? true,
    }:
    let
      all = (if includeDefaults then builtin else { }) // extra;
    in
    listToAttrs (
      map (id: {
        name = id;
        value = withDefaults all.${id};
      }) (attrNames all)
    );

  # entries { defs; browser ? "brave"; }: one record per PWA with everything a
  # desktop entry needs, sorted by id.
  entries =
    {
      defs,
      browser ? "brave",
    }:
    map (
      id:
      let
        d = withDefaults defs.${id};
      in
      {
        inherit id;
        inherit (d)
          name
          url
          icon
          themeIcon
          categories
          mimeTypes
          ;
        exec = launcherName id;
        wmClass = appId {
          inherit (d) url;
          inherit browser;
        };
        actions = map (a: {
          id = a;
          inherit (d.actions.${a}) name url;
        }) (attrNames d.actions);
      }
    ) (attrNames defs);
}
