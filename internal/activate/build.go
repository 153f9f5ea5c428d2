package activate

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/runner"
)

// BuildCmd builds host's toplevel into outLink: through nix-output-monitor
// (`nom build`) when useNom, else `nix build`, whose own progress display is
// readable on a terminal.
func BuildCmd(dir, host, outLink string, useNom bool) runner.Cmd {
	if useNom {
		args := append([]string{"build", Toplevel(dir, host), "--out-link", outLink}, closure.NixFlags...)
		return runner.Cmd{Name: "nom", Args: args}
	}
	// The result is read from outLink, so this works with Nix releases
	// older than --print-out-paths (2.9) too.
	args := append(append([]string{}, closure.NixFlags...), "build", Toplevel(dir, host), "--out-link", outLink)
	return runner.Cmd{Name: "nix", Args: args}
}

// BuildError is a failed build with the last lines of its output.
type BuildError struct {
	Host string
	Tail string // the last lines the build printed
	Err  error
}

func (e *BuildError) Error() string {
	msg := fmt.Sprintf("building %s failed: %v", e.Host, e.Err)
	if e.Tail != "" {
		msg += "\nlast lines of the build:\n" + indent(e.Tail)
	}
	return msg
}

func (e *BuildError) Unwrap() error { return e.Err }

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// Build runs cmd (from BuildCmd) and returns the store path outLink points
// at. The build's messages go to log (nil: discarded) and the last lines are
// kept for the error.
func Build(ctx context.Context, r runner.Runner, host string, cmd runner.Cmd, outLink string, log io.Writer) (string, error) {
	tail := &TailBuffer{Max: 16 << 10}
	cmd.Stderr = tail
	if log != nil {
		// Standard output and error are copied by two goroutines; one
		// lock keeps their writes to log apart.
		sw := &syncWriter{w: log}
		cmd.Stdout = sw
		cmd.Stderr = io.MultiWriter(sw, tail)
	}
	if err := r.Run(ctx, cmd); err != nil {
		return "", &BuildError{Host: host, Tail: tail.LastLines(15), Err: err}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	target, err := os.Readlink(outLink)
	if err != nil {
		return "", fmt.Errorf("building %s: the build finished but left no result at %s: %w", host, outLink, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(outLink), target)
	}
	return target, nil
}

// TailBuffer keeps the last Max bytes written to it. It is safe for
// concurrent writes.
type TailBuffer struct {
	Max int
	mu  sync.Mutex
	buf []byte
}

// Write implements io.Writer.
func (t *TailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.Max; t.Max > 0 && over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// LastLines returns the last n non-empty lines written.
func (t *TailBuffer) LastLines(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var lines []string
	for _, l := range strings.Split(string(t.buf), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, "\r"))
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
