// Package generate writes a new axiOS configuration directory from a set of
// answers: flake.nix, hosts/<name>.toml, hosts/<name>/hardware.nix,
// .gitignore and README.md; with the secrets module on, also
// hosts/<name>/secrets.nix and secrets/README.md.
//
// Values are escaped for the language of each file (TOMLString, NixString),
// never pasted into templates. Render produces the files in memory; Write
// refuses to overwrite existing files unless forced, and writes each file
// atomically. Validation of the host (internal/hostrules) happens between
// the two, in the caller, so nothing is written for an invalid host.
package generate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// DefaultAxiosURL is the flake reference of axiOS written into flake.nix.
const DefaultAxiosURL = "github:kcalvelli/axios"

// User is the primary account.
type User struct {
	Name     string
	FullName string
	Email    string // may be empty
	// Linger: the user's systemd services start at boot and outlive the
	// login session ([users.<name>] linger).
	Linger bool
	// HashedPassword is the crypt(3) hash of the user's password
	// (internal/passwd), written as hashedPassword; empty leaves it out
	// (the host then gets the AX601 warning). The password itself never
	// reaches Answers.
	HashedPassword string
}

// Virt holds the [virt] settings written when modules.virt is on.
type Virt struct {
	Libvirt    bool
	Containers bool
}

// Answers is everything `axios init` asks. An empty string means "not set"
// (the key is left out of the host file).
type Answers struct {
	Hostname   string
	System     string
	TimeZone   string
	FormFactor string // desktop or laptop
	CPU        string
	GPU        string
	// GPUDeviceID is the detected GPU's PCI "vendor:device" id; written as
	// hardware.gpuDeviceId when it belongs to the GPU vendor answered.
	GPUDeviceID string
	Vendor      string
	HasSSD      bool
	HomeProfile string
	// HomeProfileChosen says HomeProfile was chosen (--profile, or in the
	// form), not derived from the form factor: a changed form factor keeps
	// it.
	HomeProfileChosen bool
	// Modules holds a value for module flags; flags missing here are written
	// with their catalog default.
	Modules map[string]bool
	User    User
	Virt    Virt
	// SSHEverywhere opens SSH on every interface, not only the tailnet
	// (services.openssh.openFirewall; docs/security.md).
	SSHEverywhere bool
	AxiosURL      string
	// Date is written into the file headers (YYYY-MM-DD).
	Date string
}

// gpuDeviceID is GPUDeviceID when it is an id of the answered GPU vendor
// (a GPU chosen by hand may not be the detected one), else "".
func (a Answers) gpuDeviceID() string {
	v, ok := hwdetect.PCIVendorID(a.GPU)
	if !ok || !strings.HasPrefix(a.GPUDeviceID, v+":") {
		return ""
	}
	return a.GPUDeviceID
}

// IsLaptop is derived from the form factor.
func (a Answers) IsLaptop() bool { return a.FormFactor == "laptop" }

// HostPath is hosts/<hostname>.toml.
func (a Answers) HostPath() string { return "hosts/" + a.Hostname + ".toml" }

// HardwarePath is hosts/<hostname>/hardware.nix.
func (a Answers) HardwarePath() string { return "hosts/" + a.Hostname + "/hardware.nix" }

// CheckText checks every free-text answer for bytes that cannot go into a
// generated file.
func (a Answers) CheckText() error {
	for _, f := range []struct{ name, value string }{
		{"hostname", a.Hostname},
		{"user name", a.User.Name},
		{"full name", a.User.FullName},
		{"e-mail", a.User.Email},
		{"password hash", a.User.HashedPassword},
		{"time zone", a.TimeZone},
		{"axios URL", a.AxiosURL},
	} {
		if err := CheckText(f.name, f.value); err != nil {
			return err
		}
	}
	return nil
}

// File is one generated file, relative to the configuration directory.
type File struct {
	Path    string
	Content []byte
}

// Render produces every file of the configuration for a and the given
// hardware file.
func Render(a Answers, hw Hardware, cat *catalog.Catalog, rl *rules.Rules) ([]File, error) {
	if err := a.CheckText(); err != nil {
		return nil, err
	}
	if a.Hostname == "" || strings.ContainsAny(a.Hostname, "/\\") || a.Hostname == "." || a.Hostname == ".." {
		return nil, fmt.Errorf("hostname %q cannot be a file name; use letters, digits, '-' and '_'", a.Hostname)
	}
	if a.AxiosURL == "" {
		a.AxiosURL = DefaultAxiosURL
	}
	files := []File{
		{"flake.nix", []byte(FlakeNix(a))},
		{a.HostPath(), []byte(HostTOML(a, cat, rl))},
		{a.HardwarePath(), hw.Content},
	}
	if flagValue(cat, a.Modules, "secrets") {
		files = append(files,
			File{a.SecretsModulePath(), []byte(SecretsModule(a))},
			File{SecretsReadmePath, []byte(SecretsReadme(a))})
	}
	return append(files,
		File{".gitignore", []byte(Gitignore)},
		File{"README.md", []byte(Readme(a, hw, cat))}), nil
}

