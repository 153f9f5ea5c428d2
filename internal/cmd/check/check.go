// Package check implements `axios check`: instant validation of host files
// and configuration directories with the Go interpreter of lib/rules.toml.
package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/report"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace them.
type Deps struct {
	Runner   runner.Runner       // runs git; nil means runner.Exec{}
	Resolver configdir.Resolver  // finds the configuration directory
	Getenv   func(string) string // finds the cache folder; nil means os.Getenv
}

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// New returns the `axios check` command.
func New(deps Deps) *cobra.Command {
	var asJSON bool
	var dir, stdinName, indexFile string
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "check [PATH...]",
		Short:         "Check host files or a configuration directory instantly, without Nix",
		Long: `Check host files (hosts/<name>.toml) or whole configuration directories
against the axiOS rules (lib/rules.toml and the module catalog), the same
rules the Nix library turns into assertions, in milliseconds.

Each PATH is a host file, a configuration directory, or - for a host read
from standard input (name it with --stdin-filename). A folder of host files
(with .toml files but neither flake.nix nor hosts/, such as hosts/ itself)
has each file checked alone. A configuration directory is checked
completely: flake.nix and hosts/ exist, every hosts/<name>.toml is a valid host
with a hosts/<name>/hardware.nix that is not the placeholder axios init writes
(AX406, a warning), and, in a git repository, every file the flake reads is
tracked (flakes see only tracked files). Option paths set in extraConfig
and in the [virt], [secrets] and [selfHosted] tables are looked up in the
option index that ` + "`axios options --update`" + ` builds (AX501, a warning, with a
"did you mean"); without an index check says so once. Without PATH the
configuration directory is used: --dir, then $AXIOS_FLAKE, then the current
directory when it holds flake.nix and hosts/, then ~/.config/nixos_config.

One line per problem:

  FILE:LINE: CODE FIELD: MESSAGE (fix: FIX)

Exit status: 0 when everything is valid (warnings allowed), 1 when a problem
is an error, 2 for bad usage or an unreadable path.`,
		Example: `  axios check                      # the configuration directory
  axios check hosts/tower.toml     # one host file
  axios check ~/src/machines       # another configuration directory
  axios check --stdin-filename hosts/tower.toml - < buffer.toml   # from an editor
  axios check --json . | jq '.diagnostics[] | .code'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths := args
			if len(paths) == 0 {
				d, err := deps.Resolver.Resolve(dir)
				if err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				paths = []string{d.Path}
			} else if dir != "" {
				return exitcode.New(exitcode.Usage, errors.New("give either PATH arguments or --dir, not both"))
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			getenv := deps.Getenv
			if getenv == nil {
				getenv = os.Getenv
			}
			idx, note, err := optionIndex(indexFile, paths, getenv)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			opts := checkdir.DirOptions{Runner: deps.Runner, Stdin: cmd.InOrStdin(), StdinName: stdinName}
			if idx != nil {
				opts.OptionIndex = idx
			}
			rep, err := checkdir.Check(ctx, paths, opts)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if note != "" {
				rep.Notes = append(rep.Notes, note)
			}
			if idx == nil && setsOptions(rep) {
				rep.Notes = append(rep.Notes, optindex.NoIndexNote)
			}
			relativize(rep)
			return report.Emit(cmd.OutOrStdout(), asJSON, rep, func(w io.Writer) {
				report.WriteDiagnostics(w, rep.Diagnostics)
				p := ui.NewPainter(w)
				for _, n := range rep.Notes {
					fmt.Fprintln(w, p.Paint(ui.Dim, "note: "+n))
				}
				writeSummary(w, rep)
			}, rep.Valid)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON (hosts, diagnostics, valid)")
	cmd.Flags().StringVar(&dir, "dir", "", "the configuration directory to check when no PATH is given")
	cmd.Flags().StringVar(&indexFile, "options-index", "", "the option index to check option paths against (default: the one `axios options --update` cached for this configuration)")
	cmd.Flags().StringVar(&stdinName, "stdin-filename", "", "the file name of the host read from standard input (PATH -), for messages and the hostname check")
	return cmd
}

// optionIndex loads the index named by --options-index, else the cached one
// of the configuration the paths belong to.
func optionIndex(file string, paths []string, getenv func(string) string) (*optindex.Index, string, error) {
	if file != "" {
		idx, err := optindex.LoadPaths(file)
		if err != nil {
			return nil, "", fmt.Errorf("--options-index: %w", err)
		}
		return idx, "", nil
	}
	idx, note, err := optindex.ForConfigPaths(configOf(paths), getenv)
	if err != nil {
		// A broken cache is no reason to stop checking the hosts.
		return nil, err.Error(), nil
	}
	return idx, note, nil
}

// configOf returns the configuration directory of the first path: the path
// itself when it holds flake.nix, or the folder above hosts/ for a host
// file; "" when there is none.
func configOf(paths []string) string {
	for _, p := range paths {
		if p == "-" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		for _, d := range []string{abs, filepath.Dir(filepath.Dir(abs)), filepath.Dir(abs)} {
			if _, err := os.Stat(filepath.Join(d, "flake.nix")); err == nil {
				return d
			}
		}
	}
	return ""
}

func setsOptions(rep *checkdir.Report) bool {
	for _, h := range rep.Hosts {
		if h.SetsOptions {
			return true
		}
	}
	return false
}

func writeSummary(w io.Writer, rep *checkdir.Report) {
	p := ui.NewPainter(w)
	errs, warns := 0, 0
	for _, d := range rep.Diagnostics {
		if d.Severity == diag.SeverityWarning {
			warns++
		} else {
			errs++
		}
	}
	hosts := plural(len(rep.Hosts), "host")
	switch {
	case errs == 0 && warns == 0:
		fmt.Fprintln(w, p.Sprintf(ui.Green, "✓ %s checked, no problems", hosts))
	case errs == 0:
		fmt.Fprintln(w, p.Sprintf(ui.Green, "✓ %s checked, valid", hosts)+p.Sprintf(ui.Yellow, " (%s)", plural(warns, "warning")))
	default:
		fmt.Fprintln(w, p.Sprintf(ui.Red, "✗ %s checked: %s, %s", hosts, plural(errs, "error"), plural(warns, "warning")))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// relativize shows paths below the current directory relative to it.
func relativize(rep *checkdir.Report) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	rel := func(p string) string {
		if p == "" || !filepath.IsAbs(p) {
			return p
		}
		r, err := filepath.Rel(wd, p)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return p
		}
		return r
	}
	for i := range rep.Diagnostics {
		rep.Diagnostics[i].File = rel(rep.Diagnostics[i].File)
	}
	for i := range rep.Hosts {
		rep.Hosts[i].File = rel(rep.Hosts[i].File)
		for j := range rep.Hosts[i].Diagnostics {
			rep.Hosts[i].Diagnostics[j].File = rel(rep.Hosts[i].Diagnostics[j].File)
		}
	}
}
