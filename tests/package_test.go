package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

var vendorHashLine = regexp.MustCompile(`vendorHash = "(sha256-[A-Za-z0-9+/]{43}=)";`)

// TestVendorHash recomputes the NAR hash of `go mod vendor` and compares it
// with pkgs/axios/default.nix, so the package never ships a stale hash.
func TestVendorHash(t *testing.T) {
	t.Parallel()
	testutil.RequireTool(t, "go")
	testutil.RequireTool(t, "nix-hash")
	testutil.RequireTool(t, "base64")
	root := testutil.RepoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "pkgs", "axios", "default.nix"))
	if err != nil {
		t.Fatal(err)
	}
	m := vendorHashLine.FindSubmatch(src)
	if m == nil {
		t.Fatal(`pkgs/axios/default.nix has no vendorHash = "sha256-…"; line`)
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "update-vendor-hash"), "--print")
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("scripts/update-vendor-hash --print: %v\n%s", err, stderr.String())
	}
	got := strings.TrimSpace(stdout.String())
	if !regexp.MustCompile(`^sha256-[A-Za-z0-9+/]{43}=$`).MatchString(got) {
		t.Fatalf("update-vendor-hash printed %q, not an SRI sha256 hash", got)
	}
	if got != string(m[1]) {
		t.Errorf("pkgs/axios/default.nix has vendorHash %s but go mod vendor hashes to %s; run scripts/update-vendor-hash", m[1], got)
	}
}

var embedLine = regexp.MustCompile(`(?m)^//go:embed (.+)$`)

// TestPackageSourceHasEmbeddedFiles: every file a non-test Go file embeds
// must be in the package's source fileset, or the Nix build fails.
func TestPackageSourceHasEmbeddedFiles(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	pkg, err := os.ReadFile(filepath.Join(root, "pkgs", "axios", "default.nix"))
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "vendor" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range embedLine.FindAllSubmatch(src, -1) {
			for _, pattern := range strings.Fields(string(m[1])) {
				if strings.HasSuffix(pattern, ".go") {
					continue // the fileset already holds every .go file
				}
				rel, err := filepath.Rel(root, filepath.Join(filepath.Dir(path), pattern))
				if err != nil {
					return err
				}
				rel = filepath.ToSlash(rel)
				if !bytes.Contains(pkg, []byte("../../"+rel)) {
					t.Errorf("%s embeds %s, which is not in the source fileset of pkgs/axios/default.nix (add ../../%s)", path, rel, rel)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
