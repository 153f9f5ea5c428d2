// Package upstreameval evaluates axiOS hosts against the real module code of
// the flake inputs (scripts/eval-upstream, tests/upstream/eval.nix) and
// judges the results: evaluation errors, options set under an input's
// namespace that the input does not declare, NixOS option paths that the
// option list and the allowlist do not explain, home-manager failures.
package upstreameval

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Input is an upstream flake input whose real module code is evaluated.
type Input struct {
	Name    string // folder name under UPSTREAM_DIR, key in REVISIONS files and in eval.nix
	Repo    string // owner/repo on GitHub
	PathEnv string // environment variable holding the checkout
	RevEnv  string // environment variable holding its revision
}

// Inputs are the upstream checkouts eval-upstream needs, in report order.
var Inputs = []Input{
	{"nixpkgs.lib", "nix-community/nixpkgs.lib", "NIXPKGS_LIB", "NIXPKGS_LIB_REV"},
	{"home-manager", "nix-community/home-manager", "HM_SRC", "HM_REV"},
	{"DankMaterialShell", "AvengeMedia/DankMaterialShell", "DMS_SRC", "DMS_REV"},
	{"dank-greeter", "AvengeMedia/dank-greeter", "DANK_GREETER_SRC", "DANK_GREETER_REV"},
	{"niri-flake", "sodiboo/niri-flake", "NIRI_SRC", "NIRI_REV"},
	{"agenix", "ryantm/agenix", "AGENIX_SRC", "AGENIX_REV"},
	{"nixos-hardware", "NixOS/nixos-hardware", "NIXOS_HARDWARE_SRC", "NIXOS_HARDWARE_REV"},
	{"lanzaboote", "nix-community/lanzaboote", "LANZABOOTE_SRC", "LANZABOOTE_REV"},
}

// Source is one resolved checkout.
type Source struct {
	Input
	Path string // absolute
	Rev  string // "" when unknown
	Date string // commit date when known (REVISIONS file)
}

// Config is everything a run needs, resolved from the environment.
type Config struct {
	Project    string   // the axiOS checkout (absolute)
	NixpkgsLib string   // the lib/ folder of nixpkgs (absolute)
	Stub       string   // folder standing in for <nixpkgs> (absolute)
	OptionsTSV string   // NixOS option list
	Sources    []Source // one per Inputs entry, same order
}

// Env looks up an environment variable (os.LookupEnv in the command, a map
// in tests).
type Env func(string) (string, bool)

