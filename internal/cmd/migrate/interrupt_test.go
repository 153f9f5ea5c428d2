package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
)

// blockingEval waits in the evaluation until its context ends (as
// nix-instantiate's process group is killed then), and returns only when
// the test lets it, so both of the test's signals arrive while it runs.
type blockingEval struct {
	started, cancelled chan struct{}
	release            chan struct{}
}

func (b blockingEval) Eval(ctx context.Context, file, _, _ string) (map[string]any, error) {
	close(b.started)
	<-ctx.Done()
	close(b.cancelled)
	<-b.release
	return nil, ctx.Err()
}

// Ctrl-C, then a hang-up, during the evaluation: the command stops, says so, and
// writes nothing; the test process (standing for axios) is not killed.
func TestMigrateInterrupted(t *testing.T) {
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "hosts", "a.nix"), "{ }\n")
	ev := blockingEval{started: make(chan struct{}), cancelled: make(chan struct{}), release: make(chan struct{})}
	done := make(chan struct{})
	var out string
	var code int
	go func() {
		defer close(done)
		out, code = cmdtest.Run(t, New(ev), dir)
	}()
	<-ev.started
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-ev.cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the evaluation")
	}
	// Then the terminal hangs up.
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	time.Sleep(100 * time.Millisecond)
	close(ev.release)
	<-done
	if code != exitcode.Failed || !strings.Contains(out, "interrupted") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "a.toml")); err == nil {
		t.Error("an interrupted run wrote a file")
	}
}
