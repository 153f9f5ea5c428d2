package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// memoRepo makes a small repository with a Nix file and a Go file, and a
// memo over it that keeps answers in a folder of its own.
func memoRepo(t *testing.T) (*evalMemo, string) {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // content files and pruning stay in the test
	root := t.TempDir()
	WriteFile(t, filepath.Join(root, "v.nix"), "{ n = 1; }\n")
	WriteFile(t, filepath.Join(root, "cmd", "main.go"), "package main\n")
	return &evalMemo{cache: t.TempDir(), root: root}, root
}

// memoEval evaluates expr in dir through m and a pool of its own, and
// returns the value printed, or the error output.
func memoEval(t *testing.T, m *evalMemo, nix, dir, expr string) string {
	t.Helper()
	out, stderr, err := m.evalOr(newReplPool(1), nix, dir, expr, false)
	if err != nil {
		return "error: " + stderr
	}
	return strings.TrimSpace(string(out))
}

// A kept answer is read instead of evaluating again; what an evaluation of
// the repository's Nix files can read decides the key, an edit of Go code
// does not.
func TestNixMemoKeepsAnswersByInputs(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	m, root := memoRepo(t)
	expr := "(import ./v.nix).n"
	if got := memoEval(t, m, nix, root, expr); got != "1" {
		t.Fatalf("first evaluation: %s", got)
	}
	key, ok := m.key(nix, root, expr, false)
	if !ok {
		t.Fatal("an expression of the repository's files is not kept")
	}
	entry := filepath.Join(m.cache, key[:2], key)
	if _, err := os.Stat(entry); err != nil {
		t.Fatalf("the answer was not kept: %v", err)
	}
	// The kept answer is what a second evaluation returns: changed by
	// hand, it shows the evaluation did not run.
	WriteFile(t, entry, `{"value":42,"stderr":""}`)
	if got := memoEval(t, m, nix, root, expr); got != "42" {
		t.Errorf("second evaluation: %s, want the kept answer 42", got)
	}
	if k, _ := m.key(nix, root, expr, true); k == key {
		t.Error("an evaluation expected to fail shares the key of one expected to succeed")
	}

	// A Go edit keeps the key; a Nix edit or a new file changes it.
	edits := []struct {
		name string
		edit func()
		same bool
	}{
		{"Go source edited", func() { WriteFile(t, filepath.Join(root, "cmd", "main.go"), "package main\n\nfunc main() {}\n") }, true},
		{"Nix file edited", func() { WriteFile(t, filepath.Join(root, "v.nix"), "{ n = 2; }\n") }, false},
		{"Go file added", func() { WriteFile(t, filepath.Join(root, "cmd", "extra.go"), "package main\n") }, false},
		{"data file added", func() { WriteFile(t, filepath.Join(root, "data.toml"), "a = 1\n") }, false},
	}
	for _, e := range edits {
		e.edit()
		fresh := &evalMemo{cache: m.cache, root: root}
		k, ok := fresh.key(nix, root, expr, false)
		if !ok || (k == key) != e.same {
			t.Errorf("%s: key kept %v (ok %v), want kept %v", e.name, k == key, ok, e.same)
		}
		key = k
	}
	fresh := &evalMemo{cache: m.cache, root: root}
	if got := memoEval(t, fresh, nix, root, expr); got != "2" {
		t.Errorf("after the Nix edit: %s, want 2 (evaluated again)", got)
	}
}

