# Theming that follows DankMaterialShell's colours: adw-gtk3 for GTK 3,
# libadwaita for GTK 4, both recoloured by the dank-colors.css files DMS
# (matugen) writes at runtime; Qt through qt6ct (DMS writes its colour
# scheme); Papirus-Dark icons and the Bibata-Modern-Ice cursor; dark mode;
# Flatpaks allowed to read the GTK colour files.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.desktop.theming;
  cursor = "Bibata-Modern-Ice";
  home = config.home.homeDirectory;
  # GTK reads gtk.css; DMS regenerates dank-colors.css on every wallpaper or
  # scheme change, so gtk.css is a link to it outside the store.
  dankLink = v: {
    "gtk-${v}/gtk.css" = {
      source = lib.mkDefault (
        config.lib.file.mkOutOfStoreSymlink "${config.xdg.configHome}/gtk-${v}/dank-colors.css"
      );
      force = lib.mkDefault true;
    };
  };
in
{
  options.axios.desktop.theming = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to apply the axiOS GTK, Qt, icon and cursor themes, coloured by DankMaterialShell.";
    };
  };

  # Every setting is an opinion in mkDefault, leaf by leaf; the Qt platform
  # theme packages are a list and merge with a user's.
  config = lib.mkIf cfg.enable {
    home.pointerCursor = {
      enable = lib.mkDefault true;
      package = lib.mkDefault pkgs.bibata-cursors;
      name = lib.mkDefault cursor;
      size = lib.mkDefault 24;
      gtk.enable = lib.mkDefault true;
      x11.enable = lib.mkDefault true;
      dotIcons.enable = lib.mkDefault true;
    };

    gtk = {
      enable = lib.mkDefault true;
      theme = {
        package = lib.mkDefault pkgs.adw-gtk3;
        name = lib.mkDefault "adw-gtk3";
      };
      iconTheme = {
        package = lib.mkDefault pkgs.papirus-icon-theme;
        name = lib.mkDefault "Papirus-Dark";
      };
      # GTK 4 apps use libadwaita, recoloured by the dank-colors.css link
      # below; home-manager must not write its own gtk-4.0/gtk.css.
      gtk4.theme = lib.mkDefault null;
    };

    # QT_QPA_PLATFORMTHEME=qt6ct for the shell and for systemd-started apps
    # (home-manager's "qtct" value would select qt5ct); DMS writes the qt6ct
    # colour scheme.
    qt = {
      enable = lib.mkDefault true;
      platformTheme = {
        name = lib.mkDefault "qt6ct";
        package = [ pkgs.qt6Packages.qt6ct ];
      };
    };

    home.sessionVariables.XCURSOR_THEME = lib.mkDefault cursor;

    xdg.configFile = dankLink "3.0" // dankLink "4.0";

    # (dconf.enable is an invisible home-manager option, true on Linux.)
    dconf.settings."org/gnome/desktop/interface".color-scheme = lib.mkDefault "prefer-dark";

    # Flatpak apps may read the GTK colour files (read-only).
    xdg.dataFile."flatpak/overrides/global".text = ''
      [Context]
      filesystems=xdg-config/gtk-3.0:ro;xdg-config/gtk-4.0:ro;
    '';

    # DMS generates a VS Code colour theme extension; register it so VS Code
    # lists "Dynamic Base16 DankShell" without a marketplace install.
    home.activation.axiosVSCodeDankTheme = lib.mapAttrs (_: lib.mkDefault) (
      lib.hm.dag.entryAfter [ "writeBoundary" ] ''
        ext_id=local.dynamic-base16-dankshell
        ext_dir=${lib.escapeShellArg home}/.vscode/extensions/$ext_id-0.0.1
        index=${lib.escapeShellArg home}/.vscode/extensions/extensions.json
        if [ -d "$ext_dir" ]; then
          run chmod -R u+w "$ext_dir"
          if [ ! -f "$index" ]; then
            run mkdir -p "$(dirname "$index")"
            run sh -c 'echo "[]" > "$1"' sh "$index"
          fi
          if ! ${lib.getExe pkgs.jq} -e --arg id "$ext_id" 'any(.[]; .identifier.id == $id)' "$index" >/dev/null; then
            tmp=$(mktemp)
            ${lib.getExe pkgs.jq} --arg id "$ext_id" --arg dir "$ext_dir" \
              --argjson now "$(( $(date +%s) * 1000 ))" \
              '. + [{identifier: {id: $id}, version: "0.0.1",
                     location: {"$mid": 1, path: $dir, scheme: "file"},
                     relativeLocation: ($dir | split("/") | last),
                     metadata: {installedTimestamp: $now, pinned: false, source: "gallery",
                                targetPlatform: "undefined", updated: false, private: false,
                                isPreReleaseVersion: false, hasPreReleaseVersion: false}}]' \
              "$index" > "$tmp"
            run mv "$tmp" "$index"
          fi
        fi
      ''
    );
  };
}
