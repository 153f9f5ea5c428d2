package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// papirusApps is where Debian's papirus-icon-theme (scripts/install-deps)
// keeps the app icons; nixpkgs' package has the same layout under
// share/icons/Papirus.
const papirusApps = "/usr/share/icons/Papirus/64x64/apps"

// tileOnly lists the built-in PWAs the theme has no icon for: they keep
// their generated two-letter tile (docs/pwa.md lists them too).
var tileOnly = []string{
	"gemini",
	"google-ai-studio",
	"google-classroom",
	"google-contacts",
	"google-forms",
	"google-maps",
	"google-news",
	"google-sheets",
	"google-voice",
	"notebooklm",
	"sonos",
}

// notTheBrand: theme icons whose names match a tile-only PWA but which
// show something else, so the tile is the better icon.
var notTheBrand = map[string]string{
	"gemini": "the Gemini-protocol browser's icon, not Google's Gemini",
	"maps":   "a generic map (GNOME Maps style), not Google Maps",
	"sheets": "another spreadsheet app's grey icon, not Google Sheets",
}

func requirePapirus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(papirusApps); err != nil {
		if testutil.InCI() {
			t.Fatalf("%s is required in CI (scripts/install-deps installs papirus-icon-theme): %v", papirusApps, err)
		}
		t.Skipf("Papirus is not installed (%v); skipping (this fails in CI)", err)
	}
}

type def struct {
	Icon      string `json:"icon"`
	ThemeIcon string `json:"themeIcon"`
}

func builtinDefs(t *testing.T) map[string]def {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "pkgs", "pwa-apps", "pwa-defs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var defs map[string]def
	if err := json.Unmarshal(raw, &defs); err != nil {
		t.Fatal(err)
	}
	return defs
}

// TestThemeIconsExist: every themeIcon a built-in PWA names is an app icon
// of the packaged Papirus theme (a file, or a link that resolves).
func TestThemeIconsExist(t *testing.T) {
	t.Parallel()
	requirePapirus(t)
	for id, d := range builtinDefs(t) {
		if d.ThemeIcon == "" {
			continue
		}
		p := filepath.Join(papirusApps, d.ThemeIcon+".svg")
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: themeIcon %q is not in the Papirus theme (%v)", id, d.ThemeIcon, err)
		}
	}
}

// TestTileFallbacks: exactly the PWAs in tileOnly have no theme icon, and
// the theme really has none for them under the obvious names (their id,
// the id without "google-"), so no icon the theme covers is left as a tile.
func TestTileFallbacks(t *testing.T) {
	t.Parallel()
	var got []string
	for id, d := range builtinDefs(t) {
		if d.ThemeIcon == "" {
			got = append(got, id)
		}
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, tileOnly) {
		t.Errorf("PWAs shown as generated tiles:\n %v\nwant\n %v", got, tileOnly)
	}
	requirePapirus(t)
	for _, id := range tileOnly {
		seen := map[string]bool{}
		for _, name := range []string{id, strings.TrimPrefix(id, "google-"), "google-" + id} {
			if seen[name] || notTheBrand[name] != "" {
				continue
			}
			seen[name] = true
			if _, err := os.Stat(filepath.Join(papirusApps, name+".svg")); err == nil {
				t.Errorf("%s falls back to a tile, but the theme has %s.svg: set themeIcon", id, name)
			}
		}
	}
	for name := range notTheBrand {
		if _, err := os.Stat(filepath.Join(papirusApps, name+".svg")); err != nil {
			t.Errorf("notTheBrand lists %s, which the theme does not have: drop it", name)
		}
	}
}

// TestPackageInstallsThemeIcons: a built-in with a themeIcon gets the
// theme's SVG as its icon, falling back to its tile when the theme package
// lacks it; a tile-only built-in gets its PNG; a user's app with its own PNG
// keeps it even with a themeIcon; one with only a themeIcon gets the theme's.
func TestPackageInstallsThemeIcons(t *testing.T) {
	t.Parallel()
	var install string
	evalPackage(t, `{ extraDefs = {
		mine = { name = "Mine"; url = "https://mine.example/"; themeIcon = "gmail"; };
	}; }`, `(builtins.head pkg.paths).installPhase`, &install)
	for _, want := range []string{
		"if [ -e /papirus/share/icons/Papirus/64x64/apps/google-agenda.svg ]; then",
		"cp -L /papirus/share/icons/Papirus/64x64/apps/google-agenda.svg $out/share/icons/hicolor/scalable/apps/google-calendar.svg",
		"-google-calendar.png $out/share/icons/hicolor/128x128/apps/google-calendar.png",
		"-google-sheets.png $out/share/icons/hicolor/128x128/apps/google-sheets.png",
		"cp -L /papirus/share/icons/Papirus/64x64/apps/gmail.svg $out/share/icons/hicolor/scalable/apps/mine.svg",
	} {
		if !strings.Contains(install, want) {
			t.Errorf("installPhase lacks %q", want)
		}
	}
	if strings.Contains(install, "scalable/apps/google-sheets.svg") {
		t.Error("google-sheets has no theme icon but got one")
	}
	var lists struct {
		Theme   []string `json:"theme"`
		Tile    []string `json:"tile"`
		Missing []string `json:"missing"`
	}
	evalPackage(t, `{ }`, `{ theme = pkg.passthru.themeIcons; tile = pkg.passthru.tileIcons; missing = pkg.passthru.missingIcons; }`, &lists)
	// Every built-in PWA but the tile-only ones gets the theme's icon.
	var themed []string
	for id := range builtinDefs(t) {
		if !slices.Contains(tileOnly, id) {
			themed = append(themed, id)
		}
	}
	slices.Sort(themed)
	if !reflect.DeepEqual(lists.Tile, tileOnly) || !slices.Equal(slices.Sorted(slices.Values(lists.Theme)), themed) || len(lists.Missing) != 0 {
		t.Errorf("passthru: theme %v, tile %v, missing %v", lists.Theme, lists.Tile, lists.Missing)
	}
}
