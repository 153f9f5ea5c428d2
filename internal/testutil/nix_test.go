package testutil

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

type nixCase struct {
	dir, expr string
	mayFail   bool // asked for with NixEvalError
}

type nixResult struct {
	out    []byte
	stderr string
	err    error
}

// evalAtOnce asks pool for every case from a goroutine of its own, as
// parallel tests do, and returns the results and how many Nix processes
// they took.
func evalAtOnce(pool *replPool, nix string, cases []nixCase) ([]nixResult, int64) {
	results := make([]nixResult, len(cases))
	before := nixProcesses.Load()
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, stderr, err := pool.evalOr(nix, c.dir, c.expr, c.mayFail)
			results[i] = nixResult{out, stderr, err}
		}()
	}
	wg.Wait()
	return results, nixProcesses.Load() - before
}

// alone is what nix-instantiate --eval --strict --json -E expr prints in
// dir, and whether it succeeded.
func alone(t *testing.T, nix, dir, expr string) (stdout []byte, stderr string, ok bool) {
	t.Helper()
	cmd := exec.Command(nix, "--eval", "--strict", "--json", "-E", expr)
	cmd.Dir = dir
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatal(err)
	}
	return out, errb.String(), err == nil
}

// aloneValues is what nix-instantiate --eval --strict --json prints for
// each case alone: the cases of a folder go to one process as a list
// (which prints each element as it prints a value of its own).
func aloneValues(t *testing.T, nix string, cases []nixCase) [][]byte {
	t.Helper()
	byDir := map[string][]int{}
	for i, c := range cases {
		byDir[c.dir] = append(byDir[c.dir], i)
	}
	values := make([][]byte, len(cases))
	for dir, idx := range byDir {
		var list strings.Builder
		list.WriteString("[\n")
		for _, i := range idx {
			list.WriteString("(\n" + cases[i].expr + "\n)\n")
		}
		list.WriteString("]")
		out, stderr, ok := alone(t, nix, dir, list.String())
		var elems []json.RawMessage
		if !ok || json.Unmarshal(out, &elems) != nil || len(elems) != len(idx) {
			t.Fatalf("the cases in %s as a list: %s%s", dir, out, stderr)
		}
		for k, i := range idx {
			values[i] = elems[k]
		}
	}
	return values
}

// TestNixEvalMatchesAlone: expressions asked for at once share the pool's
// repls, and each gets exactly the output nix-instantiate prints for it
// alone: relative paths resolve against its folder, a trailing comment
// swallows nothing, tabs and bytes above 0x7f (which the repl's line
// editor acts on) arrive as written, and a value the repl cannot give (a
// store path) comes from a process of its own.
func TestNixEvalMatchesAlone(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir, other := t.TempDir(), t.TempDir()
	WriteFile(t, filepath.Join(dir, "v.nix"), `{ n = 7; }`)
	WriteFile(t, filepath.Join(other, "v.nix"), `{ n = 8; }`)
	shared := []nixCase{
		{dir: dir, expr: `(import ./v.nix).n`},
		{dir: other, expr: `(import ./v.nix).n`},
		{dir: dir, expr: `{ s = "a\"b"; l = [ 1 2.5 null true ]; } # a comment`},
		{dir: dir, expr: "let x = 3; in\tx * x"},
		{dir: dir, expr: `builtins.toString ./.`},
		{dir: dir, expr: `(import ./v.nix).n`},
		{dir: dir, expr: `[ ]`},
		{dir: other, expr: `builtins.toString ./.`},
		{dir: dir, expr: "{ s = \"q\\\"b\\\\s\\nn\tt\\rr $ \\${x} ${\"$\"}{y} é 山 \\u\"; }"},
		{dir: dir, expr: "[ ''\n    two lines\n\t''\n  2.5 null ]"},
		{dir: dir, expr: `{ outPath = "x"; y = 1; }`},
	}
	own := []nixCase{
		{dir: dir, expr: `{ p = ./v.nix; }`},
		{dir: dir, expr: `builtins.toFile "f" "text"`},
	}
	pool := newReplPool(1) // two workers: one per folder
	cases := append(shared, own...)
	results, started := evalAtOnce(pool, nix, cases)
	wants := aloneValues(t, nix, cases)
	for i, c := range cases {
		r, want := results[i], wants[i]
		if r.err != nil {
			t.Errorf("%s: %v\n%s", c.expr, r.err, r.stderr)
		} else if string(r.out) != string(want) {
			t.Errorf("%s in the pool gave %q, alone %q", c.expr, r.out, want)
		}
	}
	if want := int64(2 + len(own)); started != want {
		t.Errorf("%d expressions in two folders took %d processes, want %d (a repl per folder and one for each value the repl cannot give)", len(shared)+len(own), started, want)
	}
}

