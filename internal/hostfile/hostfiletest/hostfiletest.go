// Package hostfiletest holds what the tests of the host packages share: a
// minimal valid host, a parse that fails the test on error, and the list of
// rule vectors in tests/hosts.
package hostfiletest

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/testutil"
)

// ValidBase is the smallest host with no diagnostics when named box.toml.
const ValidBase = `hostname = "box"
timeZone = "Europe/Berlin"
`

// Must parses src as the host file named file and fails the test when it is
// not valid TOML.
func Must(t testing.TB, src, file string) *hostfile.Host {
	t.Helper()
	h, err := hostfile.Parse([]byte(src), file)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return h
}

// Vectors returns the folder tests/hosts and the sorted stems of its *.toml
// vectors; fewer than 20 fails the test (the folder was not found whole).
func Vectors(t testing.TB) (string, []string) {
	t.Helper()
	dir := filepath.Join(testutil.RepoRoot(t), "tests", "hosts")
	files, err := filepath.Glob(filepath.Join(dir, "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var stems []string
	for _, f := range files {
		stems = append(stems, strings.TrimSuffix(filepath.Base(f), ".toml"))
	}
	sort.Strings(stems)
	if len(stems) < 20 {
		t.Fatalf("only %d vectors in %s", len(stems), dir)
	}
	return dir, stems
}
