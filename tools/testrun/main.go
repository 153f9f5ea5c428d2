// Command testrun runs the Go tests of packages as `go test -count=1`
// does, but keeps each package's linked test binary in a cache folder
// between runs. `go test -c -o DIR/` leaves a binary alone when the build
// ID recorded in it matches its inputs, so on a warm cache only the
// packages whose code or dependencies changed are linked again; `go test`
// links every test binary on every run (57 links, ≈30 CPU-seconds, half of
// this repository's test time on two cores). When the module's files, the
// go command and its settings are those of the last build that ended well
// (testrunenv.BuildKey), the go command is not run at all.
//
//	testrun [-p N] [-fill=false] [-vet] [-run REGEXP] [-v] [-timeout D] [-cache DIR] [PACKAGES]
//
// PACKAGES defaults to ./... . Test binaries run N at a time (default: the
// number of CPUs, as go test), and one more each time a CPU stands idle
// for a quarter of a second, up to 2N (a test that sleeps leaves its CPU
// unused; a fixed -p 3 or 4 only added CPU time here; -fill=false turns
// this off), each with GOMAXPROCS set to its share of the CPUs unless the
// environment sets it (procsPerBinary). With -vet, `go vet PACKAGES` runs
// beside the tests, and its failure fails the run; it is skipped when it
// passed before on the same files, go command and settings. Each runs in its package's folder with the flags `go test`
// gives it, the slowest package of the previous run first. Each package's result is printed when
// it ends, as `go test` prints it: "ok" with the time, or the package's
// whole output and "FAIL". The exit status is 1 when a package fails or
// does not build, 2 on a usage error.
//
// The cache folder defaults to axios-testrun/<hash of the working
// directory> under the user's cache folder ($XDG_CACHE_HOME or ~/.cache,
// else the temporary folder); it holds one folder per group of packages whose test binaries
// would share a name, the previous run's durations, and the go command's
// scratch space (GOTMPDIR), so that a binary is renamed into place and a
// second run at the same time never executes a half-written file.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/testrunenv"
)

// pkg is one package with tests.
type pkg struct {
	importPath string
	dir        string // its source folder, where its tests run
	binary     string // its test binary in the cache
}

type options struct {
	parallel int
	fill     bool   // start more test binaries while CPUs stand idle
	vet      bool   // run go vet on the packages beside the tests
	runID    string // names the run in testrunenv.RunVar (testutil.GoBuild builds once per run); run sets it
	run      string
	verbose  bool
	cache    string
	patterns []string
	timeout  time.Duration
	dir      string // where the go command runs; "" is the working directory
}

