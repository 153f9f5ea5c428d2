package activate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/axios-nix/axios/internal/fsutil"
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
	// Generation is the profile generation that points at Path, to make
	// the boot default again; 0 when no generation does (the profile is
	// then set to Path, which adds a generation).
	Generation int
	Path       string // the system to put back
	Running    bool   // Path was the running system (/run/current-system)
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
	// Transient runs switch-to-configuration in a transient systemd unit
	// (see Transient); without it, activation runs as a child of axios in
	// a process group of its own. Either way axios itself ignores Ctrl-C
	// and hang-ups until activation and any restore have finished.
	Transient bool
	Getenv    func(string) string // the environment passed into the unit; nil means os.Getenv
	// Prefix runs every command through it, after sudo: ["ssh", "HOST",
	// "--"] activates another machine. With a prefix the local activation
	// lock is not taken (the transient unit's name still keeps two
	// activations of that machine apart).
	Prefix []string
}

func (a Activator) profile() string {
	if a.Profile == "" {
		return DefaultProfile
	}
	return a.Profile
}

// ProfileCmd is `nix-env -p PROFILE ARGS…`, through sudo when asked.
func (a Activator) ProfileCmd(args ...string) runner.Cmd {
	c := WithPrefix(a.Prefix, a.Priv.Wrap(runner.Cmd{Name: "nix-env", Args: append([]string{"-p", a.profile()}, args...)}))
	c.Detach = true
	return c
}

// SwitchCmd is `SYSTEM/bin/switch-to-configuration ACTION`, in a transient
// systemd unit when a.Transient, through sudo when asked.
func (a Activator) SwitchCmd(system string, action Mode) runner.Cmd {
	// Run from / as nixos-rebuild does (nixpkgs PR 353079): a working
	// directory on another file system (/home) must not make the
	// activation depend on that mount.
	c := runner.Cmd{Name: filepath.Join(system, "bin", "switch-to-configuration"), Args: []string{string(action)}, Dir: "/"}
	if a.Transient {
		c = Transient(c, a.Getenv)
	}
	c = WithPrefix(a.Prefix, a.Priv.Wrap(c))
	c.Detach = true
	return c
}

// Commands returns the commands Activate runs when nothing fails.
func (a Activator) Commands(p Plan) []runner.Cmd {
	var cmds []runner.Cmd
	if a.asksSudo() {
		cmds = append(cmds, a.sudoCheck())
	}
	if p.SetProfile != nil {
		cmds = append(cmds, a.ProfileCmd(p.SetProfile...))
	}
	return append(cmds, a.SwitchCmd(p.Target, p.Mode))
}

// asksSudo reports whether the privileged steps go through sudo. They run
// in a process group of their own, where sudo cannot ask for a password on
// the terminal (it would be stopped by SIGTTIN), so `sudo -v` asks first,
// in the foreground.
func (a Activator) asksSudo() bool { return a.Priv.Sudo && !a.Priv.IsRoot() }

func (a Activator) sudoCheck() runner.Cmd { return WithPrefix(a.Prefix, a.Priv.ValidateCmd()) }

// RestoreCmds returns the commands that put p.Previous back after a failed
// activation, each with a sentence saying what it did.
func (a Activator) RestoreCmds(p Plan) ([]runner.Cmd, []string) {
	prev := p.Previous
	if prev == nil {
		return nil, nil
	}
	var cmds []runner.Cmd
	var done []string
	if p.SetProfile != nil {
		if prev.Generation > 0 {
			cmds = append(cmds, a.ProfileCmd("--switch-generation", strconv.Itoa(prev.Generation)))
			done = append(done, fmt.Sprintf("the system profile points at generation %d (%s) again", prev.Generation, prev.Path))
		} else {
			cmds = append(cmds, a.ProfileCmd("--set", prev.Path))
			done = append(done, fmt.Sprintf("the system profile points at %s again, as a new generation (no generation pointed at it)", prev.Path))
		}
	}
	what := "the previous system " + prev.Path
	if prev.Running {
		what = "the system that was running, " + prev.Path + ","
	}
	cmds = append(cmds, a.SwitchCmd(prev.Path, p.Mode))
	switch p.Mode {
	case ModeSwitch:
		done = append(done, what+" was activated again and is the boot default (switch-to-configuration switch)")
	case ModeBoot:
		done = append(done, what+" is the boot default again (switch-to-configuration boot); the running system was not touched")
	default:
		done = append(done, what+" was activated again (switch-to-configuration test); the boot default was not touched")
	}
	return cmds, done
}

