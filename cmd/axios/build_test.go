package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// axiosBinary builds this command and its helper programs (axios-mcp,
// axios-init-form, axios-pwa) into one folder, as the flake's package installs them,
// once per test run, and returns the path of axios. Like the flake's build
// it leaves out the symbol table and DWARF (-s -w), which also makes the
// link a quarter cheaper.
func axiosBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "axios-test-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "axios")
		buildOut, buildErr = exec.Command("go", "build", "-ldflags=-s -w", "-o", dir+"/", ".", "../axios-mcp", "../axios-init-form", "../axios-pwa").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}
