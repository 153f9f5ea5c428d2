package helper

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Outcome is how a helper run ended.
type Outcome struct {
	// Code is the helper's exit status; -1 when a signal ended it.
	Code int
	// Signal is the signal that ended the helper, or 0.
	Signal syscall.Signal
	// Received lists the signals (interrupt, hang-up, terminate) this
	// process received while the helper ran.
	Received []os.Signal
}

// Interrupted reports whether the run was cut short: the helper was killed
// by a signal, or this process received one while it ran. The caller then
// treats the helper's output as absent, whatever its exit status.
func (o Outcome) Interrupted() bool { return o.Signal != 0 || len(o.Received) > 0 }

// relayed are the signals that must not end this process while a helper
// owns the terminal, and that the helper must see.
var relayed = []os.Signal{os.Interrupt, syscall.SIGHUP, syscall.SIGTERM}

// Run starts cmd, a helper program that shares this process's terminal and
// process group, and waits for it to end.
//
// While the helper runs, Ctrl-C, a hang-up and SIGTERM do not end this
// process: they are recorded (Outcome.Received) and relayed to the helper,
// which decides how to stop (a terminal form restores the terminal first).
// From a terminal the whole process group gets the signal, so the helper
// may see it twice; sent to this process alone (kill PID), the relay is
// the only way it learns of it. Either way this process waits for the
// helper and never leaves it running.
//
// started, when not nil, is called once the helper has started or failed to
// start: the place to close this process's copies of the pipe ends handed
// to the helper (cmd.ExtraFiles).
func Run(cmd *exec.Cmd, started func()) (Outcome, error) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, relayed...)
	defer signal.Stop(sigs)
	err := cmd.Start()
	if started != nil {
		started()
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var out Outcome
	for {
		select {
		case s := <-sigs:
			out.Received = append(out.Received, s)
			// The helper may have ended already: nothing to tell then.
			_ = cmd.Process.Signal(s)
		case err := <-done:
			// Signals that arrived together with the end still count.
			for drained := false; !drained; {
				select {
				case s := <-sigs:
					out.Received = append(out.Received, s)
				default:
					drained = true
				}
			}
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				return out, fmt.Errorf("waiting for %s: %w", cmd.Path, err)
			}
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			out.Code = cmd.ProcessState.ExitCode()
			if ws.Signaled() {
				out.Signal = ws.Signal()
			}
			return out, nil
		}
	}
}
