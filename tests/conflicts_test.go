package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/testutil"
)

// A real NixOS or home-manager evaluation rejects two definitions of a
// single-valued option (bool, str, int, enum, package, nullOr …) made at the
// same priority with different values ("conflicting definition values").
// CI cannot evaluate a system, so this test lists, with internal/nixopts,
// every option path that two or more axiOS files define and the priority
// class of each definition, and fails when two files define a path at the
// same priority class — unless the option's type merges definitions
// (mergeableOptions below).

// mergeableOptions are option paths whose types merge definitions from
// several modules, each with the reason. Keep this short: a single-valued
// option defined twice needs one owner, with the other definitions at a
// lower priority (lib.mkDefault) or removed.
var mergeableOptions = map[string]string{
	"environment.systemPackages":         "listOf package: definitions are concatenated",
	"home.packages":                      "home-manager, listOf package: concatenated",
	"boot.kernelParams":                  "listOf str: concatenated",
	"boot.kernelModules":                 "listOf str: concatenated",
	"services.udev.packages":             "listOf package: concatenated",
	"boot.initrd.availableKernelModules": "listOf str: concatenated",
	"systemd.tmpfiles.rules":             "listOf str: concatenated",
	"assertions":                         "listOf submodule: concatenated",
	"warnings":                           "listOf str: concatenated",
	"nix.settings.substituters":          "listOf str: concatenated (each module adds the cache of its packages)",
	"nix.settings.trusted-public-keys":   "listOf str: concatenated (each cache's key)",
	"networking.firewall":                "lib/core/exposure.nix firewall: only allowed*Ports (listOf, concatenated) and interfaces (attrsOf submodule of the same lists, merged)",
}

// exclusiveAreas are pairs of file prefixes never active in the same
// configuration, with the reason: a path both define cannot clash.
var exclusiveAreas = [][3]string{
	{"modules/desktop-hardware/", "modules/laptop-hardware/",
		"a host has one hardware.formFactor; the catalog enables desktopHardware for \"desktop\" and laptopHardware for \"laptop\""},
	{"home/profiles/laptop.nix", "home/profiles/workstation.nix",
		"a host has one homeProfile (lib/rules.toml), so one profile module is imported"},
}

func exclusive(a, b string) bool {
	for _, e := range exclusiveAreas {
		if (strings.HasPrefix(a, e[0]) && strings.HasPrefix(b, e[1])) ||
			(strings.HasPrefix(a, e[1]) && strings.HasPrefix(b, e[0])) {
			return true
		}
	}
	return false
}

// defPriority is the priority class of a definition: "plain" (100),
// "mkDefault" (1000), "mkForce" (50), "mkOverride N", "mkOptionDefault".
type defSite struct {
	file     string
	line     int
	priority string
	value    string // the literal (true, false, "text", 3) or "" when not a literal
}

// lineDef is the priority class and literal value of the definition at a
// line.
type lineDef struct {
	priority string
	value    string
}

// literal renders a boolean, integer or plain string literal, "" otherwise.
func literal(n *nixopts.Node) string {
	if n == nil {
		return ""
	}
	switch {
	case n.Kind == nixopts.KVar && (n.Name == "true" || n.Name == "false"):
		return n.Name
	case n.Kind == nixopts.KInt:
		return n.Text
	case n.Kind == nixopts.KString && !n.Dynamic:
		return fmt.Sprintf("%q", n.Text)
	}
	return ""
}

func flattenApply(n *nixopts.Node) (*nixopts.Node, []*nixopts.Node) {
	var args []*nixopts.Node
	for n.Kind == nixopts.KApply {
		args = append([]*nixopts.Node{n.Kids[1]}, args...)
		n = n.Kids[0]
	}
	return n, args
}

func funcName(n *nixopts.Node) string {
	switch n.Kind {
	case nixopts.KVar:
		return n.Name
	case nixopts.KSelect:
		if len(n.Kids) == 1 && len(n.Path) > 0 && !n.Path[len(n.Path)-1].Dynamic {
			return n.Path[len(n.Path)-1].Name
		}
	}
	return ""
}

