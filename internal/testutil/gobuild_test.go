package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/axios-nix/axios/internal/testrunenv"
)

// GoBuild's folder keeps a binary whose inputs did not change (the same
// file: a new link would rename a new one into place), and a change of the
// source replaces it.
func TestGoBuildRelinksOnlyWhatChanged(t *testing.T) {
	t.Setenv(testrunenv.RunVar, "") // every build asks the go command
	goTool := RequireTool(t, "go")
	mod := t.TempDir()
	cache := t.TempDir()
	WriteFile(t, filepath.Join(mod, "go.mod"), "module example.com/hello\n\ngo 1.26\n")
	WriteFile(t, filepath.Join(mod, "hello", "main.go"), "package main\n\nfunc main() { println(\"one\") }\n")
	key := mod + "\x00./hello"
	say := func(dir string) string {
		t.Helper()
		out, err := exec.Command(filepath.Join(dir, "hello")).CombinedOutput()
		if err != nil {
			t.Fatalf("running the built binary: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	inode := func(dir string) uint64 {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dir, "hello"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}

	dir, err := goBuild(goTool, cache, key, mod, nil, []string{"./hello"})
	if err != nil {
		t.Fatal(err)
	}
	if got := say(dir); got != "one" {
		t.Fatalf("first build says %q, want one", got)
	}
	first := inode(dir)
	again, err := goBuild(goTool, cache, key, mod, nil, []string{"./hello"})
	if err != nil {
		t.Fatal(err)
	}
	if again != dir {
		t.Fatalf("the same build went to %s, then %s", dir, again)
	}
	if inode(dir) != first {
		t.Error("an unchanged build replaced the binary")
	}
	// Another file of the module changes: the go command is asked, and
	// leaves the binary of unchanged code alone.
	WriteFile(t, filepath.Join(mod, "README"), "notes\n")
	if _, err := goBuild(goTool, cache, key, mod, nil, []string{"./hello"}); err != nil {
		t.Fatal(err)
	}
	if inode(dir) != first {
		t.Error("an unchanged build replaced the binary after a README changed")
	}
	// The files and the go command are those of the last build: the go
	// command is not asked again (here it could not be run).
	if again, err := goBuild(filepath.Join(t.TempDir(), "no-go"), cache, key, mod, nil, []string{"./hello"}); err != nil || again != dir {
		t.Errorf("an unchanged build asked the go command: %s, %v", again, err)
	}

	WriteFile(t, filepath.Join(mod, "hello", "main.go"), "package main\n\nfunc main() { println(\"two\") }\n")
	if _, err := goBuild(goTool, cache, key, mod, nil, []string{"./hello"}); err != nil {
		t.Fatal(err)
	}
	if got := say(dir); got != "two" {
		t.Errorf("after a change the binary says %q, want two", got)
	}
	if inode(dir) == first {
		t.Error("a changed build wrote over the old binary in place instead of renaming a new one")
	}

	// Another set of packages or flags gets a folder of its own.
	other, err := goBuild(goTool, cache, key+"\x00-ldflags=-s", mod, []string{"-ldflags=-s"}, []string{"./hello"})
	if err != nil {
		t.Fatal(err)
	}
	if other == dir {
		t.Error("two builds with different flags share a folder")
	}
	// A build that fails says which packages and why.
	WriteFile(t, filepath.Join(mod, "hello", "main.go"), "package main\n\nfunc main() { undefinedName() }\n")
	_, err = goBuild(goTool, cache, key, mod, nil, []string{"./hello"})
	if err == nil || !strings.Contains(err.Error(), "./hello") || !strings.Contains(err.Error(), "undefinedName") {
		t.Errorf("failed build: %v, want the package and the compiler's error", err)
	}
}

// Within one tools/testrun run (testrunenv.RunVar) a folder is built once for
// all test binaries: the go command runs again only in another run.
func TestGoBuildOncePerTestrunRun(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	fakeGo, calls := countingTool(t, "go", ":")
	for i, step := range []struct {
		run   string
		calls int
	}{{"", 1}, {"", 2}, {"run-a", 3}, {"run-a", 3}, {"run-b", 4}, {"run-b", 4}, {"", 5}} {
		t.Setenv(testrunenv.RunVar, step.run)
		if _, err := goBuild(fakeGo, cache, "key", dir, nil, []string{"./x"}); err != nil {
			t.Fatal(err)
		}
		if n := calls(); n != step.calls {
			t.Errorf("step %d (run %q): the go command ran %d times, want %d", i, step.run, n, step.calls)
		}
	}
}
