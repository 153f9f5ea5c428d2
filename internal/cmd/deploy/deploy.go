// Package deploy implements `axios deploy`: build hosts of a configuration
// and activate each on its own machine over SSH, several at once, with a
// rollback each target performs on its own when the deployer cannot
// confirm that it still reaches it.
package deploy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/deploy"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Runner   runner.Runner
	Resolver configdir.Resolver
	// Interactive reports whether standard input is a terminal; nil checks
	// os.Stdin.
	Interactive func() bool
	// Poll is how often a target's activation state is read (0: 1 s).
	Poll time.Duration
	// Roots maps a destination to the root of its fake file system (tests).
	Roots map[string]string
}

// Options are the command line of one run.
type Options struct {
	Dir        string
	Hosts      []string
	Mode       string
	Jobs       int
	Yes        bool
	DryRun     bool
	JSON       bool
	TargetHost string
	BuildHost  string
}

// Commands returns the deploy command.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// New returns `axios deploy`.
func New(deps Deps) *cobra.Command {
	var o Options
	cmd := &cobra.Command{
		Use:   "deploy [HOST...]",
		Short: "Build hosts and activate each on its own machine over SSH, with a rollback the target performs itself",
		Long: `Build hosts of the configuration and activate each on the machine its
[deploy] table names (docs/deploy.md). Without HOST, every host with
[deploy] is deployed.

For each host: the host is checked like ` + "`axios check`" + `; the system is built here
(or on the target with buildOn = "target", or on --build-host); the
closure is compared with the system the target runs. After one question for
all hosts (--yes skips it), each system is copied to its target with
` + "`nix copy`" + ` and activated there in a transient systemd unit. A new SSH
connection then confirms that the target is still reachable; when no
confirmation arrives within the host's confirmTimeout — the new system cut
the network, the connection dropped, this command was interrupted — the
target restores the system it ran before, by itself.

Hosts are handled --jobs at a time; one failing does not stop the others.
The end is one line per host: done, rolled back, unconfirmed, or failed at
which step.

Exit status: 0 every host done, 1 any host failed or was rolled back,
2 bad usage, 3 declined at the question.`,
		Example:       "  axios deploy --dry-run\n  axios deploy server --yes\n  axios deploy server --target-host root@192.0.2.10\n  axios deploy --jobs 4 --mode boot",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Hosts = args
			ctx, stop := activate.Interruptible(cmd.Context())
			defer stop()
			return Run(ctx, deps, o, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		d, err := deps.Resolver.Resolve(o.Dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		hosts, _ := deploy.DeployableHosts(d.Path)
		var left []string
		for _, h := range hosts {
			if !slices.Contains(args, h) {
				left = append(left, h)
			}
		}
		return left, cobra.ShellCompDirectiveNoFileComp
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "the configuration directory (flake)")
	f.StringVar(&o.Mode, "mode", "switch", "what to do on the target: switch, boot or test")
	f.IntVarP(&o.Jobs, "jobs", "j", 2, "hosts handled at once")
	f.BoolVarP(&o.Yes, "yes", "y", false, "deploy without asking")
	f.BoolVar(&o.DryRun, "dry-run", false, "print every command per host instead of running them")
	f.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	f.StringVar(&o.TargetHost, "target-host", "", "deploy the one HOST to [user@]host instead of its [deploy] target")
	f.StringVar(&o.BuildHost, "build-host", "", "build on [user@]host instead of here")
	_ = cmd.RegisterFlagCompletionFunc("mode", cobra.FixedCompletions([]string{"switch", "boot", "test"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// Run carries out one `axios deploy`.
func Run(ctx context.Context, deps Deps, o Options, stdin io.Reader, stdout, stderr io.Writer) error {
	mode := activate.Mode(o.Mode)
	if mode != activate.ModeSwitch && mode != activate.ModeBoot && mode != activate.ModeTest {
		return exitcode.New(exitcode.Usage, fmt.Errorf("--mode %q: use switch, boot or test", o.Mode))
	}
	if o.Jobs < 1 {
		return exitcode.New(exitcode.Usage, fmt.Errorf("--jobs %d: at least 1", o.Jobs))
	}
	d, err := deps.Resolver.Resolve(o.Dir)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	hosts := o.Hosts
	if len(hosts) == 0 {
		if hosts, err = deploy.DeployableHosts(d.Path); err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		if len(hosts) == 0 {
			return exitcode.New(exitcode.Usage, fmt.Errorf("no host in %s has a [deploy] table; add one (docs/deploy.md) or name a host with --target-host", d.Path))
		}
	}
	if o.TargetHost != "" && len(hosts) != 1 {
		return exitcode.New(exitcode.Usage, errors.New("--target-host names one machine: pass exactly one HOST"))
	}
	if !o.Yes && !o.DryRun && !isInteractive(deps) {
		return exitcode.New(exitcode.Usage, errors.New("standard input is not a terminal, so axios cannot ask before deploying: run `axios deploy --yes` to go ahead without asking"))
	}
	r := deps.Runner
	if r == nil {
		r = runner.Exec{}
	}

	var targets []deploy.Target
	var early []*deploy.Result // hosts that stop before building
	for _, h := range hosts {
		t, ok, err := deploy.TargetFor(d.Path, h, deploy.Overrides{TargetHost: o.TargetHost, BuildHost: o.BuildHost})
		if err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		if !ok {
			return exitcode.New(exitcode.Usage, fmt.Errorf("host %s has no [deploy] table: add one (docs/deploy.md), pass --target-host, or use `axios switch %s` on that machine", h, h))
		}
		if root, ok := deps.Roots[t.Machine.Dest]; ok {
			t.Machine.Root = root
		}
		if !o.DryRun {
			if res := checkHost(ctx, r, d.Path, h, t, stderr); res != nil {
				early = append(early, res)
				continue
			}
		}
		targets = append(targets, t)
	}

	dopts := deploy.Options{Dir: d.Path, Mode: mode, Jobs: o.Jobs}
	if o.DryRun {
		deploy.WriteDryRun(stdout, targets, dopts)
		return nil
	}
	if !o.JSON {
		dopts.Out = stdout
	}
	declined := false
	if !o.Yes {
		dopts.Confirm = func(rs []*deploy.Result) (bool, error) {
			n := 0
			for _, r := range rs {
				if !r.Failed() {
					n++
				}
			}
			fmt.Fprintf(stderr, "%s %d host(s) now? [y/N] ", strings.ToUpper(string(mode[:1]))+string(mode[1:]), n)
			line, _ := bufio.NewReader(stdin).ReadString('\n')
			ok := strings.EqualFold(strings.TrimSpace(line), "y") || strings.EqualFold(strings.TrimSpace(line), "yes")
			declined = !ok
			return ok, nil
		}
	}
	env := deploy.Env{Runner: r, Log: stderr, Poll: deps.Poll}
	results := append(early, deploy.Run(ctx, env, targets, dopts)...)

	if o.JSON {
		if err := ui.WriteJSON(stdout, results); err != nil {
			return exitcode.New(exitcode.Failed, err)
		}
	} else {
		deploy.WriteSummary(stdout, results, mode)
	}
	failed := 0
	for _, res := range results {
		if res.Failed() {
			failed++
		}
	}
	switch {
	case declined:
		return exitcode.New(exitcode.Aborted, errors.New("not deployed; nothing was copied or activated"))
	case failed > 0:
		return exitcode.New(exitcode.Failed, fmt.Errorf("%d of %d host(s) not deployed", failed, len(results)))
	}
	return nil
}

// checkHost runs the host check; a host with errors gets a failed result.
func checkHost(ctx context.Context, r runner.Runner, dir, host string, t deploy.Target, stderr io.Writer) *deploy.Result {
	hasTOML, err := activate.ResolveHost(ctx, r, dir, host)
	res := &deploy.Result{Host: host, Target: t.Machine.Login(), Outcome: deploy.OutcomeFailed, Step: "check"}
	if err != nil {
		res.Err, res.Detail = err, err.Error()
		return res
	}
	if !hasTOML {
		return nil
	}
	ds, err := activate.CheckHost(ctx, r, dir, host)
	if err != nil {
		res.Err, res.Detail = err, err.Error()
		return res
	}
	for _, dg := range ds {
		where := dg.Code
		if dg.Field != "" {
			where += " " + dg.Field
		}
		fmt.Fprintf(stderr, "%s: %s %s: %s (fix: %s)\n", host, dg.Severity, where, dg.Message, dg.Fix)
	}
	if diag.HasErrors(ds) {
		res.Detail = "the host has errors (above); nothing was built"
		res.Err = errors.New(res.Detail)
		return res
	}
	return nil
}

func isInteractive(deps Deps) bool {
	if deps.Interactive != nil {
		return deps.Interactive()
	}
	info, err := os.Stdin.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
