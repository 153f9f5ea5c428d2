package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestNixEvalBatches: of expressions asked for at once, each gets the
// output a process of its own prints (relative paths resolve
// against its folder, a trailing comment does not swallow the rest), and a
// failing expression fails alone, with its own error.
func TestNixEvalBatches(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "v.nix"), []byte(`{ n = 7; }`), 0o644); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "v.nix"), []byte(`{ n = 8; }`), 0o644); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		dir, expr, wantErr string
	}
	cases := []tc{
		{dir, `(import ./v.nix).n`, ""},
		{other, `(import ./v.nix).n`, ""},
		{dir, `{ s = "a\"b"; l = [ 1 2.5 null true ]; } # a comment`, ""},
		{dir, `let x = 3; in x * x`, ""},
		{dir, `throw "first broken expression"`, "first broken expression"},
		{dir, `builtins.toString ./.`, ""},
		{dir, `{ a = `, "syntax error"},
		{dir, `(import ./v.nix).n`, ""}, // the same expression twice
	}
	for i := range 8 {
		cases = append(cases, tc{dir, strings.Repeat("1 + ", i) + "1", ""})
	}
	type result struct {
		out    []byte
		stderr string
		err    error
	}
	results := make([]result, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, stderr, err := nixEval(nix, c.dir, c.expr)
			results[i] = result{out, stderr, err}
		}()
	}
	wg.Wait()
	for i, c := range cases {
		r := results[i]
		alone := exec.Command(nix, "--eval", "--strict", "--json", "-E", c.expr)
		alone.Dir = c.dir
		want, aloneErr := alone.Output()
		if c.wantErr != "" {
			if r.err == nil || !strings.Contains(r.stderr, c.wantErr) {
				t.Errorf("%s: err %v, stderr %q; want an error with %q", c.expr, r.err, r.stderr, c.wantErr)
			}
			for j, o := range cases {
				if o.wantErr != "" && j != i && strings.Contains(r.stderr, o.wantErr) {
					t.Errorf("%s: the error names another expression's failure %q:\n%s", c.expr, o.wantErr, r.stderr)
				}
			}
			continue
		}
		if aloneErr != nil {
			t.Fatalf("%s alone: %v", c.expr, aloneErr)
		}
		if r.err != nil {
			t.Errorf("%s: %v\n%s", c.expr, r.err, r.stderr)
		} else if string(r.out) != string(want) {
			t.Errorf("%s in a batch gave %q, alone %q", c.expr, r.out, want)
		}
	}
}

// TestNixEvalSharesOneProcess: expressions that all succeed take one
// process per folder.
func TestNixEvalSharesOneProcess(t *testing.T) {
	nix := RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	before := nixProcesses.Load()
	var wg sync.WaitGroup
	outs := make([]string, 20)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, stderr, err := nixEval(nix, dir, strings.Repeat("2 * ", i)+"1")
			if err != nil {
				t.Errorf("%v\n%s", err, stderr)
			}
			outs[i] = string(out)
		}()
	}
	wg.Wait()
	for i, o := range outs {
		want := strconv.Itoa(1 << i)
		if o != want+"\n" {
			t.Errorf("expression %d: %q, want %q", i, o, want+"\n")
		}
	}
	if n := nixProcesses.Load() - before; n > 2 {
		t.Errorf("20 expressions asked for at once took %d processes", n)
	}
}
