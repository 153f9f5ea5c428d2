package testrunenv

import (
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
		k, err := BuildKey(dir)
		if err != nil {
			t.Fatal(err)
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
	if _, err := BuildKey(dir); err == nil {
		t.Error("a special file: no error")
	}
}
