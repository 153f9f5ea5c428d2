package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/testutil"
)

// These tests read every NixOS module under modules/ (following imports
// from each folder's default.nix) without evaluating it, list the option
// paths it defines under `config`, and check each against the NixOS option
// list of December 2024, the options axiOS declares itself, and
// tests/fixtures/options-allowlist.txt (newer options and flake-input
// options, each with the source file where it was confirmed). Definitions
// inside home-manager.users.<name> are checked against home-manager's
// option list. The package test lists every pkgs.<attr> the modules use and
// requires each to be confirmed in tests/fixtures/packages-confirmed.txt.

const (
	// The option lists the modules are checked against. They are
	// third-party data and live outside the repository, in ../shared/data
	// beside the clone (CI lays them there) or in the folder
	// AXIOS_OPTIONS_DATA names; no copy or subset is committed.
	nixosOptionsTSV = "nixos-options-2024-12.tsv"
	// One home-manager list serves every home check: this test (options
	// set inside home-manager.users.<name>), tests/homeopts_test.go and the
	// home harness (tests/nix/home-harness.nix, through homeHarnessOptions).
	homeOptionsTSV = "home-manager-options-2026-08.tsv"
	sharedDataDir  = "../shared/data"
	allowlistFile  = "tests/fixtures/options-allowlist.txt"
	removedFile    = "tests/fixtures/options-removed.txt"
	packagesFile   = "tests/fixtures/packages-confirmed.txt"
)

// sharedOptionList returns the path of one shared option list and fails
// the test, naming that path and the fix, when it is missing: the option
// checks cannot run without it, so this never skips (in CI or elsewhere).
func sharedOptionList(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(testutil.RepoRoot(t), sharedDataDir)
	if env := os.Getenv("AXIOS_OPTIONS_DATA"); env != "" {
		dir = env
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the shared option list %s is missing (%v): the option tests read the NixOS and home-manager option lists from ../shared/data beside the repository (CI lays it there); put %s there or set AXIOS_OPTIONS_DATA to the folder that holds it", path, err, name)
	}
	return path
}

// homeOptionPrefixes selects, besides the namespaces the NixOS modules set
// inside home-manager.users.<name>, the home-manager options axiOS's home
// modules set or read.
var homeOptionPrefixes = regexp.MustCompile(`^(programs\.(fish|git|delta|ghostty|starship|eza|ripgrep|fd|fzf|gh|zoxide|direnv|gpg|brave|vdirsyncer|khal|claude-code)|services\.(gpg-agent|ssh-agent|vdirsyncer|gnome-keyring|kdeconnect)|home\.(stateVersion|sessionVariables|packages|shellAliases|username|homeDirectory|pointerCursor|activation|file)|xdg\.(configFile|dataFile|desktopEntries|configHome|cacheHome|stateHome)|systemd\.user\.(services|timers)|accounts\.(calendar|contact)|gtk|qt|dconf|wayland\.systemd|warnings|assertions)(\.|$)`)

