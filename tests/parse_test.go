// Package tests holds repository-wide checks that belong to no Go package.
package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestEveryNixFileParses runs nix-instantiate --parse on every .nix file.
func TestEveryNixFileParses(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate")
	root := testutil.RepoRoot(t)
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "vendor" || d.Name() == "testdata" && strings.Contains(path, "fuzz")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".nix") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no .nix files found")
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		t.Run(rel, func(t *testing.T) {
			out, err := exec.Command(nix, "--parse", f).CombinedOutput()
			if err != nil {
				t.Errorf("%s does not parse:\n%s", rel, out)
			}
		})
	}
}
