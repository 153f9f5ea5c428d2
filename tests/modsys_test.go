package tests

import (
	"reflect"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// tests/nix/modsys.nix is the module-system core shared by the NixOS harness
// (tests/fixtures/modules/eval.nix) and the home-manager harness
// (tests/nix/home-harness.nix); these check its own rules directly.

func modsysEval(t *testing.T, body string, out any) {
	t.Helper()
	testutil.NixEval(t, testutil.RepoRoot(t), "let m = import ./tests/nix/modsys.nix; inherit (m) lib; in "+body, out)
}

func TestModsysImportsAFileOnce(t *testing.T) {
	t.Parallel()
	var got struct {
		Count int      `json:"count"`
		Items []string `json:"items"`
	}
	modsysEval(t, `let
	  leaf = ./tests/fixtures/modules/modsys-leaf.nix;
	  mods = m.collectModules { config.name = "x"; } [
	    { imports = [ leaf ]; }
	    { imports = [ leaf { items = [ "inline" ]; } ]; }
	    leaf
	  ];
	in {
	  count = builtins.length mods;
	  items = builtins.concatMap (x: (m.configOf x).items or [ ]) mods;
	}`, &got)
	if got.Count != 4 || !reflect.DeepEqual(got.Items, []string{"leaf of x", "inline"}) {
		t.Errorf("collectModules: %d modules, items %v; want 4 modules (two importers, the file once, the inline one) and [leaf of x inline]", got.Count, got.Items)
	}
}

func TestModsysConfigOf(t *testing.T) {
	t.Parallel()
	var got map[string]any
	modsysEval(t, `{
	  shorthand = m.configOf { imports = [ ]; a = 1; };
	  full = m.configOf { options = { }; config.a = 2; };
	  optionsOnly = m.configOf { options = { }; };
	  mixed = (builtins.tryEval (m.configOf { options = { }; a = 3; })).success;
	}`, &got)
	want := map[string]any{
		"shorthand":   map[string]any{"a": 1.0},
		"full":        map[string]any{"a": 2.0},
		"optionsOnly": map[string]any{},
		"mixed":       false,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("configOf = %v; want %v", got, want)
	}
}

func TestModsysPriorities(t *testing.T) {
	t.Parallel()
	var got map[string]any
	modsysEval(t, `let
	  value = defs: map (d: d.value) (m.highest (builtins.concatMap m.discharge defs));
	  pushed = m.pushDown (lib.mkIf true (lib.mkMerge [ { a = 1; } (lib.mkDefault { b = 2; }) ]));
	in {
	  default = value [ (lib.mkDefault 1) 2 ];
	  force = value [ (lib.mkForce 1) 2 ];
	  falseIf = value [ (lib.mkIf false (throw "content under a false condition is evaluated")) 3 ];
	  equal = value [ 4 4 ];
	  keys = builtins.attrNames pushed;
	  b = value [ pushed.b ];
	  dead = m.alive (lib.mkMerge [ (lib.mkIf false 1) (lib.mkForce (lib.mkIf false 2)) ]);
	}`, &got)
	want := map[string]any{
		"default": []any{2.0},
		"force":   []any{1.0},
		"falseIf": []any{3.0},
		"equal":   []any{4.0, 4.0},
		"keys":    []any{"a", "b"},
		"b":       []any{2.0},
		"dead":    false,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("priorities = %v; want %v", got, want)
	}
}

func TestModsysTypeChecks(t *testing.T) {
	t.Parallel()
	var got map[string]bool
	modsysEval(t, `with lib.types; {
	  attrsOfChecksElements = (attrsOf int).check { a = "x"; };
	  attrsOfInts = (attrsOf int).check { a = 1; };
	  listOfChecksElements = (listOf str).check [ 1 ];
	  nullOrEnum = (nullOr (enum [ "amd" ])).check null && (nullOr (enum [ "amd" ])).check "amd";
	  enumRejects = (enum [ "amd" ]).check "nvidia";
	  port = port.check 65535 && !(port.check 65536);
	  pathString = path.check "/etc" && !(path.check "etc");
	  package = package.check { _pkg = "x"; } && !(package.check { });
	}`, &got)
	want := map[string]bool{
		"attrsOfChecksElements": false,
		"attrsOfInts":           true,
		"listOfChecksElements":  false,
		"nullOrEnum":            true,
		"enumRejects":           false,
		"port":                  true,
		"pathString":            true,
		"package":               true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("type checks = %v; want %v", got, want)
	}
}

func TestModsysLib(t *testing.T) {
	t.Parallel()
	var got map[string]any
	modsysEval(t, `{
	  removeSuffix = [ (lib.removeSuffix ".nix" "a.nix") (lib.removeSuffix ".nix" "nix") ];
	  splitString = lib.splitString "." "a.b.c";
	  filterAttrs = lib.filterAttrs (n: v: v > 1) { a = 1; b = 2; };
	  attrByPath = [ (lib.attrByPath [ "a" "b" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "c" ] 0 { a.b = 1; }) ];
	  getExe = lib.getExe { _pkg = "claude-code"; outPath = "/nix/store/x"; mainProgram = "claude"; };
	  hasPrefix = lib.hasPrefix "/nix" "/nix/store";
	  genAttrs = lib.genAttrs [ "a" ] (n: n + n);
	}`, &got)
	want := map[string]any{
		"removeSuffix": []any{"a", "nix"},
		"splitString":  []any{"a", "b", "c"},
		"filterAttrs":  map[string]any{"b": 2.0},
		"attrByPath":   []any{1.0, 0.0},
		"getExe":       "/nix/store/x/bin/claude",
		"hasPrefix":    true,
		"genAttrs":     map[string]any{"a": "aa"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lib = %v; want %v", got, want)
	}
}
