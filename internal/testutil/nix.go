// Package testutil has helpers shared by the tests: finding the repository
// root and running real Nix evaluations.
package testutil

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
)

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	if repoRoot == "" {
		t.Fatal("cannot locate testutil source file")
	}
	return repoRoot
}

// repoRoot is the repository root, found from this file's path ("" when
// the runtime does not know it).
var repoRoot = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}()

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

// NixEval evaluates a Nix expression as `nix-instantiate --eval --strict
// --json -E expr` run in dir does (relative paths resolve against dir) and
// decodes the result into out.
//
// The evaluation runs in a `nix repl` kept for the test binary's lifetime
// (see replPool), which saves the start of a Nix process and shares the
// files every test imports (lib/core, the harnesses), when the repl's
// answer is certainly the one nix-instantiate would give; otherwise in a
// nix-instantiate process of its own.
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
	out, stderr, err := nixMemo.evalOr(nixWorkers, RequireTool(t, "nix-instantiate"), dir, expr, false)
	if err != nil {
		t.Fatalf("nix-instantiate --eval failed: %v\n%s", err, stderr)
	}
	return out
}

// NixEvalError evaluates expr as NixEval does, expecting it to fail, and
// returns the error output. The test fails when the evaluation succeeds.
func NixEvalError(t testing.TB, dir, expr string) string {
	t.Helper()
	out, stderr, err := nixMemo.evalOr(nixWorkers, RequireTool(t, "nix-instantiate"), dir, expr, true)
	if err == nil {
		t.Fatalf("the evaluation succeeded with %s; want an error\nexpression: %s", out, expr)
	}
	return stderr
}

// nixWorkers are the repl workers of this test binary: one per CPU, as
// many evaluations at once as go test runs test binaries.
var nixWorkers = newReplPool(runtime.NumCPU())

// evalOr evaluates expr in one of the pool's repls, or in a nix-instantiate
// process of its own when the repl cannot give the answer nix-instantiate
// would: the repl did not take it as one input, or it failed where
// nix-instantiate may not (see replAnswer.doubtful). An expression
// expected to succeed that fails is evaluated again alone, so that its
// error is nix-instantiate's own.
func (p *replPool) evalOr(nix, dir, expr string, mayFail bool) (out []byte, stderr string, err error) {
	if a, ok := p.eval(nix, dir, expr); ok {
		switch {
		case a.value != nil:
			return a.value, a.stderr, nil
		case mayFail && !a.doubtful():
			return nil, a.stderr, errEvalFailed
		}
	}
	return runNix(nix, dir, expr)
}

// errEvalFailed is the error of an expression that failed in a repl (its
// message is the stderr returned with it).
var errEvalFailed = errors.New("nix evaluation failed")

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

// nixProcesses counts the Nix processes started: repls and
// nix-instantiate.
var nixProcesses atomic.Int64

// runNix evaluates expr with nix-instantiate --eval --strict --json in dir.
func runNix(nix, dir, expr string) (stdout []byte, stderr string, err error) {
	nixProcesses.Add(1)
	cmd := exec.Command(nix, "--eval", "--strict", "--json", "-E", expr)
	cmd.Dir = dir
	cmd.Env = nixEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, errb.String(), err
	}
	return out.Bytes(), errb.String(), nil
}
