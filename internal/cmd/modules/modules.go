// Package modules implements `axios modules`: the module catalog.
package modules

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/ui"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{New(catalog.Default)} }

// New returns the `axios modules` command reading the catalog from load.
func New(load func() *catalog.Catalog) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "modules",
		Short:         "List the axiOS modules: kind, flag and default, requirements, home modules",
		Long: `List every module of the axiOS catalog (modules/catalog.toml, built into
this program): the NixOS modules with their kind (core: always imported;
flagged: imported when modules.<flag> is true; hardware: chosen by
hardware.vendor or formFactor), the flag a host sets and its default, the
flags it requires, the home-manager modules it adds; then the home-manager
profiles and modules, and the nixos-hardware modules with their conditions.`,
		Example: `  axios modules
  axios modules --json | jq -r '.nixos[] | select(.flag) | .flag'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := load()
			if asJSON {
				if err := ui.WriteJSON(cmd.OutOrStdout(), c); err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				return nil
			}
			Write(cmd.OutOrStdout(), c)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the catalog as JSON")
	return cmd
}

// Write prints the catalog for people.
func Write(w io.Writer, c *catalog.Catalog) {
	p := ui.NewPainter(w)
	fmt.Fprintln(w, p.Paint(ui.Bold, "NixOS modules"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tKIND\tFLAG (DEFAULT)\tREQUIRES\tHOME\tDESCRIPTION")
	for _, e := range c.NixOS {
		flag := "-"
		if e.Flag != "" {
			flag = fmt.Sprintf("modules.%s (%t)", e.Flag, e.Default)
		}
		if e.Kind == catalog.Hardware {
			var sel []string
			for _, v := range e.Vendors {
				sel = append(sel, "vendor "+v)
			}
			for _, f := range e.FormFactors {
				sel = append(sel, f)
			}
			flag = strings.Join(sel, ", ")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.Paint(ui.Bold, e.Name), e.Kind, flag, dash(e.Requires), dash(e.Home), e.Description)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Paint(ui.Bold, "home-manager modules"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tKIND\tREQUIRES\tDESCRIPTION")
	for _, e := range c.Home {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Paint(ui.Bold, e.Name), e.Kind, dash(e.Requires), e.Description)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Paint(ui.Bold, "nixos-hardware modules"))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, h := range c.NixOSHardware {
		var conds []string
		for f, v := range h.When {
			conds = append(conds, fmt.Sprintf("%s = %v", f, quote(v)))
		}
		sort.Strings(conds)
		fmt.Fprintf(tw, "  %s\twhen %s\n", h.Module, strings.Join(conds, " and "))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nTurn a module on with modules.<flag> = true in hosts/<name>.toml.\n")
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func dash(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	return strings.Join(list, ", ")
}
