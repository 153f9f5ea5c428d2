package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testrunenv"
	"github.com/axios-nix/axios/internal/testutil"
)

func paths(ps []*pkg) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.importPath)
	}
	return s
}

// Packages whose test binaries share a name go to separate folders; every
// package gets a binary path of its own, the same from run to run.
func TestGroupsSeparateSameNames(t *testing.T) {
	pkgs := []*pkg{{importPath: "m/x/a"}, {importPath: "m/b"}, {importPath: "m/a"}, {importPath: "m/y/a"}, {importPath: "m/x/b"}}
	gs := groups("/c", pkgs)
	want := [][]string{{"m/a", "m/b"}, {"m/x/a", "m/x/b"}, {"m/y/a"}}
	if len(gs) != len(want) {
		t.Fatalf("groups %v, want %v", gs, want)
	}
	for i := range gs {
		if got := strings.Join(paths(gs[i]), " "); got != strings.Join(want[i], " ") {
			t.Errorf("group %d = %s, want %s", i, got, strings.Join(want[i], " "))
		}
	}
	seen := map[string]string{}
	for _, p := range pkgs {
		if other, dup := seen[p.binary]; dup {
			t.Errorf("%s and %s share the binary %s", p.importPath, other, p.binary)
		}
		seen[p.binary] = p.importPath
	}
	if pkgs[2].binary != "/c/g0/a.test" || pkgs[0].binary != "/c/g1/a.test" {
		t.Errorf("binaries %s, %s", pkgs[2].binary, pkgs[0].binary)
	}
}

// The slowest package of the last run starts first; a package with no
// recorded duration starts before all of them.
func TestScheduleSlowestFirst(t *testing.T) {
	pkgs := []*pkg{{importPath: "quick"}, {importPath: "new"}, {importPath: "slow"}, {importPath: "mid"}, {importPath: "also-mid"}}
	schedule(pkgs, map[string]time.Duration{"quick": time.Millisecond, "slow": 9 * time.Second, "mid": time.Second, "also-mid": time.Second})
	if got, want := strings.Join(paths(pkgs), " "), "new slow also-mid mid quick"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

// Durations survive a write and read; a damaged line is skipped, not fatal.
func TestDurationsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "durations")
	if got := readDurations(file); len(got) != 0 {
		t.Errorf("missing file read as %v", got)
	}
	d := map[string]time.Duration{"a/b": 1500 * time.Millisecond, "c": 20 * time.Millisecond}
	if err := writeDurations(file, d); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	os.WriteFile(file, append(b, "garbage\nx -1\ny nope\n"...), 0o644)
	got := readDurations(file)
	if len(got) != 2 || got["a/b"] != 1500*time.Millisecond || got["c"] != 20*time.Millisecond {
		t.Errorf("read back %v, want %v", got, d)
	}
	if err := writeDurations(filepath.Join(t.TempDir(), "no", "such", "dir"), d); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}

