// Package generations implements `axios generations` (list the system
// generations), `axios diff A B` (the closure diff between two generations
// or systems) and `axios rollback` (switch to the previous generation with
// the same safety as `axios switch`).
package generations

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/exitcode"
	gens "github.com/axios-nix/axios/internal/generations"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the commands need from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Env activate.Env // runner, root check, profile, running system
	// Interactive reports whether standard input is a terminal; nil checks
	// os.Stdin.
	Interactive func() bool
}

// Commands returns generations, diff and rollback.
func Commands() []*cobra.Command {
	return []*cobra.Command{NewGenerations(Deps{}), NewDiff(Deps{}), NewRollback(Deps{})}
}

func setup(cmd *cobra.Command, deps Deps) activate.Env {
	env := deps.Env
	env.Stdout, env.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
	if env.Stdin == nil {
		env.Stdin = cmd.InOrStdin()
	}
	if deps.Interactive != nil {
		env.Interactive = deps.Interactive()
	} else if info, err := os.Stdin.Stat(); err == nil {
		env.Interactive = info.Mode()&os.ModeCharDevice != 0
	}
	return env.WithDefaults()
}

func lister(env activate.Env) gens.Lister {
	return gens.Lister{Dir: filepath.Dir(env.Profile), Profile: filepath.Base(env.Profile)}
}

func context0(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return activate.Interruptible(cmd.Context())
}

// NewGenerations returns `axios generations`.
func NewGenerations(deps Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:           "generations",
		Short:         "List the system generations: number, date, NixOS version, kernel, current",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env := setup(cmd, deps)
			list, err := lister(env).List()
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if asJSON {
				if list == nil {
					list = []gens.Generation{}
				}
				if err := ui.WriteJSON(env.Stdout, list); err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				return nil
			}
			WriteTable(env.Stdout, list)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the generations as JSON")
	return cmd
}

