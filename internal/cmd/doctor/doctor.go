package doctor

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/complete"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/report"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace
// them. The zero value is the real machine.
type Deps struct {
	Machine  Machine
	Resolver configdir.Resolver
	Hostname func() (string, error)
}

// Commands returns the doctor command.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// Report is what `axios doctor --json` prints.
type Report struct {
	Host   string   `json:"host"`
	Dir    string   `json:"dir"`
	Checks []Result `json:"checks"`
	OK     bool     `json:"ok"` // no check failed
}

// New returns the `axios doctor` command.
func New(deps Deps) *cobra.Command {
	var dir, host string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check this machine and its configuration: NixOS, UEFI, Secure Boot, flakes, git, /boot space, time zone, host",
		Long: `Run every check and print one line per check: pass, warn or fail, with
the fix. The checks: the machine runs NixOS (/etc/os-release), UEFI boot (BIOS is not supported), Secure Boot state and
Lanzaboote keys (/var/lib/sbctl), flakes enabled, the configuration
directory is a git repository that tracks every file the flake reads, this
host's hardware file exists, home-manager follows the configuration's nixpkgs
(flake.lock), free space in /boot, the host's time zone exists, and the host
validates (` + "`axios check`" + `).

Exit status: 0 when nothing failed (warnings allowed), 1 when a check failed.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			if host == "" {
				hn := deps.Hostname
				if hn == nil {
					hn = os.Hostname
				}
				h, err := hn()
				if err != nil {
					return exitcode.New(exitcode.Usage, fmt.Errorf("cannot read this machine's hostname (%v): pass --host", err))
				}
				host = h
			}
			rep := Run(ctx, deps, dir, host)
			return report.Emit(cmd.OutOrStdout(), asJSON, rep, func(w io.Writer) { Write(w, rep) }, rep.OK)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "", "the configuration directory")
	f.StringVar(&host, "host", "", "the host to check (default: this machine's hostname)")
	_ = cmd.RegisterFlagCompletionFunc("host", complete.HostFlag(deps.Resolver, &dir))
	f.BoolVar(&asJSON, "json", false, "print the checks as JSON")
	return cmd
}

// Run runs every check.
func Run(ctx context.Context, deps Deps, dir, host string) *Report {
	m := deps.Machine
	rep := &Report{Host: host}
	add := func(r Result) { rep.Checks = append(rep.Checks, r) }
	add(m.NixOS())
	add(m.UEFI())
	add(m.SecureBoot())
	add(m.Flakes(ctx))
	d, err := deps.Resolver.Resolve(dir)
	tz := ""
	if err != nil {
		add(res("config", "configuration directory", Fail, err.Error(), "create one with `axios init`, or pass --dir"))
	} else {
		rep.Dir = d.Path
		for _, r := range configChecks(ctx, m, d.Path, host, &tz) {
			add(r)
		}
	}
	add(m.BootSpace())
	add(m.TimeZone(tz))
	rep.OK = true
	for _, r := range rep.Checks {
		if r.Status == Fail {
			rep.OK = false
		}
	}
	return rep
}

func configChecks(ctx context.Context, m Machine, dir, host string, tz *string) []Result {
	r := m.runner()
	var out []Result
	gitRes := res("git", "configuration tracked by git", Pass, "", "")
	b, err := r.Output(ctx, runner.Cmd{Name: "git", Args: []string{"-C", dir, "rev-parse", "--is-inside-work-tree"}})
	inGit := err == nil && strings.TrimSpace(string(b)) == "true"
	rep, cerr := checkdir.CheckDir(ctx, dir, checkdir.DirOptions{Runner: r})
	if cerr != nil {
		return []Result{res("config", "configuration directory", Fail, cerr.Error(), "")}
	}
	known, _ := activate.TOMLHosts(dir)
	g, hw, valid, t := hostChecks(rep, dir, host, known)
	*tz = t
	switch {
	case !inGit:
		gitRes.Status = Warn
		gitRes.Message = dir + " is not a git repository, so changes cannot be reviewed or rolled back"
		gitRes.Fix = "run `git -C " + runner.Quote(dir) + " init && git -C " + runner.Quote(dir) + " add -A && git -C " + runner.Quote(dir) + " commit -m init`"
	case g.Status == Fail:
		gitRes = g
	default:
		gitRes.Message = "git tracks every file the flake reads"
	}
	out = append(out, gitRes, hw, HomeManagerFollows(dir), valid)
	return out
}

var marks = map[string]struct {
	sym   string
	style ui.Style
}{
	Pass: {"✓", ui.Green},
	Warn: {"!", ui.Yellow},
	Fail: {"✗", ui.Red},
	Skip: {"-", ui.Dim},
}

// Write prints one line per check and a summary.
func Write(w io.Writer, rep *Report) {
	p := ui.NewPainter(w)
	counts := map[string]int{}
	for _, r := range rep.Checks {
		counts[r.Status]++
		m := marks[r.Status]
		line := fmt.Sprintf("%s %s  %s: %s", p.Paint(m.style, m.sym), p.Paint(m.style, fmt.Sprintf("%-4s", r.Status)), p.Paint(ui.Bold, r.Title), r.Message)
		if r.Fix != "" {
			line += p.Paint(ui.Dim, " (fix: "+r.Fix+")")
		}
		fmt.Fprintln(w, line)
	}
	warnings := "warnings"
	if counts[Warn] == 1 {
		warnings = "warning"
	}
	fmt.Fprintf(w, "%d passed, %d %s, %d failed", counts[Pass], counts[Warn], warnings, counts[Fail])
	if counts[Skip] > 0 {
		fmt.Fprintf(w, ", %d skipped", counts[Skip])
	}
	fmt.Fprintln(w)
}
