package activate

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/axios-nix/axios/internal/privilege"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Mode is what `axios` does with a built system.
type Mode string

// Modes, named after the switch-to-configuration actions.
const (
	ModeBuild  Mode = "build"  // build only
	ModeSwitch Mode = "switch" // make it the boot default and activate it now
	ModeBoot   Mode = "boot"   // make it the boot default
	ModeTest   Mode = "test"   // activate it now, without touching the boot default
)

// SetsProfile reports whether the mode adds a generation to the system
// profile.
func (m Mode) SetsProfile() bool { return m == ModeSwitch || m == ModeBoot }

// Default paths of a NixOS machine.
const (
	DefaultProfile       = "/nix/var/nix/profiles/system"
	DefaultCurrentSystem = "/run/current-system"
	DefaultNixOSMarker   = "/etc/NIXOS"
)

// Previous is the system to put back when activation fails.
type Previous struct {
	Generation int    // generation to point the profile back at; 0 when the profile is not touched
	Path       string // the system whose switch-to-configuration runs
}

// Plan is one activation.
type Plan struct {
	Mode       Mode
	Target     string   // the system to activate (a store path)
	SetProfile []string // nix-env arguments after `-p PROFILE` ("--set", PATH); nil leaves the profile alone
	Previous   *Previous
}

// Activator runs activation plans.
type Activator struct {
	Runner  runner.Runner
	Priv    privilege.Checker
	Profile string    // "" means DefaultProfile
	Out     io.Writer // progress messages and the activation's output
}

func (a Activator) profile() string {
	if a.Profile == "" {
		return DefaultProfile
	}
	return a.Profile
}

// ProfileCmd is `nix-env -p PROFILE ARGS…`, through sudo when asked.
func (a Activator) ProfileCmd(args ...string) runner.Cmd {
	return a.Priv.Wrap(runner.Cmd{Name: "nix-env", Args: append([]string{"-p", a.profile()}, args...)})
}

// SwitchCmd is `SYSTEM/bin/switch-to-configuration ACTION`, through sudo
// when asked.
func (a Activator) SwitchCmd(system string, action Mode) runner.Cmd {
	return a.Priv.Wrap(runner.Cmd{Name: filepath.Join(system, "bin", "switch-to-configuration"), Args: []string{string(action)}})
}

// Commands returns the commands Activate runs when nothing fails.
func (a Activator) Commands(p Plan) []runner.Cmd {
	var cmds []runner.Cmd
	if p.SetProfile != nil {
		cmds = append(cmds, a.ProfileCmd(p.SetProfile...))
	}
	return append(cmds, a.SwitchCmd(p.Target, p.Mode))
}

// ActivationError is a failed activation and what happened to the previous
// system.
type ActivationError struct {
	Target     string
	Err        error
	Previous   *Previous
	Restored   bool
	RestoreErr error
	Manual     []string // commands to run by hand when restoring failed
}

func (e *ActivationError) Error() string {
	msg := fmt.Sprintf("activating %s failed: %v", e.Target, e.Err)
	switch {
	case e.Previous == nil:
		msg += "\nthere is no previous generation to put back; fix the configuration and run the command again"
	case e.Restored && e.Previous.Generation > 0:
		msg += fmt.Sprintf("\nthe previous generation %d (%s) was put back and activated; the failed generation stays in the list (`axios generations`)", e.Previous.Generation, e.Previous.Path)
	case e.Restored:
		msg += fmt.Sprintf("\nthe previous system %s was activated again", e.Previous.Path)
	default:
		msg += fmt.Sprintf("\nputting the previous system back ALSO failed: %v\nrun these commands by hand:", e.RestoreErr)
		for _, c := range e.Manual {
			msg += "\n  " + c
		}
	}
	return msg
}

func (e *ActivationError) Unwrap() error { return e.Err }

// Activate runs the plan. When setting the profile fails nothing has
// changed. When switch-to-configuration fails, the profile is pointed back
// at the previous generation and the previous system's
// switch-to-configuration runs with the same action; the returned
// *ActivationError says whether that worked.
func (a Activator) Activate(ctx context.Context, p Plan) error {
	out := a.Out
	if out == nil {
		out = io.Discard
	}
	pt := ui.NewPainter(out)
	// Once activation starts it must run to the end: killing
	// switch-to-configuration half-way leaves a half-activated system.
	ctx = context.WithoutCancel(ctx)
	if p.SetProfile != nil {
		c := a.ProfileCmd(p.SetProfile...)
		c.Stdout, c.Stderr = out, out
		if err := a.Runner.Run(ctx, c); err != nil {
			return fmt.Errorf("setting the system profile failed, nothing was activated: %w", err)
		}
	}
	c := a.SwitchCmd(p.Target, p.Mode)
	c.Stdout, c.Stderr = out, out
	err := a.Runner.Run(ctx, c)
	if err == nil {
		return nil
	}
	aerr := &ActivationError{Target: p.Target, Err: err, Previous: p.Previous}
	if p.Previous == nil {
		return aerr
	}
	fmt.Fprintln(out, pt.Paint(ui.Red, "activation failed; putting the previous system back"))
	var restore []runner.Cmd
	if p.SetProfile != nil && p.Previous.Generation > 0 {
		restore = append(restore, a.ProfileCmd("--switch-generation", strconv.Itoa(p.Previous.Generation)))
	}
	restore = append(restore, a.SwitchCmd(p.Previous.Path, p.Mode))
	for i, rc := range restore {
		rc.Stdout, rc.Stderr = out, out
		if rerr := a.Runner.Run(ctx, rc); rerr != nil {
			aerr.RestoreErr = rerr
			for _, m := range restore[i:] {
				aerr.Manual = append(aerr.Manual, m.String())
			}
			return aerr
		}
	}
	aerr.Restored = true
	return aerr
}
