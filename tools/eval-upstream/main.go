// Command eval-upstream evaluates every example host and every valid vector
// in tests/hosts through mkHosts/mkSystem with the real module code of the
// flake inputs (tests/upstream/eval.nix) and fails on evaluation errors,
// undeclared options under an input's namespace, undeclared home-manager
// options and NixOS option paths the option list does not explain.
// scripts/eval-upstream runs it; docs/upstream-eval.md describes it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/ui"
	"github.com/axios-nix/axios/internal/upstreameval"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type hostsFlag []string

func (h *hostsFlag) String() string     { return strings.Join(*h, ",") }
func (h *hostsFlag) Set(v string) error { *h = append(*h, v); return nil }

type hostReport struct {
	Target   string                   `json:"target"`
	OK       bool                     `json:"ok"`
	Defs     int                      `json:"values"`
	Users    []string                 `json:"users"`
	Warnings []string                 `json:"warnings,omitempty"`
	Findings []upstreameval.Finding   `json:"findings"`
	Result   *upstreameval.HostResult `json:"-"`
}

func run(ctx context.Context, args []string, env upstreameval.Env, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("eval-upstream", flag.ContinueOnError)
	fl.SetOutput(stderr)
	project := fl.String("project", ".", "the axiOS checkout")
	record := fl.Bool("record", false, "after a passing run of every host, write "+upstreameval.RevisionsFile)
	jobs := fl.Int("j", 2, "hosts evaluated at once")
	asJSON := fl.Bool("json", false, "print the report as JSON")
	list := fl.Bool("list", false, "list the hosts and exit")
	keep := fl.Bool("keep", false, "keep the scratch folder (its config.json reruns tests/upstream/eval.nix by hand)")
	trace := fl.Bool("show-trace", false, "pass --show-trace to nix-instantiate")
	var hostDirs hostsFlag
	fl.Var(&hostDirs, "hosts", "also evaluate the <name>.toml hosts of this folder (repeatable)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: scripts/eval-upstream [--record] [--json] [-j N] [--hosts DIR]... [HOST-PREFIX]...")
		fmt.Fprintln(stderr, "Environment: UPSTREAM_DIR or each of NIXPKGS_LIB HM_SRC DMS_SRC DANK_GREETER_SRC NIRI_SRC AGENIX_SRC NIXOS_HARDWARE_SRC LANZABOOTE_SRC NIXPKGS_STUB; see docs/upstream-eval.md.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return exitcode.Usage
	}
	if *jobs < 1 {
		fmt.Fprintln(stderr, "eval-upstream: -j must be at least 1")
		return exitcode.Usage
	}
	root, err := filepath.Abs(*project)
	if err != nil {
		fmt.Fprintln(stderr, "eval-upstream:", err)
		return exitcode.Usage
	}
	if _, err := os.Stat(filepath.Join(root, upstreameval.EvalFile)); err != nil {
		fmt.Fprintf(stderr, "eval-upstream: %s is not an axiOS checkout (no %s); run it from the repository or pass --project\n", root, upstreameval.EvalFile)
		return exitcode.Usage
	}
	if *record && (len(fl.Args()) > 0 || len(hostDirs) > 0) {
		fmt.Fprintln(stderr, "eval-upstream: --record needs a run of every host: drop the host prefixes and --hosts")
		return exitcode.Usage
	}
	cfg, err := upstreameval.LoadConfig(root, env)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitcode.Usage
	}
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		fmt.Fprintln(stderr, "eval-upstream: nix-instantiate not found; install Nix (Debian: apt-get install nix-bin)")
		return exitcode.Usage
	}
	auditor, err := newAuditor(root, cfg.OptionsTSV)
	if err != nil {
		fmt.Fprintln(stderr, "eval-upstream:", err)
		return exitcode.Usage
	}
	work, err := os.MkdirTemp("", "eval-upstream-")
	if err != nil {
		fmt.Fprintln(stderr, "eval-upstream:", err)
		return exitcode.Failed
	}
	if *keep {
		fmt.Fprintf(stderr, "eval-upstream: scratch folder %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}

	r := &upstreameval.Runner{Config: cfg, Nix: nix, Work: work, HostDirs: hostDirs, ShowTrace: *trace}
	if err := r.Prepare(); err != nil {
		fmt.Fprintln(stderr, "eval-upstream:", err)
		return exitcode.Failed
	}
	all, err := r.Targets(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "eval-upstream: listing the hosts failed:\n%v\n", err)
		return exitcode.Failed
	}
	targets := selectTargets(all, fl.Args(), hostDirs)
	if len(targets) == 0 {
		fmt.Fprintf(stderr, "eval-upstream: no host matches %v; the hosts are:\n  %s\n", fl.Args(), strings.Join(all, "\n  "))
		return exitcode.Usage
	}
	if *list {
		fmt.Fprintln(stdout, strings.Join(targets, "\n"))
		return exitcode.OK
	}
	faked, err := r.Faked(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "eval-upstream: %v\n", err)
		return exitcode.Failed
	}

	p := ui.NewPainter(stdout)
	if !*asJSON {
		fmt.Fprintln(stdout, "eval-upstream: real module code of")
		for _, s := range cfg.Sources {
			rev := s.Rev
			if rev == "" {
				rev = "revision unknown (set " + s.RevEnv + ")"
			}
			fmt.Fprintf(stdout, "  %-18s %s  %s\n", s.Name, rev, s.Path)
		}
		fmt.Fprintln(stdout, "faked (not upstream code):")
		for _, f := range faked {
			fmt.Fprintln(stdout, "  "+f)
		}
		fmt.Fprintf(stdout, "%d host(s):\n", len(targets))
	}

	reports := evalAll(ctx, r, auditor, targets, *jobs, func(h hostReport) {
		if !*asJSON {
			printHost(stdout, p, h)
		}
	})
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "eval-upstream: interrupted")
		return 130
	}
	failed := 0
	for _, h := range reports {
		if !h.OK {
			failed++
		}
	}
	if *asJSON {
		if err := ui.WriteJSON(stdout, map[string]any{"hosts": reports, "faked": faked, "inputs": cfg.Sources}); err != nil {
			fmt.Fprintln(stderr, "eval-upstream:", err)
			return exitcode.Failed
		}
	} else {
		fmt.Fprintf(stdout, "%d ok, %d failed\n", len(reports)-failed, failed)
	}
	if failed > 0 {
		if *record {
			fmt.Fprintf(stderr, "eval-upstream: %s not written (the run failed)\n", upstreameval.RevisionsFile)
		}
		return exitcode.Failed
	}
	if *record {
		b, err := upstreameval.Revisions(cfg, time.Now().UTC().Format("2006-01-02"), targets)
		if err == nil {
			err = fsutil.WriteFileAtomic(filepath.Join(root, upstreameval.RevisionsFile), b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, "eval-upstream:", err)
			return exitcode.Failed
		}
		fmt.Fprintf(stderr, "eval-upstream: wrote %s\n", upstreameval.RevisionsFile)
	}
	return exitcode.OK
}

