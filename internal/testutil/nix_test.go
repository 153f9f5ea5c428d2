package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

type nixCase struct{ dir, expr string }

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
			out, stderr, err := nixEval(nix, c.dir, c.expr)
			results[i] = nixResult{out, stderr, err}
		}()
	}
	wg.Wait()
	return results, nixProcesses.Load() - before
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNixEvalBatches: expressions asked for at once take one process per
// folder, and each gets exactly the output a process of its own prints
// (relative paths resolve against its folder, a trailing comment does not
// swallow the rest, the same expression twice is evaluated once).
func TestNixEvalBatches(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir, other := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(dir, "v.nix"), `{ n = 7; }`)
	writeFile(t, filepath.Join(other, "v.nix"), `{ n = 8; }`)
	cases := []nixCase{
		{dir, `(import ./v.nix).n`},
		{other, `(import ./v.nix).n`},
		{dir, `{ s = "a\"b"; l = [ 1 2.5 null true ]; } # a comment`},
		{dir, `let x = 3; in x * x`},
		{dir, `builtins.toString ./.`},
		{dir, `(import ./v.nix).n`},
		{dir, `[ ]`},
		{other, `builtins.toString ./.`},
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

// TestNixEvalFailsAlone: when one of the expressions asked for at once
// fails, the others still get their values and each failure reports its
// own error, not another's.
func TestNixEvalFailsAlone(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	cases := []nixCase{
		{dir, `{ a = 1; }`},
		{dir, `throw "first broken expression"`},
		{dir, `{ a = `},
		{dir, `"fine"`},
	}
	wantErr := map[int]string{1: "first broken expression", 2: "syntax error"}
	results, _ := evalAtOnce(nix, cases)
	for i, c := range cases {
		r := results[i]
		want, bad := wantErr[i]
		if !bad {
			if r.err != nil {
				t.Errorf("%s failed beside a broken expression: %v\n%s", c.expr, r.err, r.stderr)
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
	if string(results[0].out) != `{"a":1}` || string(results[3].out) != `"fine"` {
		t.Errorf("values beside the broken expressions: %q, %q", results[0].out, results[3].out)
	}
}
