package tests

// The niri keybind table (lib/core/niri.nix), evaluated with a real
// nix-instantiate, and docs/desktop.md showing it.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

const niriCore = "(import ./lib/core/niri.nix)"

type niriBind struct {
	Action     map[string]any `json:"action"`
	CooldownMs *int           `json:"cooldown-ms"`
}

func renderNiriBinds(t *testing.T, cmds string) map[string]niriBind {
	t.Helper()
	var binds map[string]niriBind
	testutil.NixEval(t, testutil.RepoRoot(t), niriCore+".render ("+niriCore+".table "+cmds+")", &binds)
	return binds
}

func TestNiriKeybindTable(t *testing.T) {
	t.Parallel()
	cmds := `{ dropdown = "/nix/store/x-dropdown/bin/axios-dropdown-terminal"; }`
	binds := renderNiriBinds(t, cmds)
	// Every key of every row of the table is bound, and nothing else.
	var keys []string
	testutil.NixEval(t, testutil.RepoRoot(t), "builtins.concatMap (r: r.keys) ("+niriCore+".table "+cmds+")", &keys)
	if len(keys) == 0 {
		t.Fatal("the keybind table has no keys")
	}
	for _, k := range keys {
		if _, ok := binds[k]; !ok {
			t.Errorf("%s is in the table but not bound", k)
		}
	}
	for k := range binds {
		if !slices.Contains(keys, k) {
			t.Errorf("%s is bound but not in the table", k)
		}
	}
	checks := map[string]string{
		"Mod+Return":           `map[spawn:[ghostty]]`,
		"Mod+G":                `map[spawn:[brave --app=https://messages.google.com/web]]`,
		"Mod+Grave":            `map[spawn:[/nix/store/x-dropdown/bin/axios-dropdown-terminal]]`,
		"Mod+1":                `map[focus-workspace:[1]]`,
		"Mod+Shift+9":          `map[move-window-to-workspace:[9]]`,
		"Mod+Ctrl+Shift+3":     `map[move-column-to-workspace:[3]]`,
		"Mod+Left":             `map[focus-column-left:[]]`,
		"Mod+H":                `map[focus-column-left:[]]`,
		"Mod+Minus":            `map[set-column-width:[-10%]]`,
		"Mod+Ctrl+S":           `map[screenshot-screen:map[write-to-disk:true]]`,
		"Mod+Tab":              `map[toggle-overview:[]]`,
		"Mod+Shift+M":          `map[spawn:[dms ipc call audio mute]]`,
		"Mod+Shift+E":          `map[quit:[]]`,
		"Mod+WheelScrollRight": `map[focus-column-or-monitor-right:[]]`,
	}
	for key, want := range checks {
		b, ok := binds[key]
		if !ok {
			t.Errorf("%s is not bound", key)
			continue
		}
		if got := fmt.Sprint(b.Action); got != want {
			t.Errorf("%s action = %s, want %s", key, got, want)
		}
	}
	if b := binds["Mod+WheelScrollDown"]; b.CooldownMs == nil || *b.CooldownMs != 150 {
		t.Errorf("vertical wheel binds need a 150 ms cooldown, got %+v", b)
	}
	if b := binds["Mod+WheelScrollRight"]; b.CooldownMs != nil {
		t.Errorf("horizontal wheel binds have no cooldown, got %d", *b.CooldownMs)
	}
	for key, b := range binds {
		if args, ok := b.Action["spawn"].([]any); ok {
			for _, a := range args {
				if s, _ := a.(string); strings.Contains(s, "$") {
					t.Errorf("%s spawns %q: niri does not expand variables", key, s)
				}
			}
		}
	}
}

func TestNiriKeybindsLeaveDMSKeysAlone(t *testing.T) {
	t.Parallel()
	var problems []string
	testutil.NixEval(t, testutil.RepoRoot(t), niriCore+".conflicts { rows = "+niriCore+".table { }; reserved = "+niriCore+".dmsReservedKeys; }", &problems)
	if len(problems) != 0 {
		t.Errorf("conflicts: %v", problems)
	}
}

func TestNiriKeybindConflictsAreReported(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var problems []string
	testutil.NixEval(t, root, `let n = `+niriCore+`; in n.conflicts {
		rows = n.table { } ++ [ { group = "x"; keys = [ "Mod+Q" "Mod+V" ]; action = "spawn"; args = [ "foot" ]; cooldownMs = null; } ];
		reserved = n.dmsReservedKeys; }`, &problems)
	want := []string{
		"niri key Mod+Q is bound twice (close-window and spawn)",
		"niri key Mod+V (spawn) is already bound by DankMaterialShell",
	}
	if strings.Join(problems, "|") != strings.Join(want, "|") {
		t.Errorf("conflicts = %q, want %q", problems, want)
	}
	out := testutil.NixEvalError(t, root, `let n = `+niriCore+`; in n.render (n.table { } ++ [ { group = "x"; keys = [ "Mod+Q" ]; action = "spawn"; args = [ "foot" ]; cooldownMs = null; } ])`)
	if !strings.Contains(out, "niri key Mod+Q is bound twice") {
		t.Errorf("render must refuse a doubly bound key, got:\n%s", out)
	}
}

// TestNiriDocsShowTheKeybindTable requires docs/desktop.md to carry the table exactly
// as lib/core/niri.nix renders it, between the keybinds markers.
func TestNiriDocsShowTheKeybindTable(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var table string
	testutil.NixEval(t, root, niriCore+".markdown ("+niriCore+".table { })", &table)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "desktop.md"))
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- keybinds:start -->\n", "<!-- keybinds:end -->"
	s := string(doc)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("docs/desktop.md lacks the %q … %q markers", strings.TrimSpace(start), end)
	}
	if got := s[i+len(start) : j]; got != table {
		t.Errorf("docs/desktop.md keybind table is stale; replace it with:\n%s", table)
	}
}
