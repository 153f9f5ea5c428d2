package deploy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// WriteDryRun prints, per target, the commands Run would run, and the
// activation script once.
func WriteDryRun(w io.Writer, targets []Target, o Options) {
	fmt.Fprintln(w, "# dry run: these commands would run, per host (nothing was changed)")
	fmt.Fprintln(w, "# <system> is the built store path, <token> a fresh random name per run;")
	fmt.Fprintln(w, "# the activation script written to /run/axios-deploy/<token>.sh is at the end")
	cmds := DryRun(targets, o)
	for _, t := range targets {
		fmt.Fprintf(w, "\n# %s → %s\n", t.Host, t.Machine.Login())
		for _, c := range cmds[t.Host] {
			prefix := ""
			for _, e := range c.Env {
				prefix += runner.Quote(e) + " "
			}
			fmt.Fprintln(w, prefix+c.String())
		}
	}
	fmt.Fprintln(w, "\n# the activation script:")
	for _, l := range strings.Split(strings.TrimRight(ActivateScript(), "\n"), "\n") {
		fmt.Fprintln(w, "#   "+l)
	}
}

// WriteSummary prints one line per host: what happened and where.
func WriteSummary(w io.Writer, results []*Result, mode activate.Mode) {
	pt := ui.NewPainter(w)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range results {
		var what string
		switch r.Outcome {
		case OutcomeDone:
			what = pt.Paint(ui.Green, done(mode)) + " on " + r.Target
		case OutcomeRolledBack:
			what = pt.Paint(ui.Yellow, "rolled back") + ": " + r.Detail
		case OutcomeUnconfirmed:
			what = pt.Paint(ui.Yellow, "unconfirmed") + ": " + r.Detail
		default:
			what = pt.Paint(ui.Red, "failed at "+r.Step) + ": " + firstLine(r.Detail)
		}
		fmt.Fprintf(tw, "%s\t%s\n", r.Host, what)
	}
	tw.Flush()
}

func done(mode activate.Mode) string {
	switch mode {
	case activate.ModeBoot:
		return "boot default"
	case activate.ModeTest:
		return "tested"
	}
	return "switched"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
