package activate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/generations"
	"github.com/axios-nix/axios/internal/privilege"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Env is the machine the pipeline works on; tests point it at temporary
// trees. The zero value is the real NixOS machine.
type Env struct {
	Runner        runner.Runner     // nil means runner.Exec{}
	Priv          privilege.Checker // root and sudo
	Profile       string            // "" means DefaultProfile
	CurrentSystem string            // "" means DefaultCurrentSystem
	NixOSMarker   string            // "" means DefaultNixOSMarker
	// SystemdDir exists when systemd is PID 1 ("" means
	// DefaultSystemdDir); with it and systemd-run on PATH (found with
	// LookPath, nil meaning exec.LookPath), activation runs in a transient
	// systemd unit.
	SystemdDir  string
	LookPath    func(string) (string, error)
	Getenv      func(string) string // nil means os.Getenv
	Stdin       io.Reader           // answers to the confirmation
	Interactive bool                // Stdin is a terminal
	Stdout      io.Writer
	Stderr      io.Writer
	// UseNom builds through nix-output-monitor.
	UseNom bool
}

// WithDefaults fills the zero fields.
func (e Env) WithDefaults() Env {
	if e.Runner == nil {
		e.Runner = runner.Exec{}
	}
	if e.Profile == "" {
		e.Profile = DefaultProfile
	}
	if e.CurrentSystem == "" {
		e.CurrentSystem = DefaultCurrentSystem
	}
	if e.NixOSMarker == "" {
		e.NixOSMarker = DefaultNixOSMarker
	}
	if e.SystemdDir == "" {
		e.SystemdDir = DefaultSystemdDir
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	return e
}

// Activator returns the activator for this machine: switch-to-configuration
// runs in a transient systemd unit when systemd-run can be used here.
func (e Env) Activator() Activator {
	return Activator{
		Runner: e.Runner, Priv: e.Priv, Profile: e.Profile, Out: e.Stdout,
		Transient: SystemdRunUsable(e.LookPath, e.SystemdDir),
		Getenv:    e.Getenv,
	}
}

// Previous returns what to put back when activating in mode fails, read
// before anything changes. For switch and test it is the system that is
// running (/run/current-system), not the profile's current generation,
// which `axios boot` may have pointed at a system that never ran; for
// switch, the generation pointing at it is found so the boot default goes
// back to it too. For boot it is the profile's current generation (the boot
// default before), since boot does not touch the running system. Without a
// running system, switch falls back to the profile's current generation.
func (e Env) Previous(mode Mode) *Previous {
	running := e.RunningSystem()
	lister := profileLister(e.Profile)
	switch {
	case mode == ModeTest:
		if running == "" {
			return nil
		}
		return &Previous{Path: running, Running: true}
	case mode == ModeSwitch && running != "":
		prev := &Previous{Path: running, Running: true}
		if list, err := lister.List(); err == nil {
			for _, g := range list {
				if !g.Missing && g.Number > prev.Generation && samePath(g.StorePath, running) {
					prev.Generation = g.Number
				}
			}
		}
		return prev
	case mode.SetsProfile():
		if g, err := lister.Current(); err == nil {
			return &Previous{Generation: g.Number, Path: g.StorePath}
		}
	}
	return nil
}

// Preflight returns the error that stops an activating command before it
// starts: not NixOS, or not root without --sudo. Build needs neither.
func (e Env) Preflight(command string, mode Mode) error {
	if mode == ModeBuild {
		return nil
	}
	if _, err := os.Stat(e.NixOSMarker); err != nil {
		return exitcode.New(exitcode.Failed, fmt.Errorf("axios %s activates a NixOS system, but this is not NixOS (%s is missing); `axios build` still works here", command, e.NixOSMarker))
	}
	if err := e.Priv.Require(command, "set the system profile and activate the system"); err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	return nil
}

// RunningSystem returns the store path of the running system, or "" when
// there is none (not NixOS, or a container without /run/current-system).
func (e Env) RunningSystem() string {
	p, err := filepath.EvalSymlinks(e.CurrentSystem)
	if err != nil {
		return ""
	}
	return p
}

// Options are one build-and-activate run.
type Options struct {
	Command string // the axios command, for messages ("switch")
	Mode    Mode
	Dir     string // the flake
	Host    string
	OutLink string // where the build result link goes; "" means a temporary folder
	Yes     bool   // do not ask
	DryRun  bool   // print the commands instead
	JSON    bool   // print the closure diff as JSON
}

// Result is what a run did.
type Result struct {
	Host      string        `json:"host"`
	System    string        `json:"system"` // the built store path
	Diff      *closure.Diff `json:"diff,omitempty"`
	Activated bool          `json:"activated"`
}

// Run builds the host, shows the closure diff against the running system,
// asks, and activates. The host check happens before (CheckHost).
func Run(ctx context.Context, env Env, o Options) (*Result, error) {
	env = env.WithDefaults()
	pt := ui.NewPainter(env.Stderr)
	outLink := o.OutLink
	cleanup := func() {}
	if outLink == "" {
		if o.DryRun {
			outLink = filepath.Join(os.TempDir(), "axios-"+o.Host, "result")
		} else {
			tmp, err := os.MkdirTemp("", "axios-"+o.Host+"-")
			if err != nil {
				return nil, exitcode.New(exitcode.Usage, fmt.Errorf("creating a folder for the build result: %w", err))
			}
			outLink = filepath.Join(tmp, "result")
			// The profile keeps the system alive once set; the link only
			// protects it from garbage collection until then.
			cleanup = func() { os.RemoveAll(tmp) }
		}
	} else if abs, err := filepath.Abs(outLink); err == nil {
		outLink = abs
	}
	defer cleanup()
	build := BuildCmd(o.Dir, o.Host, outLink, env.UseNom)
	act := env.Activator()
	running := env.RunningSystem()

	if o.DryRun {
		fmt.Fprintln(env.Stdout, "# dry run: these commands would run, in this order (nothing was changed)")
		fmt.Fprintln(env.Stdout, build.String())
		if running != "" {
			fmt.Fprintln(env.Stdout, closure.PathInfoCmd(env.CurrentSystem).String())
			fmt.Fprintln(env.Stdout, closure.PathInfoCmd(outLink).String())
		}
		if o.Mode != ModeBuild {
			if !o.Yes {
				fmt.Fprintln(env.Stdout, "# ask before activating (--yes skips the question)")
			}
			for _, c := range act.Commands(planFor(o.Mode, outLink, nil)) {
				fmt.Fprintln(env.Stdout, c.String())
			}
		}
		return &Result{Host: o.Host}, nil
	}

	fmt.Fprintln(env.Stderr, pt.Sprintf(ui.Bold, "building %s", o.Host))
	system, err := Build(ctx, env.Runner, o.Host, build, outLink, env.Stderr)
	if err != nil {
		if Interrupted(ctx, err) {
			return nil, exitcode.New(exitcode.Aborted, fmt.Errorf("build of %s interrupted; nothing was activated", o.Host))
		}
		return nil, exitcode.New(exitcode.Failed, fmt.Errorf("%w\nnothing was activated", err))
	}
	res := &Result{Host: o.Host, System: system}
	fmt.Fprintln(env.Stderr, pt.Sprintf(ui.Green, "built %s: %s", o.Host, system))

	if running != "" {
		d, err := closure.Between(ctx, env.Runner, running, system)
		if err != nil {
			fmt.Fprintln(env.Stderr, pt.Paint(ui.Yellow, "warning: cannot show what changes: "+err.Error()))
		} else {
			res.Diff = &d
			if o.JSON {
				if err := ui.WriteJSON(env.Stdout, d); err != nil {
					return res, exitcode.New(exitcode.Usage, err)
				}
			} else {
				fmt.Fprintf(env.Stdout, "changes from the running system %s:\n", running)
				d.Write(env.Stdout)
			}
		}
	} else {
		fmt.Fprintln(env.Stderr, "no running NixOS system to compare with")
	}
	if o.Mode == ModeBuild {
		if o.OutLink != "" {
			fmt.Fprintf(env.Stderr, "result: %s\n", outLink)
		}
		return res, nil
	}

	if !o.Yes {
		ok, err := Confirm(env, question(o.Mode), o.Command)
		if err != nil {
			return res, err
		}
		if !ok {
			return res, exitcode.New(exitcode.Aborted, fmt.Errorf("not activated; the built system is %s", system))
		}
	}

	if ctx.Err() != nil {
		return res, exitcode.New(exitcode.Aborted, fmt.Errorf("interrupted before activation; nothing was activated (the built system is %s)", system))
	}
	if err := act.Activate(ctx, planFor(o.Mode, system, env.Previous(o.Mode))); err != nil {
		return res, exitcode.New(exitcode.Failed, err)
	}
	res.Activated = true
	fmt.Fprintln(env.Stderr, pt.Sprintf(ui.Green, "%s: %s is %s", o.Host, system, done(o.Mode)))
	return res, nil
}

// samePath reports whether a generation's store path is the resolved path
// running.
func samePath(storePath, running string) bool {
	if storePath == running {
		return true
	}
	resolved, err := filepath.EvalSymlinks(storePath)
	return err == nil && resolved == running
}

func planFor(mode Mode, target string, prev *Previous) Plan {
	p := Plan{Mode: mode, Target: target, Previous: prev}
	if mode.SetsProfile() {
		p.SetProfile = []string{"--set", target}
	}
	return p
}

func profileLister(profile string) generations.Lister {
	return generations.Lister{Dir: filepath.Dir(profile), Profile: filepath.Base(profile)}
}

func question(m Mode) string {
	switch m {
	case ModeSwitch:
		return "Switch to this system now?"
	case ModeBoot:
		return "Make this system the boot default?"
	default:
		return "Activate this system until the next reboot?"
	}
}

func done(m Mode) string {
	switch m {
	case ModeSwitch:
		return "active and the boot default"
	case ModeBoot:
		return "the boot default from the next reboot"
	default:
		return "active until the next reboot"
	}
}

// Confirm asks question on env.Stderr and reads the answer from env.Stdin.
// Without a terminal it refuses with an error that names --yes.
func Confirm(env Env, question, command string) (bool, error) {
	if !env.Interactive {
		return false, exitcode.New(exitcode.Usage, errors.New("standard input is not a terminal, so axios cannot ask before activating: run `axios "+command+" --yes` to go ahead without asking"))
	}
	fmt.Fprintf(env.Stderr, "%s [y/N] ", question)
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
