package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// vectorResult is the shape of tests/hosts/<stem>.expected.json and of each
// attribute of tests/nix/vectors.nix.
type vectorResult struct {
	Diagnostics   []string `json:"diagnostics"`
	Nixos         []string `json:"nixos"`
	Home          []string `json:"home"`
	NixosHardware []string `json:"nixosHardware"`
}

// diagnostic is one entry of checkHost's diagnostics.
type diagnostic struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Field    string `json:"field"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

type checkResult struct {
	Diagnostics []diagnostic `json:"diagnostics"`
	Selection   vectorResult `json:"selection"`
	Active      []string     `json:"active"`
}

// vectorStems lists tests/hosts/*.toml without the extension.
func vectorStems(t *testing.T, root string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(root, "tests", "hosts", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var stems []string
	for _, m := range matches {
		stems = append(stems, strings.TrimSuffix(filepath.Base(m), ".toml"))
	}
	sort.Strings(stems)
	return stems
}

func readExpected(t *testing.T, root, stem string) vectorResult {
	t.Helper()
	path := filepath.Join(root, "tests", "hosts", stem+".expected.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("vector %s has no expected file: %v", stem, err)
	}
	var want vectorResult
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if want.Diagnostics == nil || want.Nixos == nil || want.Home == nil || want.NixosHardware == nil {
		t.Fatalf("%s: every key (diagnostics, nixos, home, nixosHardware) must be present", path)
	}
	return want
}

// TestVectorsCoverEveryCode requires a vector for every code in lib/rules.toml.
func TestVectorsCoverEveryCode(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var codes []string
	testutil.NixEval(t, root, "builtins.attrNames (import ./lib/core { }).rules.code", &codes)
	seen := map[string]bool{}
	for _, stem := range vectorStems(t, root) {
		for _, d := range readExpected(t, root, stem).Diagnostics {
			seen[strings.Fields(d)[0]] = true
		}
	}
	for _, c := range codes {
		if !seen[c] {
			t.Errorf("no vector in tests/hosts expects %s", c)
		}
	}
}

// checkExpr evaluates checkHost on a Nix expression for the host.
func checkExpr(t *testing.T, hostExpr, args string) checkResult {
	t.Helper()
	root := testutil.RepoRoot(t)
	var r checkResult
	expr := "let core = import ./lib/core { }; r = core.checkHost ({ host = " + hostExpr + "; } // " + args +
		"); in { inherit (r) diagnostics selection active; }"
	testutil.NixEval(t, root, expr, &r)
	return r
}

func findDiag(ds []diagnostic, code, field string) *diagnostic {
	for i := range ds {
		if ds[i].Code == code && ds[i].Field == field {
			return &ds[i]
		}
	}
	return nil
}

// TestNixCoreMessages checks the rendered messages, fixes, severities and
// "did you mean" suggestions.
func TestNixCoreMessages(t *testing.T) {
	t.Parallel()
	r := checkExpr(t, `builtins.fromTOML (builtins.readFile ./tests/hosts/multiple-problems.toml)`,
		`{ name = "multiple-problems"; form = "toml"; }`)
	cases := []struct {
		code, field, message, fix string
	}{
		{"AX101", "homeprofile", "unknown key homeprofile", `remove it (did you mean "homeProfile"?)`},
		{"AX104", "hardware.cpu", `hardware.cpu = "arm" is not allowed`, `use one of "amd", "intel" (did you mean "amd"?)`},
		{"AX106", "modules.gamin", "modules.gamin is not an axiOS module", "remove it (did you mean \"gaming\"?); `axios modules` lists the flags"},
		{"AX110", "hostname", `hostname = "workstation-1" but the file is named multiple-problems.toml`, `rename the file to match, or set hostname = "multiple-problems"`},
		{"AX201", "formFactor", "hardware.isLaptop is true but formFactor is unset", `set formFactor = "laptop", or hardware.isLaptop = false`},
		{"AX301", "modules.ai", "modules.ai needs modules.networking", "set modules.networking = true, or modules.ai = false"},
		{"AX302", "virt", "[virt] is ignored because modules.virt is off", "set modules.virt = true, or remove [virt]"},
	}
	for _, c := range cases {
		d := findDiag(r.Diagnostics, c.code, c.field)
		if d == nil {
			t.Errorf("no %s on %s in %+v", c.code, c.field, r.Diagnostics)
			continue
		}
		if d.Message != c.message || d.Fix != c.fix {
			t.Errorf("%s %s:\n got %q — fix: %q\nwant %q — fix: %q", c.code, c.field, d.Message, d.Fix, c.message, c.fix)
		}
		wantSeverity := "error"
		if c.code == "AX302" {
			wantSeverity = "warning"
		}
		if d.Severity != wantSeverity {
			t.Errorf("%s severity %q, want %q", c.code, d.Severity, wantSeverity)
		}
	}

	// No suggestion when nothing is close, and none for an exact-case miss
	// beyond the distance limit.
	r = checkExpr(t, `builtins.fromTOML (builtins.readFile ./tests/hosts/bad-unknown-key.toml)`, `{ form = "toml"; }`)
	if d := findDiag(r.Diagnostics, "AX101", "colour"); d == nil || d.Fix != "remove it" {
		t.Errorf("AX101 colour: want fix %q without suggestion, got %+v", "remove it", d)
	}
	if d := findDiag(r.Diagnostics, "AX101", "users.alice.fullname"); d == nil || !strings.Contains(d.Fix, `"fullName"`) {
		t.Errorf("AX101 users.alice.fullname: want a suggestion of fullName, got %+v", d)
	}
	r = checkExpr(t, `builtins.fromTOML (builtins.readFile ./tests/hosts/bad-enum.toml)`, `{ form = "toml"; }`)
	if d := findDiag(r.Diagnostics, "AX104", "hardware.cpu"); d == nil || strings.Contains(d.Fix, "did you mean") {
		t.Errorf(`AX104 hardware.cpu "AMD": distance 3 > 2, want no suggestion, got %+v`, d)
	}
	if d := findDiag(r.Diagnostics, "AX104", "homeProfile"); d == nil || !strings.Contains(d.Fix, `(did you mean "workstation"?)`) {
		t.Errorf("AX104 homeProfile: want a suggestion of workstation, got %+v", d)
	}
}

// TestLevenshtein checks the distance and the suggestion rule directly.
func TestLevenshtein(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var got []any
	testutil.NixEval(t, root, `let c = import ./lib/core { }; in [
		(c.levenshtein "kitten" "sitting")
		(c.levenshtein "" "abc")
		(c.levenshtein "abc" "")
		(c.levenshtein "gaming" "gaming")
		(c.levenshtein "ab" "ba")
		(c.suggest 2 "gamng" [ "graphics" "gaming" ])
		(c.suggest 2 "xyzzy" [ "gaming" ])
		(c.suggest 2 "gaming" [ "gaming" ])
		(c.suggest 2 "ab" [ "bb" "ac" ])
		(c.suggest 2 "developmentt" [ "development" ])
		(c.suggest 2 "abcdefghijkl" [ "abcdefghwxyz" ])
		(c.suggest 2 "abcdefghijkl" [ "abcdefgwxyzz" ])
	]`, &got)
	want := []any{3.0, 3.0, 3.0, 0.0, 2.0, "gaming", nil, nil, "ac", "development", "abcdefghwxyz", nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// TestNixForm checks the attribute-set form: null is unset, module values
// are accepted, nixOnly keys are allowed, wrong module values are reported.
func TestNixForm(t *testing.T) {
	t.Parallel()
	r := checkExpr(t, `{
		hostname = "box";
		timeZone = "UTC";
		formFactor = null;
		hardware = { cpu = "amd"; gpu = null; };
		modules = { gaming = null; };
		hardwareConfigPath = ./tests/nix/vectors.nix;
		userModulePath = { config, ... }: { };
		extraModules = [ { } "./x.nix" ];
		extraConfig = { services.foo.package = null; };
	}`, `{ }`)
	if len(r.Diagnostics) != 0 {
		t.Errorf("valid Nix-form host: unexpected diagnostics %+v", r.Diagnostics)
	}
	if !reflect.DeepEqual(r.Selection.NixosHardware, []string{"common-cpu-amd"}) {
		t.Errorf("nixosHardware = %v, want [common-cpu-amd]", r.Selection.NixosHardware)
	}

	r = checkExpr(t, `{ hostname = null; timeZone = "UTC"; extraModules = [ 3 ]; hardwareConfigPath = true; }`, `{ form = "nix"; }`)
	var got []string
	for _, d := range r.Diagnostics {
		got = append(got, d.Code+" "+d.Field)
	}
	want := []string{"AX102 extraModules", "AX102 hardwareConfigPath", "AX103 hostname"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if d := findDiag(r.Diagnostics, "AX102", "extraModules"); d == nil || d.Message != "extraModules must be a list of modules, not a list containing 3" {
		t.Errorf("AX102 extraModules message: %+v", d)
	}
}

// TestDiscoverHosts runs discoverHosts on a fixture tree.
func TestDiscoverHosts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("alpha.toml", "hostname = \"alpha\"\ntimeZone = \"UTC\"\n[hardware]\ncpu = \"amd\"\n")
	write("alpha/hardware.nix", "{ }\n")
	write("alpha/zz-extra.nix", "{ }\n")
	write("alpha/b-extra.nix", "{ }\n")
	write("alpha/README.md", "not a module\n")
	write("beta.toml", "hostname = \"beta\"\ntimeZone = \"UTC\"\n")
	write("gamma/hardware.nix", "{ }\n") // a folder without a .toml: not a host
	write("notes.txt", "ignored\n")
	write("delta.toml", "hostname = \"delta\"\ntimeZone = \"UTC\"\n")
	write("delta/other.nix", "{ }\n") // no hardware.nix

	type host struct {
		Name               string         `json:"name"`
		Host               map[string]any `json:"host"`
		HardwareConfigPath *string        `json:"hardwareConfigPath"`
		ExtraModules       []string       `json:"extraModules"`
	}
	var got map[string]host
	root := testutil.RepoRoot(t)
	expr := `let core = import ./lib/core { }; in builtins.mapAttrs (n: h: h // {
		hardwareConfigPath = if h.hardwareConfigPath == null then null else toString h.hardwareConfigPath;
		extraModules = map toString h.extraModules;
	}) (core.discoverHosts (/. + "` + dir + `"))`
	testutil.NixEval(t, root, expr, &got)

	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"alpha", "beta", "delta"}) {
		t.Fatalf("hosts = %v, want [alpha beta delta]", names)
	}
	a := got["alpha"]
	if a.Name != "alpha" || a.Host["hostname"] != "alpha" {
		t.Errorf("alpha: %+v", a)
	}
	if hw, ok := a.Host["hardware"].(map[string]any); !ok || hw["cpu"] != "amd" {
		t.Errorf("alpha host not parsed from TOML: %+v", a.Host)
	}
	if a.HardwareConfigPath == nil || *a.HardwareConfigPath != filepath.Join(dir, "alpha", "hardware.nix") {
		t.Errorf("alpha hardwareConfigPath = %v", a.HardwareConfigPath)
	}
	wantExtra := []string{filepath.Join(dir, "alpha", "b-extra.nix"), filepath.Join(dir, "alpha", "zz-extra.nix")}
	if !reflect.DeepEqual(a.ExtraModules, wantExtra) {
		t.Errorf("alpha extraModules = %v, want %v", a.ExtraModules, wantExtra)
	}
	if b := got["beta"]; b.HardwareConfigPath != nil || len(b.ExtraModules) != 0 {
		t.Errorf("beta has no folder: %+v", b)
	}
	if d := got["delta"]; d.HardwareConfigPath != nil || !reflect.DeepEqual(d.ExtraModules, []string{filepath.Join(dir, "delta", "other.nix")}) {
		t.Errorf("delta: %+v", d)
	}
}

// TestCatalogHelpers checks the catalog helpers on a small synthetic catalog.
func TestCatalogHelpers(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var got struct {
		Flags       []string   `json:"flags"`
		Profiles    []string   `json:"profiles"`
		Paths       []string   `json:"paths"`
		InputPaths  [][]string `json:"inputPaths"`
		ImportPaths [][]string `json:"importPaths"`
		ByFlag      string     `json:"byFlag"`
		HomeReq     []string   `json:"homeReq"`
	}
	testutil.NixEval(t, root, `let
		core = import ./lib/core {
			catalog = {
				nixos.zeta = { kind = "flagged"; flag = "zed"; path = "modules/zeta"; imports = [ "foo.nixosModules.default" "bar.nixosModules.x.y" ]; };
				nixos.alpha = { kind = "core"; path = "modules/alpha"; };
				nixos.beta = { kind = "core"; flag = "bee"; path = "modules/beta"; imports = [ "foo.nixosModules.default" ]; };
				home.p = { kind = "profile"; path = "home/profiles/p.nix"; requires = [ "m" ]; };
				home.a = { kind = "profile"; path = "home/profiles/a.nix"; };
				home.m = { kind = "module"; path = "home/m"; imports = [ "baz.homeModules.m" ]; };
			};
		};
		c = core.catalogInfo;
	in {
		inherit (c) flags profiles paths inputPaths;
		importPaths = c.nixos.zeta.importPaths;
		byFlag = c.byFlag.zed.name;
		homeReq = c.home.p.requires;
	}`, &got)
	if !reflect.DeepEqual(got.Flags, []string{"bee", "zed"}) {
		t.Errorf("flags = %v", got.Flags)
	}
	if !reflect.DeepEqual(got.Profiles, []string{"a", "p"}) {
		t.Errorf("profiles = %v", got.Profiles)
	}
	wantPaths := []string{"modules/alpha", "modules/beta", "modules/zeta", "home/profiles/a.nix", "home/m", "home/profiles/p.nix"}
	if !reflect.DeepEqual(got.Paths, wantPaths) {
		t.Errorf("paths = %v, want %v", got.Paths, wantPaths)
	}
	wantInputs := [][]string{{"foo", "nixosModules", "default"}, {"bar", "nixosModules", "x", "y"}, {"baz", "homeModules", "m"}}
	if !reflect.DeepEqual(got.InputPaths, wantInputs) {
		t.Errorf("inputPaths = %v, want %v", got.InputPaths, wantInputs)
	}
	if !reflect.DeepEqual(got.ImportPaths, wantInputs[:2]) || got.ByFlag != "zeta" || !reflect.DeepEqual(got.HomeReq, []string{"m"}) {
		t.Errorf("entry helpers: %+v", got)
	}
}

// TestCatalogImportsAreFlakeInputs requires every input a catalog entry
// imports from to be declared in flake.nix.
func TestCatalogImportsAreFlakeInputs(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var inputs []string
	testutil.NixEval(t, root, `map builtins.head (import ./lib/core { }).catalogInfo.inputPaths`, &inputs)
	var declared []string
	testutil.NixEval(t, root, `builtins.attrNames (import ./flake.nix).inputs`, &declared)
	have := map[string]bool{}
	for _, d := range declared {
		have[d] = true
	}
	for _, in := range inputs {
		if !have[in] {
			t.Errorf("modules/catalog.toml imports from input %q, which flake.nix does not declare", in)
		}
	}
}

// TestCatalogConsistency: every folder directly under modules/ and home/ is
// (or contains) a catalog path, and every catalog path exists (a folder must
// have a default.nix).
func TestCatalogConsistency(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var paths []string
	testutil.NixEval(t, root, `(import ./lib/core { }).catalogInfo.paths`, &paths)
	for _, p := range paths {
		full := filepath.Join(root, p)
		st, err := os.Stat(full)
		if err != nil {
			t.Errorf("catalog path %s does not exist (create it or fix modules/catalog.toml)", p)
			continue
		}
		if st.IsDir() {
			if _, err := os.Stat(filepath.Join(full, "default.nix")); err != nil {
				t.Errorf("catalog path %s is a folder without default.nix", p)
			}
		} else if !strings.HasSuffix(p, ".nix") {
			t.Errorf("catalog path %s is a file but not a .nix file", p)
		}
	}
	for _, top := range []string{"modules", "home"} {
		entries, err := os.ReadDir(filepath.Join(root, top))
		if err != nil {
			t.Fatalf("reading %s: %v", top, err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			dir := top + "/" + e.Name()
			covered := false
			for _, p := range paths {
				if p == dir || strings.HasPrefix(p, dir+"/") {
					covered = true
					break
				}
			}
			if !covered {
				t.Errorf("%s has no entry in modules/catalog.toml (add one, see docs/catalog.md)", dir)
			}
		}
	}
}