// FlakeNix renders flake.nix.
func FlakeNix(a Answers) string {
	url := a.AxiosURL
	if url == "" {
		url = DefaultAxiosURL
	}
	return `{
  description = ` + NixString("axiOS configuration for "+a.Hostname) + `;

  inputs = {
    # The axiOS framework; ` + "`nix flake update axios`" + ` moves it forward.
    axios.url = ` + NixString(url) + `;
    # Use the nixpkgs that axiOS is tested with.
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs =
    { axios, ... }:
    {
      # One NixOS system per hosts/<name>.toml; the folder hosts/<name>/ holds
      # its hardware.nix and any extra .nix modules.
      nixosConfigurations = axios.lib.mkHosts ./hosts;
    };
}
`
}

// Gitignore is the .gitignore of a configuration.
const Gitignore = `# Build results and VM images
result
result-*
*.qcow2
*.iso
# Editors and tools
.direnv/
*.swp
*.swo
*~
.DS_Store
`

// help returns the rules' help line of a field as a comment, or "".
func help(rl *rules.Rules, path string) string {
	if rl == nil {
		return ""
	}
	f, ok := rl.Fields[path]
	if !ok || f.Help == "" {
		return ""
	}
	return "# " + oneLine(f.Help) + "\n"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func tomlBool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// HostTOML renders hosts/<name>.toml with a comment above each key.
func HostTOML(a Answers, cat *catalog.Catalog, rl *rules.Rules) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# The axiOS host %s, written by `axios init`", a.Hostname)
	if a.Date != "" {
		w(" on %s", a.Date)
	}
	w(".\n")
	w("# Every key is described in lib/rules.toml of axiOS. `axios check` validates\n")
	w("# this file, `axios plan %s` shows the modules it selects. The file name must\n", a.Hostname)
	w("# match hostname. Anything else goes into an [extraConfig] table or a .nix\n")
	w("# file in hosts/%s/.\n\n", a.Hostname)

	w("%shostname = %s\n\n", help(rl, "hostname"), TOMLString(a.Hostname))
	system := a.System
	if system == "" {
		system = "x86_64-linux"
	}
	w("%ssystem = %s\n\n", help(rl, "system"), TOMLString(system))
	w("%stimeZone = %s\n\n", help(rl, "timeZone"), TOMLString(a.TimeZone))
	if a.FormFactor != "" {
		w("%sformFactor = %s\n\n", help(rl, "formFactor"), TOMLString(a.FormFactor))
	}
	if a.HomeProfile != "" {
		w("%s", help(rl, "homeProfile"))
		if cat != nil {
			w("# (%s)\n", strings.Join(cat.Profiles(), ", "))
		}
		w("homeProfile = %s\n\n", TOMLString(a.HomeProfile))
	}

	w("%s[hardware]\n", help(rl, "hardware"))
	optional := func(key, value string) {
		w("%s", help(rl, "hardware."+key))
		if value == "" {
			example := "…"
			if rl != nil {
				if f, ok := rl.Fields["hardware."+key]; ok && len(f.Enum) > 0 {
					example = fmt.Sprint(f.Enum[0])
				}
			}
			w("# %s = %s    (not set)\n", key, TOMLString(example))
			return
		}
		w("%s = %s\n", key, TOMLString(value))
	}
	optional("cpu", a.CPU)
	optional("gpu", a.GPU)
	if id := a.gpuDeviceID(); id != "" {
		w("%sgpuDeviceId = %s\n", help(rl, "hardware.gpuDeviceId"), TOMLString(id))
		if a.GPU == "nvidia" && rl != nil && rl.InBetween("AX206", "hardware.gpuDeviceId", id) {
			w("%s# (this GPU is older than Turing)\nnvidiaOpen = false\n", help(rl, "hardware.nvidiaOpen"))
		}
	}
	optional("vendor", a.Vendor)
	w("%shasSSD = %s\n", help(rl, "hardware.hasSSD"), tomlBool(a.HasSSD))
	w("%sisLaptop = %s\n\n", help(rl, "hardware.isLaptop"), tomlBool(a.IsLaptop()))

	w("%s[modules]\n", help(rl, "modules"))
	for _, flag := range flagOrder(cat, a.Modules) {
		if cat != nil {
			if e, ok := cat.EntryForFlag(flag); ok && e.Description != "" {
				w("# %s\n", oneLine(e.Description))
			}
		}
		w("%s = %s\n", TOMLKey(flag), tomlBool(flagValue(cat, a.Modules, flag)))
	}

	w("\n%s", help(rl, "users"))
	if a.User.Name == "" {
		// No everyday user was given: a commented example to fill in.
		w("# [users.alice]\n# fullName = \"Alice Example\"\n# email = \"alice@example.org\"\n")
	} else {
		w("[users.%s]\n", TOMLKey(a.User.Name))
		w("%sfullName = %s\n", help(rl, "users.*.fullName"), TOMLString(a.User.FullName))
		w("%s", help(rl, "users.*.email"))
		if a.User.Email != "" {
			w("email = %s\n", TOMLString(a.User.Email))
		} else {
			w("# email = \"you@example.com\"\n")
		}
		w("%s# extraGroups = [ \"dialout\" ]\n", help(rl, "users.*.extraGroups"))
		w("%s", help(rl, "users.*.linger"))
		if a.User.Linger {
			w("linger = true\n")
		} else {
			w("# linger = true\n")
		}
		w("%s", help(rl, "users.*.hashedPassword"))
		if a.User.HashedPassword != "" {
			w("# (change the password later with passwd; this hash then no longer matters)\n")
			w("hashedPassword = %s\n", TOMLString(a.User.HashedPassword))
		} else {
			w("# hashedPassword = \"$y$…\"    (no password was given: run `mkpasswd` and put its output here)\n")
		}
		w("%s# hashedPasswordFile = \"/run/agenix/%s-password\"\n", help(rl, "users.*.hashedPasswordFile"), a.User.Name)
		w("%s# sshKeys = [ \"ssh-ed25519 AAAA… %s@laptop\" ]\n", help(rl, "users.*.sshKeys"), a.User.Name)
	}

	if flagValue(cat, a.Modules, "virt") {
		w("\n%s", help(rl, "virt"))
		w("[virt.libvirt]\n# libvirt, QEMU/KVM and virt-manager\nenable = %s\n\n", tomlBool(a.Virt.Libvirt))
		w("[virt.containers]\n# Podman containers\nenable = %s\n", tomlBool(a.Virt.Containers))
	}

	if flagValue(cat, a.Modules, "networking") {
		w("\n# SSH answers on loopback and the tailnet; docs/security.md of axiOS lists\n")
		w("# what each host exposes (axios plan --exposure %s).\n", a.Hostname)
		if a.SSHEverywhere {
			w("# Also on every other interface (LAN, public Wi-Fi):\n")
			w("[extraConfig.services.openssh]\nopenFirewall = true\n")
		} else {
			w("# To reach it from the LAN too (every interface):\n")
			w("# [extraConfig.services.openssh]\n# openFirewall = true\n")
		}
	}
	return b.String()
}

