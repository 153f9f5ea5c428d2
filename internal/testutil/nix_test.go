package testutil

import (
	"fmt"
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

// evalAtOnce asks for every case from a goroutine of its own, as parallel
// tests do, and returns the results and how many processes they took.
func evalAtOnce(nix string, cases []nixCase) ([]nixResult, int64) {
	results := make([]nixResult, len(cases))
	before := nixProcesses.Load()
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, stderr, err := nixEval(nix, c.dir, c.expr, c.mayFail)
			results[i] = nixResult{out, stderr, err}
		}()
	}
	wg.Wait()
	return results, nixProcesses.Load() - before
}

// TestNixEvalBatches: expressions asked for at once take one process per
// folder, and each gets exactly the output a process of its own prints
// (relative paths resolve against its folder, a trailing comment does not
// swallow the rest, the same expression twice is evaluated once).
func TestNixEvalBatches(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir, other := t.TempDir(), t.TempDir()
	WriteFile(t, filepath.Join(dir, "v.nix"), `{ n = 7; }`)
	WriteFile(t, filepath.Join(other, "v.nix"), `{ n = 8; }`)
	cases := []nixCase{
		{dir: dir, expr: `(import ./v.nix).n`},
		{dir: other, expr: `(import ./v.nix).n`},
		{dir: dir, expr: `{ s = "a\"b"; l = [ 1 2.5 null true ]; } # a comment`},
		{dir: dir, expr: `let x = 3; in x * x`},
		{dir: dir, expr: `builtins.toString ./.`},
		{dir: dir, expr: `(import ./v.nix).n`},
		{dir: dir, expr: `[ ]`},
		{dir: other, expr: `builtins.toString ./.`},
	}
	results, started := evalAtOnce(nix, cases)
	for i, c := range cases {
		r := results[i]
		alone := exec.Command(nix, "--eval", "--strict", "--json", "-E", c.expr)
		alone.Dir = c.dir
		want, err := alone.Output()
		if err != nil {
			t.Fatalf("%s alone: %v", c.expr, err)
		}
		if r.err != nil {
			t.Errorf("%s: %v\n%s", c.expr, r.err, r.stderr)
		} else if string(r.out) != string(want) {
			t.Errorf("%s in a batch gave %q, alone %q", c.expr, r.out, want)
		}
	}
	if started > 2 {
		t.Errorf("%d expressions in two folders asked for at once took %d processes, want 2", len(cases), started)
	}
}

// TestNixEvalFailsAlone: when some of the expressions asked for at once
// fail, the others still get exactly the value a process of their own
// prints (strings with every character the repl escapes, tabs, which the
// repl's line editor would take for completion), and each failure
// reports its own error, not another's; the whole lot takes two processes
// (the list that fails, then the repl), or one when they were asked for as
// failures (NixEvalError), plus one for each expression with a tab.
func TestNixEvalFailsAlone(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	for _, mayFail := range []bool{false, true} {
		cases := []nixCase{
			{dir, `{ a = 1; s = "q\"b\\s\nn\tt\rr $ \${x} ${"$"}{y} é 山 \u"; }`, mayFail},
			{dir, `throw "first broken expression"`, mayFail},
			{dir, `{ a = `, mayFail},
			{dir, `"fine" # with a comment`, mayFail},
			{dir, `let f = x: x; in builtins.trace "a trace" (abort "second broken expression")`, mayFail},
			{dir, `[ ''
    two lines
  '' 2.5 null true ]`, mayFail},
			{dir, "{ s = \"tab\there\"; n = builtins.stringLength \"a\tb\"; }", mayFail}, // tabs
			{dir, "let x = 2; in\tx + builtins.length\t[ 1 ]", mayFail},
		}
		wantErr := map[int]string{1: "first broken expression", 2: "syntax error", 4: "second broken expression"}
		results, started := evalAtOnce(nix, cases)
		for i, c := range cases {
			r := results[i]
			want, bad := wantErr[i]
			if !bad {
				alone := exec.Command(nix, "--eval", "--strict", "--json", "-E", c.expr)
				alone.Dir = c.dir
				value, err := alone.Output()
				if err != nil {
					t.Fatalf("%s alone: %v", c.expr, err)
				}
				if r.err != nil {
					t.Errorf("%s failed beside broken expressions: %v\n%s", c.expr, r.err, r.stderr)
				} else if string(r.out) != string(value) {
					t.Errorf("%s beside broken expressions gave %q, alone %q", c.expr, r.out, value)
				}
				continue
			}
			if r.err == nil || !strings.Contains(r.stderr, want) {
				t.Errorf("%s: err %v, stderr %q; want an error with %q", c.expr, r.err, r.stderr, want)
			}
			for j, other := range wantErr {
				if j != i && strings.Contains(r.stderr, other) {
					t.Errorf("%s: its error names another expression's failure %q:\n%s", c.expr, other, r.stderr)
				}
			}
		}
		// The list and the repl, or the repl alone; the two with tabs alone.
		if limit := map[bool]int64{false: 2, true: 1}[mayFail] + 2; started > limit {
			t.Errorf("mayFail %v: %d expressions took %d processes, want at most %d", mayFail, len(cases), started, limit)
		}
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
