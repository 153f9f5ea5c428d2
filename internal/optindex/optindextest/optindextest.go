// Package optindextest builds the option index tests use: the NixOS and
// home-manager option lists in ../shared/data (no third-party list is
// committed) plus the options axiOS's own modules declare, read with
// internal/nixopts.
package optindextest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/testutil"
)

// Lists in ../shared/data.
const (
	NixOSList = "nixos-options-2024-12.tsv"
	HomeList  = "home-manager-options-2026-08.tsv"
)

var (
	once    sync.Once
	options []optindex.Option
	loadErr error
)

// Shared returns the index of the shared option lists and axiOS's modules.
// It fails the test when the lists are missing in CI and skips it locally.
func Shared(t testing.TB) *optindex.Index {
	t.Helper()
	root := testutil.RepoRoot(t)
	data := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, NixOSList)); err != nil {
		if testutil.InCI() {
			t.Fatalf("the shared option lists are missing: %v", err)
		}
		t.Skipf("the shared option lists are missing: %v", err)
	}
	once.Do(func() { options, loadErr = load(root, data) })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return optindex.New(optindex.File{NixpkgsRev: "shared-data", Options: append([]optindex.Option(nil), options...)})
}

func load(root, data string) ([]optindex.Option, error) {
	var out []optindex.Option
	for _, l := range []struct{ file, prefix, source string }{
		{NixOSList, "", optindex.SourceNixOS},
		{HomeList, optindex.HomePrefix, optindex.SourceHomeManager},
	} {
		f, err := os.Open(filepath.Join(data, l.file))
		if err != nil {
			return nil, err
		}
		opts, err := optindex.ReadTSV(f, l.prefix, l.source)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, opts...)
	}
	axios, err := Axios(root)
	if err != nil {
		return nil, err
	}
	return append(out, axios...), nil
}

// Axios returns the options declared by the .nix files under modules/
// (NixOS) and home/ (home-manager, below HomePrefix) of the repository.
func Axios(root string) ([]optindex.Option, error) {
	var out []optindex.Option
	for _, dir := range []string{"modules", "home"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			m, err := nixopts.Analyze(path, string(src))
			if err != nil {
				return nil // not every file parses as a module; the parse tests cover them
			}
			rel, _ := filepath.Rel(root, path)
			prefix := ""
			if dir == "home" {
				prefix = optindex.HomePrefix
			}
			for _, decl := range m.Decls {
				typ := ""
				if decl.Freeform {
					typ = "attribute set"
				}
				out = append(out, optindex.Option{Name: prefix + strings.Join(decl.Path, "."), Type: typ, Source: optindex.SourceAxios, Declarations: []string{rel}})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
