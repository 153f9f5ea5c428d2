// Package rebuild implements `axios build`, `axios switch`, `axios boot` and
// `axios test`: check the host, build its system, show what changes, ask,
// and activate only a finished build, putting the previous generation back
// when activation fails.
package rebuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/complete"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/deploy"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/report"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the commands need from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Env      activate.Env       // runner, root check, profile and system paths
	Resolver configdir.Resolver // finds the configuration directory
	Hostname func() (string, error)
	// LookPath finds nix-output-monitor; nil means exec.LookPath.
	LookPath func(string) (string, error)
	// Interactive reports whether standard input is a terminal; nil checks
	// os.Stdin.
	Interactive func() bool
	// Poll is how often a remote target's activation state is read (0:
	// 1 s); TargetRoots maps a destination to its fake file system (tests).
	Poll        time.Duration
	TargetRoots map[string]string
}

// Commands returns build, switch, boot and test.
func Commands() []*cobra.Command {
	return []*cobra.Command{
		New(activate.ModeBuild, Deps{}),
		New(activate.ModeSwitch, Deps{}),
		New(activate.ModeBoot, Deps{}),
		New(activate.ModeTest, Deps{}),
	}
}

var shorts = map[activate.Mode]string{
	activate.ModeBuild:  "Check and build a host's system without activating it",
	activate.ModeSwitch: "Check, build, show the changes, then activate the system and make it the boot default",
	activate.ModeBoot:   "Check, build, show the changes, then make the system the boot default for the next reboot",
	activate.ModeTest:   "Check, build, show the changes, then activate the system until the next reboot",
}

// New returns the command for one mode.
func New(mode activate.Mode, deps Deps) *cobra.Command {
	var dir, outLink string
	var yes, dryRun, sudo, asJSON, force, local bool
	var targetHost, buildHost string
	name := string(mode)
	cmd := &cobra.Command{
		Use:           name + " [HOST]",
		Short:         shorts[mode],
		Args:          cobra.MaximumNArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		Long: shorts[mode] + `.

HOST defaults to this machine's hostname; the configuration directory is
--dir, then $AXIOS_FLAKE, then the current directory when it holds flake.nix
and hosts/, then ~/.config/nixos_config.

Steps: the host is checked like ` + "`axios check`" + ` and nothing is built when it
has errors, or when its hosts/HOST/hardware.nix is still the placeholder
` + "`axios init`" + ` writes (--force builds anyway); the system is built with nix (through nix-output-monitor when
` + "`nom`" + ` is installed); the closure diff against the running system is shown
(packages added, removed and updated, and the size change); ` + activationText(mode) + `

Exit status: 0 done, 1 a check, build or activation failed, 2 bad usage
(unknown host, missing directory, not root), 3 declined at the question.`,
		Example: "  axios " + name + "\n  axios " + name + " tower --dir ~/machines\n  axios " + name + " --dry-run",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := activate.Interruptible(cmd.Context())
			defer stop()
			env := deps.Env
			env.Stdout, env.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if env.Stdin == nil {
				env.Stdin = cmd.InOrStdin()
			}
			env.Priv.Sudo = sudo
			env.Interactive = interactive(deps)
			env.UseNom = activate.HasNom(deps.LookPath)
			env = env.WithDefaults()
			d, err := deps.Resolver.Resolve(dir)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			host, err := hostArg(args, deps)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if mode != activate.ModeBuild && !local {
				t, remote, err := deploy.TargetFor(d.Path, host, deploy.Overrides{TargetHost: targetHost, BuildHost: buildHost})
				if err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				this, _ := hostArg(nil, deps)
				// [deploy] is the default for another machine's host; this
				// machine's own host is activated here unless --target-host.
				if targetHost != "" || remote && this != host {
					return runRemote(ctx, env, deps, d.Path, t, mode, remoteOptions{yes: yes, dryRun: dryRun, asJSON: asJSON, force: force})
				}
			}
			if mode != activate.ModeBuild && len(args) == 1 {
				if this, err := hostArg(nil, deps); err == nil && this != host {
					fmt.Fprintf(env.Stderr, "note: this machine is %s, but you asked to activate host %s here\n", this, host)
				}
			}
			if !dryRun {
				if err := env.Preflight(name, mode); err != nil {
					return err
				}
			}
			if err := CheckHost(ctx, env, d.Path, host, force); err != nil {
				return err
			}
			if mode == activate.ModeBuild && outLink == "" {
				outLink = "result"
			}
			_, err = activate.Run(ctx, env, activate.Options{
				Command: name, Mode: mode, Dir: d.Path, Host: host, OutLink: outLink,
				Yes: yes, DryRun: dryRun, JSON: asJSON,
			})
			return err
		},
	}
	f := cmd.Flags()
	cmd.ValidArgsFunction = complete.Hosts(deps.Resolver, &dir, 1)
	f.StringVar(&dir, "dir", "", "the configuration directory (flake) to build from")
	f.BoolVar(&dryRun, "dry-run", false, "print the exact commands instead of running them")
	f.BoolVar(&asJSON, "json", false, "print the closure diff as JSON")
	f.BoolVar(&force, "force", false, "build even when the host has only the placeholder hardware.nix (the build is then expected to fail)")
	if mode == activate.ModeBuild {
		f.StringVarP(&outLink, "out-link", "o", "", "where to put the link to the built system (default ./result)")
	} else {
		f.BoolVarP(&yes, "yes", "y", false, "activate without asking")
		f.BoolVar(&sudo, "sudo", false, "run the privileged steps (setting the profile, activation) through sudo")
		f.StringVar(&targetHost, "target-host", "", "activate on [user@]host over SSH, with the target's own rollback (docs/deploy.md)")
		f.StringVar(&buildHost, "build-host", "", "with a remote target: build on [user@]host instead of here")
		f.BoolVar(&local, "local", false, "activate here even when the host has a [deploy] table")
	}
	return cmd
}

