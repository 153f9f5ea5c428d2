// Package cmdtest is the test scaffolding the axios command packages share:
// running a cobra command in-process and reading its exit status, writing
// fixture files, finding the host test vectors, and configuration-directory
// resolvers that point at a test tree. It is imported by tests only.
package cmdtest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/testutil"
)

// Run executes cmd with args, empty standard input and a background
// context; see RunContext.
func Run(t testing.TB, cmd *cobra.Command, args ...string) (string, int) {
	t.Helper()
	return RunContext(t, context.Background(), cmd, "", args...)
}

// Execute runs cmd in-process with args and returns standard output and
// standard error together, and the error the command returned (for tests
// that inspect the error itself rather than the exit status).
func Execute(cmd *cobra.Command, args ...string) (string, error) {
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// RunContext executes cmd in-process with args, stdin as standard input
// and ctx as its context. It returns standard output and standard error
// together, followed by "error: MESSAGE" when the command failed with a
// message, and the exit status the axios binary would give: the code of an
// exitcode.Error, or exitcode.Usage for any other error (as cmd/axios does).
func RunContext(t testing.TB, ctx context.Context, cmd *cobra.Command, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return out.String(), exitcode.OK
	}
	var coded *exitcode.Error
	if !errors.As(err, &coded) {
		return out.String() + "error: " + err.Error(), exitcode.Usage
	}
	if coded.Err != nil {
		out.WriteString("error: " + coded.Err.Error())
	}
	return out.String(), coded.Code
}

// ExpectOutput fails the test for each want that out does not contain.
func ExpectOutput(t testing.TB, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// Write writes content to path with mode 0644, creating its folders.
func Write(t testing.TB, path, content string) {
	t.Helper()
	WriteMode(t, path, content, 0o644)
}

// WriteMode writes content to path with mode perm, creating its folders.
func WriteMode(t testing.TB, path, content string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

// HostVector is the path of the host test vector tests/hosts/STEM.toml.
func HostVector(t testing.TB, stem string) string {
	t.Helper()
	return filepath.Join(testutil.RepoRoot(t), "tests", "hosts", stem+".toml")
}

// ConfigAt is a resolver that finds the configuration directory dir (as
// $AXIOS_FLAKE would name it).
func ConfigAt(dir string) configdir.Resolver {
	return configdir.Resolver{Getenv: func(string) string { return dir }}
}

// NoConfig is a resolver that finds no configuration directory: no
// $AXIOS_FLAKE, and an empty folder as both the current and the home
// directory.
func NoConfig(t testing.TB) configdir.Resolver {
	t.Helper()
	empty := t.TempDir()
	return configdir.Resolver{
		Getenv:  func(string) string { return "" },
		Getwd:   func() (string, error) { return empty, nil },
		HomeDir: func() (string, error) { return empty, nil },
	}
}

// Status is the exit status the axios binary gives for err: 0 for nil,
// the code of an exitcode.Error, exitcode.Usage for any other error.
func Status(err error) int {
	if err == nil {
		return exitcode.OK
	}
	var coded *exitcode.Error
	if errors.As(err, &coded) {
		return coded.Code
	}
	return exitcode.Usage
}

// SyncBuffer is a bytes.Buffer safe for writers in several goroutines
// (a child process's output read while the test inspects it).
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
