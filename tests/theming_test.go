package tests

import (
	"strings"
	"testing"
)

// TestThemingFollowsDMS evaluates home/desktop/theming.nix through the home
// harness and checks the pieces that tie GTK, Qt, the cursor and Flatpaks to the
// colours DankMaterialShell writes at run time.
func TestThemingFollowsDMS(t *testing.T) {
	t.Parallel()
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
	homeEval(t, `{ modules = [ ./home/desktop/theming.nix ]; home.axios.desktop.theming.enable = true; }`,
		`let d = h.defined; in d // { home = builtins.removeAttrs d.home [ "activation" ]; }`, &cfg)

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
		if f.Source != storePath("dank-colors.css?link=/home/alice/.config/gtk-"+v+"/dank-colors.css") || !f.Force {
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
