package hostrules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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

func readExpected(t *testing.T, dir, stem string) vectorResult {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, stem+".expected.json"))
	if err != nil {
		t.Fatalf("vector %s has no expected file: %v", stem, err)
	}
	var want vectorResult
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("%s.expected.json: %v", stem, err)
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

// TestVectorsGo runs every vector through the Go interpreter.
func TestVectorsGo(t *testing.T) {
	dir, stems := vectorStems(t)
	for _, stem := range stems {
		t.Run(stem, func(t *testing.T) {
			want := readExpected(t, dir, stem)
			got := goResult(t, filepath.Join(dir, stem+".toml"))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Go interpreter disagrees with %s.expected.json\n got: %+v\nwant: %+v", stem, got, want)
			}
		})
	}
}

// TestVectorsAgree runs every vector through the Go interpreter and through
// the Nix core (tests/nix/vectors.nix, with a real nix-instantiate) and
// requires both to equal the expected file, so the two interpreters of
// docs/validation.md cannot drift apart.
func TestVectorsAgree(t *testing.T) {
	dir, stems := vectorStems(t)
	var nix map[string]vectorResult
	testutil.NixEval(t, testutil.RepoRoot(t), "import ./tests/nix/vectors.nix", &nix)
	if len(nix) != len(stems) {
		t.Errorf("vectors.nix returned %d vectors, tests/hosts has %d", len(nix), len(stems))
	}
	for _, stem := range stems {
		t.Run(stem, func(t *testing.T) {
			want := readExpected(t, dir, stem)
			goGot := goResult(t, filepath.Join(dir, stem+".toml"))
			nixGot, ok := nix[stem]
			if !ok {
				t.Fatalf("vectors.nix has no result for %s", stem)
			}
			nixGot = nixGot.normal()
			if !reflect.DeepEqual(goGot, want) {
				t.Errorf("Go: %+v\nwant: %+v", goGot, want)
			}
			if !reflect.DeepEqual(nixGot, want) {
				t.Errorf("Nix: %+v\nwant: %+v", nixGot, want)
			}
			if !reflect.DeepEqual(goGot, nixGot) {
				t.Errorf("the interpreters disagree on %s\n  Go: %+v\n Nix: %+v", stem, goGot, nixGot)
			}
		})
	}
}
