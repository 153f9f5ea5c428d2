# Pure helpers for the niri configuration: the axiOS keybind table as data,
# rendered to niri-flake's `programs.niri.settings.binds` and to a Markdown
# table for the documentation. Nix builtins only.
#
# A row is
#   { group; keys = [ "Mod+H" "Mod+Left" ]; action = "focus-column-left";
#     args = [ ]; cooldownMs = null; }
# where `args` is a list of arguments (strings, integers) or an attribute set
# of properties (e.g. { write-to-disk = true; }). Commands are given as
# names (`commands` below); the home module replaces them with store paths.
let
  inherit (builtins)
    attrNames
    concatLists
    concatMap
    concatStringsSep
    filter
    foldl'
    genList
    isAttrs
    isInt
    isList
    isString
    length
    listToAttrs
    map
    toString
    ;

  row =
    group: keys: action: args:
    {
      inherit
        group
        keys
        action
        args
        ;
      cooldownMs = null;
    };
  spawn =
    group: keys: argv:
    row group keys "spawn" argv;
  # the same action for several numbered keys: n -> row
  numbered =
    from: to: f:
    genList (i: f (from + i)) (to - from + 1);
in
rec {
  # Executables the table launches, by role. The home module overrides
  # these with store paths; the documentation renders the names.
  commands = {
    browser = "brave";
    fileManager = "nautilus";
    terminal = "ghostty";
    code = "code";
    chat = "vesktop";
    textEditor = "gnome-text-editor";
    calculator = "qalculate-gtk";
    dms = "dms";
    recordScreen = "axios-record-screen";
    recordArea = "axios-record-area";
    dropdown = "axios-dropdown-terminal";
  };

  messagesUrl = "https://messages.google.com/web";

  # Keys DankMaterialShell binds itself when programs.dank-material-shell.niri
  # .enableKeybinds is on; the axiOS table must leave them alone.
  dmsReservedKeys = [
    "Mod+Space"
    "Mod+N"
    "Mod+Comma"
    "Mod+P"
    "Mod+X"
    "Mod+M"
    "Mod+V"
    "Mod+Alt+N"
    "Super+Alt+L"
    "Mod+Alt+L"
    "XF86AudioRaiseVolume"
    "XF86AudioLowerVolume"
    "XF86AudioMute"
    "XF86AudioMicMute"
    "XF86MonBrightnessUp"
    "XF86MonBrightnessDown"
  ];

  # table cmds: the axiOS keybind rows, in display order.
  table =
    cmds:
    let
      c = commands // cmds;
      wheel = r: r // { cooldownMs = 150; };
    in
    [
      (spawn "Launch" [ "Mod+B" ] [ c.browser ])
      (spawn "Launch" [ "Mod+E" ] [ c.fileManager ])
      (spawn "Launch" [ "Mod+Return" ] [ c.terminal ])
      (spawn "Launch" [ "Mod+G" ] [
        c.browser
        "--app=${messagesUrl}"
      ])
      (spawn "Launch" [ "Mod+C" ] [ c.code ])
      (spawn "Launch" [ "Mod+D" ] [ c.chat ])
      (spawn "Launch" [ "Mod+Shift+T" ] [ c.textEditor ])
      (spawn "Launch" [ "Mod+Shift+C" ] [ c.calculator ])
    ]
    ++ numbered 1 9 (n: row "Workspaces" [ "Mod+${toString n}" ] "focus-workspace" [ n ])
    ++ numbered 1 9 (n: row "Workspaces" [ "Mod+Shift+${toString n}" ] "move-window-to-workspace" [ n ])
    ++ numbered 1 9 (
      n: row "Workspaces" [ "Mod+Ctrl+Shift+${toString n}" ] "move-column-to-workspace" [ n ]
    )
    ++ [
      (row "Focus" [ "Mod+H" "Mod+Left" ] "focus-column-left" [ ])
      (row "Focus" [ "Mod+J" "Mod+Down" ] "focus-window-down" [ ])
      (row "Focus" [ "Mod+K" "Mod+Up" ] "focus-window-up" [ ])
      (row "Focus" [ "Mod+L" "Mod+Right" ] "focus-column-right" [ ])
      (row "Move" [ "Mod+Ctrl+Left" "Mod+Shift+H" ] "move-column-left" [ ])
      (row "Move" [ "Mod+Ctrl+Down" "Mod+Shift+J" ] "move-window-down" [ ])
      (row "Move" [ "Mod+Ctrl+Up" "Mod+Shift+K" ] "move-window-up" [ ])
      (row "Move" [ "Mod+Ctrl+Right" "Mod+Shift+L" ] "move-column-right" [ ])
      (row "Width" [ "Mod+Minus" ] "set-column-width" [ "-10%" ])
      (row "Width" [ "Mod+Equal" ] "set-column-width" [ "+10%" ])
      (row "Width" [ "Mod+W" ] "switch-preset-column-width" [ ])
      (row "Columns" [ "Mod+Shift+Comma" ] "consume-window-into-column" [ ])
      (row "Columns" [ "Mod+Shift+Period" ] "expel-window-from-column" [ ])
      (row "Columns" [ "Mod+BracketLeft" ] "consume-or-expel-window-left" [ ])
      (row "Columns" [ "Mod+BracketRight" ] "consume-or-expel-window-right" [ ])
      (row "Columns" [ "Mod+Backslash" ] "maximize-column" [ ])
      (row "Columns" [ "Mod+T" ] "toggle-column-tabbed-display" [ ])
      (row "Overview" [ "Mod+Tab" ] "toggle-overview" [ ])
      (row "Windows" [ "Mod+Q" ] "close-window" [ ])
      (row "Windows" [ "Mod+Shift+F" ] "fullscreen-window" [ ])
      (row "Floating" [ "Mod+Shift+Z" ] "toggle-window-floating" [ ])
      (row "Floating" [ "Mod+Z" ] "switch-focus-between-floating-and-tiling" [ ])
      (row "Wheel" [ "Mod+WheelScrollRight" ] "focus-column-or-monitor-right" [ ])
      (row "Wheel" [ "Mod+WheelScrollLeft" ] "focus-column-or-monitor-left" [ ])
      (row "Wheel" [ "Mod+Ctrl+WheelScrollRight" ] "move-column-right-or-to-monitor-right" [ ])
      (row "Wheel" [ "Mod+Ctrl+WheelScrollLeft" ] "move-column-left-or-to-monitor-left" [ ])
      (wheel (row "Wheel" [ "Mod+WheelScrollDown" ] "focus-workspace-down" [ ]))
      (wheel (row "Wheel" [ "Mod+WheelScrollUp" ] "focus-workspace-up" [ ]))
      (wheel (row "Wheel" [ "Mod+Ctrl+WheelScrollDown" ] "move-column-to-workspace-down" [ ]))
      (wheel (row "Wheel" [ "Mod+Ctrl+WheelScrollUp" ] "move-column-to-workspace-up" [ ]))
      (spawn "Audio" [ "Mod+Shift+WheelScrollLeft" ] [
        c.dms
        "ipc"
        "call"
        "audio"
        "increment"
        "3"
      ])
      (spawn "Audio" [ "Mod+Shift+WheelScrollRight" ] [
        c.dms
        "ipc"
        "call"
        "audio"
        "decrement"
        "3"
      ])
      (spawn "Audio" [ "Mod+Shift+M" ] [
        c.dms
        "ipc"
        "call"
        "audio"
        "mute"
      ])
      (row "Session" [ "Mod+Shift+E" ] "quit" [ ])
      (row "Screenshots" [ "Mod+Ctrl+S" ] "screenshot-screen" { write-to-disk = true; })
      (row "Screenshots" [ "Mod+Alt+S" ] "screenshot-screen" [ ])
      (row "Screenshots" [ "Mod+Shift+S" ] "screenshot" [ ])
      (spawn "Recording" [ "Mod+Shift+R" ] [ c.recordScreen ])
      (spawn "Recording" [ "Mod+Ctrl+R" ] [ c.recordArea ])
      (spawn "Terminal" [ "Mod+Grave" ] [ c.dropdown ])
    ];

  # keys rows: every (key, action) pair, in order.
  pairs = rows: concatMap (r: map (k: { inherit k r; }) r.keys) rows;

  # conflicts { rows; reserved ? [ ]; }: messages for keys bound twice or
  # bound to a key another module reserves; empty when the table is sound.
  conflicts =
    {
      rows,
      reserved ? [ ],
    }:
    let
      step =
        acc: p:
        if acc.seen ? ${p.k} then
          acc
          // {
            errors = acc.errors ++ [
              "niri key ${p.k} is bound twice (${acc.seen.${p.k}} and ${p.r.action})"
            ];
          }
        else
          acc // { seen = acc.seen // { ${p.k} = p.r.action; }; };
      dup = (foldl' step {
        seen = { };
        errors = [ ];
      } (pairs rows)).errors;
      taken = map (p: "niri key ${p.k} (${p.r.action}) is already bound by DankMaterialShell") (
        filter (p: builtins.elem p.k reserved) (pairs rows)
      );
    in
    dup ++ taken;

  # render rows: the attribute set for programs.niri.settings.binds.
  # Throws with the list of conflicts when a key is bound twice.
  render =
    rows:
    let
      problems = conflicts { inherit rows; };
      bindOf =
        r:
        {
          action = {
            ${r.action} = r.args;
          };
        }
        // (if r.cooldownMs == null then { } else { cooldown-ms = r.cooldownMs; });
    in
    if problems != [ ] then
      throw (concatStringsSep "\n" problems)
    else
      listToAttrs (
        map (p: {
          name = p.k;
          value = bindOf p.r;
        }) (pairs rows)
      );

  # describe row: the action in words, for the documentation.
  describe =
    r:
    let
      arg =
        a:
        if isString a then
          a
        else if isInt a then
          toString a
        else
          throw "niri keybind ${concatStringsSep "/" r.keys}: argument must be a string or an integer";
      props = p: concatStringsSep " " (map (n: "${n}=${if p.${n} == true then "true" else if p.${n} == false then "false" else arg p.${n}}") (attrNames p));
      body =
        if r.action == "spawn" then
          "run `${concatStringsSep " " (map arg r.args)}`"
        else if isAttrs r.args then
          "${r.action} (${props r.args})"
        else if isList r.args && r.args != [ ] then
          "${r.action} ${concatStringsSep " " (map arg r.args)}"
        else
          r.action;
    in
    body + (if r.cooldownMs == null then "" else " (cooldown ${toString r.cooldownMs} ms)");

  # markdown rows: a Markdown table of the binds, one row per table row.
  markdown =
    rows:
    concatStringsSep "\n" (
      [
        "| Group | Keys | Action |"
        "|---|---|---|"
      ]
      ++ map (
        r: "| ${r.group} | ${concatStringsSep " / " (map (k: "`${k}`") r.keys)} | ${describe r} |"
      ) rows
    )
    + "\n";

  # count rows: the number of key bindings (a row may carry several keys).
  count = rows: length (pairs rows);
}
