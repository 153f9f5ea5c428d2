package tests

import (
	"os"
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

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