func main() {
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

func cli(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.parallel, "p", runtime.NumCPU(), "test binaries to run at once")
	fs.BoolVar(&o.fill, "fill", true, "run one more test binary each time a CPU stands idle, up to twice -p")
	fs.StringVar(&o.run, "run", "", "run only the tests matching `regexp` (go test -run)")
	fs.BoolVar(&o.verbose, "v", false, "print every package's output (go test -v)")
	fs.BoolVar(&o.vet, "vet", false, "also run go vet on the packages, beside the tests")
	fs.StringVar(&o.cache, "cache", "", "keep the test binaries in `dir` (default: under the user cache folder)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "panic a test binary that runs longer than `d` (go test -timeout)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.parallel < 1 {
		fmt.Fprintf(stderr, "testrun: -p %d: want at least 1\n", o.parallel)
		return 2
	}
	o.patterns = fs.Args()
	if len(o.patterns) == 0 {
		o.patterns = []string{"./..."}
	}
	if o.cache == "" {
		dir, err := defaultCache()
		if err != nil {
			fmt.Fprintf(stderr, "testrun: %v (pass -cache DIR)\n", err)
			return 2
		}
		o.cache = dir
	}
	vetted := make(chan error, 1)
	if o.vet {
		go func() { vetted <- vet(context.Background(), o.dir, o.cache, o.patterns) }()
	} else {
		vetted <- nil
	}
	results, err := run(context.Background(), o, stdout)
	code := 0
	if err != nil {
		fmt.Fprintf(stderr, "testrun: %v\n", err)
		code = 1
	} else if !allPassed(results) {
		fmt.Fprintln(stdout, "FAIL")
		code = 1
	}
	if err := <-vetted; err != nil {
		fmt.Fprintf(stderr, "testrun: %v\n", err)
		code = 1
	}
	return code
}

// vet runs go vet on patterns in dir, unless it passed before on the same
// files with the same go command and settings (testrunenv.BuildKey, kept
// in the file "vetted" of cache): the go command's own check of its vet
// results costs a CPU-second.
func vet(ctx context.Context, dir, cache string, patterns []string) error {
	stamp := filepath.Join(cache, "vetted")
	state := testrunenv.StateOf(dir, "testrun vetted", patterns)
	if state.OK {
		if b, err := os.ReadFile(stamp); err == nil && string(b) == state.Head {
			return nil
		}
	}
	cmd := exec.CommandContext(ctx, "go", append([]string{"vet"}, patterns...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go vet %s failed: %v\n%s", strings.Join(patterns, " "), err, out)
	}
	if state.Unchanged() && os.MkdirAll(cache, 0o755) == nil {
		fsutil.WriteFileAtomic(stamp, []byte(state.Head), 0o644)
	}
	return nil
}

// defaultCache is the cache folder of the module in the working directory:
// one per checkout, so that two checkouts never replace each other's
// binaries at every run.
func defaultCache() (string, error) {
	base := testrunenv.CacheBase()
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the working directory: %w", err)
	}
	sum := sha256.Sum256([]byte(wd))
	return filepath.Join(base, "axios-testrun", hex.EncodeToString(sum[:8])), nil
}

// run builds the test binaries of o.patterns and runs them; it returns
// each package's result. An error means no test ran.
func run(ctx context.Context, o options, out io.Writer) ([]result, error) {
	pkgs, err := builtPackages(ctx, o)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		fmt.Fprintln(out, "testrun: no packages with tests")
		return nil, nil
	}
	var id [8]byte
	rand.Read(id[:])
	o.runID = hex.EncodeToString(id[:])
	durations := readDurations(filepath.Join(o.cache, "durations"))
	schedule(pkgs, durations)
	results := runAll(ctx, o, pkgs, out)
	for _, r := range results {
		durations[r.importPath] = r.elapsed
	}
	if err := writeDurations(filepath.Join(o.cache, "durations"), durations); err != nil {
		// Only the order of the next run depends on it.
		fmt.Fprintf(out, "testrun: warning: %v\n", err)
	}
	return results, nil
}

// builtPackages lists the packages of o.patterns that have tests and
// builds their test binaries. When the files, the go command and its
// settings are those of the last build (testrunenv.BuildKey, the same
// before and after that build) and every binary is the one it left (size,
// modification time, inode), it reads the list kept then and asks the go
// command nothing: listing the packages and checking the binaries costs
// it two CPU-seconds on a warm cache.
func builtPackages(ctx context.Context, o options) ([]*pkg, error) {
	built := filepath.Join(o.cache, "built")
	state := testrunenv.StateOf(o.dir, "testrun built", o.patterns)
	if state.OK {
		if pkgs := readBuilt(built, state.Head, o.cache); pkgs != nil {
			return pkgs, nil
		}
	}
	pkgs, err := listPackages(ctx, o.dir, o.patterns)
	if err != nil || len(pkgs) == 0 {
		return pkgs, err
	}
	tmp := filepath.Join(o.cache, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("making the cache folder: %w", err)
	}
	// Until this build ends well nothing is kept: an interrupted or failed
	// build may have replaced some binaries.
	if err := os.Remove(built); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("removing %s: %w", built, err)
	}
	if err := build(ctx, o.dir, o.cache, tmp, pkgs); err != nil {
		return nil, err
	}
	if state.Unchanged() {
		writeBuilt(built, state.Head, pkgs) // else the next run asks again
	}
	return pkgs, nil
}

