// Package runner executes external commands. Every command the axios tool
// runs goes through a Runner, so tests can replace it or record what ran.
package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Cmd describes one command to run.
type Cmd struct {
	Name   string    // program name or path
	Args   []string  // arguments, without the program name
	Dir    string    // working directory; empty means the current one
	Env    []string  // extra KEY=VALUE entries added to the environment
	Stdin  io.Reader // nil means no input
	Stdout io.Writer // nil means discard (or captured by Output)
	Stderr io.Writer // nil means discard (or captured in the error by Output)
	// Detach runs the command in a process group of its own, so the
	// signals a terminal sends to axios's group (Ctrl-C, hang-up) do not
	// reach it. For steps that must not stop half-way (activation).
	Detach bool
	// KillGroup runs the command in a process group of its own and, when
	// its context ends, kills that whole group: nothing it started is left
	// running or holding its output open. For commands that never need
	// the terminal (journalctl, systemctl queries): a command in another
	// group is stopped when it reads the terminal (sudo's password, ssh's
	// host-key question), and Ctrl-C no longer reaches it directly.
	KillGroup bool
}

// String renders the command as a shell-like line, for --dry-run and errors.
func (c Cmd) String() string {
	parts := make([]string, 0, len(c.Args)+1)
	parts = append(parts, Quote(c.Name))
	for _, a := range c.Args {
		parts = append(parts, Quote(a))
	}
	return strings.Join(parts, " ")
}

// Quote returns s quoted for a POSIX shell when it needs quoting.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=+@%#,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Runner runs commands.
type Runner interface {
	// Run runs c and waits for it. A non-zero exit is an *ExitError.
	Run(ctx context.Context, c Cmd) error
	// Output runs c and returns its standard output. A non-zero exit is an
	// *ExitError carrying the command's standard error.
	Output(ctx context.Context, c Cmd) ([]byte, error)
}

// ExitError reports a command that ran and failed.
type ExitError struct {
	Cmd    string
	Code   int
	Stderr string
}

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("%s: exit status %d", e.Cmd, e.Code)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		msg += ": " + lastLines(s, 5)
	}
	return msg
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Exec is the Runner that really executes commands.
//
// After a command's context ends or the command exits, Exec waits at most
// WaitDelay for its output pipes to close, so a descendant that inherited
// them cannot keep axios waiting. A Cmd with KillGroup runs in a process
// group of its own, and cancelling its context kills that whole group.
type Exec struct {
	// WaitDelay is exec.Cmd.WaitDelay; 0 means DefaultWaitDelay.
	WaitDelay time.Duration
}

// Run implements Runner.
func (e Exec) Run(ctx context.Context, c Cmd) error {
	cmd := build(ctx, c)
	cmd.Stdout = c.Stdout
	var stderr bytes.Buffer
	if c.Stderr != nil {
		cmd.Stderr = c.Stderr
	} else {
		cmd.Stderr = &stderr
	}
	group := setGroup(cmd, c, e.WaitDelay)
	return wrap(c, runGroup(cmd, group), stderr.String())
}

// Output implements Runner.
func (e Exec) Output(ctx context.Context, c Cmd) ([]byte, error) {
	cmd := build(ctx, c)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(c.Stderr, &stderr)
	} else {
		cmd.Stderr = &stderr
	}
	group := setGroup(cmd, c, e.WaitDelay)
	err := runGroup(cmd, group)
	return stdout.Bytes(), wrap(c, err, stderr.String())
}

func build(ctx context.Context, c Cmd) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdin = c.Stdin
	detach(cmd, c)
	return cmd
}

func wrap(c Cmd, err error, stderr string) error {
	if err == nil {
		return nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &ExitError{Cmd: c.String(), Code: exit.ExitCode(), Stderr: stderr}
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		return fmt.Errorf("%s exited, but a process it started kept its output open; that process was stopped", c.String())
	}
	if errors.Is(err, exec.ErrNotFound) {
		return fmt.Errorf("%s: command not found on PATH", c.Name)
	}
	return fmt.Errorf("running %s: %w", c.String(), err)
}