// A whole run on a module of its own: a failing package prints its output
// and FAIL, a package without tests nothing; a test that leaves a process
// holding its output fails instead of hanging (in a package whose test
// binary has the same name as another's). The second run links nothing
// (the binaries are the same files) and passes -run through: the passing
// test alone prints "ok".
func TestRunBuildsOnceAndReports(t *testing.T) {
	testutil.RequireTool(t, "go")
	testutil.RequireTool(t, "sleep")
	old := pipeWait
	pipeWait = 300 * time.Millisecond
	t.Cleanup(func() { pipeWait = old })

	t.Setenv(testrunenv.RunVar, "") // the test binaries get the run's own
	// Linked without symbol table and DWARF: a fifth less CPU for the two
	// links, and testrun passes the go command its environment as it is.
	t.Setenv("GOFLAGS", "-ldflags=-s -w")
	t.Setenv("GOMAXPROCS", "") // testrun gives each binary its share
	mod := t.TempDir()
	testutil.WriteFile(t, filepath.Join(mod, "go.mod"), "module example.com/m\n\ngo 1.26\n")
	testutil.WriteFile(t, filepath.Join(mod, "pass", "pass_test.go"), `package pass

import (
	"os"
	"runtime"
	"strconv"
	"testing"
)

func TestOK(t *testing.T) {
	if os.Getenv("AXIOS_TESTRUN_RUN") == "" {
		t.Error("the test binary runs without a run id")
	}
	// three binaries at once (-p 3): each gets its share of the CPUs
	if got, want := os.Getenv("GOMAXPROCS"), strconv.Itoa(max(1, runtime.NumCPU()/3)); got != want {
		t.Errorf("GOMAXPROCS %q, want %s", got, want)
	}
}

func TestBad(t *testing.T) { t.Error("boom") }
`)
	testutil.WriteFile(t, filepath.Join(mod, "notests", "x.go"), "package notests\n")
	// sub/pass: a test binary of the same name as pass's
	testutil.WriteFile(t, filepath.Join(mod, "sub", "pass", "leak_test.go"), `package pass

import (
	"os"
	"os/exec"
	"testing"
)

func TestLeak(t *testing.T) {
	cmd := exec.Command("sleep", "2")
	cmd.Stdout = os.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
}
`)
	logged, _ := loggingGo(t)
	cache := t.TempDir()
	o := options{parallel: 3, cache: cache, patterns: []string{"./..."}, timeout: time.Minute, dir: mod}
	var out bytes.Buffer
	results, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	passed := map[string]bool{}
	for _, r := range results {
		passed[r.importPath] = r.ok
	}
	if len(passed) != 2 || passed["example.com/m/pass"] || passed["example.com/m/sub/pass"] || allPassed(results) {
		t.Errorf("results %+v: want the two packages with tests, both failed", results)
	}
	for _, re := range []string{
		`(?m)^--- FAIL: TestBad`,
		`boom`,
		`(?m)^FAIL\texample\.com/m/pass\t\d+\.\d{3}s$`,
		`kept their output open`,
		`(?m)^FAIL\texample\.com/m/sub/pass\t`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("output lacks %s:\n%s", re, text)
		}
	}
	if strings.Contains(text, "notests") {
		t.Errorf("a package without tests was run:\n%s", text)
	}
	if d := readDurations(filepath.Join(cache, "durations")); len(d) != 2 {
		t.Errorf("durations %v, want the 2 packages with tests", d)
	}

	inode := func(p string) uint64 {
		t.Helper()
		fi, err := os.Stat(filepath.Join(cache, p))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	before := []uint64{inode("g0/pass.test"), inode("g1/pass.test")}
	o.run = "TestOK"
	out.Reset()
	// Nothing changed since the build: the go command is not asked to list
	// or build again (a go that logs its calls shows it).
	os.Remove(logged)
	results, err = run(context.Background(), o, &out)
	if calls, _ := os.ReadFile(logged); len(calls) != 0 {
		t.Errorf("an unchanged module: the go command was asked:\n%s", calls)
	}
	if err != nil || !allPassed(results) || len(results) != 2 {
		t.Fatalf("second run: %+v, %v\n%s", results, err, out.String())
	}
	// A binary replaced since (another run's build of other packages under
	// the same name): the go command is asked.
	os.Remove(logged)
	bin0 := filepath.Join(cache, "g0", "pass.test")
	data, err := os.ReadFile(bin0)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(bin0)
	if err := os.WriteFile(bin0, data, 0o755); err != nil {
		t.Fatal(err)
	}
	before = []uint64{inode("g0/pass.test"), inode("g1/pass.test")}
	out.Reset()
	if _, err := run(context.Background(), o, &out); err != nil {
		t.Fatal(err)
	}
	if calls, _ := os.ReadFile(logged); !strings.Contains(string(calls), "test -c") {
		t.Errorf("a replaced binary: the go command was not asked to build:\n%s", calls)
	}
	os.Remove(logged)
	// A file that is not Go source changes: the go command is asked, and
	// leaves the binaries of unchanged code alone.
	testutil.WriteFile(t, filepath.Join(mod, "README"), "notes\n")
	out.Reset()
	results, err = run(context.Background(), o, &out)
	if calls, _ := os.ReadFile(logged); !strings.Contains(string(calls), "test -c") {
		t.Errorf("a changed module: the go command was not asked to build:\n%s", calls)
	}
	if err != nil || !allPassed(results) || len(results) != 2 {
		t.Fatalf("second run: %+v, %v\n%s", results, err, out.String())
	}
	for _, re := range []string{`(?m)^ok  \texample\.com/m/pass\t\d+\.\d{3}s$`, `(?m)^ok  \texample\.com/m/sub/pass\t\S+ \[no tests to run\]$`} {
		if !regexp.MustCompile(re).MatchString(out.String()) {
			t.Errorf("-run TestOK: output lacks %s:\n%s", re, out.String())
		}
	}
	if after := []uint64{inode("g0/pass.test"), inode("g1/pass.test")}; !slices.Equal(before, after) {
		t.Errorf("unchanged packages were linked again (inodes %v, then %v)", before, after)
	}

	// A package that does not compile: an error naming it, and no test run.
	testutil.WriteFile(t, filepath.Join(mod, "pass", "pass_test.go"), "package pass\n\nfunc TestOK(t *testing.T) {}\n")
	out.Reset()
	_, err = run(context.Background(), o, &out)
	if err == nil || !strings.Contains(err.Error(), "example.com/m/pass") {
		t.Errorf("a compile error: %v, want one naming the package", err)
	}
	if out.Len() != 0 {
		t.Errorf("tests ran although a package does not build:\n%s", out.String())
	}
}

