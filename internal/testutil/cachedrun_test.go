package testutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A tool's output is reused for the same program, arguments and input
// bytes (under other file names), and made again when any of them changes.
func TestCachedRun(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	log := filepath.Join(dir, "calls")
	tool := filepath.Join(dir, "upcase")
	writeTool := func(suffix string) {
		t.Helper()
		WriteFile(t, tool, "#!/bin/sh\necho call >> "+log+"\ntr a-z A-Z < \"$2\" > \"$3\"\necho "+suffix+" >> \"$3\"\n")
		os.Chmod(tool, 0o755)
	}
	writeTool("one")
	calls := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "call\n")
	}
	run := func(name, input string, args ...string) string {
		t.Helper()
		in := filepath.Join(t.TempDir(), name+".txt")
		out := filepath.Join(t.TempDir(), name+".out")
		WriteFile(t, in, input)
		if err := cachedRun(cache, tool, append(args, in, out)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, step := range []struct {
		name, input, flag string
		want              string
		calls             int
	}{
		{"a", "hello", "-x", "HELLOone\n", 1},
		{"b", "hello", "-x", "HELLOone\n", 1}, // other file names, same bytes
		{"c", "world", "-x", "WORLDone\n", 2},
		{"d", "hello", "-y", "HELLOone\n", 3},
	} {
		if got := run(step.name, step.input, step.flag); got != step.want || calls() != step.calls {
			t.Errorf("step %d: output %q after %d calls, want %q after %d", i, got, calls(), step.want, step.calls)
		}
	}
	// Another program (here: the same path, rewritten) runs again.
	time.Sleep(10 * time.Millisecond)
	writeTool("two")
	if got := run("e", "hello", "-x"); got != "HELLOtwo\n" || calls() != 4 {
		t.Errorf("after the tool changed: %q after %d calls", got, calls())
	}
	// A failing run says so and caches nothing.
	WriteFile(t, tool, "#!/bin/sh\necho broken >&2\nexit 3\n")
	if err := cachedRun(cache, tool, []string{"-z", filepath.Join(dir, "calls"), filepath.Join(dir, "x.out")}); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("failing tool: %v", err)
	}
}

// A tool's standard output is reused for the same program, arguments and
// input bytes; a failure is reported with the tool's standard error and
// kept nowhere, so the next call runs the tool again.
func TestCachedOutput(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	tool, calls := countingTool(t, "check", `if grep -q bad "$2"; then echo "$2 is bad" >&2; exit 1; fi
tr a-z A-Z < "$2"`)
	run := func(input string) (string, error) {
		t.Helper()
		in := filepath.Join(t.TempDir(), "in.txt")
		WriteFile(t, in, input)
		out, err := cachedOutput(cache, tool, []string{"fmt", in})
		return string(out), err
	}
	for i, step := range []struct {
		input, want string
		calls       int
	}{
		{"hello", "HELLO", 1},
		{"hello", "HELLO", 1}, // another file, same bytes
		{"world", "WORLD", 2},
	} {
		if got, err := run(step.input); err != nil || got != step.want || calls() != step.calls {
			t.Errorf("step %d: %q, %v after %d calls; want %q after %d", i, got, err, calls(), step.want, step.calls)
		}
	}
	for want := 3; want <= 4; want++ {
		if _, err := run("bad"); err == nil || !strings.Contains(err.Error(), "is bad") || calls() != want {
			t.Errorf("failing run: %v after %d calls; want the tool's error after %d", err, calls(), want)
		}
	}
	if _, err := cachedOutput(cache, filepath.Join(dir, "missing"), nil); !errors.Is(err, errNoKey) {
		t.Errorf("a missing tool: %v", err)
	}
}

// countingTool writes a shell script named name into a folder of its own
// that runs body after noting the call, and returns its path and a
// function that counts the calls so far.
func countingTool(t *testing.T, name, body string) (string, func() int) {
	t.Helper()
	dir := t.TempDir()
	log, tool := filepath.Join(dir, "calls"), filepath.Join(dir, name)
	WriteFile(t, tool, "#!/bin/sh\necho call >> '"+log+"'\n"+body+"\n")
	if err := os.Chmod(tool, 0o755); err != nil {
		t.Fatal(err)
	}
	return tool, func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "call\n")
	}
}
