package activate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"

	"github.com/axios-nix/axios/internal/runner"
)

// Interruptible returns ctx (context.Background when nil) cancelled by
// Ctrl-C (SIGINT), SIGTERM or a hang-up (SIGHUP: the terminal closed, the
// SSH session dropped), so a command stops its child processes and puts
// back what it changed instead of dying half-way.
func Interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
}

// Interrupted reports whether err, from a command run with ctx, means the
// command was interrupted: ctx was cancelled (Ctrl-C, hang-up), or the
// command was killed by a signal. The terminal sends Ctrl-C to the child
// too, which may die of it before axios has seen the same signal.
func Interrupted(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	var exit *runner.ExitError
	return errors.As(err, &exit) && exit.Code == -1
}

// shielded are the signals that must not end axios while the system is
// being activated or put back.
var shielded = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE}

// ActivationNote is what Shield says during activation.
const ActivationNote = "during activation; it goes on to the end (stopping switch-to-configuration half-way leaves a half-activated system)"

// Shield keeps Ctrl-C (SIGINT), SIGTERM, a hang-up (SIGHUP) and a broken
// output pipe (SIGPIPE) from ending axios until the returned release
// function is called; release returns the signals that arrived meanwhile.
// Each arrival is reported on out as "axios: SIGNAL received NOTE" (write
// errors are ignored: after a hang-up the terminal is gone). Activation and
// the restore after it run shielded, so a second Ctrl-C cannot kill the
// restore.
func Shield(out io.Writer, note string) (release func() []os.Signal) {
	ch := make(chan os.Signal, 16)
	var sigs []os.Signal
	for _, s := range shielded {
		// A signal the program already ignores stays ignored: notifying
		// and then stopping would give it back its default action.
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	signal.Notify(ch, sigs...)
	var mu sync.Mutex
	var got []os.Signal
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case s := <-ch:
				mu.Lock()
				got = append(got, s)
				mu.Unlock()
				fmt.Fprintf(out, "axios: %s received %s\n", signalName(s), note)
			case <-done:
				return
			}
		}
	}()
	return func() []os.Signal {
		signal.Stop(ch)
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return append([]os.Signal(nil), got...)
	}
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "Ctrl-C (SIGINT)"
	case syscall.SIGHUP:
		return "hang-up (SIGHUP)"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGPIPE:
		return "SIGPIPE"
	}
	return s.String()
}

// HasNom reports whether nix-output-monitor (nom) is installed, found with
// lookPath (nil means exec.LookPath).
func HasNom(lookPath func(string) (string, error)) bool {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	_, err := lookPath("nom")
	return err == nil
}

// drain is a writer that never fails. The output of an activation goes
// through it, so when the terminal has gone away the child's output pipe is
// still read and the child never gets EPIPE from it.
type drain struct {
	mu sync.Mutex
	w  io.Writer
}

func (d *drain) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w != nil {
		if _, err := d.w.Write(p); err != nil {
			d.w = nil // stop writing to a dead terminal; keep reading
		}
	}
	return len(p), nil
}
