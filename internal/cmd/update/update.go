// Package update implements `axios update`: update flake.lock, build every
// host, and keep the new lock only when everything builds; otherwise put the
// old lock back byte for byte.
package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/flakelock"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/report"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Env      activate.Env // runner and the running system
	Resolver configdir.Resolver
	Hostname func() (string, error)
	LookPath func(string) (string, error) // finds nom; nil means exec.LookPath
	// WriteFile writes a file atomically; nil means fsutil.WriteFileAtomic.
	// Tests inject a full disk here.
	WriteFile func(path string, data []byte, perm fs.FileMode) error
}

// Commands returns the update command.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// HostResult is the build of one host.
type HostResult struct {
	Host   string `json:"host"`
	OK     bool   `json:"ok"`
	System string `json:"system,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Report is what `axios update --json` prints.
type Report struct {
	Dir     string             `json:"dir"`
	Changes []flakelock.Change `json:"changes"`
	Hosts   []HostResult       `json:"hosts"`
	Diff    *closure.Diff      `json:"diff,omitempty"` // this machine's host against the running system
	Kept    bool               `json:"kept"`           // the new flake.lock was kept
}

// New returns the `axios update` command.
func New(deps Deps) *cobra.Command {
	var dir string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:           "update [INPUT...]",
		Short:         "Update flake.lock, build every host, and keep the new lock only if all build",
		SilenceUsage:  true,
		SilenceErrors: true,
		Long: `Check every host like ` + "`axios check`" + ` first: when a host has errors, axios
prints them and stops before flake.lock is touched or anything runs. Then
update the inputs of the configuration's flake.lock (all of them, or the
named INPUTs), and build every host of the configuration (hosts/*.toml, or
the flake's nixosConfigurations) and show the closure diff of this machine's
host against the running system.

The new flake.lock is kept only when every host builds. When a build fails,
or the command is interrupted (Ctrl-C, hang-up), the old flake.lock is
written back byte for byte and axios reports which host failed and the last
lines of its build. Nothing is activated: run ` + "`axios switch`" + ` afterwards.

One update runs at a time per configuration (a second one stops at once).
Until the update is kept or the old lock is verifiably back, the old lock
stays on disk as flake.lock.axios-old; a flake.lock changed by someone else
during the update is never overwritten (the old lock then stays in that
file, and axios says so).

Exit status: 0 updated (or already up to date), 1 a host has errors (nothing
ran) or a build failed (the old lock is back), 2 bad usage, 3 interrupted (the old lock is back).`,
		Example: "  axios update\n  axios update nixpkgs\n  axios update --dry-run",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := activate.Interruptible(cmd.Context())
			defer stop()
			env := deps.Env
			env.Stdout, env.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			env.UseNom = activate.HasNom(deps.LookPath)
			env = env.WithDefaults()
			d, err := deps.Resolver.Resolve(dir)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			for _, in := range args {
				if in == "" || strings.HasPrefix(in, "-") {
					return exitcode.New(exitcode.Usage, fmt.Errorf("input name %q is invalid: name an input of flake.nix, such as nixpkgs", in))
				}
			}
			if err := knownInputs(filepath.Join(d.Path, "flake.lock"), args); err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if err := checkHosts(ctx, env, d.Path); err != nil {
				return err
			}
			hn := deps.Hostname
			if hn == nil {
				hn = os.Hostname
			}
			this, _ := hn()
			u := &updater{env: env, dir: d.Path, inputs: args, this: this, json: asJSON, writeFile: deps.WriteFile}
			if u.writeFile == nil {
				u.writeFile = fsutil.WriteFileAtomic
			}
			if dryRun {
				return u.dryRun(ctx)
			}
			// A closed output pipe (`axios update | less`, quit early)
			// must not kill axios between changing flake.lock and putting
			// it back: writes then just fail, and the update goes on. It
			// stays ignored until axios exits, so the final error message
			// cannot kill it either.
			signal.Ignore(syscall.SIGPIPE)
			return u.run(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "the configuration directory (flake)")
	f.BoolVar(&dryRun, "dry-run", false, "print the exact commands instead of running them")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// checkHosts runs the axios check on the configuration at dir when it has
// hosts/*.toml, printing every problem. A host with errors stops the update
// before flake.lock is read or nix runs. Hosts written only in Nix are left
// to nix, which checks them while building.
func checkHosts(ctx context.Context, env activate.Env, dir string) error {
	hosts, err := activate.TOMLHosts(dir)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	if len(hosts) == 0 {
		return nil
	}
	rep, err := checkdir.CheckDir(ctx, dir, checkdir.DirOptions{Runner: env.Runner})
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	report.WriteDiagnostics(env.Stderr, rep.Diagnostics)
	if !diag.HasErrors(rep.Diagnostics) {
		return nil
	}
	// Name the hosts when every error belongs to one; a problem of the
	// directory itself (no flake.nix, an untracked file) is the
	// configuration's.
	var bad []string
	hostErrs := 0
	for _, h := range rep.Hosts {
		if n := errorCount(h.Diagnostics); n > 0 {
			hostErrs += n
			bad = append(bad, strings.TrimSuffix(filepath.Base(h.File), ".toml"))
		}
	}
	what := "the configuration has errors"
	switch {
	case hostErrs != errorCount(rep.Diagnostics):
	case len(bad) == 1:
		what = "host " + bad[0] + " has errors"
	case len(bad) > 1:
		what = "hosts " + strings.Join(bad, ", ") + " have errors"
	}
	return exitcode.New(exitcode.Failed, fmt.Errorf("%s (above); fix them and run again — flake.lock was not touched and nothing was built", what))
}

func errorCount(ds []diag.Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity != diag.SeverityWarning {
			n++
		}
	}
	return n
}

type updater struct {
	env       activate.Env
	dir       string
	inputs    []string
	this      string // this machine's hostname
	json      bool
	writeFile func(path string, data []byte, perm fs.FileMode) error
}

// UpdateCmd is `nix flake update [INPUT...] --flake DIR`.
func UpdateCmd(dir string, inputs []string) runner.Cmd {
	args := append(append([]string{}, closure.NixFlags...), "flake", "update")
	args = append(args, inputs...)
	args = append(args, "--flake", dir)
	return runner.Cmd{Name: "nix", Args: args}
}

func (u *updater) lockPath() string { return filepath.Join(u.dir, "flake.lock") }

// OldSuffix names the copy of flake.lock that `axios update` keeps on disk
// until the update is accepted or the old lock is verifiably back.
const OldSuffix = ".axios-old"

func (u *updater) oldPath() string { return u.lockPath() + OldSuffix }

func (u *updater) dryRun(ctx context.Context) error {
	hosts, err := activate.Hosts(ctx, u.env.Runner, u.dir)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	w := u.env.Stdout
	fmt.Fprintln(w, "# dry run: these commands would run, in this order (nothing was changed)")
	fmt.Fprintf(w, "# lock %s against a second axios update\n", u.dir)
	if _, err := os.Stat(u.lockPath()); err == nil {
		fmt.Fprintf(w, "# save %s as %s\n", u.lockPath(), u.oldPath())
	} else {
		fmt.Fprintf(w, "# %s does not exist yet: remove the new one if a host fails\n", u.lockPath())
	}
	fmt.Fprintln(w, UpdateCmd(u.dir, u.inputs).String())
	tmp := filepath.Join(os.TempDir(), "axios-update")
	for _, h := range hosts {
		fmt.Fprintln(w, activate.BuildCmd(u.dir, h, filepath.Join(tmp, h), u.env.UseNom).String())
	}
	if contains(hosts, u.this) && u.env.RunningSystem() != "" {
		fmt.Fprintln(w, closure.PathInfoCmd(u.env.CurrentSystem).String())
		fmt.Fprintln(w, closure.PathInfoCmd(filepath.Join(tmp, u.this)).String())
	}
	fmt.Fprintf(w, "# keep the new flake.lock if every host built, else write the saved one back\n")
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// prepare does what comes before the update, changing nothing but the
// saved copy of flake.lock: it checks that no earlier update left its copy
// behind, lists the hosts to build and saves the old lock at oldPath. The
// caller holds the directory lock.
func (u *updater) prepare(ctx context.Context) (*lockFile, []string, error) {
	lf, err := openLock(u.lockPath())
	if err != nil {
		return nil, nil, exitcode.New(exitcode.Usage, err)
	}
	if ok, err := fsutil.Exists(u.oldPath()); err != nil || ok {
		if err != nil {
			return nil, nil, exitcode.New(exitcode.Usage, err)
		}
		return nil, nil, exitcode.New(exitcode.Failed, fmt.Errorf("%s exists: an earlier `axios update` could not put the old flake.lock back and kept it there. Compare it with flake.lock, then either move it back (`mv %s %s`) or delete it, and run again — nothing was changed", u.oldPath(), runner.Quote(u.oldPath()), runner.Quote(lf.target)))
	}
	hosts, err := activate.Hosts(ctx, u.env.Runner, u.dir)
	if err != nil {
		return nil, nil, exitcode.New(exitcode.Usage, err)
	}
	if len(hosts) == 0 {
		return nil, nil, exitcode.New(exitcode.Usage, fmt.Errorf("%s defines no hosts to build: add hosts/<name>.toml (`axios init`)", u.dir))
	}
	if lf.existed {
		if err := u.writeFile(u.oldPath(), lf.old, lf.perm); err != nil {
			return nil, nil, exitcode.New(exitcode.Failed, fmt.Errorf("saving the old flake.lock as %s failed, so the update did not start (nothing was changed): %w", u.oldPath(), err))
		}
	}
	return lf, hosts, nil
}

func (u *updater) run(ctx context.Context) (err error) {
	pt := ui.NewPainter(u.env.Stderr)
	unlock, err := fsutil.LockDir(u.dir)
	if errors.Is(err, fsutil.ErrLocked) {
		return exitcode.New(exitcode.Failed, fmt.Errorf("another `axios update` is running on %s; wait for it to finish and run again (nothing was changed)", u.dir))
	}
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	defer unlock()
	lf, hosts, err := u.prepare(ctx)
	if err != nil {
		return err
	}

	keep := false
	var newLock []byte // what nix wrote; nil until known
	defer func() {
		// A second Ctrl-C or a hang-up must not cut the restore short.
		release := activate.Shield(u.env.Stderr, "while flake.lock is put back; that goes on to the end")
		defer release()
		if keep {
			if lf.existed {
				if rerr := os.Remove(u.oldPath()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
					fmt.Fprintln(u.env.Stderr, pt.Paint(ui.Yellow, "warning: "+rerr.Error()))
				}
			}
			return
		}
		if msg, rerr := u.restore(ctx, lf, newLock); rerr != nil {
			fmt.Fprintln(u.env.Stderr, pt.Paint(ui.Red, "THE OLD flake.lock WAS NOT PUT BACK"))
			err = exitcode.New(exitcode.Failed, fmt.Errorf("%v\n%v", err, rerr))
		} else {
			fmt.Fprintln(u.env.Stderr, pt.Paint(ui.Yellow, msg))
		}
	}()

	fmt.Fprintln(u.env.Stderr, pt.Paint(ui.Bold, "updating flake.lock"))
	up := UpdateCmd(u.dir, u.inputs)
	up.Stderr = u.env.Stderr
	if err := u.env.Runner.Run(ctx, up); err != nil {
		if activate.Interrupted(ctx, err) {
			return exitcode.New(exitcode.Aborted, errors.New("interrupted while updating flake.lock"))
		}
		return exitcode.New(exitcode.Failed, fmt.Errorf("updating flake.lock failed: %w", err))
	}
	if err := lf.relink(u.writeFile); err != nil {
		return exitcode.New(exitcode.Failed, err)
	}
	updated, err := os.ReadFile(lf.target)
	if err != nil {
		return exitcode.New(exitcode.Failed, fmt.Errorf("reading the updated %s: %w", lf.target, err))
	}
	newLock = updated
	oldLock, hadLock := lf.old, lf.existed
	rep := &Report{Dir: u.dir, Changes: []flakelock.Change{}, Hosts: []HostResult{}}
	if hadLock && string(newLock) == string(oldLock) {
		keep = true
		fmt.Fprintln(u.env.Stderr, "flake.lock is already up to date; nothing to build")
		return u.print(rep, true)
	}
	if hadLock {
		if o, err := flakelock.Parse(oldLock); err == nil {
			if n, err := flakelock.Parse(newLock); err == nil {
				rep.Changes = flakelock.Changes(o, n)
			}
		}
	}
	if !u.json {
		writeChanges(u.env.Stdout, rep.Changes)
	}

	failed, err := u.buildAll(ctx, hosts, rep)
	if err != nil {
		return err
	}
	if rep.Diff != nil && !u.json {
		fmt.Fprintf(u.env.Stdout, "changes for this machine (%s) against the running system:\n", u.this)
		rep.Diff.Write(u.env.Stdout)
	}
	if failed > 0 {
		if perr := u.print(rep, false); perr != nil {
			return perr
		}
		var lines []string
		for _, h := range rep.Hosts {
			if !h.OK {
				lines = append(lines, h.Error)
			}
		}
		return exitcode.New(exitcode.Failed, fmt.Errorf("%d of %d hosts failed to build, so the update was not kept:\n%s", failed, len(hosts), strings.Join(lines, "\n")))
	}
	keep = true
	return u.print(rep, true)
}

// buildAll builds every host against the updated lock, recording each
// result in rep (and, for this machine, what changes against the running
// system); it returns how many failed, or an error when interrupted.
func (u *updater) buildAll(ctx context.Context, hosts []string, rep *Report) (int, error) {
	pt := ui.NewPainter(u.env.Stderr)
	tmp, err := os.MkdirTemp("", "axios-update-")
	if err != nil {
		return 0, exitcode.New(exitcode.Usage, fmt.Errorf("creating a folder for build results: %w", err))
	}
	defer os.RemoveAll(tmp)
	failed := 0
	for _, h := range hosts {
		fmt.Fprintln(u.env.Stderr, pt.Sprintf(ui.Bold, "building %s", h))
		out := filepath.Join(tmp, h)
		sys, err := activate.Build(ctx, u.env.Runner, h, activate.BuildCmd(u.dir, h, out, u.env.UseNom), out, u.env.Stderr)
		if err != nil && activate.Interrupted(ctx, err) || ctx.Err() != nil {
			return failed, exitcode.New(exitcode.Aborted, fmt.Errorf("interrupted while building %s", h))
		}
		if err != nil {
			failed++
			rep.Hosts = append(rep.Hosts, HostResult{Host: h, Error: err.Error()})
			continue
		}
		rep.Hosts = append(rep.Hosts, HostResult{Host: h, OK: true, System: sys})
		if h != u.this {
			continue
		}
		if running := u.env.RunningSystem(); running != "" {
			if d, err := closure.Between(ctx, u.env.Runner, running, sys); err == nil {
				rep.Diff = &d
			} else {
				fmt.Fprintln(u.env.Stderr, pt.Paint(ui.Yellow, "warning: cannot show what changes: "+err.Error()))
			}
		}
	}
	return failed, nil
}

func (u *updater) print(rep *Report, kept bool) error {
	rep.Kept = kept
	if u.json {
		if err := ui.WriteJSON(u.env.Stdout, rep); err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		return nil
	}
	if kept && len(rep.Hosts) > 0 {
		pt := ui.NewPainter(u.env.Stderr)
		hosts := "the only host"
		if len(rep.Hosts) > 1 {
			hosts = fmt.Sprintf("all %d hosts", len(rep.Hosts))
		}
		fmt.Fprintln(u.env.Stderr, pt.Sprintf(ui.Green, "%s built; the new flake.lock is kept (run `axios switch` to activate it)", hosts))
	}
	return nil
}

func writeChanges(w io.Writer, changes []flakelock.Change) {
	if len(changes) == 0 {
		return
	}
	fmt.Fprintln(w, "inputs updated:")
	for _, c := range changes {
		switch {
		case c.Before == "":
			fmt.Fprintf(w, "  + %s %s\n", c.Node, c.After)
		case c.After == "":
			fmt.Fprintf(w, "  - %s %s\n", c.Node, c.Before)
		default:
			fmt.Fprintf(w, "  ~ %s %s → %s\n", c.Node, c.Before, c.After)
		}
	}
}

// knownInputs checks each input (its first segment, for a path such as
// axios/nixpkgs) against the root inputs of the lock file, when there is a
// readable one; without it nix itself reports unknown inputs.
func knownInputs(lockPath string, inputs []string) error {
	if len(inputs) == 0 {
		return nil
	}
	data, err := os.ReadFile(lockPath)
	if err != nil {
		return nil
	}
	l, err := flakelock.Parse(data)
	if err != nil {
		return nil
	}
	var names []string
	for n := range l.Nodes[l.Root].Inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, in := range inputs {
		first, _, _ := strings.Cut(in, "/")
		if _, ok := l.Nodes[l.Root].Inputs[first]; !ok {
			return fmt.Errorf("flake.lock has no input %q: name one of %s", first, strings.Join(names, ", "))
		}
	}
	return nil
}
