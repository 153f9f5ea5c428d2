// Package testutil has helpers shared by the tests: finding the repository
// root and running real Nix evaluations.
package testutil

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
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
	out, stderr, err := nixEval(RequireTool(t, "nix-instantiate"), dir, expr, false)
	if err != nil {
		t.Fatalf("nix-instantiate --eval failed: %v\n%s", err, stderr)
	}
	return out
}

// NixEvalError evaluates expr as NixEval does, expecting it to fail, and
// returns the error output. The test fails when the evaluation succeeds.
// Expressions expected to fail, asked for at about the same time, share
// one `nix repl` process, which reports each one's own error.
func NixEvalError(t testing.TB, dir, expr string) string {
	t.Helper()
	out, stderr, err := nixEval(RequireTool(t, "nix-instantiate"), dir, expr, true)
	if err == nil {
		t.Fatalf("the evaluation succeeded with %s; want an error\nexpression: %s", out, expr)
	}
	return stderr
}

// nixEval hands expr to the batcher and waits for its result.
func nixEval(nix, dir, expr string, mayFail bool) (out []byte, stderr string, err error) {
	r := &nixRequest{nix: nix, dir: dir, expr: expr, mayFail: mayFail, done: make(chan struct{})}
	nixBatches.submit(r)
	<-r.done
	return r.out, r.stderr, r.err
}

// nixRequest is one expression waiting for its evaluation.
type nixRequest struct {
	nix, dir, expr string
	mayFail        bool          // expected to fail (NixEvalError)
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
	type key struct {
		nix, dir string
		mayFail  bool
	}
	groups := map[key][]*nixRequest{}
	var order []key
	for _, r := range reqs {
		k := key{r.nix, r.dir, r.mayFail}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		evalGroup(k.nix, k.dir, k.mayFail, groups[k])
	}
}

// evalGroup evaluates the requests of one folder. The distinct expressions
// go as one list to one nix-instantiate process; when that fails (one of
// them fails), or when they are expected to fail (mayFail), to one `nix
// repl`, which goes on after an expression fails, so that each gets its own
// value or error. Those the repl did not take or get through (it died, or
// a broken expression swallowed the input after it) are evaluated again,
// each in a process of its own.
func evalGroup(nix, dir string, mayFail bool, reqs []*nixRequest) {
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
	if len(exprs) > 1 && !mayFail {
		if outs, ok := evalList(nix, dir, exprs); ok {
			for i, e := range exprs {
				finish(e, outs[i], nil, "")
			}
			return
		}
	}
	rest := exprs
	if len(exprs) > 1 {
		rest = nil
		for i, res := range evalRepl(nix, dir, exprs) {
			if !res.done {
				rest = append(rest, exprs[i])
				continue
			}
			var err error
			if res.failed {
				err = errEvalFailed
			}
			finish(exprs[i], res.out, err, res.stderr)
		}
	}
	// As many at once as there are CPUs.
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for _, e := range rest {
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

// errEvalFailed is the error of an expression that failed in the repl (its
// message is the request's stderr).
var errEvalFailed = errors.New("nix evaluation failed")

// replResult is what the repl made of one expression.
type replResult struct {
	done   bool   // the repl got through it
	failed bool   // it has no value: stderr says why
	out    []byte // its JSON, as nix-instantiate --eval --strict --json prints it
	stderr string
}

// evalRepl evaluates exprs in one `nix repl` in dir (relative paths
// resolve against it, as with -E). Each is sent as
// `builtins.toJSON (EXPR)`, which forces the value whole and writes the
// JSON text that --strict --json prints (both use the same printer), then
// a marker: `builtins.trace M M` prints M as a value on standard output
// and as a trace on standard error, so both streams split into one part
// per expression. The repl prints a string value on a line of its own in
// colour; the lines it echoes from the input carry no escape character.
//
// The repl reads its input through a line editor, where a tab asks for
// completion (which can change the expression) and other control
// characters edit the line: such expressions are not sent, and stay
// undone.
func evalRepl(nix, dir string, exprs []string) []replResult {
	results := make([]replResult, len(exprs))
	var sent []*replResult
	var in strings.Builder
	var nonce [8]byte
	rand.Read(nonce[:])
	marker := func(k int) string { return fmt.Sprintf("@@axios-eval-%x-%d@@", nonce, k) }
	start := marker(-1)
	fmt.Fprintf(&in, "builtins.trace %q %q\n", start, start)
	for i, e := range exprs {
		if strings.ContainsFunc(e, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) {
			continue
		}
		// On lines of their own: a trailing comment cannot swallow "))",
		// and "(" keeps the input open until the expression is whole.
		m := marker(len(sent))
		fmt.Fprintf(&in, "(builtins.toJSON (\n%s\n))\nbuiltins.trace %q %q\n", e, m, m)
		sent = append(sent, &results[i])
	}
	if len(sent) == 0 {
		return results
	}
	cmd := exec.Command(nix, "--extra-experimental-features", "nix-command", "repl")
	cmd.Args[0] = "nix" // nix-instantiate is the nix program under another name
	cmd.Dir = dir
	cmd.Env = nixEnv()
	cmd.Stdin = strings.NewReader(in.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	nixProcesses.Add(1)
	cmd.Run() // a crash shows as missing markers

	// Standard output: the string values, in order.
	k := -1 // before the start marker
	for line := range strings.Lines(stdout.String()) {
		v, ok := replString(strings.TrimSuffix(line, "\n"))
		if !ok {
			continue
		}
		switch {
		case v == start:
			k = 0
		case k < 0 || k >= len(sent):
		case v == marker(k):
			sent[k].done = true
			sent[k].failed = sent[k].out == nil
			k++
		default:
			sent[k].out = []byte(v)
		}
	}
	// Standard error: what each expression printed (its error, traces).
	k = -1
	var part strings.Builder
	for line := range strings.Lines(stderr.String()) {
		switch t := strings.TrimSuffix(line, "\n"); {
		case t == "trace: "+start:
			k = 0
			part.Reset()
		case k < 0 || k >= len(sent):
		case t == "trace: "+marker(k):
			sent[k].stderr = part.String()
			part.Reset()
			k++
		default:
			part.WriteString(line)
		}
	}
	for _, r := range sent {
		// Done on one stream only: the repl's streams disagree; start again.
		if r.done && r.failed && !strings.Contains(r.stderr, "error:") {
			r.done = false
		}
	}
	return results
}

// replString decodes a line the repl prints for a string value: the
// string as a Nix literal, in colour ("\x1b[35;1m"...""\x1b[0m").
func replString(line string) (string, bool) {
	const pre, post = "\x1b[35;1m\"", "\"\x1b[0m"
	if !strings.HasPrefix(line, pre) || !strings.HasSuffix(line, post) || len(line) < len(pre)+len(post) {
		return "", false
	}
	lit := line[len(pre) : len(line)-len(post)]
	var b strings.Builder
	for j := 0; j < len(lit); j++ {
		c := lit[j]
		if c != '\\' || j+1 == len(lit) {
			b.WriteByte(c)
			continue
		}
		j++
		switch lit[j] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default: // \\, \", \$
			b.WriteByte(lit[j])
		}
	}
	return b.String(), true
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
