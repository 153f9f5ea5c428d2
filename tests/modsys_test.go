package tests

import (
	"encoding/json"
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

// Each case is an expression (m = modsys.nix, lib = m.lib) and the JSON it
// must evaluate to.
func TestModsysRules(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ expr, want string }{
		"configOf": {`{
		  shorthand = m.configOf { imports = [ ]; a = 1; };
		  full = m.configOf { options = { }; config.a = 2; };
		  optionsOnly = m.configOf { options = { }; };
		  mixedIsAnError = (builtins.tryEval (m.configOf { options = { }; a = 3; })).success;
		}`, `{"shorthand":{"a":1},"full":{"a":2},"optionsOnly":{},"mixedIsAnError":false}`},
		"priorities": {`let
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
		}`, `{"default":[2],"force":[1],"falseIf":[3],"equal":[4,4],"keys":["a","b"],"b":[2],"dead":false}`},
		"types": {`with lib.types; {
		  attrsOfChecksElements = (attrsOf int).check { a = "x"; };
		  attrsOfInts = (attrsOf int).check { a = 1; };
		  listOfChecksElements = (listOf str).check [ 1 ];
		  nullOrEnum = (nullOr (enum [ "amd" ])).check null && (nullOr (enum [ "amd" ])).check "amd";
		  enumRejects = (enum [ "amd" ]).check "nvidia";
		  port = port.check 65535 && !(port.check 65536);
		  pathString = path.check "/etc" && !(path.check "etc");
		  package = package.check { _pkg = "x"; } && !(package.check { });
		}`, `{"attrsOfChecksElements":false,"attrsOfInts":true,"listOfChecksElements":false,"nullOrEnum":true,
		  "enumRejects":false,"port":true,"pathString":true,"package":true}`},
		"lib": {`{
		  removeSuffix = [ (lib.removeSuffix ".nix" "a.nix") (lib.removeSuffix ".nix" "nix") ];
		  splitString = lib.splitString "." "a.b.c";
		  filterAttrs = lib.filterAttrs (n: v: v > 1) { a = 1; b = 2; };
		  attrByPath = [ (lib.attrByPath [ "a" "b" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "c" ] 0 { a.b = 1; }) ];
		  getExe = lib.getExe { _pkg = "claude-code"; outPath = "/nix/store/x"; mainProgram = "claude"; };
		  hasPrefix = lib.hasPrefix "/nix" "/nix/store";
		  genAttrs = lib.genAttrs [ "a" ] (n: n + n);
		}`, `{"removeSuffix":["a","nix"],"splitString":["a","b","c"],"filterAttrs":{"b":2},"attrByPath":[1,0],
		  "getExe":"/nix/store/x/bin/claude","hasPrefix":true,"genAttrs":{"a":"aa"}}`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got, want any
			modsysEval(t, c.expr, &got)
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatalf("bad want JSON: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.Marshal(got)
				t.Errorf("%s = %s\nwant %s", name, gotJSON, c.want)
			}
		})
	}
}
