package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// The desktop's application groups (modules/desktop/apps.nix with the
// options of modules/desktop/default.nix) through the stand-in module
// system.

func desktopAppPackages(t *testing.T, host string) []string {
	t.Helper()
	expr := fmt.Sprintf(`let h = import ./tests/fixtures/modules/eval.nix;
		c = h.withModules {
			modules = [ (args: { options = (import ./modules/desktop/default.nix args).options; }) ./modules/desktop/apps.nix ];
			host = %s;
		};
		v = c.environment.systemPackages or [ ];
	in if (v._type or "") == "absent" then [ ] else map (p: p._pkg) v`, host)
	var got []string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
	sort.Strings(got)
	return got
}

func TestDesktopAppGroups(t *testing.T) {
	t.Parallel()
	groups := map[string][]string{
		"media":     {"amberol", "celluloid", "inkscape", "pinta", "pitivi", "shotwell"},
		"office":    {"libreoffice-fresh", "obsidian", "typora"},
		"streaming": {"obs-studio"},
		"social":    {"vesktop"},
	}
	all := desktopAppPackages(t, `{ desktop.enable = true; }`)
	has := func(list []string, p string) bool {
		for _, x := range list {
			if x == p {
				return true
			}
		}
		return false
	}
	for g, pkgs := range groups {
		for _, p := range pkgs {
			if !has(all, p) {
				t.Errorf("by default %s (group %s) is not installed: %v", p, g, all)
			}
		}
		without := desktopAppPackages(t, `{ desktop.enable = true; desktop.`+g+`.enable = false; }`)
		if len(without) != len(all)-len(pkgs) {
			t.Errorf("desktop.%s.enable = false: %d packages, want %d (all but %v)", g, len(without), len(all)-len(pkgs), pkgs)
		}
		for _, p := range pkgs {
			if has(without, p) {
				t.Errorf("desktop.%s.enable = false still installs %s", g, p)
			}
		}
	}
	if has(all, "discord") {
		t.Error("the official Discord client is installed; Vesktop replaces it")
	}
	for _, p := range []string{"papirus-icon-theme", "bitwarden-desktop", "fuzzel", "loupe"} {
		if !has(all, p) {
			t.Errorf("base set lacks %s", p)
		}
	}
	if got := desktopAppPackages(t, `{ desktop.enable = true; desktop.applications.enable = false; }`); len(got) != 0 {
		t.Errorf("applications.enable = false still installs %s", strings.Join(got, " "))
	}
	if got := desktopAppPackages(t, `{ }`); len(got) != 0 {
		t.Errorf("desktop off installs %s", strings.Join(got, " "))
	}
}
