# Evaluates axiOS's home-manager modules without nixpkgs or home-manager, for
# tests/home_test.go.
#
# - Upstream options come from optionsTsv, a home-manager option list
#   (home-manager master's option paths and types; tests/home_test.go passes
#   a subset of ../shared/data/home-manager-options-2026-08.tsv that it
#   writes to a temporary folder): setting a path that is not declared
#   there, or by the modules themselves, is an error. Under a free-form option
#   (settings, mcpServers, systemd units …) anything goes.
# - mkIf / mkMerge / mkDefault are pushed into attribute sets before any
#   condition is evaluated (as nixpkgs does), so conditions may read config.
# - Packages are markers { _pkg; outPath; }; lib is a builtins-only subset.
#
#   import ./home-harness.nix { optionsTsv = "/…/options.tsv"; os = { … }; home = { … }; inputs = [ … ]; }
#
# os: the NixOS configuration seen as osConfig (null: standalone);
# home: an extra home module (attribute set) for the scenario;
# profile: "workstation" or "laptop"; inputs: which flake inputs exist;
# desktop: also load home/desktop (with the options of the DankMaterialShell,
# danksearch and niri-flake home modules it configures).
# modules: the axiOS home modules under test (null: the catalog's home
# entries as mkSystem adds them, with home/desktop when desktop is set; e.g.
# [ ./home/desktop/gdrive-sync.nix ]; desktop = true then gives only the
# stand-ins).
{
  optionsTsv ?
    throw "home-harness.nix: pass optionsTsv, the path of a home-manager option list (tests/home_test.go writes a subset of ../shared/data/home-manager-options-2026-08.tsv)",
  os ? null,
  home ? { },
  profile ? "workstation",
  inputs ? [
    "ghostty"
    "mcp-servers-nix"
    "self-axios"
  ],
  # the parsed optionsTsv of an earlier evaluation (its `upstream`), so that
  # many evaluations parse it once
  upstreamDecls ? null,
  # all the declarations of an earlier evaluation (its `decls`) whose
  # modules declared the same options (home-override.nix adds modules that
  # only define), so that they are not gathered again
  knownDecls ? null,
  desktop ? false,
  modules ? null,
}:
let
  inherit (builtins)
    all
    any
    attrNames
    concatLists
    concatMap
    concatStringsSep
    elem
    elemAt
    filter
    foldl'
    head
    isAttrs
    isBool
    isList
    isPath
    isString
    listToAttrs
    map
    mapAttrs
    match
    split
    substring
    tail
    ;
  modsys = import ./modsys.nix;
  inherit (modsys)
    mkOverride
    isTree
    isOption
    zip
    pushDown
    discharge
    alive
    highest
    genAttrs
    collectModules
    configOf
    lib
    ;

  showLoc = concatStringsSep ".";

  # Merge free-form definitions: attribute sets by key (properties inside
  # are resolved too), lists concatenated, lines joined, equal values unify.
  mergeFree =
    kind: loc: defs:
    let
      ds = highest (concatMap discharge defs);
      values = map (d: d.value) ds;
    in
    if ds == [ ] then
      null
    else if all isTree values then
      mapAttrs (n: vs: mergeFree "unique" (loc ++ [ n ]) vs) (zip values)
    else if all isList values then
      concatLists values
    else if kind == "lines" && all isString values then
      concatStringsSep "\n" values
    else if all (v: v == head values) values then
      head values
    else
      throw "${showLoc loc} has conflicting definitions: ${builtins.toJSON values}";

  # ---- option declarations -------------------------------------------------
  # A node of the declaration tree: { _decl = null | { kind; check; default? }; _children = { … }; }
  emptyNode = {
    _decl = null;
    _children = { };
  };
  insert =
    node: path: decl:
    if path == [ ] then
      node // { _decl = decl; }
    else
      node
      // {
        _children = node._children // {
          ${head path} = insert (node._children.${head path} or emptyNode) (tail path) decl;
        };
      };

  kindOfType =
    t:
    if match "strings concatenated with.*" t != null || match "null or strings concatenated.*" t != null then
      "lines"
    else if match "(null or )?\\(?list of.*" t != null then
      "list"
    else
      "unique";
  checkOfType =
    t:
    let
      bare = head (split " \\[" t);
    in
    if bare == "boolean" then
      isBool
    else if bare == "string" || bare == "non-empty string" then
      isString
    else if bare == "null or string" then
      (v: v == null || isString v)
    else if bare == "null or boolean" then
      (v: v == null || isBool v)
    else if bare == "null or package" || bare == "package" then
      (v: (v == null && bare != "package") || (isAttrs v && v ? _pkg))
    else
      (_: true);

  tsvLines = filter (l: isString l && l != "" && substring 0 1 l != "#") (
    split "\n" (builtins.readFile optionsTsv)
  );
  upstream = if upstreamDecls != null then upstreamDecls else upstreamOfTsv;
  upstreamOfTsv = foldl' (
    node: line:
    let
      cols = filter isString (split "\t" line);
      path = filter isString (split "\\." (head cols));
      type = elemAt cols 1;
    in
    insert node path {
      kind = kindOfType type;
      check = checkOfType type;
      open = match ".*open submodule.*" type != null;
      # Hidden options are renamed or deprecated ones (programs.git.userName
      # …), except the per-browser copies of programs.chromium and
      # dconf.enable (modules/misc/dconf.nix: hidden only because it is on
      # by default off Darwin).
      hidden =
        match ".*[[]visible=false[]].*" type != null
        && !(head path == "programs" && elemAt path 1 == "brave")
        && head cols != "dconf.enable";
      inherit type;
    }
  ) emptyNode tsvLines;

  # The options of the flake inputs' home modules that home/desktop sets
  # (tests/homeopts_test.go's homeInputOptions names their sources); niri-flake
  # types every niri setting, free-form here.
  desktopDecls =
    let
      bool = {
        kind = "unique";
        check = isBool;
        type = "boolean";
      };
      dms = n: {
        path = [
          "programs"
          "dank-material-shell"
        ]
        ++ n;
        decl = bool;
      };
    in
    foldl' (node: p: insert node p.path p.decl) emptyNode (
      map dms [
        [ "enable" ]
        [
          "systemd"
          "enable"
        ]
        [
          "systemd"
          "restartIfChanged"
        ]
        [ "enableSystemMonitoring" ]
        [ "enableVPN" ]
        [ "enableDynamicTheming" ]
        [ "enableAudioWavelength" ]
        [ "enableCalendarEvents" ]
        [
          "niri"
          "enableKeybinds"
        ]
        [
          "niri"
          "enableSpawn"
        ]
        [
          "niri"
          "includes"
          "enable"
        ]
      ]
      ++ [
        {
          path = [
            "programs"
            "dank-material-shell"
            "quickshell"
            "package"
          ];
          decl = {
            kind = "unique";
            check = v: isAttrs v && v ? _pkg;
            type = "package";
          };
        }
        {
          path = [
            "programs"
            "dsearch"
            "enable"
          ];
          decl = bool;
        }
        {
          path = [
            "programs"
            "niri"
            "settings"
          ];
          # niri-flake settings.nix: a null-or-submodule of niri's
          # settings, merged here structurally
          decl = {
            kind = "unique";
            check = v: v == null || isAttrs v;
            type = "null or niri settings";
            default = null;
          };
        }
      ]
    );

  # The agenix home-manager module's options (not part of home-manager).
  agenixDecls =
    foldl' (node: p: insert node p.path p.decl) emptyNode [
      {
        path = [
          "age"
          "identityPaths"
        ];
        decl = {
          kind = "list";
          check = isList;
          type = "list of path";
        };
      }
      {
        path = [
          "age"
          "secrets"
          "<name>"
          "file"
        ];
        decl = {
          kind = "unique";
          check = v: isPath v || isString v;
          type = "path";
        };
      }
      {
        path = [
          "age"
          "secrets"
          "<name>"
          "path"
        ];
        decl = {
          kind = "unique";
          check = isString;
          type = "string";
        };
      }
    ];

  # Option declarations of the modules under test (mkOption values) → nodes.
  declsOf =
    tree:
    foldl' (
      node: n:
      let
        v = tree.${n};
      in
      if isOption v then
        insert node [ n ] (
          {
            kind = v.type.kind or "unique";
            check = v.type.check or (_: true);
            type = v.type.name or "?";
            readOnly = v.readOnly or false;
          }
          // (if v ? default then { inherit (v) default; } else { })
          // (
            if (v.type.kind or "") == "attrsOf" && v.type.elemType.kind == "submodule" then
              { sub = declsOf v.type.elemType.options; }
            else
              { }
          )
        )
      else
        node
        // {
          _children = node._children // {
            ${n} = mergeNodes (node._children.${n} or emptyNode) (declsOf v);
          };
        }
    ) emptyNode (attrNames tree);

  mergeNodes = a: b: {
    _decl = if b._decl != null then b._decl else a._decl;
    _children =
      a._children
      // mapAttrs (n: c: if a._children ? ${n} then mergeNodes a._children.${n} c else c) b._children;
  };

  # ---- merging against the declarations --------------------------------------
  # Declared options: defaults when undefined; nodes with "<name>"/"*"
  # children are attribute sets of submodules; other nodes with children are
  # namespaces or submodules where only declared names may be set.
  mergeNode = mergeNodeWith false;
  # The definitions of an option (or of one element of an attribute set of
  # submodules) that win on priority, before looking inside them: as in
  # nixpkgs, `x = mkDefault { a = 1; b = 2; }` against a plain `x.a = 3;`
  # loses as a whole (x.b is then undefined), while
  # `x = { a = mkDefault 1; b = 2; }` keeps b.
  winning = defs: map (w: w.value) (highest (concatMap discharge defs));
  mergeNodeWith =
    onlyDefined: loc: node: defs0:
    let
      d = node._decl;
      named = node._children."<name>" or null;
      hasChildren = node._children != { };
      # A declared option with sub-options (a submodule, an attribute set of
      # submodules): like nixpkgs, discharge the conditions and priorities
      # around its definitions before looking inside them.
      isSubOption = d != null && (hasChildren || d ? sub);
      isAttrsOfSub = named != null || (d != null && d ? sub);
      # an attribute set of submodules that nobody defines is its default
      # (as a definition of option-default priority)
      defs =
        if !isSubOption then
          defs0
        else if d ? sub && d ? default && !any alive defs0 then
          [ (mkOverride 1500 d.default) ]
        else
          winning defs0;
      pushed = map pushDown (if isAttrsOfSub then filter alive defs else defs);
      byKey = zip (filter isTree pushed);
      live = filter (n: any alive byKey.${n}) (attrNames byKey);
    in
    if d != null && (d ? sub) then
      # an attrsOf submodule declared by the modules under test
      listToAttrs (
        map (n: {
          name = n;
          value = mergeNodeWith onlyDefined (loc ++ [ n ]) d.sub (winning byKey.${n});
        }) live
      )
    else if named != null then
      listToAttrs (
        map (n: {
          name = n;
          value = mergeNodeWith onlyDefined (loc ++ [ n ]) (
            named // { _open = d != null && (d.open or false); }
          ) (winning byKey.${n});
        }) live
      )
    else if hasChildren && !(node._children ? "*") && (d == null || all isTree pushed) then
      let
        open = node._open or false || (d != null && (d.open or false));
        unknown = filter (n: !(node._children ? ${n})) (attrNames byKey);
      in
      if unknown != [ ] && !open then
        throw "option ${showLoc (loc ++ [ (head unknown) ])} does not exist"
      else
        mapAttrs (n: vs: mergeFree "unique" (loc ++ [ n ]) vs) (
          listToAttrs (
            map (n: {
              name = n;
              value = byKey.${n};
            }) unknown
          )
        )
        // mapAttrs (
          n: c: mergeNodeWith onlyDefined (loc ++ [ n ]) (if open then c // { _open = true; } else c) (byKey.${n} or [ ])
        ) (
          if onlyDefined then
            listToAttrs (
              map (n: {
                name = n;
                value = node._children.${n};
              }) (filter (n: node._children ? ${n}) live)
            )
          else
            node._children
        )
    else if d == null then
      throw "option ${showLoc loc} does not exist"
    else
      let
        ds = concatMap discharge defs;
        value =
          if ds == [ ] then
            (
              if d ? default then
                d.default
              else if d.kind == "list" then
                [ ]
              else if d.kind == "lines" then
                ""
              else if match ".*attribute set of.*" d.type != null then
                { }
              else
                throw "option ${showLoc loc} is used but not defined"
            )
          else
            mergeFree d.kind loc defs;
      in
      if ds != [ ] && (d.hidden or false) then
        throw "option ${showLoc loc} is hidden in home-manager (renamed or deprecated); use its replacement"
      else if ds == [ ] || d.check value then
        value
      else
        throw "option ${showLoc loc} = ${builtins.toJSON value} is not of type ${d.type}";

  # ---- packages and flake inputs -------------------------------------------
  mkPkg = name: {
    _pkg = name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };
  pkgSet = names: genAttrs names mkPkg;
  pkgs =
    pkgSet [
      "fd"
      "fzf"
      "gh"
      "ghostty"
      "claude-code"
      "github-mcp-server"
      "khal"
      "mcp-nixos"
      "nodejs"
      "pinentry-curses"
      "pinentry-gnome3"
      "vdirsyncer"
      # home/desktop
      "adw-gtk3"
      "bibata-cursors"
      "brave"
      "chromium"
      "cliphist"
      "coreutils"
      "findutils"
      "gnugrep"
      "google-chrome"
      "jq"
      "libnotify"
      "niri"
      "papirus-icon-theme"
      "procps"
      "rclone"
      "slurp"
      "swaybg"
      "util-linux"
      "wf-recorder"
      "wl-clipboard"
    ]
    // {
      stdenv.hostPlatform.system = "x86_64-linux";
      qt6Packages.qt6ct = mkPkg "qt6ct";
      # The script's text rides in its store path so tests can read it from
      # the places it is interpolated into.
      writeShellScript =
        name: text:
        mkPkg name
        // {
          outPath = "/nix/store/00000000000000000000000000000000-${name}?text=${text}";
        };
      writeShellApplication =
        a:
        mkPkg a.name
        // {
          inherit (a) text;
          mainProgram = a.name;
        };
    };

  flakeInputs =
    (
      if elem "ghostty" inputs then
        { ghostty.packages.x86_64-linux.default = mkPkg "ghostty-from-input"; }
      else
        { }
    )
    // {
      quickshell.packages.x86_64-linux.default = mkPkg "quickshell";
    }
    // (
      if elem "mcp-servers-nix" inputs then
        {
          mcp-servers-nix.packages.x86_64-linux = pkgSet [
            "context7-mcp"
            "mcp-server-filesystem"
            "mcp-server-git"
            "mcp-server-sequential-thinking"
            "mcp-server-time"
            "tavily-mcp"
          ];
        }
      else
        { }
    );
  axiosFlake = {
    inputs = flakeInputs;
    self =
      if elem "self-axios" inputs then
        {
          packages.x86_64-linux = {
            axios = mkPkg "axios";
            # pkgs/pwa-apps: the override's arguments ride on the result; apps
            # without an icon folder have no icon.
            pwa-apps = mkPkg "pwa-apps" // {
              override =
                args:
                mkPkg "pwa-apps"
                // {
                  inherit args;
                  missingIcons = if args.extraIconPaths == [ ] then attrNames args.extraDefs else [ ];
                };
            };
          };
        }
      else
        { };
  };

  # ---- evaluation ------------------------------------------------------------
  repo = ../..;
  # The home entries of the catalog, as mkSystem adds them.
  moduleFiles =
    if modules != null then
      modules
    else
      [
        (repo + "/home/profiles/base.nix")
        (repo + "/home/profiles/${profile}.nix")
        (repo + "/home/terminal")
        (repo + "/home/security")
        (repo + "/home/browser")
        (repo + "/home/calendar")
        (repo + "/home/ai")
        (repo + "/home/secrets")
      ]
      ++ (if desktop then [ (repo + "/home/desktop") ] else [ ]);
  base = {
    home.username = "alice";
    home.homeDirectory = "/home/alice";
    xdg = {
      configHome = "/home/alice/.config";
    }
    // (
      if desktop then
        {
          cacheHome = "/home/alice/.cache";
          stateHome = "/home/alice/.local/state";
        }
      else
        { }
    );
    # home-manager's own defaults (option-default priority)
    programs.gh.package = mkOverride 1500 pkgs.gh;
    programs.claude-code.package = mkOverride 1500 pkgs.claude-code;
    programs.ghostty.package = mkOverride 1500 pkgs.ghostty;
  }
  // (if desktop then { wayland.systemd.target = mkOverride 1500 "graphical-session.target"; } else { });

  # home-manager's additions to lib and config.lib (functions, not merged)
  hmLib = lib // {
    hm.dag.entryAfter = after: data: {
      inherit after data;
      before = [ ];
    };
  };
  args = {
    inherit pkgs axiosFlake;
    lib = hmLib;
    config = config // {
      # home-manager's files.nix: a store path that is a link to the path
      # (the marker carries the target).
      lib.file.mkOutOfStoreSymlink =
        path:
        mkPkg (baseNameOf (toString path))
        // {
          inherit path;
          outPath = "/nix/store/00000000000000000000000000000000-${baseNameOf (toString path)}?link=${toString path}";
        };
    };
    osConfig = os;
  };
  mods = collectModules args (
    moduleFiles
    ++ [
      base
      home
    ]
  );
  ownDecls = foldl' mergeNodes emptyNode (map (m: declsOf (m.options or { })) mods);
  decls =
    if knownDecls != null then
      knownDecls
    else
      mergeNodes (mergeNodes (mergeNodes upstream agenixDecls) (
        if desktop then desktopDecls else emptyNode
      )) ownDecls;
  config = mergeNode [ ] decls (map configOf mods);
  # Only what the modules define (every path checked against the
  # declarations); serialising it forces every definition.
  defined = mergeNodeWith true [ ] decls (map configOf mods);

  failedAssertions = map (a: a.message) (filter (a: !a.assertion) config.assertions);
in
{
  # decls: the option declarations (upstream, agenix, the modules' own);
  # standIn: what the harness defines in place of home-manager and the
  # user's home (home.username …); both for home-override.nix.
  standIn = base;
  inherit
    config
    defined
    failedAssertions
    decls
    upstream
    ;
  inherit (config) warnings;
}
