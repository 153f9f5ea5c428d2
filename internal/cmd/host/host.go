// Package host implements `axios host`: the hosts of a configuration
// (`axios host list`); `axios host add` comes from the init command's
// package, which owns the questions and hardware detection, and is attached
// here by the cli.
package host

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace them.
type Deps struct {
	Resolver configdir.Resolver // finds the configuration directory
}

// New returns `axios host` with list and the given subcommands (add).
func New(deps Deps, sub ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "host",
		Short: "The hosts of a configuration: list them, add one",
		Long: `Manage the hosts of a configuration directory: ` + "`axios host list`" + ` shows every
hosts/<name>.toml with its system, form factor and validity; ` + "`axios host add NAME`" + `
writes a new host (hosts/NAME.toml and hosts/NAME/hardware.nix) without
touching the shared files.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newList(deps))
	cmd.AddCommand(sub...)
	return cmd
}

// Entry is one host of `axios host list`.
type Entry struct {
	Name       string `json:"name"`
	File       string `json:"file"`
	System     string `json:"system,omitempty"`
	FormFactor string `json:"formFactor,omitempty"`
	Valid      bool   `json:"valid"`
	Errors     int    `json:"errors"`
	Warnings   int    `json:"warnings"`
}

func newList(deps Deps) *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "list",
		Short:         "List the hosts of the configuration with system, form factor and validity",
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := deps.Resolver.Resolve(dir)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			entries, err := List(d.Path)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if asJSON {
				if err := ui.WriteJSON(cmd.OutOrStdout(), entries); err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				return nil
			}
			Write(cmd.OutOrStdout(), entries)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "the configuration directory (default: $AXIOS_FLAKE, the current directory, ~/.config/nixos_config)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the hosts as JSON")
	return cmd
}

// List reads every hosts/<name>.toml of the configuration in dir.
func List(dir string) ([]Entry, error) {
	names, err := activate.TOMLHosts(dir)
	if err != nil {
		return nil, err
	}
	out := []Entry{}
	for _, n := range names {
		file := filepath.Join(dir, "hosts", n+".toml")
		e := Entry{Name: n, File: filepath.Join("hosts", n+".toml")}
		rep, err := checkdir.CheckFile(file, hostrules.Options{})
		if err != nil {
			return nil, err
		}
		for _, d := range rep.Diagnostics {
			if d.Severity == diag.SeverityWarning {
				e.Warnings++
			} else {
				e.Errors++
			}
		}
		e.Valid = rep.Valid
		if h, err := hostfile.ParseFile(file); err == nil {
			e.System, _ = h.Values["system"].(string)
			if e.System == "" {
				e.System = "x86_64-linux"
			}
			e.FormFactor, _ = h.Values["formFactor"].(string)
		}
		out = append(out, e)
	}
	return out, nil
}

// Write prints the hosts for people.
func Write(w io.Writer, entries []Entry) {
	if len(entries) == 0 {
		fmt.Fprintln(w, "no hosts/<name>.toml (axios host add NAME writes one)")
		return
	}
	p := ui.NewPainter(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tSYSTEM\tFORM FACTOR\tSTATE")
	for _, e := range entries {
		state := p.Paint(ui.Green, "valid")
		if !e.Valid {
			state = p.Sprintf(ui.Red, "%d errors (axios check)", e.Errors)
		} else if e.Warnings > 0 {
			state += p.Sprintf(ui.Yellow, " (%d warnings)", e.Warnings)
		}
		ff := e.FormFactor
		if ff == "" {
			ff = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, e.System, ff, state)
	}
	tw.Flush()
}
