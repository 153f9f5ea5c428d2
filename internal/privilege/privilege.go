// Package privilege decides how commands that need root run: directly when
// axios already runs as root, through sudo only when the user asked for it
// with --sudo, and otherwise not at all, with a clear error before anything
// has changed.
package privilege

import (
	"fmt"
	"os"

	"github.com/axios-nix/axios/internal/runner"
)

// Checker knows whether the process is root and whether sudo may be used.
// The zero value checks the real effective user id and never uses sudo.
type Checker struct {
	Geteuid func() int // nil means os.Geteuid
	Sudo    bool       // the user passed --sudo
	SudoCmd string     // "" means "sudo"
}

// IsRoot reports whether the process runs as root.
func (c Checker) IsRoot() bool {
	if c.Geteuid != nil {
		return c.Geteuid() == 0
	}
	return os.Geteuid() == 0
}

// Require returns nil when root commands can run (as root, or with --sudo),
// and otherwise an error that says what needs root and how to get it. what
// describes the action ("activate the new system").
func (c Checker) Require(command, what string) error {
	if c.IsRoot() || c.Sudo {
		return nil
	}
	return fmt.Errorf("%s needs root to %s: run `sudo axios %s`, or add --sudo to run only the privileged steps through sudo", command, what, command)
}

// ValidateCmd is `sudo -v`: it asks for the password when sudo needs one
// and refreshes sudo's timestamp, so the privileged commands that follow
// run without asking.
func (c Checker) ValidateCmd() runner.Cmd {
	return runner.Cmd{Name: c.sudo(), Args: []string{"-v"}}
}

func (c Checker) sudo() string {
	if c.SudoCmd == "" {
		return "sudo"
	}
	return c.SudoCmd
}

// Wrap returns cmd unchanged when running as root, and prefixed with sudo
// when --sudo was given. Wrap does not check; call Require first.
func (c Checker) Wrap(cmd runner.Cmd) runner.Cmd {
	if c.IsRoot() || !c.Sudo {
		return cmd
	}
	args := append([]string{"--", cmd.Name}, cmd.Args...)
	cmd.Name, cmd.Args = c.sudo(), args
	return cmd
}
