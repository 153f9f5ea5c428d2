# PWA launchers: one desktop entry, `pwa-<id>` command and icon per web app,
# opening the site in a Chromium-family browser's app mode. The built-in
# apps are pwa-defs.json (read by Nix and by tools/artwork, which draws
# icons/<id>.png); the axios.pwa home-manager module passes the user's apps
# through `extraDefs` and `extraIconPaths`.
{
  lib,
  stdenvNoCC,
  makeDesktopItem,
  symlinkJoin,
  brave,
  papirus-icon-theme,
  # The freedesktop icon theme whose app icons (an entry's themeIcon) are
  # copied into the package, and its folder under share/icons.
  iconTheme ? papirus-icon-theme,
  iconThemeName ? "Papirus",
  # The browser package and which family it is (for the window app id).
  browser ? brave,
  browserKind ? "brave",
  # Flags every launcher passes to the browser (before --app=…), such as the
  # video decoding flags of lib/core/browser.nix.
  browserArgs ? [ ],
  # { <id> = { name; url; icon; categories?; mimeTypes?; actions?; }; }
  extraDefs ? { },
  # Folders searched, in order, for <icon>.png of the extra apps.
  extraIconPaths ? [ ],
  # Whether the built-in apps are included (extraDefs always are).
  includeDefaults ? true,
}:
let
  core = import ../../lib/core/pwa.nix;
  builtin = builtins.fromJSON (builtins.readFile ./pwa-defs.json);
  defs = core.merge {
    inherit builtin includeDefaults;
    extra = extraDefs;
  };
  problems = lib.concatMap (id: core.check id extraDefs.${id}) (lib.attrNames extraDefs);
  entries = core.entries {
    inherit defs;
    browser = browserKind;
  };
  browserExe = lib.getExe browser;
  # Desktop-entry Exec quoting for one argument (a flag with , = is fine
  # unquoted; anything else is double-quoted with \ " ` $ escaped).
  desktopQuote =
    a:
    if builtins.match "[A-Za-z0-9_=,./:+-]+" a != null then
      a
    else
      "\"" + lib.replaceStrings [ "\\" "\"" "`" "$" ] [ "\\\\" "\\\"" "\\`" "\\$" ] a + "\"";

  # The icon file for an entry: the user's folders first, then the built-in
  # icons (only for a built-in that was not replaced); null when none exists.
  iconFile =
    e:
    let
      candidates =
        lib.optionals (e.icon != null) (
          map (dir: dir + "/${e.icon}.png") extraIconPaths
          ++ lib.optional (!(extraDefs ? ${e.id})) (./icons + "/${e.icon}.png")
        );
    in
    lib.findFirst builtins.pathExists null candidates;

  # The theme's icon of an entry (an SVG in the theme package), or null.
  themeFile =
    e:
    if e.themeIcon == null then
      null
    else
      "${iconTheme}/share/icons/${iconThemeName}/64x64/apps/${e.themeIcon}.svg";

  # Shell that installs an entry's icon as <id>: a built-in prefers the
  # theme's icon over its generated tile; your own PNG (iconPath) comes
  # before the theme. A theme icon missing from the theme package falls back
  # to the PNG, so a renamed icon never breaks the build.
  installIcon =
    e:
    let
      png = iconFile e;
      svg = themeFile e;
      pngCmd = ''
        cp ${png} $out/share/icons/hicolor/128x128/apps/${e.id}.png
      '';
      svgCmd = ''
        mkdir -p $out/share/icons/hicolor/scalable/apps
        cp -L ${lib.escapeShellArg svg} $out/share/icons/hicolor/scalable/apps/${e.id}.svg
      '';
      userFirst = extraDefs ? ${e.id};
    in
    if svg == null then
      lib.optionalString (png != null) pngCmd
    else if png != null && userFirst then
      pngCmd
    else
      ''
        if [ -e ${lib.escapeShellArg svg} ]; then
        ${svgCmd}''
      + lib.optionalString (png != null) ''
        else
        ${pngCmd}''
      + ''
        fi
      '';

  launchers = stdenvNoCC.mkDerivation {
    pname = "pwa-apps-launchers";
    version = "1.0.0";
    dontUnpack = true;
    dontBuild = true;
    installPhase = ''
      runHook preInstall
      mkdir -p $out/bin $out/share/icons/hicolor/128x128/apps
    ''
    + lib.concatMapStrings (
      e:
      ''
        cat > $out/bin/${e.exec} <<'EOS'
        #!${stdenvNoCC.shell}
        exec ${lib.escapeShellArgs ([ browserExe ] ++ browserArgs ++ [ "--app=${e.url}" ])} "$@"
        EOS
        chmod +x $out/bin/${e.exec}
      ''
      + installIcon e
    ) entries
    + ''
      runHook postInstall
    '';
    meta.platforms = lib.platforms.linux;
  };

  desktopItem =
    e:
    makeDesktopItem {
      name = e.id;
      desktopName = e.name;
      comment = "Launch ${e.name} as a PWA";
      exec = e.exec;
      icon = e.id;
      terminal = false;
      type = "Application";
      inherit (e) categories mimeTypes;
      startupWMClass = e.wmClass;
      actions = lib.listToAttrs (
        map (a: {
          name = a.id;
          value = {
            inherit (a) name;
            # Desktop-entry quoting: the URL may hold ? & and similar.
            exec = lib.concatStringsSep " " ([ browserExe ] ++ map desktopQuote browserArgs) + " --app=\"${a.url}\"";
          };
        }) e.actions
      );
    };
in
if problems != [ ] then
  throw "pwa-apps: invalid extra PWA definitions:\n  ${lib.concatStringsSep "\n  " problems}"
else
  symlinkJoin {
    name = "pwa-apps";
    paths = [ launchers ] ++ map desktopItem entries;
    passthru = {
      inherit entries defs;
      # ids whose icon was not found (shown with a generic icon)
      missingIcons = map (e: e.id) (lib.filter (e: iconFile e == null && themeFile e == null) entries);
      # ids shown with the theme's icon (when the theme package has it), and
      # those shown with their generated two-letter tile
      themeIcons = map (e: e.id) (lib.filter (e: themeFile e != null) entries);
      tileIcons = map (e: e.id) (lib.filter (e: themeFile e == null && iconFile e != null) entries);
    };
    meta = {
      description = "Progressive Web App launchers with desktop entries and icons";
      platforms = lib.platforms.linux;
    };
  }
