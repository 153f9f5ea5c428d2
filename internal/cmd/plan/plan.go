// Package plan implements `axios plan`: what a host will get, without Nix.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/exposure"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/hostsettings"
	"github.com/axios-nix/axios/internal/report"
	"github.com/axios-nix/axios/internal/ui"
)

// Plan is what `axios plan` reports (also its --json form).
type Plan struct {
	Host          string                 `json:"host"`
	File          string                 `json:"file"`
	Valid         bool                   `json:"valid"`
	NixOS         []hostrules.Selected   `json:"nixos"`
	NixOSHardware []hostrules.Selected   `json:"nixosHardware"`
	HomeProfile   string                 `json:"homeProfile"`
	Home          []hostrules.Selected   `json:"home"`
	Flags         map[string]bool        `json:"flags"`
	Settings      []hostsettings.Setting `json:"settings"`
	// Deploy is how `axios deploy`, colmena and deploy-rs reach the host;
	// null when it has no [deploy] table (or has errors).
	Deploy      *hostsettings.DeploySettings `json:"deploy"`
	Diagnostics []diag.Diagnostic            `json:"diagnostics"`
	// Exposure lists the open ports per interface class (lib/ports.toml);
	// null when the file does not parse.
	Exposure *exposure.Report `json:"exposure"`
}

