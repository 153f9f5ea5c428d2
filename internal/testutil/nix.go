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
	"testing"
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
	nix := RequireTool(t, "nix-instantiate")
	cmd := exec.Command(nix, "--eval", "--strict", "--json", "-E", expr)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nix-instantiate --eval failed: %v\n%s", err, stderr.String())
	}
	return stdout.Bytes()
}
