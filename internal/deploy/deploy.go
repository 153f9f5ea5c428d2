package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/runner"
)

// Target is one host to deploy and where it goes.
type Target struct {
	Host    string  // the configuration's host name
	Machine Machine // where it is activated
	// BuildOn is where the system is built: nil builds here and copies the
	// result; the target itself or another machine (--build-host) builds
	// there from the copied derivation.
	BuildOn *Machine
	// ConfirmTimeout is how long the target waits for the confirmation.
	ConfirmTimeout time.Duration
}

// Env is what a deployment needs from the outside world.
type Env struct {
	Runner runner.Runner // nil means runner.Exec{}
	Log    io.Writer     // progress and the build's messages; nil discards
	// Poll is how often the activation state is read (default 1 s).
	Poll time.Duration
	// ActivationTimeout bounds the wait for the activation to finish
	// (default 30 min).
	ActivationTimeout time.Duration
	// TempDir holds the local build result links ("" means os.TempDir()).
	TempDir string
}

func (e Env) withDefaults() Env {
	if e.Runner == nil {
		e.Runner = runner.Exec{}
	}
	if e.Log == nil {
		e.Log = io.Discard
	}
	if e.Poll == 0 {
		e.Poll = time.Second
	}
	if e.ActivationTimeout == 0 {
		e.ActivationTimeout = 30 * time.Minute
	}
	return e
}

// Steps of a deployment, named in results.
const (
	StepBuild    = "build"
	StepDiff     = "diff"
	StepCopy     = "copy"
	StepActivate = "activate"
	StepConfirm  = "confirm"
)

// Outcomes of a deployment.
const (
	OutcomeBuilt       = "built"       // built and compared; not activated yet
	OutcomeDone        = "done"        // activated and confirmed
	OutcomeRolledBack  = "rolled back" // the target restored its previous system
	OutcomeFailed      = "failed"      // stopped at Step; see Err
	OutcomeUnconfirmed = "unconfirmed" // contact lost after activation: the target restores by itself
)

// Result is what happened to one host.
type Result struct {
	Host     string        `json:"host"`
	Target   string        `json:"target"`
	System   string        `json:"system,omitempty"`   // the built store path
	Previous string        `json:"previous,omitempty"` // what the target ran before
	Outcome  string        `json:"outcome"`
	Step     string        `json:"step,omitempty"` // where it failed
	Detail   string        `json:"detail,omitempty"`
	Diff     *closure.Diff `json:"diff,omitempty"`
	Err      error         `json:"-"`
}

// Failed reports whether the host did not end up confirmed (or, before
// activation, built).
func (r *Result) Failed() bool {
	return r.Outcome != OutcomeDone && r.Outcome != OutcomeBuilt
}

func (r *Result) fail(step string, err error) *Result {
	r.Outcome, r.Step, r.Err = OutcomeFailed, step, err
	r.Detail = err.Error()
	return r
}

// BuildCommands are the commands Build runs for t, in order, for --dry-run
// and for Build itself (except the last step's outputs, read at run time).
func BuildCommands(dir string, t Target, outLink string) []runner.Cmd {
	if t.BuildOn == nil {
		return []runner.Cmd{activate.BuildCmd(dir, t.Host, outLink, false)}
	}
	drv := "<drv>"
	return []runner.Cmd{
		drvCmd(dir, t.Host),
		copyDrvCmd(*t.BuildOn, drv),
		t.BuildOn.SSH("nix-store", "--realise", drv),
	}
}

func drvCmd(dir, host string) runner.Cmd {
	args := append(append([]string{}, closure.NixFlags...), "eval", "--raw", activate.Toplevel(dir, host)+".drvPath")
	return runner.Cmd{Name: "nix", Args: args}
}

func copyDrvCmd(m Machine, drv string) runner.Cmd {
	args := append(append([]string{}, closure.NixFlags...), "copy", "--derivation", "--to", m.StoreURI(), drv)
	return runner.Cmd{Name: "nix", Args: args, Env: m.NixSSHOpts()}
}

// CopyCmd copies a built system to the target: from here, or from the
// build machine straight to the target.
func CopyCmd(t Target, system string) runner.Cmd {
	args := append([]string{}, closure.NixFlags...)
	args = append(args, "copy")
	env := t.Machine.NixSSHOpts()
	if t.BuildOn != nil {
		args = append(args, "--from", t.BuildOn.StoreURI())
		if env == nil {
			env = t.BuildOn.NixSSHOpts()
		}
	}
	args = append(args, "--to", t.Machine.StoreURI(), system)
	return runner.Cmd{Name: "nix", Args: args, Env: env}
}

// needsCopy reports whether the built system must be copied to the
// target: not when the target built it itself.
func needsCopy(t Target) bool {
	return t.BuildOn == nil || t.BuildOn.Login() != t.Machine.Login()
}

