// Package activate builds a NixOS system from a configuration and activates
// it safely: the host is checked first, the system is built before anything
// changes, the closure diff is shown and confirmed, and when activation
// fails the previous generation is put back.
package activate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/runner"
)

// TOMLHosts returns the stems of hosts/*.toml in the configuration at dir,
// sorted.
func TOMLHosts(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "hosts"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("listing hosts: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".toml") && e.Name() != ".toml" {
			names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
		}
	}
	sort.Strings(names)
	return names, nil
}

// EvalHostsCmd lists the nixosConfigurations of a flake.
func EvalHostsCmd(dir string) runner.Cmd {
	args := append(append([]string{}, closure.NixFlags...), "eval", dir+"#nixosConfigurations", "--apply", "builtins.attrNames", "--json")
	return runner.Cmd{Name: "nix", Args: args}
}

// FlakeHosts lists the hosts of the flake at dir with `nix eval` (hosts
// written in Nix have no hosts/<name>.toml).
func FlakeHosts(ctx context.Context, r runner.Runner, dir string) ([]string, error) {
	out, err := r.Output(ctx, EvalHostsCmd(dir))
	if err != nil {
		return nil, fmt.Errorf("listing the nixosConfigurations of %s: %w", dir, err)
	}
	var names []string
	if err := json.Unmarshal(out, &names); err != nil {
		return nil, fmt.Errorf("listing the nixosConfigurations of %s: nix eval printed %q, not a JSON list of names", dir, strings.TrimSpace(string(out)))
	}
	sort.Strings(names)
	return names, nil
}

// Hosts lists every host of the configuration: hosts/*.toml, or, when there
// is none, the flake's nixosConfigurations.
func Hosts(ctx context.Context, r runner.Runner, dir string) ([]string, error) {
	names, err := TOMLHosts(dir)
	if err != nil || len(names) > 0 {
		return names, err
	}
	return FlakeHosts(ctx, r, dir)
}

// ResolveHost makes sure host exists in the configuration. It reports
// whether the host has a TOML file (and so can be checked without Nix).
// An unknown host is an error that lists the hosts there are.
func ResolveHost(ctx context.Context, r runner.Runner, dir, host string) (hasTOML bool, err error) {
	toml, err := TOMLHosts(dir)
	if err != nil {
		return false, err
	}
	for _, n := range toml {
		if n == host {
			return true, nil
		}
	}
	flake, ferr := FlakeHosts(ctx, r, dir)
	for _, n := range flake {
		if n == host {
			return false, nil
		}
	}
	known := append(append([]string{}, toml...), flake...)
	known = unique(known)
	if len(known) == 0 {
		if ferr != nil {
			return false, fmt.Errorf("unknown host %q: %s has no hosts/*.toml and %v", host, dir, ferr)
		}
		return false, fmt.Errorf("unknown host %q: %s defines no hosts (add hosts/%s.toml, e.g. with `axios init`)", host, dir, host)
	}
	return false, fmt.Errorf("unknown host %q: %s defines %s (pass one of them as HOST)", host, dir, strings.Join(known, ", "))
}

func unique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// CheckHost runs the axios check of the configuration directory and keeps
// the problems that concern host: its file, its folder, and the flake
// itself. Other hosts' problems do not block this host.
func CheckHost(ctx context.Context, r runner.Runner, dir, host string) ([]diag.Diagnostic, error) {
	rep, err := checkdir.CheckDir(ctx, dir, checkdir.DirOptions{Runner: r})
	if err != nil {
		return nil, fmt.Errorf("checking %s: %w", dir, err)
	}
	hostFile := filepath.Join(dir, "hosts", host+".toml")
	hostDir := filepath.Join(dir, "hosts", host) + string(filepath.Separator)
	var out []diag.Diagnostic
	for _, d := range rep.Diagnostics {
		f := d.File
		otherHost := strings.HasPrefix(f, filepath.Join(dir, "hosts")+string(filepath.Separator)) &&
			f != hostFile && !strings.HasPrefix(f, hostDir)
		if otherHost {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

var plainAttr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_'-]*$`) }) // compiled when first used, not at start-up

// Attr quotes a Nix attribute name when it needs quoting.
func Attr(name string) string {
	if plainAttr().MatchString(name) {
		return name
	}
	b, _ := json.Marshal(name)
	return string(b)
}

// Toplevel is the flake output that builds host's system.
func Toplevel(dir, host string) string {
	return dir + "#nixosConfigurations." + Attr(host) + ".config.system.build.toplevel"
}