// readBuilt reads the packages kept by writeBuilt under head
// ("import-path<TAB>folder<TAB>binary's identity" lines), sets their
// binaries (groups) and returns them, or nil when the file is another
// build's or a binary is not the one that build left.
func readBuilt(file, head, cache string) []*pkg {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	first, rest, ok := strings.Cut(string(b), "\n")
	if !ok || first != head {
		return nil
	}
	var pkgs []*pkg
	var ids []string
	for line := range strings.Lines(rest) {
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 3 {
			return nil
		}
		pkgs = append(pkgs, &pkg{importPath: f[0], dir: f[1]})
		ids = append(ids, f[2])
	}
	groups(cache, pkgs)
	for i, p := range pkgs {
		if fi, err := os.Stat(p.binary); err != nil || !fi.Mode().IsRegular() || testrunenv.Identity(fi) != ids[i] {
			return nil
		}
	}
	return pkgs
}

// writeBuilt keeps the packages built under head, with the identity of
// each binary.
func writeBuilt(file, head string, pkgs []*pkg) {
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, p := range pkgs {
		fi, err := os.Stat(p.binary)
		if err != nil || strings.ContainsAny(p.importPath+p.dir, "\t\n") {
			return
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\n", p.importPath, p.dir, testrunenv.Identity(fi))
	}
	fsutil.WriteFileAtomic(file, []byte(b.String()), 0o644)
}

// allPassed reports whether every package passed.
func allPassed(results []result) bool {
	for _, r := range results {
		if !r.ok {
			return false
		}
	}
	return true
}

// listPackages lists the packages of patterns that have test files.
func listPackages(ctx context.Context, dir string, patterns []string) ([]*pkg, error) {
	args := append([]string{"list", "-f", "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}\t{{.Dir}}{{end}}"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	listed, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v\n%s", strings.Join(patterns, " "), err, stderr.Bytes())
	}
	var pkgs []*pkg
	sc := bufio.NewScanner(bytes.NewReader(listed))
	for sc.Scan() {
		importPath, dir, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			pkgs = append(pkgs, &pkg{importPath: importPath, dir: dir})
		}
	}
	return pkgs, nil
}

// groups splits pkgs so that no two packages of a group have test binaries
// of the same name (`go test -c -o DIR/` names each binary after the last
// element of its import path), and sets each package's binary path under
// cache: group k is folder g<k>. The first group takes every package it
// can, in import path order, so a package keeps its folder from run to run
// unless a package of the same name is added before it.
func groups(cache string, pkgs []*pkg) [][]*pkg {
	sorted := slices.Clone(pkgs)
	slices.SortFunc(sorted, func(a, b *pkg) int { return strings.Compare(a.importPath, b.importPath) })
	var gs [][]*pkg
	var names []map[string]bool
	for _, p := range sorted {
		name := path.Base(p.importPath) + ".test"
		k := 0
		for k < len(gs) && names[k][name] {
			k++
		}
		if k == len(gs) {
			gs = append(gs, nil)
			names = append(names, map[string]bool{})
		}
		gs[k] = append(gs[k], p)
		names[k][name] = true
		p.binary = filepath.Join(cache, "g"+strconv.Itoa(k), name)
	}
	return gs
}

// build links the test binaries that are missing or out of date, one go
// command per group.
func build(ctx context.Context, workDir, cache, tmp string, pkgs []*pkg) error {
	for _, g := range groups(cache, pkgs) {
		dir := filepath.Dir(g[0].binary)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("making %s: %w", dir, err)
		}
		args := []string{"test", "-c", "-o", dir + string(filepath.Separator)}
		for _, p := range g {
			args = append(args, p.importPath)
		}
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = workDir
		cmd.Env = append(os.Environ(), "GOTMPDIR="+tmp)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building the test binaries failed: %v\n%s", err, out)
		}
		for _, p := range g {
			if _, err := os.Stat(p.binary); err != nil {
				return fmt.Errorf("go test -c did not write the test binary of %s: %w", p.importPath, err)
			}
		}
	}
	return nil
}

