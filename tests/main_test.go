package tests

import (
	"os"
	"testing"
)

// tempDirs are folders tests share across the run (the home harness's
// option subset); TestMain removes them at the end.
var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