// flagOrder lists the catalog's flags (sorted), plus any extra flag in
// chosen (which validation will then report).
func flagOrder(cat *catalog.Catalog, chosen map[string]bool) []string {
	seen := map[string]bool{}
	var out []string
	if cat != nil {
		for _, f := range cat.Flags() {
			seen[f] = true
			out = append(out, f)
		}
	}
	var extra []string
	for f := range chosen {
		if !seen[f] {
			extra = append(extra, f)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

func flagValue(cat *catalog.Catalog, chosen map[string]bool, flag string) bool {
	if v, ok := chosen[flag]; ok {
		return v
	}
	if cat != nil {
		return cat.FlagDefault(flag)
	}
	return false
}

// ValidateHost parses a rendered hosts/<name>.toml (internal/hostfile) and
// validates it (internal/hostrules), exactly as `axios check` would.
func ValidateHost(files []File, a Answers, opts hostrules.Options) ([]diag.Diagnostic, error) {
	for _, f := range files {
		if f.Path != a.HostPath() {
			continue
		}
		h, err := hostfile.Parse(f.Content, f.Path)
		if err != nil {
			return nil, fmt.Errorf("the generated %s does not parse (a bug in axios init): %w", f.Path, err)
		}
		return hostrules.Validate(h, opts), nil
	}
	return nil, fmt.Errorf("no %s among the generated files", a.HostPath())
}