// TestNixEvalFailuresAreTheirOwn: an expression that fails, even one the
// repl cannot take as one input (a syntax error ends the input early, an
// unclosed string or bracket takes in what follows), reports its own
// error and no other's, and the expressions after it still get their
// values. An expression expected to succeed reports nix-instantiate's
// own error output.
func TestNixEvalFailuresAreTheirOwn(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	broken := []struct{ expr, want string }{
		{`throw "first broken expression"`, "first broken expression"},
		{`{ a = `, "syntax error"},
		{"{ a = ; }\n{ b = 1; }", "syntax error"},
		{`"an unclosed string`, "syntax error"},
		{"[ ''\n  an unclosed indented string", "syntax error"},
		{`builtins.trace "a trace" (abort "second broken expression")`, "second broken expression"},
		{`{ a = { b = throw "deep failure"; }; }`, "deep failure"},
		{`{ x }: x`, "cannot convert a function to JSON"},
	}
	for _, mayFail := range []bool{true, false} {
		pool := newReplPool(1)
		for k, b := range broken {
			// Expected to succeed, any failure goes to a process of its
			// own: three kinds of failure show it.
			if !mayFail && k%3 != 0 {
				continue
			}
			good := fmt.Sprintf(`{ k = %d; }`, k)
			var r [2]nixResult
			r[0].out, r[0].stderr, r[0].err = pool.evalOr(nix, dir, b.expr, mayFail)
			r[1].out, r[1].stderr, r[1].err = pool.evalOr(nix, dir, good, false)
			if r[0].err == nil || !strings.Contains(r[0].stderr, b.want) {
				t.Errorf("mayFail %v: %q: err %v, stderr %q; want an error with %q", mayFail, b.expr, r[0].err, r[0].stderr, b.want)
			}
			for _, other := range broken {
				if other.want != b.want && strings.Contains(r[0].stderr, other.want) {
					t.Errorf("mayFail %v: %q: its error names another expression's failure %q:\n%s", mayFail, b.expr, other.want, r[0].stderr)
				}
			}
			if !mayFail {
				if _, stderr, _ := alone(t, nix, dir, b.expr); r[0].stderr != stderr {
					t.Errorf("%q expected to succeed: stderr %q, alone %q", b.expr, r[0].stderr, stderr)
				}
			}
			if want := fmt.Sprintf(`{"k":%d}`, k); r[1].err != nil || string(r[1].out) != want {
				t.Errorf("mayFail %v: after %q, %s gave %q, %v; want %s", mayFail, b.expr, good, r[1].out, r[1].err, want)
			}
		}
	}
}