// schedule orders pkgs slowest first by the previous run's durations;
// packages without one (new, or no previous run) go first, since nothing
// says they are quick. Equal durations keep import path order.
func schedule(pkgs []*pkg, durations map[string]time.Duration) {
	slices.SortStableFunc(pkgs, func(a, b *pkg) int {
		da, oka := durations[a.importPath]
		db, okb := durations[b.importPath]
		switch {
		case oka != okb:
			if !oka {
				return -1
			}
			return 1
		case da != db:
			if da > db {
				return -1
			}
			return 1
		}
		return strings.Compare(a.importPath, b.importPath)
	})
}

// result is one package's run.
type result struct {
	importPath string
	ok         bool
	elapsed    time.Duration
}

// runAll runs the test binaries of pkgs in the order given and prints
// each package's result as it ends: o.parallel at a time, and with o.fill
// one more whenever a CPU has stood idle for fillEvery (tests that sleep,
// waiting on a timeout or a process they started, leave theirs unused),
// up to twice o.parallel.
func runAll(ctx context.Context, o options, pkgs []*pkg, out io.Writer) []result {
	var idle func() float64
	if o.fill {
		idle = newIdleMeter()
	}
	return runScheduled(pkgs, o.parallel, idle, func(p *pkg) ([]byte, result) {
		return runOne(ctx, o, p)
	}, out)
}

// fillEvery is how often runScheduled looks for an idle CPU.
var fillEvery = 250 * time.Millisecond

// runScheduled runs pkgs with runPkg as runAll describes; idle (which may
// be nil: no extra runs) tells how many CPUs stood idle since it was last
// asked.
func runScheduled(pkgs []*pkg, parallel int, idle func() float64, runPkg func(*pkg) ([]byte, result), out io.Writer) []result {
	results := make([]result, len(pkgs))
	done := make(chan int)
	var mu sync.Mutex // guards out
	next, running := 0, 0
	start := func() {
		i := next
		next++
		running++
		go func() {
			text, r := runPkg(pkgs[i])
			results[i] = r
			mu.Lock()
			out.Write(text)
			mu.Unlock()
			done <- i
		}()
	}
	tick := time.NewTicker(fillEvery)
	defer tick.Stop()
	if idle != nil {
		idle() // start the first interval
	}
	for next < len(pkgs) || running > 0 {
		for next < len(pkgs) && running < parallel {
			start()
		}
		select {
		case <-done:
			running--
		case <-tick.C:
			if idle != nil && idle() >= 1 && next < len(pkgs) && running < 2*parallel {
				start()
			}
		}
	}
	return results
}

// newIdleMeter returns a function that reports how many CPUs stood idle
// since its previous call, from the kernel's CPU times (/proc/stat), or
// nil where there are none.
func newIdleMeter() func() float64 {
	read := func() (idle, total uint64, ok bool) {
		data, err := os.ReadFile("/proc/stat")
		if err != nil {
			return 0, 0, false
		}
		return cpuTimes(string(data))
	}
	prevIdle, prevTotal, ok := read()
	if !ok {
		return nil
	}
	cpus := float64(runtime.NumCPU())
	return func() float64 {
		idle, total, ok := read()
		if !ok || total <= prevTotal {
			return 0
		}
		n := float64(idle-prevIdle) / float64(total-prevTotal) * cpus
		prevIdle, prevTotal = idle, total
		return n
	}
}

// cpuTimes reads the idle and total time of all CPUs from the "cpu" line
// of /proc/stat ("cpu user nice system idle iowait irq softirq steal
// ..."); waiting for I/O counts as idle.
func cpuTimes(stat string) (idle, total uint64, ok bool) {
	line, _, _ := strings.Cut(stat, "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0, 0, false
	}
	for i, f := range fields[1:] {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		// guest and guest_nice (fields 9 and 10) are already in user and nice
		if i < 8 {
			total += n
		}
		if i == 3 || i == 4 {
			idle += n
		}
	}
	return idle, total, true
}