// priorityOf returns the priority a definition wrapper sets, or "" for a
// wrapper that keeps the priority (mkIf, mkBefore, …) and ok=false for a
// call that is not a definition wrapper.
func priorityOf(name string, args []*nixopts.Node) (prio string, ok bool) {
	switch name {
	case "mkDefault":
		return "mkDefault", true
	case "mkForce":
		return "mkForce", true
	case "mkOptionDefault":
		return "mkOptionDefault", true
	case "mkVMOverride":
		return "mkOverride 10", true
	case "mkImageMediaOverride":
		return "mkOverride 60", true
	case "mkOverride":
		if len(args) > 0 && args[0].Kind == nixopts.KInt {
			return "mkOverride " + args[0].Text, true
		}
		return "mkOverride ?", true
	case "mkIf", "optionalAttrs", "mkBefore", "mkAfter", "mkOrder", "mkMerge":
		return "", true
	}
	return "", false
}

// linePriorities maps each line of a module where a definition may be
// recorded (an attribute binding, a mkMerge element) to the priority class
// of the value there: the outermost mkDefault/mkForce/mkOverride around it
// wins, as the module system pushes the outer property down.
func linePriorities(root *nixopts.Node) map[int]lineDef {
	out := map[int]lineDef{}
	weak := map[int]bool{} // set from an attribute set or mkMerge, a leaf may replace it
	// peel returns the priority of a value and whether the value is itself
	// a definition (not an attribute set or mkMerge whose parts are).
	var peel func(n *nixopts.Node, ctx string) (string, *nixopts.Node, bool)
	peel = func(n *nixopts.Node, ctx string) (string, *nixopts.Node, bool) {
		for n != nil && n.Kind == nixopts.KApply {
			head, args := flattenApply(n)
			p, ok := priorityOf(funcName(head), args)
			if !ok || len(args) == 0 {
				break
			}
			if ctx == "" {
				ctx = p
			}
			if funcName(head) == "mkMerge" {
				return ctx, nil, false
			}
			n = args[len(args)-1]
		}
		leaf := n == nil || n.Kind != nixopts.KAttrs || len(n.Binds) == 0
		if ctx == "" {
			ctx = "plain"
		}
		return ctx, n, leaf
	}
	record := func(line int, n *nixopts.Node, ctx string) {
		p, v, leaf := peel(n, ctx)
		if _, set := out[line]; !set || (weak[line] && leaf) {
			out[line] = lineDef{priority: p, value: literal(v)}
			weak[line] = !leaf
		}
	}
	var walk func(n *nixopts.Node, ctx string)
	walk = func(n *nixopts.Node, ctx string) {
		if n == nil {
			return
		}
		switch n.Kind {
		case nixopts.KApply:
			head, args := flattenApply(n)
			p, ok := priorityOf(funcName(head), args)
			inner := ctx
			if ok && inner == "" {
				inner = p
			}
			walk(head, ctx)
			for _, a := range args {
				walk(a, inner)
			}
			return
		case nixopts.KAttrs:
			for _, b := range n.Binds {
				if b.Value == nil {
					continue
				}
				record(b.Line, b.Value, ctx)
				walk(b.Value, ctx)
			}
			return
		case nixopts.KList:
			for _, e := range n.Kids {
				record(e.Line, e, ctx)
				walk(e, ctx)
			}
			return
		case nixopts.KLet:
			for _, b := range n.Binds {
				walk(b.Value, "")
			}
			walk(n.Body, ctx)
			return
		}
		for _, k := range n.Kids {
			walk(k, ctx)
		}
		walk(n.Body, ctx)
	}
	walk(root, "")
	return out
}