// Build builds t's system and returns its store path (on the machine it
// was built on).
func Build(ctx context.Context, env Env, dir string, t Target) (string, error) {
	env = env.withDefaults()
	if t.BuildOn == nil {
		tmp, err := os.MkdirTemp(env.TempDir, "axios-deploy-"+t.Host+"-")
		if err != nil {
			return "", fmt.Errorf("creating a folder for the build result: %w", err)
		}
		defer os.RemoveAll(tmp)
		out := filepath.Join(tmp, "result")
		return activate.Build(ctx, env.Runner, t.Host, activate.BuildCmd(dir, t.Host, out, false), out, env.Log)
	}
	raw, err := env.Runner.Output(ctx, drvCmd(dir, t.Host))
	if err != nil {
		return "", fmt.Errorf("evaluating %s: %w", t.Host, err)
	}
	drv := strings.TrimSpace(string(raw))
	if !strings.HasSuffix(drv, ".drv") {
		return "", fmt.Errorf("evaluating %s gave %q, not a derivation", t.Host, drv)
	}
	if err := env.Runner.Run(ctx, withStderr(copyDrvCmd(*t.BuildOn, drv), env.Log)); err != nil {
		return "", fmt.Errorf("copying the derivation to %s: %w", t.BuildOn.Dest, err)
	}
	c := t.BuildOn.SSH("nix-store", "--realise", drv)
	c.Stderr = env.Log
	out, err := env.Runner.Output(ctx, c)
	if err != nil {
		return "", &activate.BuildError{Host: t.Host, Err: fmt.Errorf("building on %s: %w", t.BuildOn.Dest, err)}
	}
	lines := strings.Fields(string(out))
	if len(lines) == 0 {
		return "", fmt.Errorf("building on %s printed no store path", t.BuildOn.Dest)
	}
	return lines[len(lines)-1], nil
}

func withStderr(c runner.Cmd, w io.Writer) runner.Cmd {
	c.Stderr = w
	return c
}

// remotePathInfo is `nix path-info` of path, run on m.
func remotePathInfo(m Machine, path string) runner.Cmd {
	pi := closure.PathInfoCmd(path)
	return m.SSH(append([]string{pi.Name}, pi.Args...)...)
}

// Diff compares the target's running system with the built one; the built
// closure is read where it was built.
func Diff(ctx context.Context, env Env, t Target, running, system string) (closure.Diff, error) {
	env = env.withDefaults()
	read := func(c runner.Cmd) (closure.Closure, error) {
		out, err := env.Runner.Output(ctx, c)
		if err != nil {
			return closure.Closure{}, err
		}
		return closure.Parse(out, "")
	}
	old, err := read(remotePathInfo(t.Machine, running))
	if err != nil {
		return closure.Diff{}, fmt.Errorf("reading the closure of %s on %s: %w", running, t.Machine.Dest, err)
	}
	var nc runner.Cmd
	if t.BuildOn == nil {
		nc = closure.PathInfoCmd(system)
	} else {
		nc = remotePathInfo(*t.BuildOn, system)
	}
	cur, err := read(nc)
	if err != nil {
		return closure.Diff{}, fmt.Errorf("reading the closure of %s: %w", system, err)
	}
	return closure.Compare(running, old, system, cur), nil
}

// RunningSystem asks the target which system it runs ("" when none).
func RunningSystem(ctx context.Context, env Env, m Machine) (string, error) {
	env = env.withDefaults()
	out, err := env.Runner.Output(ctx, m.RunningSystemCmd())
	if err != nil {
		if isConnError(err) {
			return "", fmt.Errorf("cannot reach %s: %w", m.Dest, err)
		}
		return "", nil
	}
	return strings.TrimSpace(string(out)), nil
}

// isConnError reports an ssh failure to connect (ssh exits 255) rather
// than a remote command that failed.
func isConnError(err error) bool {
	var ee *runner.ExitError
	return errors.As(err, &ee) && ee.Code == 255
}