// grace is how long a test binary has past its own -test.timeout (after
// which it panics with the stacks of its goroutines) before it is killed.
const grace = time.Minute

// pipeWait is how long a test binary's output may stay open after it
// exits, held by a process it started and did not stop.
var pipeWait = 10 * time.Second

// runOne runs p's test binary in p's folder and returns what to print.
func runOne(ctx context.Context, o options, p *pkg) ([]byte, result) {
	args := []string{"-test.paniconexit0", "-test.timeout=" + o.timeout.String(), "-test.count=1"}
	if o.run != "" {
		args = append(args, "-test.run="+o.run)
	}
	if o.verbose {
		args = append(args, "-test.v=true")
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout+grace)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.binary, args...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), testrunenv.RunVar+"="+o.runID)
	if os.Getenv("GOMAXPROCS") == "" {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(procsPerBinary(o.parallel)))
	}
	cmd.WaitDelay = pipeWait
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	start := time.Now()
	err := cmd.Run()
	r := result{importPath: p.importPath, ok: err == nil, elapsed: time.Since(start)}
	var text bytes.Buffer
	secs := fmt.Sprintf("%.3fs", r.elapsed.Seconds())
	switch {
	case errors.Is(err, exec.ErrWaitDelay):
		r.ok = false
		text.Write(output.Bytes())
		fmt.Fprintf(&text, "testrun: the tests passed, but a process they started kept their output open %s after they ended\n", pipeWait)
		fmt.Fprintf(&text, "FAIL\t%s\t%s\n", p.importPath, secs)
	case err != nil:
		text.Write(output.Bytes())
		if ctx.Err() != nil {
			fmt.Fprintf(&text, "testrun: killed after %s\n", o.timeout+grace)
		} else if _, exited := err.(*exec.ExitError); !exited {
			fmt.Fprintf(&text, "testrun: %v\n", err)
		}
		fmt.Fprintf(&text, "FAIL\t%s\t%s\n", p.importPath, secs)
	default:
		if o.verbose {
			text.Write(output.Bytes())
		}
		note := ""
		if bytes.Contains(output.Bytes(), []byte("testing: warning: no tests to run")) {
			note = " [no tests to run]"
		}
		fmt.Fprintf(&text, "ok  \t%s\t%s%s\n", p.importPath, secs, note)
	}
	return text.Bytes(), r
}

// procsPerBinary is the GOMAXPROCS of each test binary when -p of them
// run at once: its share of the CPUs, at least one. The binaries already
// keep every CPU busy, and a Go runtime with more processors than its
// share spins and runs idle-time garbage collection on CPUs the other
// binaries need (on two cores, GOMAXPROCS=1 took 5 of 61 CPU-seconds off
// ./scripts/test). GOMAXPROCS set in the environment wins.
func procsPerBinary(parallel int) int {
	return max(1, runtime.NumCPU()/parallel)
}

// readDurations reads the durations file: "import-path seconds" lines.
// A missing or damaged file reads as no durations.
func readDurations(file string) map[string]time.Duration {
	d := map[string]time.Duration{}
	b, err := os.ReadFile(file)
	if err != nil {
		return d
	}
	for line := range strings.Lines(string(b)) {
		importPath, secs, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		if s, err := strconv.ParseFloat(secs, 64); err == nil && s >= 0 {
			d[importPath] = time.Duration(s * float64(time.Second))
		}
	}
	return d
}

// writeDurations replaces the durations file by renaming a complete new
// one over it, so a run that reads it at the same time sees the old or the
// new file whole.
func writeDurations(file string, d map[string]time.Duration) error {
	var b strings.Builder
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %.3f\n", k, d[k].Seconds())
	}
	if err := fsutil.WriteFileAtomic(file, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("saving the durations: %w", err)
	}
	return nil
}
