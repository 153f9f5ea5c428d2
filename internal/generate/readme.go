package generate

import (
	"fmt"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
)

// SwitchCommand is the command that builds and activates the host from dir.
func SwitchCommand(dir, hostname string) string {
	return "sudo nixos-rebuild switch --flake " + shellWord(dir+"#"+hostname)
}

// shellWord quotes s for a POSIX shell when needed.
func shellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=+@%#,~", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// Readme renders README.md: what was generated and the next steps.
func Readme(a Answers, hw Hardware, cat *catalog.Catalog) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	h := a.Hostname
	w("# axiOS configuration for %s\n\n", h)
	w("Written by `axios init`")
	if a.Date != "" {
		w(" on %s", a.Date)
	}
	w(". It imports the axiOS flake (`%s`) and describes one\n", strings.ReplaceAll(orDefault(a.AxiosURL, DefaultAxiosURL), "`", ""))
	w("machine as data.\n\n")
	w("| file | what it is |\n|---|---|\n")
	w("| `flake.nix` | inputs (axiOS, nixpkgs following axiOS) and `nixosConfigurations` from `hosts/` |\n")
	w("| `hosts/%s.toml` | the host: hardware, modules, users (`axios check` validates it) |\n", h)
	w("| `hosts/%s/hardware.nix` | disks, file systems, kernel modules (from `nixos-generate-config`) |\n", h)
	if flagValue(cat, a.Modules, "secrets") {
		w("| `hosts/%s/secrets.nix` | `secrets.secretsDir = ../../secrets;` |\n", h)
		w("| `secrets/` | age-encrypted secrets; `secrets/README.md` shows how to add one |\n")
	}
	w("| `hosts/%s/*.nix` | add any other NixOS module here |\n\n", h)

	w("## Modules\n\n")
	if cat != nil {
		for _, f := range cat.Flags() {
			if flagValue(cat, a.Modules, f) {
				desc := ""
				if e, ok := cat.EntryForFlag(f); ok {
					desc = " — " + oneLine(e.Description)
				}
				w("- `%s`%s\n", f, desc)
			}
		}
	}
	w("\nTurn modules on or off in the `[modules]` table of `hosts/%s.toml`;\n", h)
	w("`axios modules` lists them all and `axios plan %s` shows what the host gets.\n\n", h)

	w("## Next steps\n\n")
	step := 1
	if hw.Placeholder {
		w("%d. **Create the hardware file.** `hosts/%s/hardware.nix` is a placeholder;\n", step, h)
		w("   on the machine run\n   `nixos-generate-config --show-hardware-config > hosts/%s/hardware.nix`.\n", h)
		step++
	} else {
		w("%d. Review `hosts/%s/hardware.nix` (copied from %s).\n", step, h, hw.Source)
		step++
	}
	w("%d. Check the host: `axios check .`\n", step)
	step++
	w("%d. Put the files under git: Nix flakes only see files that git tracks.\n", step)
	w("   `git init && git add -A && git commit -m \"Initial axiOS configuration\"`\n")
	step++
	w("%d. Build and switch: `sudo nixos-rebuild switch --flake .#%s` (or `axios switch`).\n\n", step, h)

	w("## Updating\n\n")
	w("- `nix flake update` moves axiOS and nixpkgs forward; commit `flake.lock`.\n")
	w("- `sudo nixos-rebuild switch --rollback` returns to the previous generation.\n")
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