// ActivationError is a failed activation and what happened to the previous
// system.
type ActivationError struct {
	Target     string
	Err        error
	Previous   *Previous
	Restored   bool
	Done       []string // what the restore did, in order
	RestoreErr error
	Manual     []string // commands to run by hand when restoring failed
}

func (e *ActivationError) Error() string {
	msg := fmt.Sprintf("activating %s failed: %v", e.Target, e.Err)
	switch {
	case e.Previous == nil:
		msg += "\nthere is no previous system to put back; fix the configuration and run the command again"
	case e.Restored:
		msg += "\nput back:"
		for _, d := range e.Done {
			msg += "\n  - " + d
		}
		msg += "\nthe failed generation stays in the list (`axios generations`)"
	default:
		if len(e.Done) > 0 {
			msg += "\nput back so far:"
			for _, d := range e.Done {
				msg += "\n  - " + d
			}
		}
		msg += fmt.Sprintf("\nputting the previous system back ALSO failed: %v\nrun these commands by hand:", e.RestoreErr)
		for _, c := range e.Manual {
			msg += "\n  " + c
		}
	}
	return msg
}

func (e *ActivationError) Unwrap() error { return e.Err }

// Activate runs the plan. When setting the profile fails nothing has
// changed. When switch-to-configuration fails, the previous system is put
// back (RestoreCmds); the returned *ActivationError says what was done.
//
// Once started, activation and restore run to the end: ctx's cancellation
// is ignored, the commands run in a process group of their own (and
// switch-to-configuration in a transient systemd unit when a.Transient),
// and Ctrl-C, SIGTERM, hang-up and SIGPIPE are held off (Shield) until
// Activate returns; the signals that arrived are reported on a.Out.
func (a Activator) Activate(ctx context.Context, p Plan) error {
	out := &drain{w: a.Out}
	release := Shield(out, ActivationNote)
	defer release()
	ctx = context.WithoutCancel(ctx)
	pt := ui.NewPainter(a.Out)
	if len(a.Prefix) == 0 {
		// One activation at a time on this machine: a second `axios
		// switch` (boot, test, rollback) stops here, before it has
		// changed anything.
		dir := filepath.Dir(a.profile())
		unlock, err := fsutil.LockDir(dir)
		if errors.Is(err, fsutil.ErrLocked) {
			return fmt.Errorf("another axios activation (switch, boot, test or rollback) is running on this machine; wait for it to finish and run again — nothing was activated")
		}
		if err != nil {
			return fmt.Errorf("%w — nothing was activated", err)
		}
		defer unlock()
	}
	if a.asksSudo() {
		v := a.sudoCheck()
		v.Stdout, v.Stderr = out, out
		if err := a.Runner.Run(ctx, v); err != nil {
			return fmt.Errorf("sudo did not give root (nothing was activated): %w", err)
		}
	}
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
	restore, done := a.RestoreCmds(p)
	for i, rc := range restore {
		rc.Stdout, rc.Stderr = out, out
		if rerr := a.Runner.Run(ctx, rc); rerr != nil {
			aerr.RestoreErr = rerr
			for _, m := range restore[i:] {
				aerr.Manual = append(aerr.Manual, m.String())
			}
			return aerr
		}
		aerr.Done = append(aerr.Done, done[i])
	}
	aerr.Restored = true
	return aerr
}
