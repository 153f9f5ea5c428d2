package hostrules

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/testutil"
)

// vectorResult is the shape of tests/hosts/<stem>.expected.json and of each
// attribute of tests/nix/vectors.nix.
type vectorResult struct {
	Diagnostics   []string `json:"diagnostics"`
	NixOS         []string `json:"nixos"`
	Home          []string `json:"home"`
	NixOSHardware []string `json:"nixosHardware"`
}

func (v vectorResult) normal() vectorResult {
	for _, l := range []*[]string{&v.Diagnostics, &v.NixOS, &v.Home, &v.NixOSHardware} {
		if *l == nil {
			*l = []string{}
		}
	}
	return v
}

var vectorStems = hostfiletest.Vectors

// readExpected reads tests/hosts/<stem>.expected.json strictly: an unknown
// key or a missing one (diagnostics, nixos, home, nixosHardware) fails.
func readExpected(t *testing.T, dir, stem string) vectorResult {
	t.Helper()
	path := filepath.Join(dir, stem+".expected.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("vector %s has no expected file: %v", stem, err)
	}
	var want vectorResult
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if want.Diagnostics == nil || want.NixOS == nil || want.Home == nil || want.NixOSHardware == nil {
		t.Fatalf("%s: every key (diagnostics, nixos, home, nixosHardware) must be present", path)
	}
	return want.normal()
}

// goResult runs a vector through the Go interpreter.
func goResult(t *testing.T, path string) vectorResult {
	t.Helper()
	h, err := hostfile.ParseFile(path)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	var got vectorResult
	for _, d := range Validate(h, Options{}) {
		got.Diagnostics = append(got.Diagnostics, d.Key())
	}
	sel := Select(h, Options{})
	got.NixOS, got.Home, got.NixOSHardware = Names(sel.NixOS), Names(sel.Home), Names(sel.NixOSHardware)
	return got.normal()
}

// nixResults evaluates every vector with the Nix core (tests/nix/vectors.nix,
// a real nix-instantiate). Without nix-instantiate it returns nil outside CI
// (the Go half of TestVectorsAgree still runs) and fails in CI.
func nixResults(t *testing.T) map[string]vectorResult {
	t.Helper()
	if _, err := exec.LookPath("nix-instantiate"); err != nil && !testutil.InCI() {
		t.Log("nix-instantiate not on PATH: the vectors go through the Go interpreter only (CI runs both)")
		return nil
	}
	var nix map[string]vectorResult
	testutil.NixEval(t, testutil.RepoRoot(t), "import ./tests/nix/vectors.nix", &nix)
	return nix
}

// TestVectorsAgree is the one comparison of the rule vectors: every
// tests/hosts/<stem>.toml goes through the Go interpreter and through the
// Nix core, and both must equal <stem>.expected.json (diagnostic codes and
// fields, module selection), so the two interpreters of docs/validation.md
// cannot drift apart from each other or from the expected files.
func TestVectorsAgree(t *testing.T) {
	dir, stems := vectorStems(t)
	nix := nixResults(t)
	if nix != nil && len(nix) != len(stems) {
		t.Errorf("vectors.nix returned %d vectors, tests/hosts has %d", len(nix), len(stems))
	}
	for _, stem := range stems {
		t.Run(stem, func(t *testing.T) {
			want := readExpected(t, dir, stem)
			goGot := goResult(t, filepath.Join(dir, stem+".toml"))
			if !reflect.DeepEqual(goGot, want) {
				t.Errorf("the Go interpreter disagrees with %s.expected.json\n got: %+v\nwant: %+v", stem, goGot, want)
			}
			if nix == nil {
				return
			}
			nixGot, ok := nix[stem]
			if !ok {
				t.Fatalf("vectors.nix has no result for %s", stem)
			}
			nixGot = nixGot.normal()
			if !reflect.DeepEqual(nixGot, want) {
				t.Errorf("the Nix core disagrees with %s.expected.json\n got: %+v\nwant: %+v", stem, nixGot, want)
			}
			if !reflect.DeepEqual(goGot, nixGot) {
				t.Errorf("the interpreters disagree on %s\n  Go: %+v\n Nix: %+v", stem, goGot, nixGot)
			}
		})
	}
}

// TestEveryExpectedFileHasAVector catches expected files left behind.
func TestEveryExpectedFileHasAVector(t *testing.T) {
	dir, _ := vectorStems(t)
	matches, err := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		toml := strings.TrimSuffix(m, ".expected.json") + ".toml"
		if _, err := os.Stat(toml); err != nil {
			t.Errorf("%s has no host file %s", filepath.Base(m), filepath.Base(toml))
		}
	}
}
