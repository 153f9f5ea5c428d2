// Package hardware implements `axios hardware`: what hardware detection finds
// on this machine (or a recorded tree) and where each answer came from.
package hardware

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/ui"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	var root string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "hardware",
		Short: "Show the hardware axios init detects, and where each answer comes from",
		Long: `Show what hardware detection finds: CPU and GPU vendor, laptop or desktop,
SSD, UEFI, time zone, hostname, board vendor and whether this is NixOS. Each
answer names the file it was read from. Detection reads /proc, /sys and /etc
only (no lspci); --root points it at another tree, such as a recorded one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := hwdetect.Detect(root)
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			if asJSON {
				return ui.WriteJSON(cmd.OutOrStdout(), r)
			}
			Print(cmd.OutOrStdout(), r)
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", "/", "read /proc, /sys and /etc below this folder")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return []*cobra.Command{cmd}
}

// Print writes the report for people: one line per fact with its source.
func Print(w io.Writer, r *hwdetect.Report) {
	p := ui.NewPainter(w)
	if r.Root != "/" {
		fmt.Fprintf(w, "%s %s\n\n", p.Paint(ui.Dim, "root:"), r.Root)
	}
	rows := []struct {
		name string
		fact hwdetect.Fact
	}{
		{"hostname", r.Hostname},
		{"system", r.System},
		{"cpu", r.CPU},
		{"gpu", r.GPU},
		{"gpuDeviceId", r.GPUDeviceID},
		{"nvidiaOpen", r.NvidiaOpen},
		{"formFactor", r.FormFactor},
		{"isLaptop", r.IsLaptop},
		{"hasSSD", r.HasSSD},
		{"vendor", r.Vendor},
		{"timeZone", r.TimeZone},
		{"uefi", r.UEFI},
		{"nixos", r.NixOS},
	}
	for _, row := range rows {
		value := p.Paint(ui.Bold, row.fact.Value)
		if !row.fact.Known() {
			value = p.Paint(ui.Yellow, "(unknown)")
			switch row.name {
			case "vendor":
				value = "(none: a generic machine)"
			case "nvidiaOpen":
				value = "(default)"
			}
		}
		fmt.Fprintf(w, "%-12s %s\n", row.name, value)
		fmt.Fprintf(w, "%-12s %s\n", "", p.Paint(ui.Dim, row.fact.Source))
	}
	if len(r.GPUs) > 0 {
		fmt.Fprintf(w, "\n%s\n", p.Paint(ui.Bold, "display devices"))
		for _, g := range r.GPUs {
			kind := "discrete"
			if g.Integrated {
				kind = "integrated"
			}
			if g.Vendor == "" {
				kind = "not a supported GPU vendor"
			}
			fmt.Fprintf(w, "  %s  class %s  %s %s:%s  (%s)\n", g.Address, g.Class, g.Name, g.VendorID, g.DeviceID, kind)
		}
	}
	if len(r.Disks) > 0 {
		fmt.Fprintf(w, "\n%s\n", p.Paint(ui.Bold, "disks"))
		for _, d := range r.Disks {
			kind := "SSD (non-rotational)"
			if d.Rotational {
				kind = "rotational"
			}
			fmt.Fprintf(w, "  %s  %s\n", d.Name, kind)
		}
	}
	if !r.NixOS.Bool() {
		fmt.Fprintf(w, "\n%s\n", p.Paint(ui.Yellow, strings.TrimSpace(`
This is not NixOS: axios init can still write a configuration, but its
hardware.nix will be a placeholder until you run nixos-generate-config on the
machine.`)))
	}
}