// loadIndex reads one shared option list (see sharedOptionList).
func loadIndex(t *testing.T, list string) *nixopts.Index {
	t.Helper()
	path := sharedOptionList(t, list)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ix := nixopts.NewIndex()
	n, err := ix.LoadTSV(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if n == 0 {
		t.Fatalf("%s: no options", path)
	}
	return ix
}

func analyzeFile(t *testing.T, path string) *nixopts.Module {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := nixopts.Analyze(path, string(src))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	return m
}

// nixosModules analyses modules/<folder>/default.nix of every folder and
// the files they import, keyed by path relative to the repository.
func nixosModules(t *testing.T, root string) map[string]*nixopts.Module {
	t.Helper()
	dirs, err := os.ReadDir(filepath.Join(root, "modules"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*nixopts.Module{}
	var queue []string
	for _, d := range dirs {
		if d.IsDir() {
			queue = append(queue, filepath.Join("modules", d.Name(), "default.nix"))
		}
	}
	for len(queue) > 0 {
		rel := queue[0]
		queue = queue[1:]
		if out[rel] != nil {
			continue
		}
		m := analyzeFile(t, filepath.Join(root, rel))
		if !m.IsModule {
			t.Errorf("%s: not a module function or attribute set", rel)
			continue
		}
		out[rel] = m
		for _, imp := range m.Imports {
			next := filepath.Join(filepath.Dir(rel), imp)
			if fi, err := os.Stat(filepath.Join(root, next)); err == nil && fi.IsDir() {
				next = filepath.Join(next, "default.nix")
			}
			queue = append(queue, next)
		}
	}
	return out
}

// homeDecls lists the home-manager options declared under home/.
func homeDecls(t *testing.T, root string) []nixopts.Decl {
	t.Helper()
	var decls []nixopts.Decl
	err := filepath.WalkDir(filepath.Join(root, "home"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
			return err
		}
		decls = append(decls, analyzeFile(t, path).Decls...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return decls
}

func readAllowlist(t *testing.T, root string) []nixopts.AllowEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(root, allowlistFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := nixopts.ParseAllowlist(f)
	if err != nil {
		t.Fatalf("%s: %v", allowlistFile, err)
	}
	return entries
}

type unknownOption struct {
	where string
	path  string
}

// checkModules returns the unknown option definitions of the modules.
func checkModules(mods map[string]*nixopts.Module, nixos, home *nixopts.Index) []unknownOption {
	var out []unknownOption
	seen := map[string]bool{}
	for rel, m := range mods {
		for _, d := range m.Defs {
			ix, label := nixos, d.Path.String()
			if d.Home {
				ix, label = home, "home-manager.users.<name>."+label
			}
			if ix.Known(d.Path) {
				continue
			}
			u := unknownOption{where: fmt.Sprintf("%s:%d", rel, d.Line), path: label}
			if key := u.where + " " + u.path; !seen[key] {
				seen[key] = true
				out = append(out, u)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where+out[i].path < out[j].where+out[j].path })
	return out
}

func buildIndexes(t *testing.T, root string, mods map[string]*nixopts.Module, allow []nixopts.AllowEntry) (nixos, home *nixopts.Index) {
	t.Helper()
	nixos = loadIndex(t, nixosOptionsTSV)
	home = loadIndex(t, homeOptionsTSV)
	for _, m := range mods {
		for _, d := range m.Decls {
			nixos.Add(d.Path, d.Freeform)
		}
	}
	for _, d := range homeDecls(t, root) {
		home.Add(d.Path, d.Freeform)
	}
	for _, e := range allow {
		if e.Home {
			home.Add(e.Path, e.Freeform)
		} else {
			nixos.Add(e.Path, e.Freeform)
		}
	}
	return nixos, home
}

// TestOptionsExist: every option a module defines exists.
func TestOptionsExist(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	mods := nixosModules(t, root)
	nixos, home := buildIndexes(t, root, mods, readAllowlist(t, root))
	defs := 0
	for _, m := range mods {
		defs += len(m.Defs)
	}
	if len(mods) < 30 || defs < 300 {
		t.Fatalf("read only %d module files with %d definitions; the walker lost its way", len(mods), defs)
	}
	for _, u := range checkModules(mods, nixos, home) {
		t.Errorf("%s: unknown option %s (check current nixpkgs: rename it, remove it, or add it to %s with the file that declares it)", u.where, u.path, allowlistFile)
	}
}

// TestOptionsNotRemoved: no module defines an option that current nixpkgs
// has removed or renamed since the option list was taken.
func TestOptionsNotRemoved(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	f, err := os.Open(filepath.Join(root, removedFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := nixopts.ParseAllowlist(f)
	if err != nil {
		t.Fatalf("%s: %v", removedFile, err)
	}
	removed := nixopts.NewIndex()
	cites := map[string]string{}
	for _, e := range entries {
		removed.Add(e.Path, false)
		cites[strings.Join(e.Path, ".")] = e.Citation
	}
	if len(entries) == 0 {
		t.Fatalf("%s lists no option", removedFile)
	}
	probe := nixopts.Path{{Name: "services"}, {Name: "wivrn"}, {Name: "defaultRuntime"}}
	if !removed.Covers(probe) {
		t.Fatalf("removed-option index does not cover %s", probe)
	}
	for rel, m := range nixosModules(t, root) {
		for _, d := range m.Defs {
			if !d.Home && removed.Covers(d.Path) {
				t.Errorf("%s:%d: %s was removed or renamed in current nixpkgs (see %s)", rel, d.Line, d.Path, removedFile)
			}
		}
	}
}

// TestOptionsAllowlistIsNeeded: every allowlist line is still needed: its
// option is absent from the option lists and axiOS's declarations, and some
// module definition is unknown without the allowlist and known with the
// line.
func TestOptionsAllowlistIsNeeded(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	mods := nixosModules(t, root)
	allow := readAllowlist(t, root)
	nixos, home := buildIndexes(t, root, mods, nil)
	var unknown []nixopts.Def
	for _, m := range mods {
		for _, d := range m.Defs {
			ix := nixos
			if d.Home {
				ix = home
			}
			if !ix.Known(d.Path) {
				unknown = append(unknown, d)
			}
		}
	}
	for _, e := range allow {
		base := nixos
		if e.Home {
			base = home
		}
		p := make(nixopts.Path, len(e.Path))
		for j, c := range e.Path {
			p[j] = nixopts.Comp{Name: c, Dynamic: c == "<name>"}
		}
		if base.Known(p) {
			t.Errorf("%s:%d: %s is already known without this line; remove it", allowlistFile, e.Line, strings.Join(e.Path, "."))
			continue
		}
		only := nixopts.NewIndex()
		only.Add(e.Path, e.Freeform)
		needed := false
		for _, d := range unknown {
			if d.Home == e.Home && only.Known(d.Path) {
				needed = true
				break
			}
		}
		if !needed {
			t.Errorf("%s:%d: no module needs %s; remove the line", allowlistFile, e.Line, strings.Join(e.Path, "."))
		}
	}
}

// TestOptionsCheckerCatchesMistakes: the checker reports a misspelt
// option, a renamed one, a typo below an attrsOf submodule and a typo in a
// home-manager option, and accepts free-form settings.
func TestOptionsCheckerCatchesMistakes(t *testing.T) {
	t.Parallel()
	nixos := loadIndex(t, nixosOptionsTSV)
	home := loadIndex(t, homeOptionsTSV)
	src := `{ config, lib, pkgs, ... }:
let
  mkHome = name: { lib, ... }: { programs.gti.enable = true; };
in
{
  options.my.flag = lib.mkEnableOption "x";
  config = lib.mkIf config.my.flag (lib.mkMerge [
    { services.openssh.enable = true; }
    { hardware.opengl.enable = true; }
    (lib.mkIf true { systemd.services.foo.serviceConfg.Type = "oneshot"; })
    { systemd.services.foo.serviceConfig.Type = "oneshot"; }
    { nix.settings.max-jobs = 4; }
    { home-manager.users = lib.mapAttrs mkHome { alice = { }; }; }
    { my.flag = true; servics.foo = 1; }
  ]);
}
`
	m, err := nixopts.Analyze("case.nix", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Decls {
		nixos.Add(d.Path, d.Freeform)
	}
	home.Add([]string{"home-manager", "users", "<name>"}, false)
	nixos.Add([]string{"home-manager", "users"}, false)
	got := checkModules(map[string]*nixopts.Module{"case.nix": m}, nixos, home)
	want := []unknownOption{
		{"case.nix:10", "systemd.services.foo.serviceConfg.Type"},
		{"case.nix:14", "servics.foo"},
		{"case.nix:3", "home-manager.users.<name>.programs.gti.enable"},
		{"case.nix:9", "hardware.opengl.enable"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("unknown options:\n got %v\nwant %v", got, want)
	}
}

// TestOptionsPackagesConfirmed: every nixpkgs package the repository's Nix
// code uses (see packageUsers) and every package name the graphics plan
// resolves in pkgs is listed in tests/fixtures/packages-confirmed.txt, with
// the nixpkgs file where it was confirmed or "common" for a long-standing
// attribute, and every listed package is still used.
func TestOptionsPackagesConfirmed(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	used := packageUsers(t, root)
	for _, name := range graphicsPlanPackages(t) {
		if _, ok := used[name]; !ok {
			used[name] = "lib/core/graphics.nix"
		}
	}
	data, err := os.ReadFile(filepath.Join(root, packagesFile))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || !(strings.HasSuffix(fields[1], ".nix") || fields[1] == "common") {
			t.Errorf("%s:%d: want \"<attr> <nixpkgs file>\" or \"<attr> common\", got %q", packagesFile, i+1, line)
			continue
		}
		if listed[fields[0]] {
			t.Errorf("%s:%d: %s is listed twice", packagesFile, i+1, fields[0])
		}
		listed[fields[0]] = true
		if _, ok := used[fields[0]]; !ok {
			t.Errorf("%s:%d: %s is not used by any Nix file; remove the line", packagesFile, i+1, fields[0])
		}
	}
	var missing []string
	for name, where := range used {
		if !listed[name] {
			missing = append(missing, fmt.Sprintf("%s: pkgs.%s", where, name))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s is not confirmed: look it up in current nixpkgs and add it to %s", m, packagesFile)
	}
}

// packageFiles lists, relative to the repository, the Nix files whose
// package references the package check reads besides the NixOS modules:
// every file under home/, devshells/default.nix and every file under pkgs/.
func packageFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{"devshells/default.nix"}
	for _, dir := range []string{"home", "pkgs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// packageUsers maps every nixpkgs attribute the repository's Nix code uses
// to the first place that uses it: pkgs.<attr> selections and free names
// inside `with pkgs;` in the NixOS modules (modules/desktop included),
// home/**, devshells/default.nix and pkgs/**, plus the arguments without a
// default of each pkgs/<name>/default.nix, which callPackage fills from
// nixpkgs. Attributes the overlay in pkgs/default.nix adds (the folder
// names under pkgs/) are axiOS's own packages and are left out.
func packageUsers(t *testing.T, root string) map[string]string {
	t.Helper()
	used := map[string]string{}
	add := func(attr, where string) {
		if _, ok := used[attr]; !ok {
			used[attr] = where
		}
	}
	mods := map[string]*nixopts.Module{}
	for rel, m := range nixosModules(t, root) {
		mods[filepath.ToSlash(rel)] = m
	}
	for _, rel := range packageFiles(t, root) {
		mods[rel] = analyzeFile(t, filepath.Join(root, rel))
	}
	rels := make([]string, 0, len(mods))
	for rel := range mods {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		for _, p := range mods[rel].Pkgs {
			add(p.Attr, fmt.Sprintf("%s:%d", rel, p.Line))
		}
	}
	own := map[string]bool{}
	entries, err := os.ReadDir(filepath.Join(root, "pkgs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		rel := "pkgs/" + e.Name() + "/default.nix"
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
			continue
		}
		own[e.Name()] = true
		for _, f := range callPackageArgs(t, filepath.Join(root, rel)) {
			add(f.Name, fmt.Sprintf("%s:%d", rel, f.Line))
		}
	}
	for name := range used {
		if own[name] {
			delete(used, name)
		}
	}
	return used
}

// TestOptionsPackagesScanEveryArea: the package check reads packages from
// every place that uses them, so dropping a folder from the scan (or a
// walker change that stops seeing `with pkgs;`, mkPackageOption or
// callPackage arguments there) fails here rather than silently passing.
func TestOptionsPackagesScanEveryArea(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	used := packageUsers(t, root)
	count := map[string]int{}
	for _, where := range used {
		for _, area := range []string{"modules/desktop/", "modules/", "home/", "devshells/", "pkgs/"} {
			if strings.HasPrefix(where, area) {
				count[area]++
				break
			}
		}
	}
	for _, area := range []string{"modules/desktop/", "modules/", "home/", "devshells/", "pkgs/"} {
		if count[area] == 0 {
			t.Errorf("no package is first used under %s: the package scan does not read it", area)
		}
	}
}

type callArg struct {
	Name string
	Line int
}

// callPackageArgs returns the arguments without a default of the function
// a callPackage file evaluates to, except lib (which callPackage takes from
// nixpkgs but is no package).
func callPackageArgs(t *testing.T, path string) []callArg {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := nixopts.Parse(path, string(src))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	if n.Kind != nixopts.KLambda || len(n.Formals) == 0 {
		t.Fatalf("%s: not a callPackage function ({ lib, stdenv, ... }: …)", path)
	}
	var out []callArg
	for _, f := range n.Formals {
		if f.Default == nil && f.Name != "lib" && f.Name != "..." {
			out = append(out, callArg{Name: f.Name, Line: n.Line})
		}
	}
	return out
}

// graphicsPlanPackages evaluates lib/core/graphics.nix for every GPU type
// and returns the package names the plan resolves in pkgs.
func graphicsPlanPackages(t *testing.T) []string {
	t.Helper()
	var names []string
	testutil.NixEval(t, testutil.RepoRoot(t), `
		let
		  plan = gpuType: import ./lib/core/graphics.nix { inherit gpuType; };
		  all = map plan [ null "amd" "nvidia" "intel" ];
		in
		builtins.concatMap (p: p.extraPackages ++ p.extraPackages32 ++ p.tools) all`, &names)
	if len(names) < 5 {
		t.Fatalf("graphics plan lists only %v", names)
	}
	return names
}

// TestOptionsParserAgreesWithNix: the walker finds the same definitions,
// declarations and packages in each module file as in the normalised
// expression Nix's own parser prints for it (nix-instantiate --parse:
// nested attribute paths merged, explicit parentheses), so a misparse that
// changes what the checker sees shows up as a difference.
func TestOptionsParserAgreesWithNix(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	mods := nixosModules(t, root)
	if len(mods) < 30 {
		t.Fatalf("only %d module files", len(mods))
	}
	// The package check also reads home/**, devshells and pkgs/**.
	for _, rel := range packageFiles(t, root) {
		if _, ok := mods[rel]; !ok {
			mods[rel] = analyzeFile(t, filepath.Join(root, rel))
		}
	}
	summary := func(m *nixopts.Module) []string {
		var out []string
		for _, d := range m.Defs {
			out = append(out, fmt.Sprintf("def %v %s", d.Home, d.Path))
		}
		for _, d := range m.Decls {
			out = append(out, fmt.Sprintf("decl %s %v", strings.Join(d.Path, "."), d.Freeform))
		}
		for _, p := range m.Pkgs {
			out = append(out, "pkg "+p.Attr)
		}
		for _, imp := range m.Imports {
			out = append(out, "import "+filepath.Base(imp))
		}
		sort.Strings(out)
		return dedupe(out)
	}
	_, repo := parsedRepo(t)
	for rel, m := range mods {
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			p, ok := repo[filepath.Join(root, rel)]
			if !ok {
				t.Fatalf("%s is not among the repository's parsed .nix files", rel)
			}
			if p.err != nil {
				t.Fatalf("nix-instantiate --parse %s: %v", rel, p.err)
			}
			norm, err := nixopts.Analyze(rel+" (normalised)", string(p.out))
			if err != nil {
				t.Fatalf("%s: parsing Nix's normalised form: %v", rel, err)
			}
			if got, want := summary(m), summary(norm); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: walker results differ from Nix's parse:\n ours %q\n nix's %q", rel, got, want)
			}
		})
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// namespaces returns the first two components of every definition path
// (one for a one-component path), for the NixOS and the home-manager side.
func namespaces(mods map[string]*nixopts.Module) (nixos, home map[string]bool) {
	nixos, home = map[string]bool{}, map[string]bool{}
	for _, m := range mods {
		for _, d := range m.Defs {
			var parts []string
			for i, c := range d.Path {
				if i == 2 || c.Dynamic {
					break
				}
				parts = append(parts, c.Name)
			}
			if len(parts) == 0 {
				continue
			}
			ns := strings.Join(parts, ".")
			if d.Home {
				home[ns] = true
			} else {
				nixos[ns] = true
			}
		}
	}
	return nixos, home
}

// underNamespaces reports whether an option's first one or two path parts
// are one of the namespaces.
func underNamespaces(name string, ns map[string]bool) bool {
	parts := nixopts.SplitOptionPath(name)
	for k := 1; k <= 2 && k <= len(parts); k++ {
		if ns[strings.Join(parts[:k], ".")] {
			return true
		}
	}
	return false
}

// subsetTSV keeps the header and the lines of a shared option list whose
// option name keep accepts.
func subsetTSV(t testing.TB, shared string, keep func(name string) bool) string {
	t.Helper()
	data, err := os.ReadFile(shared)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			fmt.Fprintf(&b, "%s\n", line)
			continue
		}
		if name, _, _ := strings.Cut(line, "\t"); keep(name) {
			fmt.Fprintf(&b, "%s\n", line)
		}
	}
	return b.String()
}

// homeOptionKeep selects the home-manager options the home harness needs:
// those under homeOptionPrefixes (what axiOS's home modules set or read)
// and under the namespaces the NixOS modules define inside
// home-manager.users.<name>. The harness parses its option list in Nix, so
// it gets this subset (a twelfth of the list) rather than the whole list.
func homeOptionKeep(t *testing.T) func(string) bool {
	t.Helper()
	_, homeNS := namespaces(nixosModules(t, testutil.RepoRoot(t)))
	return func(name string) bool {
		return !strings.Contains(name, "._module.") &&
			(homeOptionPrefixes.MatchString(name) || underNamespaces(name, homeNS))
	}
}

var homeHarness struct {
	once     sync.Once
	path     string // the option subset
	upstream string // a Nix file: the subset parsed by the harness
}

// homeHarnessOptions returns the path of the home-manager option subset the
// home harness reads (tests/nix/home-harness.nix's optionsTsv): made once
// per test binary from the shared list, in a file named after its bytes
// (testutil.ContentFile) that later runs reuse.
func homeHarnessOptions(t *testing.T) string {
	t.Helper()
	homeHarnessFiles(t)
	return homeHarness.path
}

// homeHarnessUpstream returns the path of a Nix file whose value is the
// subset as the home harness parses it (its `upstream`, which the harness
// and home-override.nix take as upstreamDecls). Both files are fixed
// (testutil.ContentFile declares them so), so the evaluations of a test
// binary, which share imported files, parse the subset once instead of
// once each; their names are the same from run to run, so the Nix memo
// keeps the evaluations that name them.
func homeHarnessUpstream(t *testing.T) string {
	t.Helper()
	homeHarnessFiles(t)
	return homeHarness.upstream
}

func homeHarnessFiles(t *testing.T) {
	t.Helper()
	shared := sharedOptionList(t, homeOptionsTSV)
	homeHarness.once.Do(func() {
		data := subsetTSV(t, shared, homeOptionKeep(t))
		// Files named after their bytes (testutil.ContentFile), so that
		// the evaluations naming them are kept between runs.
		path := testutil.ContentFile(t, homeOptionsTSV, []byte(data))
		harness := filepath.Join(testutil.RepoRoot(t), "tests", "nix", "home-harness.nix")
		src := fmt.Sprintf("(import %s { optionsTsv = %s; }).upstream\n", harness, strconv.Quote(path))
		upstream := testutil.ContentFile(t, "upstream.nix", []byte(src))
		homeHarness.path, homeHarness.upstream = path, upstream
	})
	if homeHarness.path == "" {
		t.Fatal("the home harness's option subset could not be written; see the first test that failed")
	}
}

// TestOptionsHomeSubset: the harness's subset keeps every home-manager
// option an axiOS home module sets and drops the rest of the list, so the
// harness checks against the real list where the modules write.
func TestOptionsHomeSubset(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	full := loadIndex(t, homeOptionsTSV)
	data, err := os.ReadFile(homeHarnessOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	sub := nixopts.NewIndex()
	n, err := sub.LoadTSV(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	all, err := os.ReadFile(sharedOptionList(t, homeOptionsTSV))
	if err != nil {
		t.Fatal(err)
	}
	if total := strings.Count(string(all), "\n"); n < 100 || n >= total/2 {
		t.Fatalf("the harness subset has %d of %d options; its selection is broken", n, total)
	}
	for _, d := range homeDecls(t, root) {
		sub.Add(d.Path, d.Freeform)
		full.Add(d.Path, d.Freeform)
	}
	checked := 0
	err = filepath.WalkDir(filepath.Join(root, "home"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
			return err
		}
		for _, def := range analyzeFile(t, path).Defs {
			if full.Known(def.Path) && !sub.Known(def.Path) {
				t.Errorf("%s:%d: %s is a home-manager option but not in the harness subset; add its prefix to homeOptionPrefixes", path, def.Line, def.Path)
			}
			checked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d definitions under home/", checked)
	}
}

// TestOptionsNoCommittedOptionLists: no file in the repository copies the
// shared option lists (their header line is the mark of a copy or subset),
// and no option list sits under tests/fixtures.
func TestOptionsNoCommittedOptionLists(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var marks [][]byte
	for _, list := range []string{nixosOptionsTSV, homeOptionsTSV} {
		data, err := os.ReadFile(sharedOptionList(t, list))
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(data), "\n")
		if !strings.HasPrefix(header, "# ") || len(header) < 40 {
			t.Fatalf("%s: unexpected header %q", list, header)
		}
		marks = append(marks, []byte(header))
	}
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		if testutil.InCI() {
			t.Fatalf("git ls-files: %v (CI tests a git clone)", err)
		}
		t.Skipf("git ls-files: %v (not a git checkout)", err)
	}
	files := strings.Split(strings.TrimRight(string(out), "\x00"), "\x00")
	if len(files) < 100 {
		t.Fatalf("git ls-files lists only %d files", len(files))
	}
	for _, rel := range files {
		if strings.HasPrefix(rel, "tests/fixtures/") && strings.HasSuffix(rel, ".tsv") {
			t.Errorf("%s: option lists are third-party data; read them from %s instead of committing them", rel, sharedDataDir)
			continue
		}
		fi, err := os.Stat(filepath.Join(root, rel))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() > 8<<20 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range marks {
			if bytes.Contains(data, m) {
				t.Errorf("%s: holds a copy of a shared option list (%q); read it from %s instead", rel, m[:40], sharedDataDir)
			}
		}
	}
}

// TestOptionsCatalogPathsAreDeclared: the option paths mkSystem sets from
// modules/catalog.toml (enable, fromHost, vendorSettings) are options the
// entry's own module declares, and a settings key names a namespace it
// declares options under.
func TestOptionsCatalogPathsAreDeclared(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	mods := nixosModules(t, root)
	cat := catalog.Default()
	if len(cat.NixOS) == 0 {
		t.Fatal("empty catalog")
	}
	toPath := func(s string) nixopts.Path {
		var p nixopts.Path
		for _, c := range nixopts.SplitOptionPath(s) {
			p = append(p, nixopts.Comp{Name: c})
		}
		return p
	}
	for _, e := range cat.NixOS {
		// The options the entry's files declare.
		declared := nixopts.NewIndex()
		prefix := filepath.Clean(e.Path) + string(filepath.Separator)
		for rel, m := range mods {
			if strings.HasPrefix(rel, prefix) {
				for _, d := range m.Decls {
					declared.Add(d.Path, d.Freeform)
				}
			}
		}
		var paths []string
		if e.Enable != "" {
			paths = append(paths, e.Enable)
		}
		for p := range e.FromHost {
			paths = append(paths, p)
		}
		for _, settings := range e.VendorSettings {
			for p := range settings {
				paths = append(paths, p)
			}
		}
		for _, p := range paths {
			if !declared.Covers(toPath(p)) {
				t.Errorf("modules/catalog.toml [nixos.%s]: %s is not an option declared under %s", e.Name, p, e.Path)
			}
		}
		if e.Settings != "" && !declared.Known(toPath(e.Settings)) {
			t.Errorf("modules/catalog.toml [nixos.%s]: settings = %q, but %s declares no options under it", e.Name, e.Settings, e.Path)
		}
	}
}
