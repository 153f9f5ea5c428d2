package deploy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/runner"
)

// Options are one deployment of one or more hosts.
type Options struct {
	Dir  string        // the flake
	Mode activate.Mode // switch, boot or test (build: build and compare only)
	Jobs int           // hosts handled at once (at least 1)
	// Confirm asks once, after every host is built and compared, whether
	// to go on; nil means yes (--yes).
	Confirm func(results []*Result) (bool, error)
	// Out receives each host's closure diff (nil: not printed).
	Out io.Writer
}

// Run deploys every target: all are built and compared first (Jobs at a
// time), then — after one confirmation — copied and activated (Jobs at a
// time). One host failing does not stop the others. The results are in the
// order of targets.
func Run(ctx context.Context, env Env, targets []Target, o Options) []*Result {
	env = env.withDefaults()
	jobs := o.Jobs
	if jobs < 1 {
		jobs = 1
	}
	results := make([]*Result, len(targets))
	systems := make([]string, len(targets))
	logs := &lockedWriter{w: env.Log}

	each(len(targets), jobs, func(i int) {
		t := targets[i]
		res := &Result{Host: t.Host, Target: t.Machine.Login()}
		results[i] = res
		henv := env
		henv.Log = &prefixWriter{prefix: t.Host + ": ", w: logs}
		system, err := Build(ctx, henv, o.Dir, t)
		if err != nil {
			res.fail(StepBuild, fmt.Errorf("%w; nothing was copied or activated", err))
			return
		}
		res.System, systems[i] = system, system
		running, err := RunningSystem(ctx, henv, t.Machine)
		if err != nil {
			res.fail(StepDiff, fmt.Errorf("%w; nothing was copied or activated", err))
			return
		}
		res.Previous = running
		if running != "" {
			d, err := Diff(ctx, henv, t, running, system)
			if err != nil {
				fmt.Fprintf(henv.Log, "warning: cannot show what changes: %v\n", err)
			} else {
				res.Diff = &d
			}
		}
		res.Outcome = OutcomeBuilt
	})
	if o.Out != nil {
		for _, r := range results {
			if r.Diff != nil {
				fmt.Fprintf(o.Out, "%s: changes from %s on %s:\n", r.Host, r.Previous, r.Target)
				r.Diff.Write(o.Out)
			}
		}
	}
	if o.Mode == activate.ModeBuild || ctx.Err() != nil {
		return results
	}
	var ready []int
	for i, r := range results {
		if !r.Failed() {
			ready = append(ready, i)
		}
	}
	if len(ready) == 0 {
		return results
	}
	if o.Confirm != nil {
		ok, err := o.Confirm(results)
		if err != nil || !ok {
			why := "not confirmed"
			if err != nil {
				why = err.Error()
			}
			for _, i := range ready {
				results[i].Outcome, results[i].Step, results[i].Detail = OutcomeFailed, StepCopy, why+"; nothing was copied or activated"
				results[i].Err = fmt.Errorf("%s", results[i].Detail)
			}
			return results
		}
	}
	each(len(ready), jobs, func(k int) {
		i := ready[k]
		henv := env
		henv.Log = &prefixWriter{prefix: targets[i].Host + ": ", w: logs}
		Activate(ctx, henv, targets[i], o.Mode, systems[i], results[i])
	})
	return results
}

// DryRun lists, per target, the commands Run would run.
func DryRun(targets []Target, o Options) map[string][]runner.Cmd {
	out := map[string][]runner.Cmd{}
	for _, t := range targets {
		sys := "<system>"
		cmds := BuildCommands(o.Dir, t, "<result>")
		cmds = append(cmds, t.Machine.RunningSystemCmd(), remotePathInfo(t.Machine, "<running>"))
		if t.BuildOn == nil {
			cmds = append(cmds, closure.PathInfoCmd(sys))
		} else {
			cmds = append(cmds, remotePathInfo(*t.BuildOn, sys))
		}
		if o.Mode != activate.ModeBuild {
			timeout := int(t.ConfirmTimeout.Seconds())
			if needsCopy(t) {
				cmds = append(cmds, CopyCmd(t, sys))
			}
			cmds = append(cmds,
				t.Machine.UploadScript("<token>"),
				t.Machine.StartActivation(sys, o.Mode, "<token>", timeout),
				t.Machine.ReadState("<token>"),
				t.Machine.Confirm("<token>"),
				t.Machine.ReadState("<token>"))
		}
		out[t.Host] = cmds
	}
	return out
}

// each calls f(0..n-1), at most jobs at a time, and waits for all.
func each(n, jobs int, f func(int)) {
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}

// lockedWriter serialises writes from several hosts.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// prefixWriter starts every complete line with prefix, so the output of
// hosts deployed at once stays readable.
type prefixWriter struct {
	prefix string
	w      io.Writer
	mu     sync.Mutex
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		line := append([]byte(p.prefix), p.buf[:i+1]...)
		p.buf = p.buf[i+1:]
		if _, err := p.w.Write(line); err != nil {
			return len(b), err
		}
	}
	return len(b), nil
}
