package testrunenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The key changes with any file's bytes or name, the variables that change
// a build, and a linked file outside the module; it stays when nothing
// changed. A special file makes it fail.
func TestBuildKey(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is not on PATH") // it runs these tests
	}
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "zone")
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n")
	write("a/a.go", "package a\n")
	write(".git/HEAD", "ref: main\n")
	os.WriteFile(outside, []byte("UTC"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "a", "localtime"))
	key := func() string {
		t.Helper()
		k, module, err := BuildKey(filepath.Join(dir, "a")) // from a subfolder: the module counts
		if err != nil || module != dir {
			t.Fatalf("BuildKey: %v, module %s, want %s", err, module, dir)
		}
		return k
	}
	k := key()
	if key() != k {
		t.Fatal("the same files give two keys")
	}
	for _, c := range []struct {
		name   string
		change func()
	}{
		{"Go source", func() { write("a/a.go", "package a // edited\n") }},
		{"embedded file", func() { write("a/rules.toml", "x = 1\n") }},
		{"go.mod above the subfolder", func() { write("go.mod", "module example.com/m\n\ngo 1.26\n") }},
		{"GOFLAGS", func() { t.Setenv("GOFLAGS", "-tags=x") }},
		{"linked file outside", func() {
			later := time.Now().Add(time.Hour)
			os.Chtimes(outside, later, later)
		}},
	} {
		c.change()
		if n := key(); n == k {
			t.Errorf("%s changed: same key", c.name)
		} else {
			k = n
		}
	}
	write(".git/HEAD", "ref: other\n")
	if key() != k {
		t.Error("a change under .git changed the key")
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := BuildKey(dir); err == nil {
		t.Error("a special file: no error")
	}
}

// Where files outside the module take part in the build, there is no key.
func TestBuildKeyRefusesOutsideInputs(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	os.MkdirAll(mod, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n"), 0o644)
	if _, _, err := BuildKey(mod); err != nil {
		t.Fatal(err)
	}
	for name, setup := range map[string]func(){
		"GOFLAGS -modfile": func() { t.Setenv("GOFLAGS", "-modfile=/x/go.mod") },
		"GOWORK":           func() { t.Setenv("GOWORK", "/x/go.work") },
		"go.work above":    func() { os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.26\n"), 0o644) },
		"local replace": func() {
			os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n\nreplace example.com/x => ../x\n"), 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			setup()
			if _, _, err := BuildKey(mod); !errors.Is(err, errOutside) {
				t.Errorf("%s: %v, want errOutside", name, err)
			}
			t.Setenv("GOFLAGS", "")
			t.Setenv("GOWORK", "")
			os.Remove(filepath.Join(dir, "go.work"))
			os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n"), 0o644)
		})
	}
}
