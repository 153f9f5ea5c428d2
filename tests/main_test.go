package tests

import (
	"flag"
	"os"
	"strconv"
	"sync"
	"testing"
)

// tempDirs are folders tests share across the run (the home harness's
// option subset, the parse separator); TestMain removes them at the end.
var (
	tempDirsMu sync.Mutex
	tempDirs   []string
)

// runTempDir makes a folder that lives until the end of the test run, for
// work done once and shared by several (parallel) tests.
func runTempDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	tempDirsMu.Lock()
	defer tempDirsMu.Unlock()
	tempDirs = append(tempDirs, dir)
	return dir
}

// parallelTests is how many parallel tests run at once unless -parallel is
// given: most of them wait on a Nix evaluation in one of testutil's repls
// (one per CPU), and while they wait the others run what else they run
// (caddy, shellcheck, the go command).
const parallelTests = 64

func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", strconv.Itoa(parallelTests)); err != nil {
			panic(err)
		}
	}
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