// Deps are what the command needs from the outside world; tests replace them.
type Deps struct {
	Resolver configdir.Resolver
}

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// New returns the `axios plan` command.
func New(deps Deps) *cobra.Command {
	var asJSON, exposureOnly bool
	var dir string
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "plan HOST|FILE",
		Short:         "Show what a host will get: modules and why, hardware modules, home modules, settings",
		Long: `Show, without evaluating Nix, what mkSystem will build for a host: the NixOS
modules imported and why (core, flag, vendor, form factor), the nixos-hardware
modules, the home profile and home modules every user gets, the options the
generated host module sets (enable options, settings tables, values copied
from the host, vendor settings, host name, time zone, users), and any
problems ` + "`axios check`" + ` finds.

With --exposure it shows instead which ports the host opens on each interface
class — loopback, the tailnet (tailscale0) and every other interface (LAN,
public Wi-Fi) — and which module and option open them, computed from
lib/ports.toml, the file the modules open their firewall ports from
(docs/security.md). --json always includes this report ("exposure").

HOST is a host name in the configuration directory (hosts/HOST.toml; the
directory is found as for ` + "`axios check`" + `); FILE is a path to a host file.
Exit status: 0 for a valid host, 1 when it has errors, 2 for bad usage.`,
		Example: `  axios plan tower
  axios plan hosts/tower.toml
  axios plan --exposure laptop
  axios plan --json tower | jq '.nixos[].name'
  axios plan --json tower | jq '.exposure.other'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := hostFile(args[0], dir, deps.Resolver)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			p, err := Make(file, hostrules.Options{})
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			human := func(w io.Writer) { Write(w, p) }
			if exposureOnly {
				human = func(w io.Writer) { WriteExposure(w, p) }
			}
			return report.Emit(cmd.OutOrStdout(), asJSON, p, human, p.Valid)
		},
	}
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return HostNames(deps.Resolver, dir), cobra.ShellCompDirectiveDefault
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&exposureOnly, "exposure", false, "show the ports the host opens per interface class (loopback, tailnet, other)")
	cmd.Flags().StringVar(&dir, "dir", "", "the configuration directory holding hosts/HOST.toml")
	return cmd
}

// HostNames lists the hosts of the configuration directory (the stems of
// hosts/*.toml), for shell completion; nil when there is no directory.
func HostNames(r configdir.Resolver, dir string) []string {
	d, err := r.Resolve(dir)
	if err != nil {
		return nil
	}
	return hostsIn(d.Path)
}

func hostsIn(dir string) []string {
	var names []string
	matches, _ := filepath.Glob(filepath.Join(dir, "hosts", "*.toml"))
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".toml"))
	}
	return names
}

// hostFile turns the argument into a host file path: an existing file, a
// path ending in .toml, or hosts/<arg>.toml in the configuration directory.
func hostFile(arg, dir string, r configdir.Resolver) (string, error) {
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return arg, nil
	}
	if strings.HasSuffix(arg, ".toml") || strings.ContainsRune(arg, os.PathSeparator) {
		return "", fmt.Errorf("host file %s: no such file", arg)
	}
	d, err := r.Resolve(dir)
	if err != nil {
		return "", err
	}
	file := filepath.Join(d.Path, "hosts", arg+".toml")
	if _, err := os.Stat(file); err != nil {
		names := hostsIn(d.Path)
		known := "there are no hosts"
		if len(names) > 0 {
			known = "hosts: " + strings.Join(names, ", ")
		}
		return "", fmt.Errorf("no host %q in %s (%s)", arg, d.Path, known)
	}
	return file, nil
}

// Make builds the plan of a host file. A TOML syntax error gives a plan with
// one AX001 diagnostic and no modules; only I/O errors are errors.
func Make(file string, opts hostrules.Options) (*Plan, error) {
	p := &Plan{
		File: file, NixOS: []hostrules.Selected{}, NixOSHardware: []hostrules.Selected{},
		Home: []hostrules.Selected{}, Flags: map[string]bool{}, Settings: []hostsettings.Setting{},
		Diagnostics: []diag.Diagnostic{},
	}
	h, err := hostfile.ParseFile(file)
	if err != nil {
		var pe *hostfile.ParseError
		if !errors.As(err, &pe) {
			return nil, err
		}
		rep, err := checkdir.CheckFile(file, opts)
		if err != nil {
			return nil, err
		}
		p.Diagnostics = rep.Diagnostics
		return p, nil
	}
	p.Host = h.Name
	if hn, ok := h.Values["hostname"].(string); ok {
		p.Host = hn
	}
	p.Diagnostics = hostrules.Validate(h, opts)
	p.Valid = !diag.HasErrors(p.Diagnostics)
	sel := hostrules.Select(h, opts)
	p.NixOS, p.NixOSHardware, p.Home = sel.NixOS, sel.NixOSHardware, sel.Home
	p.HomeProfile, p.Flags = sel.HomeProfile, sel.Flags
	p.Settings = hostsettings.Settings(h, sel, opts)
	p.Deploy = hostsettings.Deploy(h, opts)
	if p.Exposure, err = exposure.ForHost(h, exposure.Options{Host: opts}); err != nil {
		return nil, fmt.Errorf("host %s: %w", file, err)
	}
	return p, nil
}

// Write prints the plan for people.
func Write(w io.Writer, p *Plan) {
	pt := ui.NewPainter(w)
	head := func(s string) { fmt.Fprintf(w, "\n%s\n", pt.Paint(ui.Bold, s)) }
	fmt.Fprintf(w, "%s %s  %s\n", pt.Paint(ui.Bold, "host"), pt.Paint(ui.Blue, orNone(p.Host)), pt.Paint(ui.Dim, p.File))
	if len(p.Diagnostics) == 1 && p.Diagnostics[0].Code == checkdir.CodeSyntax {
		// Nothing can be selected from a file that does not parse.
		head("problems")
		report.WriteDiagnostics(w, p.Diagnostics)
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Red, "✗ the file is not valid TOML, so there is nothing to plan"))
		return
	}
	list := func(title string, items []hostrules.Selected) {
		head(title)
		if len(items) == 0 {
			fmt.Fprintln(w, "  (none)")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range items {
			fmt.Fprintf(tw, "  %s\t%s\n", s.Name, pt.Paint(ui.Dim, s.Reason))
		}
		tw.Flush()
	}
	list("NixOS modules", p.NixOS)
	list("nixos-hardware modules", p.NixOSHardware)
	list("home modules (profile "+orNone(p.HomeProfile)+")", p.Home)
	head("settings")
	if len(p.Settings) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range p.Settings {
		fmt.Fprintf(tw, "  %s = %s\t%s\n", s.Option(), value(s.Value), pt.Paint(ui.Dim, s.Source))
	}
	tw.Flush()
	if d := p.Deploy; d != nil {
		head("deployment")
		user := "(ssh's choice)"
		if d.TargetUser != "" {
			user = d.TargetUser
		}
		opts := "(none)"
		if len(d.SSHOpts) > 0 {
			opts = strings.Join(d.SSHOpts, " ")
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  target\t%s\n", d.TargetHost)
		fmt.Fprintf(tw, "  user\t%s\n", user)
		fmt.Fprintf(tw, "  build on\t%s\n", d.BuildOn)
		fmt.Fprintf(tw, "  ssh options\t%s\n", opts)
		fmt.Fprintf(tw, "  confirm within\t%d s, else the target restores its previous system\n", d.ConfirmTimeout)
		tw.Flush()
	}
	if len(p.Diagnostics) > 0 {
		head("problems")
		report.WriteDiagnostics(w, p.Diagnostics)
	}
	if p.Valid {
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Green, "✓ valid host"))
	} else {
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Red, "✗ this host has errors: mkSystem will stop at its assertions"))
	}
}

// WriteExposure prints the exposure report for people.
func WriteExposure(w io.Writer, p *Plan) {
	pt := ui.NewPainter(w)
	fmt.Fprintf(w, "%s %s  %s\n", pt.Paint(ui.Bold, "host"), pt.Paint(ui.Blue, orNone(p.Host)), pt.Paint(ui.Dim, p.File))
	if p.Exposure == nil {
		report.WriteDiagnostics(w, p.Diagnostics)
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Red, "✗ the file is not valid TOML, so there is nothing to report"))
		return
	}
	class := func(title, note string, entries []exposure.Entry, other bool) {
		fmt.Fprintf(w, "\n%s %s\n", pt.Paint(ui.Bold, title), pt.Paint(ui.Dim, note))
		if len(entries) == 0 {
			fmt.Fprintln(w, "  (nothing)")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, e := range entries {
			why := "module " + e.Module
			if other {
				where := "every interface"
				if !(len(e.Interfaces) == 1 && e.Interfaces[0] == "*") {
					where = strings.Join(e.Interfaces, ", ")
				}
				why = fmt.Sprintf("on %s, asked by %s", where, e.AskedBy)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", e.Service, e.Ports(), pt.Paint(ui.Dim, why))
		}
		tw.Flush()
	}
	class("loopback", "(lo: this machine only)", p.Exposure.Loopback, false)
	class("tailnet", "(tailscale0: your tailnet's devices)", p.Exposure.Tailnet, false)
	class("other", "(LAN, public Wi-Fi: every other interface)", p.Exposure.Other, true)
	if len(p.Exposure.Other) == 0 {
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Green, "✓ nothing answers beyond loopback and the tailnet"))
	} else {
		fmt.Fprintln(w, "\n"+pt.Paint(ui.Yellow, fmt.Sprintf("! %d service(s) answer on other interfaces, each because the host asked (docs/security.md)", len(p.Exposure.Other))))
	}
	fmt.Fprintln(w, pt.Paint(ui.Dim, "Options set in the host's .nix modules are not read; lib/ports.toml lists what axiOS opens."))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// value renders a setting value compactly, as JSON.
func value(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
