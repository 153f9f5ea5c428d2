package tests

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestOverlayOption: modules/system puts the flake's overlays.default
// (pkgs/default.nix, the real one) into nixpkgs.overlays while
// axios.overlay.enable is true (the default, also with
// axios.system.enable = false), so user modules get pkgs.axios and
// pkgs.pwa-apps; with the option off nothing is added.
func TestOverlayOption(t *testing.T) {
	t.Parallel()
	// Each overlay is applied to a final package set whose callPackage
	// reports which folder it was called on.
	const body = `let
		os = c.nixpkgs.overlays or [ ];
		applied = o: builtins.mapAttrs (_: v: v) (o { callPackage = p: args: { path = baseNameOf (toString p); inherit args; }; } { });
	in if builtins.isList os then map applied os else [ ]`
	type pkg struct {
		Path string         `json:"path"`
		Args map[string]any `json:"args"`
	}
	withBoth := []map[string]pkg{{
		"axios":    {Path: "axios", Args: map[string]any{}},
		"pwa-apps": {Path: "pwa-apps", Args: map[string]any{}},
	}}
	cases := []struct {
		name, host string
		want       []map[string]pkg
	}{
		{"default", `{ axios.system.timeZone = "UTC"; }`, withBoth},
		{"system opinions off", `{ axios.system.enable = false; }`, withBoth},
		{"overlay off", `{ axios.system.timeZone = "UTC"; axios.overlay.enable = false; }`, []map[string]pkg{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expr := fmt.Sprintf(`let
				h = import ./tests/fixtures/modules/eval.nix;
				self.overlays = (import ./pkgs/default.nix { inputs = { }; }).flake.overlays;
				c = h.folders { names = [ "system" ]; inherit self; host = %s; };
			in %s`, tc.host, body)
			var got []map[string]pkg
			testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
			if got == nil {
				got = []map[string]pkg{}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("nixpkgs.overlays applied = %+v, want %+v", got, tc.want)
			}
		})
	}
}