func newAuditor(root, tsv string) (*upstreameval.Auditor, error) {
	open := func(p string) (*os.File, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	o, err := open(tsv)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	a, err := open(filepath.Join(root, "tests/fixtures/options-allowlist.txt"))
	if err != nil {
		return nil, err
	}
	defer a.Close()
	rm, err := open(filepath.Join(root, "tests/fixtures/options-removed.txt"))
	if err != nil {
		return nil, err
	}
	defer rm.Close()
	return upstreameval.NewAuditor(o, a, rm)
}

// selectTargets keeps the hosts matching a prefix (all when none is given);
// with --hosts and no prefix, only the hosts of those folders.
func selectTargets(all, prefixes []string, hostDirs []string) []string {
	if len(prefixes) == 0 && len(hostDirs) > 0 {
		for _, d := range hostDirs {
			if abs, err := filepath.Abs(d); err == nil {
				prefixes = append(prefixes, abs+"/")
			}
		}
	}
	if len(prefixes) == 0 {
		return all
	}
	var out []string
	for _, t := range all {
		for _, p := range prefixes {
			if t == p || strings.HasPrefix(t, strings.TrimSuffix(p, "/")+"/") {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

func evalAll(ctx context.Context, r *upstreameval.Runner, a *upstreameval.Auditor, targets []string, jobs int, done func(hostReport)) []hostReport {
	reports := make([]hostReport, len(targets))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			h := evalHost(ctx, r, a, t)
			mu.Lock()
			reports[i] = h
			if ctx.Err() == nil {
				done(h)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return reports
}

func evalHost(ctx context.Context, r *upstreameval.Runner, a *upstreameval.Auditor, target string) hostReport {
	h := hostReport{Target: target}
	res, err := r.Host(ctx, target)
	if err != nil {
		var ee *upstreameval.EvalError
		msg := err.Error()
		if !errors.As(err, &ee) {
			msg = "evaluation failed: " + msg
		}
		h.Findings = []upstreameval.Finding{{Kind: upstreameval.KindEval, Message: msg}}
		return h
	}
	h.Result = &res
	h.Defs = len(res.Audit)
	h.Users = res.Users
	h.Warnings = res.Warnings
	h.Findings = a.Check(res)
	for i, f := range h.Findings {
		if f.Kind != upstreameval.KindHomeThrows {
			continue
		}
		// home-manager.users.<user>.<option>: evaluate it alone for Nix's message
		rest := strings.TrimPrefix(f.Path, "home-manager.users.")
		user, opt, _ := strings.Cut(rest, ".")
		if msg := r.HomeOptionError(ctx, target, user, opt); msg != "" {
			h.Findings[i].Message += ":\n" + msg
		}
	}
	h.OK = len(h.Findings) == 0
	return h
}

func printHost(w io.Writer, p ui.Painter, h hostReport) {
	if h.OK {
		extra := ""
		if len(h.Warnings) > 0 {
			extra = fmt.Sprintf(", %d warning(s)", len(h.Warnings))
		}
		users := append([]string(nil), h.Users...)
		sort.Strings(users)
		fmt.Fprintf(w, "  %s %s (%d values checked, users: %s%s)\n", p.Paint(ui.Green, "ok  "), h.Target, h.Defs, strings.Join(users, " "), extra)
		for _, wn := range h.Warnings {
			fmt.Fprintf(w, "       warning: %s\n", strings.ReplaceAll(strings.TrimSpace(wn), "\n", "\n       "))
		}
		return
	}
	fmt.Fprintf(w, "  %s %s\n", p.Paint(ui.Red, "FAIL"), h.Target)
	for _, f := range h.Findings {
		fmt.Fprintf(w, "       %s: %s\n", f.Kind, strings.ReplaceAll(f.Message, "\n", "\n         "))
	}
}
