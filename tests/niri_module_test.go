package tests

import (
	"fmt"
	"strings"
	"testing"
)

// niriModule evaluates body with m = the home harness's result for
// home/desktop/niri.nix (with pwa-apps.nix, which declares the PWA browser
// it reads), a desktop user with the resident terminal and a cursor.
func niriModule(t *testing.T, body string, out any) {
	t.Helper()
	homeEval(t, `{ desktop = true; modules = [ ./home/desktop/niri.nix ./home/desktop/pwa-apps.nix ]; home = {
		axios.desktop.niri = { enable = true; residentTerminal = true; };
		axios.pwa.browser = "brave";
		home.pointerCursor = { enable = true; name = "Bibata-Modern-Ice"; size = 24; };
	}; }`, "let m.config = h.defined; in "+body, out)
}

func TestNiriModuleSettings(t *testing.T) {
	t.Parallel()
	var s struct {
		Binds  map[string]any            `json:"binds"`
		Spawn  []struct{ Argv []string } `json:"spawn-at-startup"`
		Cursor struct {
			Theme string
			Size  int
		}
		WindowRules []map[string]any `json:"window-rules"`
		LayerRules  []map[string]any `json:"layer-rules"`
	}
	niriModule(t, `m.config.programs.niri.settings`, &s)
	// Every bind of the keybind table (lib/core/niri.nix), and no other.
	var table []string
	niriModule(t, `builtins.attrNames ((import ./lib/core/niri.nix).render ((import ./lib/core/niri.nix).table { dropdown = "x"; }))`, &table)
	if len(table) == 0 || len(s.Binds) != len(table) {
		t.Errorf("%d binds, the keybind table has %d", len(s.Binds), len(table))
	}
	for _, k := range table {
		if _, ok := s.Binds[k]; !ok {
			t.Errorf("bind %s of the keybind table is missing", k)
		}
	}
	if got := fmt.Sprint(s.Binds["Mod+Grave"]); got != "map[action:map[spawn:[/nix/store/00000000000000000000000000000000-axios-dropdown-terminal/bin/axios-dropdown-terminal]]]" {
		t.Errorf("Mod+Grave = %s", got)
	}
	if len(s.Spawn) != 2 {
		t.Fatalf("spawn-at-startup has %d commands, want the clipboard watcher and the resident terminal", len(s.Spawn))
	}
	if got := strings.Join(s.Spawn[0].Argv, " "); got != "/nix/store/00000000000000000000000000000000-wl-clipboard/bin/wl-paste --watch /nix/store/00000000000000000000000000000000-cliphist/bin/cliphist store" {
		t.Errorf("clipboard watcher: %s", got)
	}
	if got := strings.Join(s.Spawn[1].Argv, " "); got != "/nix/store/00000000000000000000000000000000-ghostty/bin/ghostty --gtk-single-instance=true --initial-window=false --quit-after-last-window-closed=false" {
		t.Errorf("resident terminal: %s (the original passed the literal \"$ghostty\")", got)
	}
	if s.Cursor.Theme != "Bibata-Modern-Ice" || s.Cursor.Size != 24 {
		t.Errorf("niri's cursor must follow home.pointerCursor, got %+v", s.Cursor)
	}
	if len(s.WindowRules) != 9 {
		t.Errorf("%d window rules, want 9", len(s.WindowRules))
	}
	rules := fmt.Sprint(s.WindowRules)
	for _, want := range []string{
		`app-id:^brave-messages\.google\.com__web-Default$`,
		`app-id:^com\.kc\.dropterm$`,
		`app-id:^org\.gnome\.Nautilus$`,
		"default-column-width:map[fixed:1200]",
	} {
		if !strings.Contains(rules, want) {
			t.Errorf("window rules lack %s", want)
		}
	}
	if got := fmt.Sprint(s.LayerRules); got != "[map[matches:[map[namespace:^wallpaper$]] place-within-backdrop:true]]" {
		t.Errorf("layer rules: %s", got)
	}
}

func TestDMSNiriIntegration(t *testing.T) {
	t.Parallel()
	var n struct {
		EnableKeybinds bool
		EnableSpawn    bool
		Includes       struct{ Enable bool }
	}
	niriModule(t, `m.config.programs.dank-material-shell.niri`, &n)
	if !n.EnableKeybinds || n.EnableSpawn || n.Includes.Enable {
		t.Errorf("DMS niri integration: want its keybinds, no second DMS spawned by niri, and no includes overriding the axiOS config; got %+v", n)
	}
}

func TestDropdownScriptTargetsItsWindow(t *testing.T) {
	t.Parallel()
	var text string
	niriModule(t, `(builtins.head m.config.home.packages).text`, &text)
	for _, want := range []string{
		"niri msg --json windows",
		"--arg app com.kc.dropterm",
		"/nix/store/00000000000000000000000000000000-ghostty/bin/ghostty --gtk-single-instance=true --class=com.kc.dropterm",
		`niri msg action focus-window --id "${win%% *}"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("drop-down script lacks %q:\n%s", want, text)
		}
	}
}
