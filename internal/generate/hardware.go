package generate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/runner"
)

// Hardware is the content of hosts/<name>/hardware.nix and where it came
// from.
type Hardware struct {
	Content     []byte
	Source      string // "nixos-generate-config", a file path, or "placeholder"
	Placeholder bool
	// Warning explains a placeholder (or a failed first choice); empty when
	// the real hardware configuration was found.
	Warning string
}

// FindHardware gets the hardware configuration of the machine:
//
//  1. `nixos-generate-config --show-hardware-config`, only when root is "/"
//     (this machine) and the command is on PATH;
//  2. else <root>/etc/nixos/hardware-configuration.nix;
//  3. else a placeholder that fails evaluation with instructions.
//
// lookPath is exec.LookPath (replaceable in tests).
func FindHardware(ctx context.Context, r runner.Runner, lookPath func(string) (string, error), root, hostname string) Hardware {
	var notes []string
	if root == "" || root == "/" {
		if _, err := lookPath("nixos-generate-config"); err == nil {
			out, err := r.Output(ctx, runner.Cmd{Name: "nixos-generate-config", Args: []string{"--show-hardware-config"}})
			if err == nil && len(out) > 0 {
				return Hardware{Content: out, Source: "nixos-generate-config --show-hardware-config"}
			}
			if err != nil {
				notes = append(notes, fmt.Sprintf("nixos-generate-config failed: %v", err))
			} else {
				notes = append(notes, "nixos-generate-config printed nothing")
			}
		} else {
			notes = append(notes, "nixos-generate-config is not installed (this is not NixOS, or not the installer)")
		}
	}
	file := filepath.Join(root, "etc/nixos/hardware-configuration.nix")
	if root == "" {
		file = "/etc/nixos/hardware-configuration.nix"
	}
	b, err := os.ReadFile(file)
	switch {
	case err == nil && len(b) > 0:
		hw := Hardware{Content: b, Source: file}
		if len(notes) > 0 {
			hw.Warning = notes[0] + "; copied " + file + " instead (check it is up to date)"
		}
		return hw
	case err == nil:
		notes = append(notes, file+" is empty")
	case errors.Is(err, fs.ErrNotExist):
		notes = append(notes, file+" does not exist")
	default:
		notes = append(notes, fmt.Sprintf("cannot read %s: %v", file, err))
	}
	return Placeholder(hostname, notes)
}

// Placeholder returns a hardware.nix that makes evaluation fail with a
// message saying how to generate the real one.
func Placeholder(hostname string, reasons []string) Hardware {
	path := "hosts/" + hostname + "/hardware.nix"
	msg := path + " is a placeholder written by `axios init`. On the machine run `nixos-generate-config --show-hardware-config > " + path + "`, then `git add " + path + "`."
	var b []byte
	b = fmt.Appendf(b, "%s\n", checkdir.PlaceholderMarker)
	b = fmt.Appendf(b, "#\n# `axios init` could not read this machine's hardware configuration:\n")
	for _, r := range reasons {
		b = fmt.Appendf(b, "#   - %s\n", oneLine(r))
	}
	b = fmt.Appendf(b, "#\n# On the machine (booted into NixOS or the installer), run:\n")
	b = fmt.Appendf(b, "#\n#   nixos-generate-config --show-hardware-config > %s\n#   git add %s\n", path, path)
	b = fmt.Appendf(b, "#\n# Until then, evaluating this host stops with the message below.\n")
	b = fmt.Appendf(b, "_: throw %s\n", NixString(msg))
	warning := "no hardware configuration found (" + joinReasons(reasons) + "); wrote a placeholder " + path + " that stops evaluation until you replace it: run `nixos-generate-config --show-hardware-config > " + path + "` on the machine"
	return Hardware{Content: b, Source: "placeholder", Placeholder: true, Warning: warning}
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
}
