package desktop_test

import (
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestThemingFollowsDMS evaluates home/desktop/theming.nix with stand-ins
// and checks the pieces that tie GTK, Qt, the cursor and Flatpaks to the
// colours DankMaterialShell writes at run time.
func TestThemingFollowsDMS(t *testing.T) {
	var cfg struct {
		Home struct {
			PointerCursor struct {
				Name string
				Size int
			}
			SessionVariables map[string]string
		}
		Gtk struct {
			Theme     struct{ Name string }
			IconTheme struct{ Name string }
			Gtk4      struct{ Theme any }
		}
		Qt struct {
			PlatformTheme struct{ Name string }
		}
		Xdg struct {
			ConfigFile map[string]struct {
				Source string
				Force  bool
			}
			DataFile map[string]struct{ Text string }
		}
		Dconf struct {
			Settings map[string]map[string]string
		}
	}
	expr := `let
  pkg = name: { outPath = "/store/${name}"; inherit name; };
  lib = {
    mkIf = c: x: if c then x else { };
    mkDefault = x: x;
    mapAttrs = builtins.mapAttrs;
    mkOption = a: a;
    types = { bool = "bool"; };
    escapeShellArg = s: "'" + s + "'";
    getExe = p: "${p.outPath}/bin/${p.name}";
    hm.dag.entryAfter = after: data: { inherit after data; };
  };
  pkgs = { bibata-cursors = pkg "bibata"; adw-gtk3 = pkg "adw-gtk3"; papirus-icon-theme = pkg "papirus";
    qt6Packages.qt6ct = pkg "qt6ct"; jq = pkg "jq"; };
  config = {
    axios.desktop.theming.enable = true;
    home.homeDirectory = "/home/alice";
    xdg.configHome = "/home/alice/.config";
    lib.file.mkOutOfStoreSymlink = p: "oos:" + p;
  };
  m = import ./home/desktop/theming.nix { inherit config lib pkgs; };
in builtins.removeAttrs m.config [ "home" ] // { home = builtins.removeAttrs m.config.home [ "activation" ]; }`
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &cfg)

	if c := cfg.Home.PointerCursor; c.Name != "Bibata-Modern-Ice" || c.Size != 24 || cfg.Home.SessionVariables["XCURSOR_THEME"] != c.Name {
		t.Errorf("cursor: %+v, XCURSOR_THEME=%q", c, cfg.Home.SessionVariables["XCURSOR_THEME"])
	}
	if cfg.Gtk.Theme.Name != "adw-gtk3" || cfg.Gtk.IconTheme.Name != "Papirus-Dark" || cfg.Gtk.Gtk4.Theme != nil {
		t.Errorf("gtk: %+v (GTK 4 must have no theme: home-manager would write its own gtk-4.0/gtk.css)", cfg.Gtk)
	}
	if cfg.Qt.PlatformTheme.Name != "qt6ct" {
		t.Errorf("qt platform theme %q, want qt6ct", cfg.Qt.PlatformTheme.Name)
	}
	for _, v := range []string{"3.0", "4.0"} {
		f := cfg.Xdg.ConfigFile["gtk-"+v+"/gtk.css"]
		if f.Source != "oos:/home/alice/.config/gtk-"+v+"/dank-colors.css" || !f.Force {
			t.Errorf("gtk-%s/gtk.css must link (outside the store) to DMS's dank-colors.css: %+v", v, f)
		}
	}
	if !strings.Contains(cfg.Xdg.DataFile["flatpak/overrides/global"].Text, "xdg-config/gtk-4.0:ro") {
		t.Errorf("Flatpaks may not read the GTK colours: %+v", cfg.Xdg.DataFile)
	}
	if cfg.Dconf.Settings["org/gnome/desktop/interface"]["color-scheme"] != "prefer-dark" {
		t.Errorf("dconf: %+v", cfg.Dconf.Settings)
	}
}
