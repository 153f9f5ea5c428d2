package desktop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// moduleStubs evaluates a home module's function with stand-ins for lib and
// pkgs written with builtins: mkIf/mkMerge/mkDefault pass values through and
// packages are plain attribute sets, so the test sees the settings the
// module produces.
const moduleStubs = `
  pwa = import ./lib/core/pwa.nix;
  pkg = name: { outPath = "/store/${name}"; meta.mainProgram = name; inherit name; };
  lib = {
    mkIf = c: x: x;
    mkMerge = builtins.foldl' (a: b: a // b) { };
    mkDefault = x: x;
    mkForce = x: x;
    mapAttrs = builtins.mapAttrs;
    mapAttrsRecursive = f: let r = path: builtins.mapAttrs (n: v: if builtins.isAttrs v then r (path ++ [ n ]) v else f (path ++ [ n ]) v); in r [ ];
    mkOption = a: a;
    mkEnableOption = d: { inherit d; };
    mkPackageOption = p: n: o: { };
    literalExpression = x: x;
    types = { bool = "bool"; str = "str"; package = "package"; };
    optional = c: x: if c then [ x ] else [ ];
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram}";
  };
  pkgs = builtins.listToAttrs (map (n: { name = n; value = pkg n; }) [
    "jq" "wf-recorder" "procps" "libnotify" "coreutils" "slurp" "wl-clipboard" "cliphist" "niri" "ghostty" "util-linux"
  ]) // {
    writeShellApplication = a: pkg a.name // { inherit (a) text; };
  };
  config = {
    axios.desktop.niri = { enable = true; residentTerminal = true; };
    axios.pwa.browser = "brave";
    programs.ghostty.package = pkg "ghostty";
    home.pointerCursor = { enable = true; name = "Bibata-Modern-Ice"; size = 24; };
  };
`

func evalModule(t *testing.T, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf(`let %s m = import ./home/desktop/niri.nix { inherit config lib pkgs; }; in %s`, moduleStubs, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

func TestNiriModuleSettings(t *testing.T) {
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
	evalModule(t, `m.config.programs.niri.settings`, &s)
	if len(s.Binds) != 83 {
		t.Errorf("%d binds", len(s.Binds))
	}
	if got := fmt.Sprint(s.Binds["Mod+Grave"]); got != "map[action:map[spawn:[/store/axios-dropdown-terminal/bin/axios-dropdown-terminal]]]" {
		t.Errorf("Mod+Grave = %s", got)
	}
	if len(s.Spawn) != 2 {
		t.Fatalf("spawn-at-startup has %d commands, want the clipboard watcher and the resident terminal", len(s.Spawn))
	}
	if got := strings.Join(s.Spawn[0].Argv, " "); got != "/store/wl-clipboard/bin/wl-paste --watch /store/cliphist/bin/cliphist store" {
		t.Errorf("clipboard watcher: %s", got)
	}
	if got := strings.Join(s.Spawn[1].Argv, " "); got != "/store/ghostty/bin/ghostty --gtk-single-instance=true --initial-window=false --quit-after-last-window-closed=false" {
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
	var n struct {
		EnableKeybinds bool
		EnableSpawn    bool
		Includes       struct{ Enable bool }
	}
	evalModule(t, `m.config.programs.dank-material-shell.niri`, &n)
	if !n.EnableKeybinds || n.EnableSpawn || n.Includes.Enable {
		t.Errorf("DMS niri integration: want its keybinds, no second DMS spawned by niri, and no includes overriding the axiOS config; got %+v", n)
	}
}

func TestDropdownScriptTargetsItsWindow(t *testing.T) {
	var text string
	evalModule(t, `(builtins.head m.config.home.packages).text`, &text)
	for _, want := range []string{
		"niri msg --json windows",
		"--arg app com.kc.dropterm",
		"/store/ghostty/bin/ghostty --gtk-single-instance=true --class=com.kc.dropterm",
		`niri msg action focus-window --id "${win%% *}"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("drop-down script lacks %q:\n%s", want, text)
		}
	}
}
