package runner

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// DefaultWaitDelay is how long Exec waits, after its context ends or after
// the command exits, for the command's output pipes to close before it
// closes them itself (exec.Cmd.WaitDelay). A descendant that inherited the
// pipe and lives on would otherwise block the wait, and with it the
// shutdown of axios, for as long as it runs.
const DefaultWaitDelay = 5 * time.Second

// setGroup sets WaitDelay, and for a Cmd with KillGroup puts the command
// into a process group of its own and makes cancelling its context kill
// the whole group, so no descendant is left holding a pipe.
func setGroup(cmd *exec.Cmd, c Cmd, wait time.Duration) (group bool) {
	if wait <= 0 {
		wait = DefaultWaitDelay
	}
	cmd.WaitDelay = wait
	if !c.KillGroup {
		return false
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = 0
	cmd.Cancel = func() error {
		return killGroup(cmd.Process.Pid)
	}
	return true
}

// killGroup sends SIGKILL to the process group pgid; a group that is gone
// already is no error.
func killGroup(pgid int) error {
	if pgid <= 1 {
		return nil
	}
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// runGroup runs cmd (prepared by setGroup) to the end. When the command ran
// in its own group and was cancelled, or exited while a descendant still
// held its output (exec.ErrWaitDelay), what is left of the group is killed.
func runGroup(cmd *exec.Cmd, group bool) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	err := cmd.Wait()
	if group && (errors.Is(err, exec.ErrWaitDelay) || cmd.ProcessState != nil && cmdCancelled(cmd)) {
		_ = killGroup(cmd.Process.Pid)
	}
	return err
}

func cmdCancelled(cmd *exec.Cmd) bool {
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true
	}
	return false
}