// Usage errors exit 2 and say what is wrong.
func TestCLIUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cli([]string{"-p", "0"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "-p 0: want at least 1") {
		t.Errorf("-p 0: exit %d, %q", code, stderr.String())
	}
	stderr.Reset()
	if code := cli([]string{"-nosuchflag"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "nosuchflag") {
		t.Errorf("unknown flag: exit %d, %q", code, stderr.String())
	}
}

// runScheduled runs -p packages at once, and while CPUs stand idle one
// more each time it looks, up to twice -p; every package runs once and
// its result lands in its own place.
func TestRunScheduledFillsIdleCPUs(t *testing.T) {
	old := fillEvery
	fillEvery = 5 * time.Millisecond
	t.Cleanup(func() { fillEvery = old })
	for _, c := range []struct {
		name    string
		idle    func() float64
		wantMax int64
	}{
		{"no meter", nil, 2},
		{"busy", func() float64 { return 0.5 }, 2},
		{"idle", func() float64 { return 1.5 }, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			var pkgs []*pkg
			for i := range 10 {
				pkgs = append(pkgs, &pkg{importPath: fmt.Sprintf("example.com/p%d", i)})
			}
			var running, most atomic.Int64
			ran := map[string]int{}
			var mu sync.Mutex
			var out bytes.Buffer
			results := runScheduled(pkgs, 2, c.idle, func(p *pkg) ([]byte, result) {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(60 * time.Millisecond)
				running.Add(-1)
				mu.Lock()
				ran[p.importPath]++
				mu.Unlock()
				return []byte("ok  \t" + p.importPath + "\n"), result{importPath: p.importPath, ok: true}
			}, &out)
			if got := most.Load(); got != c.wantMax {
				t.Errorf("at most %d packages ran at once, want %d", got, c.wantMax)
			}
			for i, p := range pkgs {
				if ran[p.importPath] != 1 || results[i].importPath != p.importPath || !results[i].ok {
					t.Errorf("%s ran %d times, result %+v", p.importPath, ran[p.importPath], results[i])
				}
			}
			if n := strings.Count(out.String(), "ok  \t"); n != len(pkgs) {
				t.Errorf("printed %d results, want %d:\n%s", n, len(pkgs), out.String())
			}
		})
	}
}