// optionDefinitions lists every option path axiOS files define, with the
// site and priority class of each definition. NixOS paths are keyed by
// the path, home-manager paths (files under home/ and definitions inside
// home-manager.users.<name>) by "home:" and the path.
func optionDefinitions(t *testing.T, root string) map[string][]defSite {
	t.Helper()
	files := map[string]*nixopts.Module{}
	for rel, m := range nixosModules(t, root) {
		files[rel] = m
	}
	var homeFiles []string
	err := filepath.WalkDir(filepath.Join(root, "home"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		m := analyzeFile(t, path)
		if m.IsModule {
			files[rel] = m
			homeFiles = append(homeFiles, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	isHome := map[string]bool{}
	for _, f := range homeFiles {
		isHome[f] = true
	}
	out := map[string][]defSite{}
	for rel, m := range files {
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := addDefinitions(out, rel, string(src), m, isHome[rel]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// addDefinitions adds the definitions of one analysed module to defs.
// home is set for a home-manager module file.
func addDefinitions(defs map[string][]defSite, rel, src string, m *nixopts.Module, home bool) error {
	ast, err := nixopts.Parse(rel, src)
	if err != nil {
		return fmt.Errorf("parsing %s: %w", rel, err)
	}
	prios := linePriorities(ast)
	for _, d := range m.Defs {
		key := d.Path.String()
		if d.Home || home {
			key = "home:" + key
		}
		ld, ok := prios[d.Line]
		if !ok {
			ld.priority = "plain"
		}
		defs[key] = append(defs[key], defSite{file: rel, line: d.Line, priority: ld.priority, value: ld.value})
	}
	return nil
}

// samePriorityConflicts returns, for each path defined in two or more
// files at the same priority class, one line per clash.
func samePriorityConflicts(defs map[string][]defSite, allow map[string]string) []string {
	var out []string
	for key, sites := range defs {
		if _, ok := allow[strings.TrimPrefix(key, "home:")]; ok {
			continue
		}
		byPrio := map[string][]defSite{}
		for _, s := range sites {
			if s.priority == "mkOptionDefault" {
				continue
			}
			byPrio[s.priority] = append(byPrio[s.priority], s)
		}
		for prio, ss := range byPrio {
			clash := false
			for i := range ss {
				for j := i + 1; j < len(ss); j++ {
					if ss[i].file != ss[j].file && !exclusive(ss[i].file, ss[j].file) {
						clash = true
					}
				}
			}
			if !clash {
				continue
			}
			var where []string
			for _, s := range ss {
				where = append(where, fmt.Sprintf("%s:%d", s.file, s.line))
			}
			sort.Strings(where)
			out = append(out, fmt.Sprintf("%s defined at priority %s in %s", key, prio, strings.Join(where, ", ")))
		}
	}
	sort.Strings(out)
	return out
}

func TestOptionsNoSamePriorityConflicts(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	defs := optionDefinitions(t, root)
	if os.Getenv("AXIOS_LIST_SHARED_OPTIONS") != "" {
		var keys []string
		for k, ss := range defs {
			files := map[string]bool{}
			for _, s := range ss {
				files[s.file] = true
			}
			if len(files) > 1 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			var where []string
			for _, s := range defs[k] {
				where = append(where, fmt.Sprintf("%s:%d(%s)", s.file, s.line, s.priority))
			}
			sort.Strings(where)
			t.Logf("%s: %s", k, strings.Join(where, " "))
		}
	}
	for _, c := range samePriorityConflicts(defs, mergeableOptions) {
		t.Errorf("%s: a real evaluation fails with conflicting definition values unless one file owns the option and the others use lib.mkDefault (or the type merges: add it to mergeableOptions with the reason)", c)
	}
}

// The checker itself: each case is a set of module files and whether they
// clash.
func TestOptionsConflictCheckerCatchesClashes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "plain vs plain",
			files: map[string]string{
				"modules/a/default.nix": "{ lib, ... }: { config = lib.mkIf true { services.x.enable = true; }; }",
				"modules/b/default.nix": "{ ... }: { services.x.enable = false; }",
			},
			want: []string{"services.x.enable defined at priority plain in modules/a/default.nix:1, modules/b/default.nix:1"},
		},
		{
			name: "same mkOverride through an attribute set and mkMerge",
			files: map[string]string{
				"modules/a/default.nix": "{ lib, ... }: {\n  config = lib.mkMerge [\n    (lib.mkOverride 900 {\n      services.x = {\n        enable = true;\n      };\n    })\n  ];\n}",
				"modules/b/default.nix": "{ lib, ... }: {\n  services.x.enable = lib.mkOverride 900 false;\n}",
			},
			want: []string{"services.x.enable defined at priority mkOverride 900 in modules/a/default.nix:5, modules/b/default.nix:2"},
		},
		{
			name: "mkDefault twice under a quoted sysctl key",
			files: map[string]string{
				"modules/a/default.nix": "{ lib, ... }: { boot.kernel.sysctl.\"vm.x\" = lib.mkDefault 1; }",
				"modules/b/default.nix": "{ lib, ... }: { boot.kernel.sysctl = { \"vm.x\" = lib.mkDefault 2; }; }",
			},
			want: []string{`boot.kernel.sysctl."vm.x" defined at priority mkDefault in modules/a/default.nix:1, modules/b/default.nix:1`},
		},
		{
			name: "different priorities do not clash",
			files: map[string]string{
				"modules/a/default.nix": "{ lib, ... }: { services.x.enable = lib.mkOverride 800 false; }",
				"modules/b/default.nix": "{ lib, ... }: { services.x.enable = lib.mkOverride 900 true; }",
				"modules/c/default.nix": "{ lib, ... }: { services.x.enable = lib.mkDefault true; }",
			},
		},
		{
			name: "merge-able options, one file, exclusive areas",
			files: map[string]string{
				"modules/a/default.nix":                "{ pkgs, ... }: { environment.systemPackages = [ pkgs.a ]; services.y = if true then 1 else 2; }",
				"modules/b/default.nix":                "{ pkgs, ... }: { environment.systemPackages = [ pkgs.b ]; }",
				"modules/desktop-hardware/default.nix": "{ ... }: { services.z.enable = true; }",
				"modules/laptop-hardware/default.nix":  "{ ... }: { services.z.enable = true; }",
			},
		},
		{
			name: "home-manager users and home files share one namespace",
			files: map[string]string{
				"modules/a/default.nix": "{ ... }: { home-manager.users.alice = { programs.x.enable = true; }; }",
				"home/b/default.nix":    "{ ... }: { programs.x.enable = false; }",
			},
			want: []string{"home:programs.x.enable defined at priority plain in home/b/default.nix:1, modules/a/default.nix:1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defs := map[string][]defSite{}
			for rel, src := range c.files {
				m, err := nixopts.Analyze(rel, src)
				if err != nil {
					t.Fatal(err)
				}
				if err := addDefinitions(defs, rel, src, m, strings.HasPrefix(rel, "home/")); err != nil {
					t.Fatal(err)
				}
			}
			got := samePriorityConflicts(defs, mergeableOptions)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("conflicts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// Every allowlist entry must still be needed: a merge-able option nothing
// defines twice is a stale line.
func TestOptionsConflictAllowlistIsUsed(t *testing.T) {
	t.Parallel()
	defs := optionDefinitions(t, testutil.RepoRoot(t))
	for opt, reason := range mergeableOptions {
		files := map[string]bool{}
		for _, key := range []string{opt, "home:" + opt} {
			for _, s := range defs[key] {
				files[s.file] = true
			}
		}
		if len(files) < 2 {
			t.Errorf("mergeableOptions: %s (%s) is defined in %d file(s); remove the line", opt, reason, len(files))
		}
	}
}

// upstreamDefinitions are definitions made by modules axiOS imports (flake
// inputs, nixos-hardware) or that every host brings (the
// hardware-configuration.nix nixos-generate-config writes), each confirmed
// in the named source. value "*" means the value varies; otherwise axiOS
// may define the option at the same priority only with the same literal
// (bool, int and str options accept equal definitions).
var upstreamDefinitions = []struct {
	path, priority, value, source string
}{
	{"networking.useDHCP", "mkDefault", "true", "nixos-generate-config: hardware-configuration.nix"},
	{"powerManagement.cpuFreqGovernor", "mkDefault", "*", "nixos-generate-config: hardware-configuration.nix (the CPU's governor)"},
	{"nixpkgs.hostPlatform", "mkDefault", "*", "nixos-generate-config: hardware-configuration.nix"},
	{"hardware.enableRedistributableFirmware", "mkDefault", "true", "nixpkgs nixos/modules/installer/scan/not-detected.nix"},
	{"services.power-profiles-daemon.enable", "mkDefault", "true", "AvengeMedia/DankMaterialShell:distro/nix/nixos.nix"},
	{"services.accounts-daemon.enable", "mkDefault", "true", "AvengeMedia/DankMaterialShell:distro/nix/nixos.nix"},
	{"services.geoclue2.enable", "mkDefault", "true", "AvengeMedia/DankMaterialShell:distro/nix/nixos.nix"},
	{"security.polkit.enable", "mkDefault", "true", "AvengeMedia/DankMaterialShell:distro/nix/nixos.nix"},
	{"services.greetd.enable", "mkDefault", "true", "AvengeMedia/dank-greeter:distro/nix/greeter.nix"},
	{"security.polkit.enable", "plain", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"services.gnome.gnome-keyring.enable", "plain", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"xdg.portal.enable", "plain", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"hardware.graphics.enable", "mkDefault", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"programs.dconf.enable", "mkDefault", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"xdg.mime.enable", "mkDefault", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"xdg.icons.enable", "mkDefault", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"fonts.enableDefaultPackages", "mkDefault", "true", "sodiboo/niri-flake:flake.nix (nixosModules.niri)"},
	{"home:programs.niri.package", "mkForce", "*", "sodiboo/niri-flake:flake.nix (nixosModules.niri, home-manager.sharedModules)"},
	{"home:programs.quickshell.enable", "plain", "true", "AvengeMedia/DankMaterialShell:distro/nix/home.nix"},
	{"services.fstrim.enable", "mkDefault", "true", "NixOS/nixos-hardware:common/pc/ssd/default.nix"},
	{"services.tlp.enable", "mkDefault", "*", "NixOS/nixos-hardware:common/pc/laptop/default.nix"},
}

// upstreamConflicts lists axiOS definitions at the priority of an upstream
// definition whose value may differ.
func upstreamConflicts(defs map[string][]defSite) []string {
	var out []string
	for _, u := range upstreamDefinitions {
		for _, s := range defs[u.path] {
			if s.priority != u.priority || (u.value != "*" && s.value == u.value) {
				continue
			}
			v := s.value
			if v == "" {
				v = "a computed value"
			}
			out = append(out, fmt.Sprintf("%s:%d: %s = %s at priority %s, and %s defines it at the same priority as %s",
				s.file, s.line, u.path, v, s.priority, u.source, u.value))
		}
	}
	sort.Strings(out)
	return out
}

func TestOptionsNoConflictWithUpstreamDefinitions(t *testing.T) {
	t.Parallel()
	defs := optionDefinitions(t, testutil.RepoRoot(t))
	for _, c := range upstreamConflicts(defs) {
		t.Errorf("%s: a real evaluation fails with conflicting definition values; pick another priority (lib.mkOverride 900 to win, 1100 to yield) and say why", c)
	}
}

func TestOptionsUpstreamCheckerCatchesClashes(t *testing.T) {
	t.Parallel()
	src := "{ lib, ... }: {\n  networking.useDHCP = lib.mkDefault false;\n  services.fstrim.enable = lib.mkDefault true;\n  powerManagement.cpuFreqGovernor = lib.mkOverride 1100 \"powersave\";\n  security.polkit.enable = true;\n  services.tlp.enable = lib.mkDefault false;\n}"
	m, err := nixopts.Analyze("modules/a/default.nix", src)
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string][]defSite{}
	if err := addDefinitions(defs, "modules/a/default.nix", src, m, false); err != nil {
		t.Fatal(err)
	}
	got := upstreamConflicts(defs)
	want := []string{
		"modules/a/default.nix:2: networking.useDHCP = false at priority mkDefault, and nixos-generate-config: hardware-configuration.nix defines it at the same priority as true",
		"modules/a/default.nix:6: services.tlp.enable = false at priority mkDefault, and NixOS/nixos-hardware:common/pc/laptop/default.nix defines it at the same priority as *",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