func activationText(mode activate.Mode) string {
	switch mode {
	case activate.ModeBuild:
		return "nothing is activated, and ./result (or --out-link) points at the\nbuilt system."
	case activate.ModeTest:
		return "after you confirm (--yes skips the question), the new system is\nactivated with switch-to-configuration test; the boot default stays. When\nactivation fails, the previous system is activated again."
	}
	return "after you confirm (--yes skips the question), the system profile\n(/nix/var/nix/profiles/system) gets the new generation and\nswitch-to-configuration " + string(mode) + " runs. When activation fails, the\nprofile is pointed back at the previous generation and its\nswitch-to-configuration runs, and axios says so."
}

func hostArg(args []string, deps Deps) (string, error) {
	if len(args) == 1 {
		if args[0] == "" {
			return "", errors.New("HOST is empty: name a host of the configuration")
		}
		return args[0], nil
	}
	hn := deps.Hostname
	if hn == nil {
		hn = os.Hostname
	}
	h, err := hn()
	if err != nil || h == "" {
		return "", fmt.Errorf("cannot read this machine's hostname (%v): pass HOST", err)
	}
	return h, nil
}

func interactive(deps Deps) bool {
	if deps.Interactive != nil {
		return deps.Interactive()
	}
	info, err := os.Stdin.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// CheckHost makes sure host exists in the configuration at dir and, when it
// is a TOML host, runs the axios check on it; errors stop the command before
// anything is built. So does the placeholder hardware.nix `axios init`
// writes (AX406), whose build is certain to fail, unless force.
func CheckHost(ctx context.Context, env activate.Env, dir, host string, force bool) error {
	hasTOML, err := activate.ResolveHost(ctx, env.Runner, dir, host)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	var ds []diag.Diagnostic
	if hasTOML {
		ds, err = activate.CheckHost(ctx, env.Runner, dir, host)
		if err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		report.WriteDiagnostics(env.Stderr, ds)
		if diag.HasErrors(ds) {
			return exitcode.New(exitcode.Failed, fmt.Errorf("host %s has errors (above); fix them and run again — nothing was built", host))
		}
	} else {
		fmt.Fprintf(env.Stderr, "host %s is written in Nix; nix checks it while building\n", host)
		// A Nix host may keep its hardware file elsewhere; only the
		// placeholder at the usual place matters here.
		hw, err := checkdir.HardwareDiagnostics(dir, host)
		if err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		for _, d := range hw {
			if d.Code == checkdir.CodePlaceholderHardware {
				report.WriteDiagnostics(env.Stderr, []diag.Diagnostic{d})
				ds = append(ds, d)
			}
		}
	}
	for _, d := range ds {
		if d.Code != checkdir.CodePlaceholderHardware {
			continue
		}
		if force {
			fmt.Fprintf(env.Stderr, "building %s anyway (--force), although its hardware.nix is the placeholder\n", host)
			return nil
		}
		return exitcode.New(exitcode.Failed, fmt.Errorf("host %s has only the placeholder hardware.nix (%s), so its build would fail: run `nixos-generate-config --show-hardware-config > %s` on that machine, or pass --force to try anyway — nothing was built", host, d.File, d.File))
	}
	return nil
}

type remoteOptions struct{ yes, dryRun, asJSON, force bool }

// runRemote deploys host to the machine of t (its [deploy] table or
// --target-host): check here, build, compare with what the target runs,
// ask, copy, activate there with the target's own rollback.
func runRemote(ctx context.Context, env activate.Env, deps Deps, dir string, t deploy.Target, mode activate.Mode, o remoteOptions) error {
	if root, ok := deps.TargetRoots[t.Machine.Dest]; ok {
		t.Machine.Root = root
	}
	dopts := deploy.Options{Dir: dir, Mode: mode, Jobs: 1}
	if o.dryRun {
		deploy.WriteDryRun(env.Stdout, []deploy.Target{t}, dopts)
		return nil
	}
	if err := CheckHost(ctx, env, dir, t.Host, o.force); err != nil {
		return err
	}
	if !o.asJSON {
		dopts.Out = env.Stdout
	}
	declined := false
	if !o.yes {
		if !env.Interactive {
			return exitcode.New(exitcode.Usage, errors.New("standard input is not a terminal, so axios cannot ask before activating on "+t.Machine.Dest+": run again with --yes"))
		}
		dopts.Confirm = func([]*deploy.Result) (bool, error) {
			ok, err := activate.Confirm(env, fmt.Sprintf("%s %s on %s now?", strings.ToUpper(string(mode[:1]))+string(mode[1:]), t.Host, t.Machine.Login()), string(mode))
			declined = err == nil && !ok
			return ok, err
		}
	}
	fmt.Fprintf(env.Stderr, "deploying %s to %s\n", t.Host, t.Machine.Login())
	res := deploy.Run(ctx, deploy.Env{Runner: env.Runner, Log: env.Stderr, Poll: deps.Poll}, []deploy.Target{t}, dopts)
	if o.asJSON {
		if err := ui.WriteJSON(env.Stdout, res[0]); err != nil {
			return exitcode.New(exitcode.Failed, err)
		}
	} else {
		deploy.WriteSummary(env.Stdout, res, mode)
	}
	switch {
	case declined:
		return exitcode.New(exitcode.Aborted, fmt.Errorf("not activated on %s; nothing was copied", t.Machine.Dest))
	case res[0].Failed():
		return exitcode.New(exitcode.Failed, fmt.Errorf("%s was not deployed to %s (%s)", t.Host, t.Machine.Login(), res[0].Outcome))
	}
	return nil
}