// WriteTable writes one line per generation, newest last.
func WriteTable(w io.Writer, list []gens.Generation) {
	p := ui.NewPainter(w)
	if len(list) == 0 {
		fmt.Fprintln(w, "no system generations")
		return
	}
	fmt.Fprintf(w, "%-6s %-16s  %-30s %s\n", "GEN", "DATE", "NIXOS", "KERNEL")
	for _, g := range list {
		num := fmt.Sprintf("%d", g.Number)
		mark := "  "
		if g.Current {
			mark = "* "
		}
		nixos, kernel := orDash(g.NixOSVersion), orDash(g.KernelVersion)
		line := fmt.Sprintf("%s%-4s %-16s  %-30s %s", mark, num, g.Date.Local().Format("2006-01-02 15:04"), nixos, kernel)
		switch {
		case g.Missing:
			line += "  (store path missing)"
			line = p.Paint(ui.Dim, line)
		case g.Current:
			line = p.Paint(ui.Bold, line+"  (current)")
		}
		fmt.Fprintln(w, line)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// NewDiff returns `axios diff A B`.
func NewDiff(deps Deps) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show the package and size changes between two generations or systems",
		Long: `Show which packages were added, removed or updated from A to B, and the
change in closure size. A and B are generation numbers (see ` + "`axios generations`" + `),
"current" for the running system, or paths to systems (store paths, result
links).`,
		Example:       "  axios diff 41 42\n  axios diff current ./result",
		Args:          cobra.ExactArgs(2),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := context0(cmd)
			defer stop()
			env := setup(cmd, deps)
			a, err := resolveSystem(env, args[0])
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			b, err := resolveSystem(env, args[1])
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			d, err := closure.Between(ctx, env.Runner, a, b)
			if err != nil {
				return exitcode.New(exitcode.Failed, err)
			}
			if asJSON {
				if err := ui.WriteJSON(env.Stdout, d); err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				return nil
			}
			fmt.Fprintf(env.Stdout, "%s → %s\n", a, b)
			d.Write(env.Stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the diff as JSON")
	return cmd
}

// resolveSystem turns a generation number, "current" or a path into a
// store path.
func resolveSystem(env activate.Env, arg string) (string, error) {
	if arg == "current" {
		p := env.RunningSystem()
		if p == "" {
			return "", fmt.Errorf("there is no running system at %s (is this NixOS?)", env.CurrentSystem)
		}
		return p, nil
	}
	if n, err := strconv.Atoi(arg); err == nil {
		g, err := lister(env).Get(n)
		if err != nil {
			return "", err
		}
		if g.Missing {
			return "", fmt.Errorf("generation %d's system %s was garbage-collected", n, g.StorePath)
		}
		return g.StorePath, nil
	}
	p, err := filepath.EvalSymlinks(arg)
	if err != nil {
		return "", fmt.Errorf("%q is neither a generation number, \"current\", nor an existing system path: %w", arg, err)
	}
	// A store path, or a system (a folder with nixos-version, as the
	// toplevel of every NixOS system has).
	if _, err := os.Stat(filepath.Join(p, "nixos-version")); err != nil && !strings.HasPrefix(p, "/nix/store/") {
		return "", fmt.Errorf("%s is not a NixOS system or a Nix store path: give a generation number (`axios generations` lists them), \"current\", or a built system such as ./result", arg)
	}
	return p, nil
}

// NewRollback returns `axios rollback`.
func NewRollback(deps Deps) *cobra.Command {
	var yes, dryRun, sudo bool
	var to int
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Switch to the previous system generation, safely",
		Long: `Point the system profile at the previous generation (or --to N) and
activate it with switch-to-configuration switch, after showing what changes
and asking (--yes skips the question). When activation fails, the profile is
pointed back at the current generation and that is activated again.

Exit status: 0 done, 1 activation failed, 2 bad usage (not root, no earlier
generation), 3 declined.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := context0(cmd)
			defer stop()
			deps.Env.Priv.Sudo = sudo
			env := setup(cmd, deps)
			return rollback(ctx, env, to, yes, dryRun)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&yes, "yes", "y", false, "switch without asking")
	f.BoolVar(&dryRun, "dry-run", false, "print the exact commands instead of running them")
	f.BoolVar(&sudo, "sudo", false, "run the privileged steps through sudo")
	f.IntVar(&to, "to", 0, "the generation to switch to (default: the one before the current)")
	return cmd
}

func rollback(ctx context.Context, env activate.Env, to int, yes, dryRun bool) error {
	list, err := lister(env).List()
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	var cur *gens.Generation
	for i := range list {
		if list[i].Current {
			cur = &list[i]
		}
	}
	if cur == nil {
		return exitcode.New(exitcode.Usage, fmt.Errorf("%s points at no generation, so there is nothing to roll back from", env.Profile))
	}
	var target *gens.Generation
	for i := range list {
		g := &list[i]
		switch {
		case to != 0 && g.Number == to:
			target = g
		case to == 0 && g.Number < cur.Number && !g.Missing:
			target = g
		}
	}
	switch {
	case target == nil && to != 0:
		return exitcode.New(exitcode.Usage, fmt.Errorf("generation %d does not exist (run `axios generations`)", to))
	case target == nil:
		return exitcode.New(exitcode.Usage, fmt.Errorf("there is no generation before the current one (%d) to roll back to", cur.Number))
	case target.Missing:
		return exitcode.New(exitcode.Usage, fmt.Errorf("generation %d's system %s was garbage-collected, so it cannot be activated", target.Number, target.StorePath))
	case target.Number == cur.Number:
		return exitcode.New(exitcode.Usage, fmt.Errorf("generation %d is already the current one", cur.Number))
	}
	act := env.Activator()
	// The system to put back when the rollback fails is the one running,
	// which may not be the current generation (after `axios boot`).
	prev := env.Previous(activate.ModeSwitch)
	if prev == nil {
		prev = &activate.Previous{Generation: cur.Number, Path: cur.StorePath}
	}
	plan := activate.Plan{
		Mode: activate.ModeSwitch, Target: target.StorePath,
		SetProfile: []string{"--switch-generation", strconv.Itoa(target.Number)},
		Previous:   prev,
	}
	if dryRun {
		fmt.Fprintln(env.Stdout, "# dry run: these commands would run, in this order (nothing was changed)")
		fmt.Fprintln(env.Stdout, closure.PathInfoCmd(cur.StorePath).String())
		fmt.Fprintln(env.Stdout, closure.PathInfoCmd(target.StorePath).String())
		if !yes {
			fmt.Fprintln(env.Stdout, "# ask before activating (--yes skips the question)")
		}
		for _, c := range act.Commands(plan) {
			fmt.Fprintln(env.Stdout, c.String())
		}
		return nil
	}
	if err := env.Preflight("rollback", activate.ModeSwitch); err != nil {
		return err
	}
	d, err := closure.Between(ctx, env.Runner, cur.StorePath, target.StorePath)
	if err != nil {
		fmt.Fprintln(env.Stderr, "warning: cannot show what changes: "+err.Error())
	} else {
		fmt.Fprintf(env.Stdout, "rolling back from generation %d to %d:\n", cur.Number, target.Number)
		d.Write(env.Stdout)
	}
	if !yes {
		ok, err := activate.Confirm(env, fmt.Sprintf("Switch to generation %d now?", target.Number), "rollback")
		if err != nil {
			return err
		}
		if !ok {
			return exitcode.New(exitcode.Aborted, errors.New("not rolled back"))
		}
	}
	if err := act.Activate(ctx, plan); err != nil {
		return exitcode.New(exitcode.Failed, err)
	}
	p := ui.NewPainter(env.Stderr)
	fmt.Fprintln(env.Stderr, p.Sprintf(ui.Green, "generation %d (%s) is active and the boot default", target.Number, strings.TrimSpace(target.StorePath)))
	return nil
}
