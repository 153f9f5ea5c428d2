package upstreameval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// EvalFile is the evaluation, relative to the project.
const EvalFile = "tests/upstream/eval.nix"

// Runner runs tests/upstream/eval.nix with nix-instantiate.
type Runner struct {
	Config   *Config
	Nix      string   // nix-instantiate
	Work     string   // scratch folder (config.json lives here)
	HostDirs []string // extra folders of <name>.toml hosts
	// ShowTrace passes --show-trace to nix-instantiate.
	ShowTrace bool
	config    string
}

// Prepare collects the package names and writes the evaluation's config.
func (r *Runner) Prepare() error {
	c := r.Config
	dirs := []string{filepath.Join(c.Project, "modules"), filepath.Join(c.Project, "home"), filepath.Join(c.Project, "lib")}
	sources := map[string]string{}
	for _, s := range c.Sources {
		if s.Name == "nixpkgs.lib" {
			continue
		}
		sources[s.Name] = s.Path
		dirs = append(dirs, s.Path)
	}
	for _, d := range r.HostDirs {
		dirs = append(dirs, d)
	}
	names, err := PackageNames(dirs)
	if err != nil {
		return fmt.Errorf("collecting package names: %w", err)
	}
	prefixes, err := HomePrefixes(c.Project)
	if err != nil {
		return fmt.Errorf("reading the home-manager definitions of the project: %w", err)
	}
	tsv, err := os.Open(c.OptionsTSV)
	if err != nil {
		return err
	}
	enables, err := EnableOptions(tsv)
	tsv.Close()
	if err != nil {
		return fmt.Errorf("reading %s: %w", c.OptionsTSV, err)
	}
	hostDirs := []string{}
	for _, d := range r.HostDirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return err
		}
		hostDirs = append(hostDirs, abs)
	}
	b, err := json.Marshal(map[string]any{
		"project":       c.Project,
		"nixpkgsLib":    c.NixpkgsLib,
		"nixpkgsStub":   c.Stub,
		"names":         names,
		"sources":       sources,
		"hostDirs":      hostDirs,
		"homePrefixes":  prefixes,
		"enableOptions": enables,
	})
	if err != nil {
		return err
	}
	r.config = filepath.Join(r.Work, "config.json")
	return os.WriteFile(r.config, b, 0o644)
}

// eval runs one entry point and decodes its JSON.
func (r *Runner) eval(ctx context.Context, attr string, args map[string]string, out any) error {
	argv := []string{"--eval", "--strict", "--json", filepath.Join(r.Config.Project, EvalFile),
		"--argstr", "configFile", r.config, "-A", attr}
	if r.ShowTrace {
		argv = append(argv, "--show-trace")
	}
	for _, k := range sortedKeys(args) {
		argv = append(argv, "--argstr", k, args[k])
	}
	cmd := exec.CommandContext(ctx, r.Nix, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		limit := 40
		if r.ShowTrace {
			limit = 0
		}
		return &EvalError{Message: nixError(stderr.String(), limit), Err: err}
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("reading the output of %s -A %s: %w", r.Nix, attr, err)
	}
	return nil
}

// EvalError is a failed evaluation; Message is Nix's error.
type EvalError struct {
	Message string
	Err     error
}

func (e *EvalError) Error() string { return e.Message }
func (e *EvalError) Unwrap() error { return e.Err }

// Targets lists the hosts to evaluate.
func (r *Runner) Targets(ctx context.Context) ([]string, error) {
	var t []string
	err := r.eval(ctx, "targets", nil, &t)
	return t, err
}

// Faked lists what is not real upstream code.
func (r *Runner) Faked(ctx context.Context) ([]string, error) {
	var f []string
	err := r.eval(ctx, "faked", nil, &f)
	return f, err
}

// Host evaluates one host.
func (r *Runner) Host(ctx context.Context, target string) (HostResult, error) {
	var h HostResult
	err := r.eval(ctx, "result", map[string]string{"target": target}, &h)
	return h, err
}

// HomeOptionError evaluates one home-manager option without catching
// errors and returns Nix's message ("" when it evaluates).
func (r *Runner) HomeOptionError(ctx context.Context, target, user, option string) string {
	var v any
	err := r.eval(ctx, "homeOption", map[string]string{"target": target, "user": user, "option": option}, &v)
	if err != nil {
		return err.Error()
	}
	return ""
}

// NixError keeps the useful part of nix-instantiate's stderr: from the
// first "error:" on (without the build-users-group noise and traces), at
// most 40 lines.
func NixError(stderr string) string { return nixError(stderr, 40) }

// nixError is NixError with a line limit (0: none).
func nixError(stderr string, limit int) string {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "error:") {
			start = i
			break
		}
	}
	var keep []string
	if start < 0 {
		for _, l := range lines {
			if !strings.HasPrefix(l, "warning: the group") && strings.TrimSpace(l) != "" {
				keep = append(keep, l)
			}
		}
	} else {
		keep = lines[start:]
	}
	if limit > 0 && len(keep) > limit {
		keep = append(keep[:limit], fmt.Sprintf("… (%d more lines; --show-trace keeps them)", len(keep)-limit))
	}
	if len(keep) == 0 {
		return "nix-instantiate failed without a message"
	}
	return strings.Join(keep, "\n")
}