// TestNixEvalSeesChangedFiles: a file in the temporary folder may change
// between two evaluations, and the second sees the new content, whether it
// is named by its path or relative to the folder evaluated in; a repl
// forgets what it imported only before such an evaluation, not for one
// of the repository's files or a FixedFile.
func TestNixEvalSeesChangedFiles(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir, fixedDir := t.TempDir(), t.TempDir()
	v, fixed := filepath.Join(dir, "v.nix"), filepath.Join(fixedDir, "f.nix")
	WriteFile(t, fixed, `{ n = 0; }`)
	FixedFile(fixed)
	pool := newReplPool(1)
	eval := func(dir, expr, want string) {
		t.Helper()
		out, stderr, err := pool.evalOr(nix, dir, expr, false)
		if err != nil || string(out) != want {
			t.Fatalf("%s in %s: %q, %v (%s); want %s", expr, dir, out, err, stderr, want)
		}
	}
	for n := 1; n <= 3; n++ {
		WriteFile(t, v, fmt.Sprintf(`{ n = %d; }`, n))
		eval(repoRoot, fmt.Sprintf(`(import %s).n`, v), fmt.Sprint(n))
		eval(dir, `(import ./v.nix).n`, fmt.Sprint(n))
	}
	before := pool.reloads.Load()
	eval(repoRoot, `(import ./tests/nix/modsys.nix).lib.mkDefault 1 // { }`, `{"_type":"override","content":1,"priority":1000}`)
	eval(repoRoot, fmt.Sprintf(`(import %s).n`, fixed), "0")
	if n := pool.reloads.Load() - before; n != 0 {
		t.Errorf("evaluations of the repository's files and a fixed file made the repls forget their files %d times, want 0", n)
	}
	for _, c := range []struct {
		dir, expr string
		want      bool
	}{
		{repoRoot, `import ./lib/core { }`, false},
		{repoRoot, fmt.Sprintf(`import %s`, filepath.Join(repoRoot, "lib", "core")), false},
		{repoRoot, fmt.Sprintf(`import %s/x.nix`, os.TempDir()), true},
		{repoRoot, fmt.Sprintf(`h.hosts %s`, dir), true},
		{repoRoot, fmt.Sprintf(`builtins.readFile "%s"`, fixed), false},
		{repoRoot, fmt.Sprintf(`[ "%s" %s ]`, fixed, v), true},
		{dir, `1`, true},
		{filepath.Join(repoRoot, "tests"), `1`, false},
	} {
		if got := mayReadChangingFiles(c.dir, c.expr); got != c.want {
			t.Errorf("mayReadChangingFiles(%s, %s) = %v, want %v", c.dir, c.expr, got, c.want)
		}
	}
}

// TestNixEvalOutlivesItsRepl: when a repl dies between two evaluations,
// the next one still gets its value, and the one after that a new repl.
func TestNixEvalOutlivesItsRepl(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	pool := newReplPool(1)
	idle := func() int {
		pool.mu.Lock()
		defer pool.mu.Unlock()
		return len(pool.idle)
	}
	for i := range 4 {
		out, stderr, err := pool.evalOr(nix, dir, fmt.Sprintf("%d + 1", i), false)
		if want := fmt.Sprint(i + 1); err != nil || string(out) != want {
			t.Fatalf("evaluation %d: %q, %v (%s); want %s", i, out, err, stderr, want)
		}
		if i%2 == 1 {
			continue
		}
		if n := idle(); n != 1 {
			t.Fatalf("evaluation %d: %d idle repls, want 1", i, n)
		}
		pool.mu.Lock()
		pool.idle[0].cmd.Process.Kill()
		pool.mu.Unlock()
	}
}

// NixEvalError returns the error of a failing expression and fails the
// test when the expression succeeds.
func TestNixEvalError(t *testing.T) {
	dir := t.TempDir()
	if msg := NixEvalError(t, dir, `throw "expected failure"`); !strings.Contains(msg, "error: expected failure") {
		t.Errorf("error text %q", msg)
	}
	ft := &fakeTB{TB: t}
	func() {
		defer func() { recover() }()
		NixEvalError(ft, dir, `1 + 1`)
	}()
	if !strings.Contains(ft.fatal, "succeeded with 2; want an error") {
		t.Errorf("a succeeding expression: fatal %q", ft.fatal)
	}
}

// fakeTB records Fatalf and stops the caller as testing.T does (here by
// panicking).
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic("fatal")
}

// replString reads back the repl's colour-wrapped Nix string literal with
// every escape it writes; other lines are not string values.
func TestReplString(t *testing.T) {
	got, ok := replString("\x1b[35;1m\"a\\\"b\\\\c\\nd\\te\\rf\\$g${h}\"\x1b[0m")
	if want := "a\"b\\c\nd\te\rf$g${h}"; !ok || got != want {
		t.Errorf("replString = %q, %v; want %q", got, ok, want)
	}
	for _, line := range []string{`"echoed input"`, "\x1b[35;1m42\x1b[0m", "\x1b[35;1m\"\x1b[0m", ""} {
		if v, ok := replString(line); ok {
			t.Errorf("replString(%q) = %q, want no string value", line, v)
		}
	}
}
