package upstreameval

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/rules"
)

// The evaluation has no nixpkgs package set: every `pkgs.<name>` the sources
// read gets a stub derivation (tests/upstream/stub-pkgs.nix). These patterns
// find the names.
var (
	rePkgsAttr      = regexp.MustCompile(`pkgs\.([A-Za-z_][A-Za-z0-9_'-]*(?:\.[A-Za-z_][A-Za-z0-9_'-]*)*)`)
	rePkgOptionSub  = regexp.MustCompile(`mkPackageOption +pkgs\.([A-Za-z0-9_]+) +"([^"]+)"`)
	rePkgOption     = regexp.MustCompile(`mkPackageOption +pkgs +"([^"]+)"`)
	rePkgOptionList = regexp.MustCompile(`mkPackageOption +pkgs +\[([^\]]*)\]`)
	reWithPkgs      = regexp.MustCompile(`(?s)with pkgs;\s*\[([^\]]*)\]`)
	reInheritPkgs   = regexp.MustCompile(`inherit \(pkgs\)([^;]*);`)
	reQuotedName    = regexp.MustCompile(`(?m)^ *"([a-zA-Z0-9_-]+(?:\.[a-zA-Z0-9_-]+)?)"`)
	reComment       = regexp.MustCompile(`#[^\n]*`)
	reIdent         = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.'-]*$`)
	reWord          = regexp.MustCompile(`[^\s\[\]();]+`)
)

// extraNames are read through dynamic attribute names or by home-manager
// through osConfig, so no pattern finds them.
var extraNames = []string{
	"chromium", "google-chrome", "google-chrome-beta", "google-chrome-dev", "brave", "brave-origin",
	"vivaldi", "microsoft-edge", "glibcLocales", "steam", "hello", "niri", "dms-shell", "samba",
	"flatpak", "nix", "shadow", "fish",
	"qt5.qtbase.qtPluginPrefix", "qt5.qtbase.qtQmlPrefix", "qt6.qtbase.qtPluginPrefix", "qt6.qtbase.qtQmlPrefix",
	// DMS and dank-greeter pick `go_<major>_<minor>` from their go.mod
	"go_1_24", "go_1_25", "go_1_26", "go_1_27",
}

var keywords = map[string]bool{"with": true, "pkgs": true, "let": true, "in": true, "if": true,
	"then": true, "else": true, "lib": true, "inherit": true, "rec": true}

// PackageNames lists the pkgs attribute paths read by the .nix files under
// dirs, plus extraNames, sorted and without duplicates.
func PackageNames(dirs []string) ([]string, error) {
	set := map[string]bool{}
	add := func(n string) {
		n = strings.Trim(n, ".")
		if n == "" || keywords[n] || !reIdent.MatchString(n) {
			return
		}
		set[n] = true
	}
	for _, n := range extraNames {
		add(n)
	}
	// The graphics module reads the driver channel the host chose, one of
	// hardware.nvidiaDriver's values in lib/rules.toml.
	for _, ch := range rules.Default().Fields["hardware.nvidiaDriver"].Enum {
		for _, kernel := range []string{"linuxPackages", "linuxPackages_latest"} {
			add(fmt.Sprintf("%s.nvidiaPackages.%v", kernel, ch))
		}
	}
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && (e.Name() == ".git" || e.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if e.IsDir() || !strings.HasSuffix(p, ".nix") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, n := range namesIn(string(b)) {
				add(n)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// namesIn returns the package names one file reads.
func namesIn(src string) []string {
	var out []string
	for _, m := range rePkgsAttr.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	for _, m := range rePkgOptionSub.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1]+"."+m[2])
	}
	for _, m := range rePkgOption.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	for _, m := range rePkgOptionList.FindAllStringSubmatch(src, -1) {
		var parts []string
		for _, w := range reWord.FindAllString(m[1], -1) {
			parts = append(parts, strings.Trim(w, `"`))
		}
		out = append(out, strings.Join(parts, "."))
	}
	for _, m := range reWithPkgs.FindAllStringSubmatch(src, -1) {
		out = append(out, reWord.FindAllString(reComment.ReplaceAllString(m[1], ""), -1)...)
	}
	for _, m := range reInheritPkgs.FindAllStringSubmatch(src, -1) {
		out = append(out, strings.Fields(m[1])...)
	}
	for _, m := range reQuotedName.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	return out
}

// HomePrefixes lists the first two components of every home-manager option
// path the project defines (home/, and home-manager.users.<name>
// definitions inside modules/): the evaluation forces the values axiOS
// defines below them.
func HomePrefixes(project string) ([]string, error) {
	set := map[string]bool{}
	for _, sub := range []string{"home", "modules"} {
		err := filepath.WalkDir(filepath.Join(project, sub), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".nix") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m, err := nixopts.Analyze(p, string(src))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			for _, d := range m.Defs {
				if sub == "modules" && !d.Home {
					continue
				}
				var parts []string
				for _, c := range d.Path {
					if c.Dynamic || len(parts) == 2 {
						break
					}
					parts = append(parts, c.Name)
				}
				if len(parts) > 0 {
					set[strings.Join(parts, ".")] = true
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// replacedNixOSModules are NixOS option namespaces whose nixpkgs module an
// evaluated input disables (disabledModules) to declare its own: niri-flake
// disables programs/wayland/niri.nix.
//
// networking.firewall.enable is left to the freeform root too: modules
// define networking.firewall with a value computed from config (lib/core
// exposure.nix), which a NixOS namespace allows, but the stand-in's config
// is the freeform value merged with the declared options, so declaring one
// option under networking.firewall would make that value depend on itself.
var replacedNixOSModules = []string{"programs.niri.", "networking.firewall.enable"}

// EnableOptions lists the boolean `enable` options of a NixOS option list
// ("path<TAB>type" lines) that are not sub-options of another option (of a
// submodule, list or attribute set: `<name>`, `_` components), except those
// of replacedNixOSModules. tests/upstream/nixos-base.nix declares them.
func EnableOptions(tsv io.Reader) ([]string, error) {
	all := map[string]bool{}
	var cands []string
	sc := bufio.NewScanner(tsv)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, typ, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		all[name] = true
		if typ == "boolean" && strings.HasSuffix(name, ".enable") && !strings.ContainsAny(name, `<>*"`) {
			cands = append(cands, name)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []string
next:
	for _, name := range cands {
		for _, p := range replacedNixOSModules {
			if strings.HasPrefix(name, p) {
				continue next
			}
		}
		parts := strings.Split(name, ".")
		for i := 1; i < len(parts); i++ {
			if all[strings.Join(parts[:i], ".")] {
				continue next
			}
		}
		out = append(out, name)
	}
	return out, nil
}
