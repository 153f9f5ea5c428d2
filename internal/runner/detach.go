package runner

import (
	"os/exec"
	"syscall"
)

// detach puts a Cmd with Detach set into a new process group. It only adds
// to SysProcAttr, so other settings made on the command stay.
func detach(cmd *exec.Cmd, c Cmd) {
	if !c.Detach {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = 0
}
