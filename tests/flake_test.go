package tests

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestFlakeOutputs evaluates flake.nix's outputs through
// tests/nix/flake-harness.nix (stub inputs, a stand-in for flake-parts).
func TestFlakeOutputs(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var got struct {
		Imports      []string `json:"imports"`
		NixosModules []string `json:"nixosModules"`
		HomeModules  []string `json:"homeModules"`
		Lib          []string `json:"lib"`
		X86          struct {
			Apps map[string]struct {
				Type    string `json:"type"`
				Program string `json:"program"`
			} `json:"apps"`
			Checks  map[string]string `json:"checks"`
			Treefmt struct {
				ProjectRootFile string `json:"projectRootFile"`
				FlakeCheck      bool   `json:"flakeCheck"`
				Programs        map[string]struct {
					Enable bool `json:"enable"`
				} `json:"programs"`
			} `json:"treefmt"`
		} `json:"x86"`
		Aarch64Checks []string            `json:"aarch64Checks"`
		NixConfig     map[string][]string `json:"nixConfig"`
	}
	testutil.NixEval(t, root, "import ./tests/nix/flake-harness.nix", &got)

	wantImports := []string{"treefmt-nix.flakeModule", root + "/pkgs", root + "/devshells"}
	if !reflect.DeepEqual(got.Imports, wantImports) {
		t.Errorf("flake-parts imports = %v, want %v", got.Imports, wantImports)
	}
	var catalog struct {
		Nixos []string `json:"nixos"`
		Home  []string `json:"home"`
	}
	testutil.NixEval(t, root, `let c = (import ./lib/core { }).catalog; in { nixos = builtins.attrNames c.nixos; home = builtins.attrNames c.home; }`, &catalog)
	if !reflect.DeepEqual(got.NixosModules, catalog.Nixos) || !reflect.DeepEqual(got.HomeModules, catalog.Home) {
		t.Errorf("nixosModules %v / homeModules %v differ from the catalog %v / %v", got.NixosModules, got.HomeModules, catalog.Nixos, catalog.Home)
	}
	for _, f := range []string{"mkSystem", "mkHosts", "buildModules", "hardwareModules", "core"} {
		if !hasString(got.Lib, f) {
			t.Errorf("lib lacks %s: %v", f, got.Lib)
		}
	}
	if a := got.X86.Apps["init"]; a.Type != "app" || !strings.Contains(a.Program, "axios-init") {
		t.Errorf("apps.init = %+v", a)
	}
	if a := got.X86.Apps["default"]; a.Type != "app" || a.Program != "/nix/store/axios/bin/axios" {
		t.Errorf("apps.default = %+v", a)
	}
	// checks.treefmt (nixfmt and gofmt over the tree) comes from treefmt-nix
	// while flakeCheck is on.
	if tf := got.X86.Treefmt; tf.ProjectRootFile != "flake.nix" || !tf.FlakeCheck || !tf.Programs["nixfmt"].Enable || !tf.Programs["gofmt"].Enable {
		t.Errorf("treefmt = %+v", got.X86.Treefmt)
	}
	// Every development shell is a check (the harness gives two shells).
	for _, n := range []string{"default", "go"} {
		if v := got.X86.Checks["devshell-"+n]; v != "devshell "+n+" on x86_64-linux" {
			t.Errorf("checks.devshell-%s = %q", n, v)
		}
	}
	if got.X86.Checks["core-vectors"] == "" {
		t.Error("checks.core-vectors missing")
	}
	var examples []string
	for name, v := range got.X86.Checks {
		if !strings.HasPrefix(name, "example-") {
			continue
		}
		examples = append(examples, name)
		// A host with errors gets a single module; a valid one gets many.
		if !strings.HasPrefix(v, "toplevel with ") || strings.HasPrefix(v, "toplevel with 1 ") {
			t.Errorf("checks.%s = %q: the example host does not build a full module list", name, v)
		}
	}
	sort.Strings(examples)
	wantExamples := []string{"example-minimal-mycomputer", "example-multi-host-desktop", "example-multi-host-laptop", "example-multi-host-server", "example-nix-attrset"}
	if !reflect.DeepEqual(examples, wantExamples) {
		t.Errorf("example checks = %v, want %v", examples, wantExamples)
	}
	if !reflect.DeepEqual(got.Aarch64Checks, []string{"core-vectors", "devshell-default", "devshell-go"}) {
		t.Errorf("aarch64-linux checks = %v; the x86_64 example hosts must not be checked there", got.Aarch64Checks)
	}
	// Binary caches come from the modules whose packages they serve, not
	// from a flake-wide nixConfig that every `nix run` of this flake offers.
	if got.NixConfig != nil {
		t.Errorf("nixConfig = %v; want none", got.NixConfig)
	}
}

// TestFlakeInputs checks the inputs: every input that takes nixpkgs follows
// ours, and the MCP inputs the axios command replaced are gone.
func TestFlakeInputs(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var inputs map[string]struct {
		URL    string `json:"url"`
		Inputs map[string]struct {
			Follows string `json:"follows"`
		} `json:"inputs"`
	}
	testutil.NixEval(t, root, `(import ./flake.nix).inputs`, &inputs)
	want := []string{"agenix", "dank-greeter", "dankMaterialShell", "devshell", "dsearch", "fenix", "flake-parts", "ghostty",
		"home-manager", "lanzaboote", "mcp-servers-nix", "niri", "nix-ai-tools", "nixos-hardware", "nixpkgs",
		"quickshell", "systems", "treefmt-nix", "vscode-server", "zig-overlay"}
	var names []string
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, want) {
		t.Errorf("inputs = %v\nwant %v", names, want)
	}
	noNixpkgs := map[string]bool{"nixpkgs": true, "nixos-hardware": true, "systems": true, "nix-ai-tools": true, "flake-parts": true}
	for n, in := range inputs {
		if !strings.HasPrefix(in.URL, "github:") {
			t.Errorf("input %s url %q is not a github: reference", n, in.URL)
		}
		if noNixpkgs[n] {
			continue
		}
		if in.Inputs["nixpkgs"].Follows != "nixpkgs" {
			t.Errorf("input %s does not follow nixpkgs", n)
		}
	}
	if inputs["flake-parts"].Inputs["nixpkgs-lib"].Follows != "nixpkgs" {
		t.Error("flake-parts' nixpkgs-lib does not follow nixpkgs")
	}
}