// Activate copies system to the target, starts the activation unit there,
// waits for it, confirms over a new connection, and waits for the unit to
// take the confirmation. res is filled in and returned.
func Activate(ctx context.Context, env Env, t Target, mode activate.Mode, system string, res *Result) *Result {
	env = env.withDefaults()
	m := t.Machine
	if needsCopy(t) {
		c := CopyCmd(t, system)
		c.Stderr = env.Log
		if err := env.Runner.Run(ctx, c); err != nil {
			return res.fail(StepCopy, fmt.Errorf("copying %s to %s: %w; nothing was activated", system, m.Dest, err))
		}
	}
	token := NewToken()
	timeout := int(t.ConfirmTimeout / time.Second)
	if timeout < 1 {
		timeout = 1
	}
	if err := env.Runner.Run(ctx, withStderr(m.UploadScript(token), env.Log)); err != nil {
		return res.fail(StepActivate, fmt.Errorf("writing the activation script on %s: %w; nothing was activated", m.Dest, err))
	}
	if err := env.Runner.Run(ctx, withStderr(m.StartActivation(system, mode, token, timeout), env.Log)); err != nil {
		return res.fail(StepActivate, fmt.Errorf("starting the activation on %s: %w; nothing was activated", m.Dest, err))
	}
	fmt.Fprintf(env.Log, "%s: activating %s on %s (unit axios-deploy-%s)\n", t.Host, system, m.Dest, token)

	// Wait for the unit to finish activating. Each read is a new SSH
	// connection: an activation that restarts the network drops one but
	// not the next.
	state, err := waitState(ctx, env, m, token, env.ActivationTimeout, t.ConfirmTimeout, func(s string) bool {
		return !strings.HasPrefix(s, "activating") && s != ""
	})
	if err != nil {
		res.Outcome, res.Step, res.Err = OutcomeUnconfirmed, StepActivate, err
		res.Detail = fmt.Sprintf("%v; unless the activation is confirmed, %s restores the system it ran before %d s after activating", err, m.Dest, timeout)
		return res
	}
	switch {
	case strings.HasPrefix(state, "activated"):
		res.Previous = strings.TrimSpace(strings.TrimPrefix(state, "activated"))
	case strings.HasPrefix(state, "failed"):
		return res.fail(StepActivate, fmt.Errorf("setting the system profile on %s failed; nothing changed%s", m.Dest, remoteLog(ctx, env, m, token)))
	case strings.HasPrefix(state, "rolled-back"):
		res.Outcome, res.Step = OutcomeRolledBack, StepActivate
		res.Err = fmt.Errorf("activation on %s failed; it restored the system it ran before%s", m.Dest, remoteLog(ctx, env, m, token))
		res.Detail = "activation failed; the target restored the system it ran before"
		return res
	default:
		return res.fail(StepActivate, fmt.Errorf("activation on %s failed and so did restoring the previous system (%s)%s", m.Dest, state, remoteLog(ctx, env, m, token)))
	}

	// Confirm over a new connection: proof that the deployer still reaches
	// the target with the new system active.
	if err := env.Runner.Run(ctx, m.Confirm(token)); err != nil {
		res.Outcome, res.Step, res.Err = OutcomeUnconfirmed, StepConfirm, err
		res.Detail = fmt.Sprintf("activated, but %s cannot be reached any more (%v); it restores %s by itself within %d s", m.Dest, err, orUnknown(res.Previous), timeout)
		return res
	}
	state, err = waitState(ctx, env, m, token, t.ConfirmTimeout+30*time.Second, t.ConfirmTimeout, func(s string) bool {
		return !strings.HasPrefix(s, "activated")
	})
	switch {
	case err != nil:
		res.Outcome, res.Step, res.Err = OutcomeUnconfirmed, StepConfirm, err
		res.Detail = fmt.Sprintf("confirmed, but the answer was lost (%v); check `systemctl status axios-deploy-%s` on %s", err, token, m.Dest)
	case state == "confirmed":
		res.Outcome = OutcomeDone
	case strings.HasPrefix(state, "rolled-back"):
		res.Outcome, res.Step = OutcomeRolledBack, StepConfirm
		res.Err = fmt.Errorf("the confirmation came too late; %s restored the system it ran before", m.Dest)
		res.Detail = "confirmation too late; the target restored the system it ran before"
	default:
		res.fail(StepConfirm, fmt.Errorf("confirmation too late and restoring failed on %s (%s)%s", m.Dest, state, remoteLog(ctx, env, m, token)))
	}
	return res
}

func orUnknown(s string) string {
	if s == "" {
		return "the previous system"
	}
	return s
}

// waitState reads the state file until done(state) or until the deadline.
// A missing state file counts as "" (not started yet); connection failures
// are retried until they have lasted longer than lost.
func waitState(ctx context.Context, env Env, m Machine, token string, limit, lost time.Duration, done func(string) bool) (string, error) {
	deadline := time.Now().Add(limit)
	var failingSince time.Time
	for {
		out, err := env.Runner.Output(ctx, m.ReadState(token))
		state := ""
		switch {
		case err == nil:
			failingSince = time.Time{}
			state = strings.TrimSpace(string(out))
			if done(state) {
				return state, nil
			}
		case isConnError(err):
			if failingSince.IsZero() {
				failingSince = time.Now()
			} else if time.Since(failingSince) > lost {
				return "", fmt.Errorf("lost contact with %s: %w", m.Dest, err)
			}
		default:
			// cat failed on the target: no state file yet.
			failingSince = time.Time{}
		}
		if time.Now().After(deadline) {
			return state, fmt.Errorf("%s did not finish within %s (state %q)", m.Dest, limit, state)
		}
		select {
		case <-ctx.Done():
			return state, fmt.Errorf("interrupted while waiting for %s: %w", m.Dest, ctx.Err())
		case <-time.After(env.Poll):
		}
	}
}

// remoteLog fetches the end of the activation's output, for an error.
func remoteLog(ctx context.Context, env Env, m Machine, token string) string {
	out, err := env.Runner.Output(ctx, m.ReadLog(token))
	if err != nil || len(strings.TrimSpace(string(out))) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return "\nlast lines on the target:\n  " + strings.Join(lines, "\n  ")
}
