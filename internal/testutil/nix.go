// Package testutil has helpers shared by the tests: finding the repository
// root and running real Nix evaluations.
package testutil

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate testutil source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// InCI reports whether the tests run in CI (CI=true), where nothing may skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// RequireTool returns the path of an external tool. When it is missing the
// test is skipped locally and fails in CI.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if InCI() {
			t.Fatalf("%s is required in CI but not on PATH (scripts/install-deps installs it)", name)
		}
		t.Skipf("%s not on PATH; skipping (this fails in CI)", name)
	}
	return path
}

// NixEval evaluates a Nix expression with nix-instantiate --eval --strict
// --json and decodes the result into out. dir is the working directory, so
// relative paths in expr resolve against it.
//
// Evaluations asked for at about the same time (by parallel tests) share
// one nix-instantiate process: its start-up costs more CPU than most of
// the expressions the tests evaluate. The result is the one a process of
// its own would print; when the shared evaluation fails, each expression
// of it is evaluated alone again, so a failure reports the error of the
// test's own expression.
func NixEval(t testing.TB, dir, expr string, out any) {
	t.Helper()
	raw := NixEvalRaw(t, dir, expr)
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decoding nix output: %v\n%s", err, raw)
	}
}

// NixEvalRaw is NixEval returning the JSON text.
func NixEvalRaw(t testing.TB, dir, expr string) []byte {
	t.Helper()
	out, stderr, err := nixEval(RequireTool(t, "nix-instantiate"), dir, expr)
	if err != nil {
		t.Fatalf("nix-instantiate --eval failed: %v\n%s", err, stderr)
	}
	return out
}

// nixEval hands expr to the batcher and waits for its result.
func nixEval(nix, dir, expr string) (out []byte, stderr string, err error) {
	r := &nixRequest{nix: nix, dir: dir, expr: expr, done: make(chan struct{})}
	nixBatches.submit(r)
	<-r.done
	return r.out, r.stderr, r.err
}

// nixRequest is one expression waiting for its evaluation.
type nixRequest struct {
	nix, dir, expr string
	done           chan struct{} // closed when out or err is set
	out            []byte
	err            error
	stderr         string
}

// nixBatcher gathers the requests that arrive within batchQuiet of each
// other (at most batchMaxWait after the first) and evaluates them in one
// process per folder, with at most one process per CPU at a time; requests
// that arrive while all are busy join the next batch.
type nixBatcher struct {
	mu      sync.Mutex
	pending []*nixRequest
	wake    chan struct{}
	once    sync.Once
}

const (
	batchQuiet   = 15 * time.Millisecond
	batchMaxWait = 150 * time.Millisecond
)

var nixBatches nixBatcher

func (b *nixBatcher) submit(r *nixRequest) {
	b.once.Do(func() {
		b.wake = make(chan struct{}, 1)
		go b.dispatch()
	})
	b.mu.Lock()
	b.pending = append(b.pending, r)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *nixBatcher) take() []*nixRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.pending
	b.pending = nil
	return p
}

func (b *nixBatcher) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

func (b *nixBatcher) dispatch() {
	slots := make(chan struct{}, runtime.NumCPU())
	for range b.wake {
		// Wait until no request has come for batchQuiet, or batchMaxWait.
		deadline := time.Now().Add(batchMaxWait)
		for n := b.count(); ; {
			time.Sleep(batchQuiet)
			m := b.count()
			if m == n || time.Now().After(deadline) {
				break
			}
			n = m
		}
		slots <- struct{}{}
		// Requests that came while every slot was busy join this batch.
		reqs := b.take()
		if len(reqs) == 0 {
			<-slots
			continue
		}
		go func() {
			defer func() { <-slots }()
			evalBatch(reqs)
		}()
	}
}

// evalBatch evaluates reqs, one process for each folder and nix binary.
func evalBatch(reqs []*nixRequest) {
	type key struct{ nix, dir string }
	groups := map[key][]*nixRequest{}
	var order []key
	for _, r := range reqs {
		k := key{r.nix, r.dir}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		evalGroup(k.nix, k.dir, groups[k])
	}
}

// evalGroup evaluates the requests of one folder: the distinct expressions
// as one list in one process, or, when that fails, each alone.
func evalGroup(nix, dir string, reqs []*nixRequest) {
	byExpr := map[string][]*nixRequest{}
	var exprs []string
	for _, r := range reqs {
		if _, ok := byExpr[r.expr]; !ok {
			exprs = append(exprs, r.expr)
		}
		byExpr[r.expr] = append(byExpr[r.expr], r)
	}
	finish := func(expr string, out []byte, err error, stderr string) {
		for _, r := range byExpr[expr] {
			r.out, r.err, r.stderr = out, err, stderr
			close(r.done)
		}
	}
	if len(exprs) > 1 {
		if outs, ok := evalList(nix, dir, exprs); ok {
			for i, e := range exprs {
				finish(e, outs[i], nil, "")
			}
			return
		}
	}
	// One expression, or the list failed: each in a process of its own, as
	// many at once as there are CPUs.
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for _, e := range exprs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out, stderr, err := runNix(nix, dir, []string{"-E", e}, "")
			finish(e, out, err, stderr)
		}()
	}
	wg.Wait()
}

// evalList evaluates the list of exprs (read from standard input, so that
// relative paths resolve against dir as with -E) and splits the result
// into the JSON text of each element, as a process of its own prints it.
func evalList(nix, dir string, exprs []string) ([][]byte, bool) {
	var src strings.Builder
	src.WriteString("[\n")
	for _, e := range exprs {
		// each on lines of its own: a trailing comment cannot swallow ")"
		src.WriteString("(\n")
		src.WriteString(e)
		src.WriteString("\n)\n")
	}
	src.WriteString("]\n")
	out, _, err := runNix(nix, dir, []string{"-"}, src.String())
	if err != nil {
		return nil, false
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(out, &elems); err != nil || len(elems) != len(exprs) {
		return nil, false
	}
	outs := make([][]byte, len(elems))
	for i, el := range elems {
		outs[i] = el
	}
	return outs, true
}

// nixEnv is the environment of the evaluations: Nix starts the garbage
// collector with a heap of 384 MiB, which an evaluation of the home
// harness fills before it ever collects, and touching that much fresh
// memory costs more than collecting in a small heap that stays in the
// cache: with 32 MiB the home override check takes 0.8 s of CPU instead
// of 2.7 s. GC_INITIAL_HEAP_SIZE already set in the environment wins.
func nixEnv() []string {
	env := os.Environ()
	if _, ok := os.LookupEnv("GC_INITIAL_HEAP_SIZE"); !ok {
		env = append(env, "GC_INITIAL_HEAP_SIZE=32M")
	}
	return env
}

// nixProcesses counts the nix-instantiate processes the batcher started.
var nixProcesses atomic.Int64

func runNix(nix, dir string, args []string, stdin string) (stdout []byte, stderr string, err error) {
	nixProcesses.Add(1)
	cmd := exec.Command(nix, append([]string{"--eval", "--strict", "--json"}, args...)...)
	cmd.Dir = dir
	cmd.Env = nixEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, errb.String(), err
	}
	return out.Bytes(), errb.String(), nil
}