// LoadConfig resolves the checkouts. Each input's path comes from its
// variable or, when UPSTREAM_DIR is set, from UPSTREAM_DIR/<name>; its
// revision from <X>_REV, else `git rev-parse HEAD` when the checkout is a
// git work tree, else UPSTREAM_REVISIONS (default UPSTREAM_DIR/REVISIONS.txt,
// lines "<name> <rev> [date]"). Every problem is listed, each naming the
// variable to set.
func LoadConfig(project string, env Env) (*Config, error) {
	get := func(k string) string {
		v, _ := env(k)
		return strings.TrimSpace(v)
	}
	upstream := get("UPSTREAM_DIR")
	var problems []string
	dir := func(envName, sub, what string) string {
		p := get(envName)
		if p == "" && upstream != "" {
			p = filepath.Join(upstream, sub)
		}
		if p == "" {
			problems = append(problems, fmt.Sprintf("%s is not set: set it to %s (or set UPSTREAM_DIR to a folder holding %s)", envName, what, sub))
			return ""
		}
		abs, err := filepath.Abs(p)
		if err == nil {
			if st, err2 := os.Stat(abs); err2 != nil || !st.IsDir() {
				err = fmt.Errorf("not a folder")
			}
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s=%s: %v; set it to %s", envName, p, err, what))
			return ""
		}
		return abs
	}

	c := &Config{Project: project}
	revFile := get("UPSTREAM_REVISIONS")
	if revFile == "" && upstream != "" {
		if _, err := os.Stat(filepath.Join(upstream, "REVISIONS.txt")); err == nil {
			revFile = filepath.Join(upstream, "REVISIONS.txt")
		}
	}
	listed := map[string][2]string{}
	if revFile != "" {
		var err error
		if listed, err = readRevisions(revFile); err != nil {
			problems = append(problems, fmt.Sprintf("UPSTREAM_REVISIONS=%s: %v", revFile, err))
		}
	}
	for _, in := range Inputs {
		p := dir(in.PathEnv, in.Name, "a checkout of github.com/"+in.Repo)
		s := Source{Input: in, Path: p}
		if in.Name == "nixpkgs.lib" && p != "" {
			// a nixpkgs or nixpkgs.lib checkout, or its lib/ folder itself
			if _, err := os.Stat(filepath.Join(p, "lib", "default.nix")); err == nil {
				c.NixpkgsLib = filepath.Join(p, "lib")
			} else if _, err := os.Stat(filepath.Join(p, "modules.nix")); err == nil {
				c.NixpkgsLib = p
			} else {
				problems = append(problems, fmt.Sprintf("%s=%s holds neither lib/default.nix nor modules.nix; set it to a checkout of github.com/%s", in.PathEnv, p, in.Repo))
			}
		}
		s.Rev = get(in.RevEnv)
		if s.Rev == "" && p != "" {
			s.Rev = gitHead(p)
		}
		if l, ok := listed[in.Name]; ok {
			if s.Rev == "" || s.Rev == l[0] {
				s.Rev, s.Date = l[0], l[1]
			}
		}
		c.Sources = append(c.Sources, s)
	}
	c.Stub = dir("NIXPKGS_STUB", "nixpkgs-stub", "the <nixpkgs> stand-in folder described in docs/upstream-eval.md")
	if c.Stub != "" {
		for _, f := range StubFiles {
			if _, err := os.Stat(filepath.Join(c.Stub, f)); err != nil {
				problems = append(problems, fmt.Sprintf("NIXPKGS_STUB=%s has no %s (see docs/upstream-eval.md for the files it needs)", c.Stub, f))
			}
		}
	}
	c.OptionsTSV = get("OPTIONS_TSV")
	if c.OptionsTSV == "" {
		c.OptionsTSV = filepath.Join(project, "..", "shared", "data", "nixos-options-2024-12.tsv")
	}
	if _, err := os.Stat(c.OptionsTSV); err != nil {
		problems = append(problems, fmt.Sprintf("OPTIONS_TSV=%s: %v; set it to the NixOS option list (nixos-options-2024-12.tsv)", c.OptionsTSV, err))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("eval-upstream cannot start:\n  %s", strings.Join(problems, "\n  "))
	}
	return c, nil
}

// StubFiles are the files the <nixpkgs> stand-in must hold.
var StubFiles = []string{
	"lib/default.nix",
	"nixos/modules/misc/assertions.nix",
	"nixos/modules/misc/meta.nix",
	"modules/generic/meta-maintainers.nix",
	"nixos/modules/system/service/systemd/service.nix",
	"nixos/modules/installer/scan/not-detected.nix",
}

// Source returns the checkout of the named input.
func (c *Config) Source(name string) Source {
	for _, s := range c.Sources {
		if s.Name == name {
			return s
		}
	}
	return Source{}
}

func gitHead(dir string) string {
	top, err := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return ""
	}
	a, _ := filepath.EvalSymlinks(strings.TrimSpace(string(top)))
	b, _ := filepath.EvalSymlinks(dir)
	if a != b { // a folder inside some other repository
		return ""
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// readRevisions reads "<name> <rev> [date]" lines (# starts a comment).
func readRevisions(path string) (map[string][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][2]string{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 2 {
			return nil, fmt.Errorf("line %d: want \"<name> <revision> [date]\", got %q", n, line)
		}
		date := ""
		if len(fs) > 2 {
			date = fs[2]
		}
		out[fs[0]] = [2]string{fs[1], date}
	}
	return out, sc.Err()
}