// cpuTimes reads the idle (with I/O wait) and total CPU time from the
// first line of /proc/stat; other text is not CPU times.
func TestCPUTimes(t *testing.T) {
	idle, total, ok := cpuTimes("cpu  100 5 50 1000 20 1 2 3 7 0\ncpu0 1 2 3 4\n")
	if !ok || idle != 1020 || total != 1181 {
		t.Errorf("cpuTimes = %d, %d, %v; want 1020, 1181, true", idle, total, ok)
	}
	for _, bad := range []string{"", "intr 1 2 3", "cpu 1 2 x 4 5", "cpu 1 2"} {
		if _, _, ok := cpuTimes(bad); ok {
			t.Errorf("cpuTimes(%q) ok", bad)
		}
	}
	if meter := newIdleMeter(); meter != nil {
		time.Sleep(20 * time.Millisecond)
		if n := meter(); n < 0 || n > float64(runtime.NumCPU()) {
			t.Errorf("idle CPUs %v, want between 0 and %d", n, runtime.NumCPU())
		}
	}
}

// -vet: go vet's report fails the run; once it passed, the same files are
// not vetted again, but other files or another go command are.
func TestVet(t *testing.T) {
	logged, goProgram := loggingGo(t)
	calls := func() int {
		b, _ := os.ReadFile(logged)
		return strings.Count(string(b), "\n")
	}
	mod := t.TempDir()
	testutil.WriteFile(t, filepath.Join(mod, "go.mod"), "module example.com/v\n\ngo 1.26\n")
	testutil.WriteFile(t, filepath.Join(mod, "p", "p.go"), "package p\n\nimport \"fmt\"\n\nfunc F() { fmt.Printf(\"%d\\n\", \"text\") }\n")
	cache := t.TempDir()
	err := vet(context.Background(), mod, cache, []string{"./..."})
	if err == nil || !strings.Contains(err.Error(), "Printf format %d has arg") {
		t.Fatalf("a vet error: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "vetted")); err == nil {
		t.Fatal("a failed vet was kept as passed")
	}
	testutil.WriteFile(t, filepath.Join(mod, "p", "p.go"), "package p\n\nimport \"fmt\"\n\nfunc F() { fmt.Printf(\"%s\\n\", \"text\") }\n")
	if err := vet(context.Background(), mod, cache, []string{"./..."}); err != nil {
		t.Fatal(err)
	}
	n := calls()
	if err := vet(context.Background(), mod, cache, []string{"./..."}); err != nil || calls() != n {
		t.Errorf("vetted files were vetted again (%d go calls, were %d): %v", calls(), n, err)
	}
	for _, c := range []struct {
		name     string
		change   func()
		patterns []string
	}{
		{"a new file", func() { testutil.WriteFile(t, filepath.Join(mod, "p", "q.go"), "package p\n") }, []string{"./..."}},
		{"another go command", func() { os.Chtimes(goProgram, time.Now().Add(time.Hour), time.Now().Add(time.Hour)) }, []string{"./..."}},
		{"another package list", func() {}, []string{"./p"}},
	} {
		c.change()
		n := calls()
		if err := vet(context.Background(), mod, cache, c.patterns); err != nil || calls() != n+1 {
			t.Errorf("%s: %d go calls, want %d (%v)", c.name, calls(), n+1, err)
		}
	}
}

// loggingGo puts first on PATH a go program that appends each command line
// to the returned log, then runs the real go command; program is its path.
func loggingGo(t *testing.T) (log, program string) {
	t.Helper()
	realGo := testutil.RequireTool(t, "go")
	log = filepath.Join(t.TempDir(), "go.log")
	bin := t.TempDir()
	program = filepath.Join(bin, "go")
	testutil.WriteFile(t, program, "#!/bin/sh\necho \"$*\" >> "+log+"\nexec "+realGo+" \"$@\"\n")
	if err := os.Chmod(program, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log, program
}
