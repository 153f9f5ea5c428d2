package tests

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestExamplesAreValid runs every example host through the Nix core and
// expects no diagnostic at all: the examples are what users copy.
func TestExamplesAreValid(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	tomls, err := filepath.Glob(filepath.Join(root, "examples", "*", "hosts", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	nixHosts, err := filepath.Glob(filepath.Join(root, "examples", "*", "host.nix"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tomls) < 4 || len(nixHosts) < 1 {
		t.Fatalf("expected the minimal, multi-host and nix-attrset examples; found %d TOML hosts and %d host.nix", len(tomls), len(nixHosts))
	}
	sort.Strings(tomls)
	for _, f := range append(tomls, nixHosts...) {
		rel, _ := filepath.Rel(root, f)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			args := `{ }`
			host := `import ./` + filepath.ToSlash(rel)
			if strings.HasSuffix(f, ".toml") {
				host = `builtins.fromTOML (builtins.readFile ./` + filepath.ToSlash(rel) + `)`
				args = `{ name = "` + strings.TrimSuffix(filepath.Base(f), ".toml") + `"; form = "toml"; }`
			}
			r := checkExpr(t, host, args)
			for _, d := range r.Diagnostics {
				t.Errorf("%s %s: %s — fix: %s", d.Code, d.Field, d.Message, d.Fix)
			}
			if len(r.Selection.Nixos) == 0 {
				t.Error("no NixOS module selected")
			}
		})
	}
}

// TestExampleFlakesUseTheLibrary checks each example flake calls the axiOS
// library on files that exist.
func TestExampleFlakesUseTheLibrary(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	for _, ex := range []struct{ dir, call string }{
		{"minimal", "axios.lib.mkHosts ./hosts"},
		{"multi-host", "axios.lib.mkHosts ./hosts"},
		{"nix-attrset", "axios.lib.mkSystem (import ./host.nix)"},
	} {
		src, err := os.ReadFile(filepath.Join(root, "examples", ex.dir, "flake.nix"))
		if err != nil {
			t.Errorf("examples/%s: %v", ex.dir, err)
			continue
		}
		if !strings.Contains(string(src), ex.call) {
			t.Errorf("examples/%s/flake.nix does not call %s", ex.dir, ex.call)
		}
		var outputs []string
		testutil.NixEval(t, root, `builtins.attrNames ((import ./examples/`+ex.dir+`/flake.nix).inputs)`, &outputs)
		if strings.Join(outputs, ",") != "axios,nixpkgs" {
			t.Errorf("examples/%s inputs = %v, want axios and nixpkgs", ex.dir, outputs)
		}
	}
	var ms []moduleDesc
	harness(t, `h.system (import ./examples/nix-attrset/host.nix)`, &ms)
	got := names(ms)
	for _, want := range []string{"axios host workstation", "./examples/nix-attrset/hardware.nix", "./examples/nix-attrset/user.nix", "nixos-hardware.nixosModules.common-gpu-nvidia-nonprime"} {
		if !hasString(got, want) {
			t.Errorf("nix-attrset module list lacks %s: %v", want, got)
		}
	}
}