// An expression naming a test's temporary file is not kept (its name
// changes from run to run, its bytes may change during the run); a
// ContentFile is kept by its name; another file outside the repository
// counts by its identity, so a change of it changes the key, but a folder
// or a Nix file there (whose content the identity does not cover) is not
// kept, nor is a search-path lookup or a path from the home folder.
func TestNixMemoPathsOutsideTheRepository(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	m, root := memoRepo(t)
	tmp := filepath.Join(t.TempDir(), "x.nix")
	WriteFile(t, tmp, "1")
	for _, expr := range []string{"import " + tmp, "import ../v.nix", "builtins.readDir ./..", "import <nixpkgs>", "import ~/x.nix"} {
		if _, ok := m.key(nix, root, expr, false); ok {
			t.Errorf("%s is kept", expr)
		}
	}
	if _, ok := m.key(nix, filepath.Dir(tmp), "1", false); ok {
		t.Error("an evaluation in a folder outside the repository is kept")
	}
	cf := ContentFile(t, "c.nix", []byte("7"))
	if cf2 := ContentFile(t, "c.nix", []byte("7")); cf2 != cf {
		t.Errorf("the same bytes have two paths: %s, %s", cf, cf2)
	}
	if got := memoEval(t, m, nix, root, "import "+cf); got != "7" {
		t.Errorf("import of a content file: %s", got)
	}
	if _, ok := m.key(nix, root, "import "+cf, false); !ok {
		t.Error("an expression naming a content file is not kept")
	}
	// A content file whose bytes no longer match its name is a
	// temporary file like any other.
	WriteFile(t, cf, "8")
	contentChecked.Delete(cf)
	if isContentFile(cf) {
		t.Error("a content file with other bytes than its name says counts as one")
	}

	// With the temporary folder elsewhere, files under /tmp are like
	// system files.
	outside := t.TempDir()
	data, nixFile := filepath.Join(outside, "data.json"), filepath.Join(outside, "f.nix")
	WriteFile(t, data, "{}")
	WriteFile(t, nixFile, "1")
	t.Setenv("TMPDIR", "/nonexistent-tmp")
	read := `builtins.readFile "` + data + `"`
	before, ok := m.key(nix, root, read, false)
	if !ok {
		t.Fatal("an expression reading a file outside the repository and the temporary folder is not kept")
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(data, later, later)
	if after, _ := m.key(nix, root, read, false); after == before {
		t.Error("a change of a named file outside the repository keeps the key")
	}
	for _, expr := range []string{"builtins.readDir " + outside, "import " + nixFile} {
		if _, ok := m.key(nix, root, expr, false); ok {
			t.Errorf("%s (outside) is kept", expr)
		}
	}
	if _, ok := m.key(nix, root, `{ a = "/absent/file"; } // { b = 1; }`, false); !ok {
		t.Error("an absent path and the update operator keep an expression from being kept")
	}
}

func TestNamedPaths(t *testing.T) {
	got := namedPaths("/r/d", `import ./v.nix // { a = "/etc/x y"; b = ../up; c = ./..; d = a/b; e = 2 / 3; f = "https://h.example/p"; }`)
	want := []string{"/r/d/v.nix", "/etc/x", "/r/up", "/r", "/r/d/a/b", "/h.example/p"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("namedPaths = %q, want %q", got, want)
	}
}

// What is kept of failures: only those expected (NixEvalError) in the
// evaluation itself, not a failure of the system (a full disk) nor one
// where success was expected; and nothing read after the repository
// changed during the run, after which nothing more is kept.
func TestNixMemoWhatIsNotKept(t *testing.T) {
	m, root := memoRepo(t)
	m.once.Do(func() { m.print, m.state = repoPrint(root), repoState(root, false) })
	exitErr := exec.Command("sh", "-c", "exit 1").Run()
	m.save("aa01", nil, "error: undefined variable 'x'", errEvalFailed, false)
	m.save("aa02", nil, "error: undefined variable 'x'", exitErr, true)
	m.save("aa03", nil, "error: writing to file: No space left on device", exitErr, true)
	m.save("aa04", nil, "error: undefined variable 'x'", os.ErrNotExist, true)
	m.save("aa05", []byte(`not json`), "", nil, false)
	m.save("", []byte("1"), "", nil, false) // withGo's key when the Go source cannot be read
	if _, kept := m.load(""); kept {
		t.Error("an empty key found an answer")
	}
	m.save("aa07", nil, "error: undefined variable 'y'", errEvalFailed, true)
	for key, want := range map[string]bool{"aa01": false, "aa02": true, "aa03": false, "aa04": false, "aa05": false, "aa07": true} {
		a, kept := m.load(key)
		if kept != want {
			t.Errorf("%s: kept %v, want %v", key, kept, want)
		}
		if kept && (!a.Failed || !strings.Contains(a.Stderr, "undefined variable")) {
			t.Errorf("%s: kept %+v, want the failure", key, a)
		}
	}
	WriteFile(t, filepath.Join(root, "v.nix"), "{ n = 3; }\n")
	m.save("aa06", []byte("3"), "", nil, false)
	if _, kept := m.load("aa06"); kept {
		t.Error("an answer read after the repository changed was kept under the old key")
	}
	if _, ok := m.key("/bin/sh", root, "1", false); ok {
		t.Error("after the repository changed, keys are still made")
	}
}

// An answer naming a store path (whose hash covers every byte of its
// files, Go source too) is kept under a key that holds the Go source: a Go
// edit evaluates it again. A stand-in's made-up store path is no store
// path.
func TestNixMemoStorePaths(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	m, root := memoRepo(t)
	expr := `"${./cmd}"`
	got := memoEval(t, m, nix, root, expr)
	if !strings.HasPrefix(got, `"/nix/store/`) {
		t.Fatalf("%s: %s, want a store path", expr, got)
	}
	key, _ := m.key(nix, root, expr, false)
	if _, kept := m.load(key); kept {
		t.Error("an answer naming a store path is kept under the key without Go source")
	}
	withGo := m.withGo(key)
	if _, kept := m.load(withGo); !kept {
		t.Error("an answer naming a store path is not kept under the key with Go source")
	}
	WriteFile(t, filepath.Join(root, "cmd", "main.go"), "package main // edited\n")
	fresh := &evalMemo{cache: m.cache, root: root}
	k, _ := fresh.key(nix, root, expr, false)
	if k != key || fresh.withGo(k) == withGo {
		t.Error("a Go edit: the key with Go source stays")
	}
	if again := memoEval(t, fresh, nix, root, expr); again == got {
		t.Errorf("after a Go edit the store path is still %s", got)
	}
	if namesStorePath(`"/nix/store/00000000000000000000000000000000-stand-in"`) || !namesStorePath(got) {
		t.Error("namesStorePath takes a stand-in for a store path, or a store path for none")
	}
}

// NixEval and NixEvalError go through the memo of the test binary.
func TestNixEvalUsesTheMemo(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	old := nixMemo
	t.Cleanup(func() { nixMemo = old })
	nixMemo = &evalMemo{cache: t.TempDir(), root: repoRoot}
	expr := "1 + 1 # TestNixEvalUsesTheMemo"
	key, ok := nixMemo.key(nix, repoRoot, expr, false)
	if !ok {
		t.Fatal("not kept")
	}
	WriteFile(t, filepath.Join(nixMemo.cache, key[:2], key), `{"value":5,"stderr":""}`)
	var n int
	NixEval(t, repoRoot, expr, &n)
	if n != 5 {
		t.Errorf("NixEval = %d, want the kept 5", n)
	}
}

// In CI, and with AXIOS_NIX_MEMO=off, every evaluation runs.
func TestNixMemoOff(t *testing.T) {
	t.Setenv("CI", "true")
	if m := newEvalMemo(); m.cache != "" {
		t.Error("CI=true: the memo keeps answers")
	}
	t.Setenv("CI", "")
	t.Setenv(MemoVar, "off")
	if m := newEvalMemo(); m.cache != "" {
		t.Errorf("%s=off: the memo keeps answers", MemoVar)
	}
	t.Setenv(MemoVar, "")
	if m := newEvalMemo(); m.cache == "" {
		t.Error("the memo is off by default outside CI")
	}
}

// Pruning removes what went unused for memoAge, at most once a day.
func TestNixMemoPrune(t *testing.T) {
	dir := t.TempDir()
	oldFile := filepath.Join(dir, "ab", "old")
	newFile := filepath.Join(dir, "ab", "new")
	WriteFile(t, oldFile, "{}")
	WriteFile(t, newFile, "{}")
	long := time.Now().Add(-memoAge - time.Hour)
	os.Chtimes(oldFile, long, long)
	prune(dir)
	if _, err := os.Stat(oldFile); err == nil {
		t.Error("an entry unused for longer than memoAge stays")
	}
	if _, err := os.Stat(newFile); err != nil {
		t.Error("an entry in use was removed")
	}
	os.Chtimes(newFile, long, long)
	prune(dir)
	if _, err := os.Stat(newFile); err != nil {
		t.Error("a second prune within a day ran")
	}
}
