package generate

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func sampleFiles() []File {
	return []File{
		{Path: "flake.nix", Content: []byte("{ }\n")},
		{Path: "hosts/tower.toml", Content: []byte("hostname = \"tower\"\n")},
		{Path: "hosts/tower/hardware.nix", Content: []byte("{ }\n")},
		{Path: "hosts/tower/secrets.nix", Content: []byte("{ }\n")},
		{Path: "secrets/README.md", Content: []byte("secrets\n")},
		{Path: ".gitignore", Content: []byte("result\n")},
	}
}

// tree lists every file and folder below dir with the content of files.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return strings.Join(k, " ")
}

// failAt is a WriteFile that fails with ENOSPC (a full disk) at the nth file.
func failAt(n int) func(context.Context, string, []byte) error {
	i := 0
	return func(ctx context.Context, path string, data []byte) error {
		if i++; i == n {
			// Half the file got written before the disk filled up.
			os.WriteFile(path, data[:len(data)/2], 0o644)
			return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
		}
		return writeSynced(ctx, path, data)
	}
}

// A full disk while init writes a new configuration leaves nothing (no
// folder, no temporary folder), and a rerun works without --force.
func TestWriteFullDiskNewDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "deep", "nixos_config")
	err := WriteContext(context.Background(), dir, sampleFiles(), WriteOptions{WriteFile: failAt(4)})
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("error: %v", err)
	}
	if got := tree(t, parent); keys(got) != "./" {
		t.Errorf("left behind: %s", keys(got))
	}
	if err := Write(dir, sampleFiles(), false); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := tree(t, dir); len(got) != 10 || got["hosts/tower.toml"] != "hostname = \"tower\"\n" {
		t.Errorf("rerun wrote %s", keys(got))
	}
	if got := tree(t, parent); keys(got) != "./ deep/ "+keys(prefix("deep/nixos_config", tree(t, dir))) {
		t.Errorf("temporary folders left: %s", keys(got))
	}
}

func prefix(p string, m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k == "./" {
			out[p+"/"] = v
			continue
		}
		out[p+"/"+k] = v
	}
	return out
}

// In an existing folder with the user's files, a failure (at every file in
// turn) leaves exactly the user's files; with --force the files it replaced
// come back.
func TestWriteFailureKeepsUserFiles(t *testing.T) {
	for _, force := range []bool{false, true} {
		for n := 1; n <= len(sampleFiles()); n++ {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "hosts"), 0o755)
			os.WriteFile(filepath.Join(dir, "hosts", "other.toml"), []byte("hostname = \"other\"\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine\n"), 0o600)
			if force {
				os.WriteFile(filepath.Join(dir, "flake.nix"), []byte("# my flake\n"), 0o644)
			}
			before := tree(t, dir)
			err := WriteContext(context.Background(), dir, sampleFiles(), WriteOptions{Force: force, WriteFile: failAt(n)})
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("force=%v n=%d: %v", force, n, err)
			}
			if after := tree(t, dir); keys(after) != keys(before) || after["flake.nix"] != before["flake.nix"] {
				t.Errorf("force=%v, fault at file %d: before %s\nafter %s", force, n, keys(before), keys(after))
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+StagePrefix+"*")); len(left) > 0 {
				t.Errorf("temporary folder left: %v", left)
			}
		}
	}
}

// An interrupt (the context ends) during the write removes everything.
func TestWriteInterrupted(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "cfg")
	ctx, cancel := context.WithCancel(context.Background())
	i := 0
	hold := func(c context.Context, path string, data []byte) error {
		if i++; i == 3 {
			cancel()
			<-c.Done()
			return c.Err()
		}
		return writeSynced(c, path, data)
	}
	err := WriteContext(ctx, dir, sampleFiles(), WriteOptions{WriteFile: hold})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("error: %v", err)
	}
	if got := tree(t, parent); keys(got) != "./" {
		t.Errorf("left behind: %s", keys(got))
	}
}

// Two inits writing the same new folder at once: one writes everything, the
// other nothing, and no file is a mix.
func TestWriteConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	a, b := sampleFiles(), sampleFiles()
	for i := range b {
		b[i].Content = []byte("# second\n")
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, fs := range [][]File{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Write(dir, fs, false)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors: %v / %v", errs[0], errs[1])
	}
	var ex *ExistsError
	if !errors.As(errs[0], &ex) && !errors.As(errs[1], &ex) {
		t.Errorf("the loser's error is not an ExistsError: %v / %v", errs[0], errs[1])
	}
	got := tree(t, dir)
	winner := a
	if errs[0] != nil {
		winner = b
	}
	for _, f := range winner {
		if got[f.Path] != string(f.Content) {
			t.Errorf("%s: %q, want the winner's %q", f.Path, got[f.Path], f.Content)
		}
	}
}
