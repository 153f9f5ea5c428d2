package main

import (
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// axiosBinary builds this command and its helper programs (axios-mcp,
// axios-init-form, axios-pwa, axios-wallpaper) into one folder, as the flake's package
// installs them, and returns the path of axios. Like the flake's build it
// leaves out the symbol table and DWARF (-s -w). The folder outlives the
// run (testutil.GoBuild): a run after one that built the same code links
// nothing.
func axiosBinary(t *testing.T) string {
	t.Helper()
	dir := testutil.GoBuild(t, ".", []string{"-ldflags=-s -w"}, ".", "../axios-mcp", "../axios-init-form", "../axios-pwa", "../axios-wallpaper")
	return filepath.Join(dir, "axios")
}
