package deploy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/deploy"
	"github.com/axios-nix/axios/internal/deploy/deploytest"
	"github.com/axios-nix/axios/internal/runner"
)

// fixture is a deployer with one target per host: each target runs the
// system "prev-<host>" and the build of <host> gives "system-<host>".
type fixture struct {
	kit   *deploytest.Kit
	roots map[string]string
	prev  map[string]string
	next  map[string]string
	log   *cmdtest.SyncBuffer
}

func newFixture(t *testing.T, hosts ...string) *fixture {
	t.Helper()
	f := &fixture{kit: deploytest.New(t), roots: map[string]string{}, prev: map[string]string{}, next: map[string]string{}, log: &cmdtest.SyncBuffer{}}
	for _, h := range hosts {
		f.prev[h] = f.kit.System(t, "prev-"+h, "old-list.json")
		f.next[h] = f.kit.System(t, "system-"+h, "new-object.json")
		f.roots[h] = f.kit.Target(t, h+".tail", f.prev[h])
	}
	return f
}

func (f *fixture) target(host string, confirm time.Duration) deploy.Target {
	return deploy.Target{
		Host:           host,
		Machine:        deploy.Machine{Dest: host + ".tail", User: "admin", Root: f.roots[host]},
		ConfirmTimeout: confirm,
	}
}

func (f *fixture) env() deploy.Env {
	return deploy.Env{Runner: runner.Exec{}, Log: f.log, Poll: 50 * time.Millisecond}
}

func opts(dir string) deploy.Options {
	return deploy.Options{Dir: dir, Mode: activate.ModeSwitch, Jobs: 1}
}

// logHas reports whether the fake tools' log has a line starting with
// each prefix, in this order.
func logHas(t *testing.T, lines []string, prefixes ...string) bool {
	t.Helper()
	i := 0
	for _, l := range lines {
		if i < len(prefixes) && strings.HasPrefix(l, prefixes[i]) {
			i++
		}
	}
	return i == len(prefixes)
}

func anyLine(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

func TestDeploySwitchesAndConfirms(t *testing.T) {
	f := newFixture(t, "server")
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{f.target("server", 60*time.Second)}, opts("/cfg"))[0]
	if res.Outcome != deploy.OutcomeDone {
		t.Fatalf("outcome %s at %s: %v\n%s", res.Outcome, res.Step, res.Err, f.log)
	}
	if got := deploytest.Running(t, f.roots["server"]); got != f.next["server"] {
		t.Errorf("target runs %s, want %s", got, f.next["server"])
	}
	if got := deploytest.Profile(t, f.roots["server"]); got != f.next["server"] {
		t.Errorf("target boots %s, want %s", got, f.next["server"])
	}
	if res.Previous != f.prev["server"] || res.Diff == nil {
		t.Errorf("previous %q, diff %v", res.Previous, res.Diff)
	}
	log := f.kit.Log(t)
	if !logHas(t, log,
		"nix --extra-experimental-features nix-command flakes build /cfg#nixosConfigurations.server",
		"ssh -- admin@server.tail readlink -f ",
		"nix --extra-experimental-features nix-command flakes copy --to ssh://admin@server.tail $ROOT/store/system-server",
		"ssh -- admin@server.tail sudo -n -- sh -c ",
		"ssh -- admin@server.tail sudo -n -- systemd-run --unit=axios-deploy-",
		"nix-env -p ",
		"switch-to-configuration switch",
		"ssh -- admin@server.tail sudo -n -- touch ",
		"ssh -- admin@server.tail sudo -n -- cat ") {
		t.Errorf("commands out of order:\n%s", strings.Join(log, "\n"))
	}
}

func TestDeployBuildFailureTouchesNothing(t *testing.T) {
	f := newFixture(t, "server")
	t.Setenv("FAKE_FAIL_BUILD", "server")
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{f.target("server", 60*time.Second)}, opts("/cfg"))[0]
	if res.Outcome != deploy.OutcomeFailed || res.Step != deploy.StepBuild {
		t.Fatalf("outcome %s at %s, want failed at build", res.Outcome, res.Step)
	}
	if !strings.Contains(res.Detail, "nothing was copied or activated") || !strings.Contains(res.Detail, "services.foo") {
		t.Errorf("detail %q lacks the build error or what was left alone", res.Detail)
	}
	log := f.kit.Log(t)
	if anyLine(log, " copy ") || anyLine(log, "systemd-run") {
		t.Errorf("copied or activated after a failed build:\n%s", strings.Join(log, "\n"))
	}
	if got := deploytest.Running(t, f.roots["server"]); got != f.prev["server"] {
		t.Errorf("target runs %s", got)
	}
}

func TestDeployActivationFailureRestoresOnTarget(t *testing.T) {
	f := newFixture(t, "server")
	deploytest.Mark(t, f.next["server"], "fail")
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{f.target("server", 60*time.Second)}, opts("/cfg"))[0]
	if res.Outcome != deploy.OutcomeRolledBack || res.Step != deploy.StepActivate {
		t.Fatalf("outcome %s at %s (%v), want rolled back at activate", res.Outcome, res.Step, res.Err)
	}
	if !strings.Contains(res.Err.Error(), "foo.service") {
		t.Errorf("error %q lacks the target's activation output", res.Err)
	}
	if got := deploytest.Running(t, f.roots["server"]); got != f.prev["server"] {
		t.Errorf("target runs %s, want the previous %s", got, f.prev["server"])
	}
	if got := deploytest.Profile(t, f.roots["server"]); got != f.prev["server"] {
		t.Errorf("target boots %s, want the previous %s", got, f.prev["server"])
	}
}

// The new system cuts the target off the network: the deployer cannot
// confirm, says so, and the target restores by itself after the timeout.
func TestDeployConnectionCutTargetRestoresItself(t *testing.T) {
	f := newFixture(t, "server")
	deploytest.Mark(t, f.next["server"], "cut")
	start := time.Now()
	// One second: the deployer gives up after a second without contact,
	// the target restores after one second of its clock.
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{f.target("server", time.Second)}, opts("/cfg"))[0]
	if res.Outcome != deploy.OutcomeUnconfirmed {
		t.Fatalf("outcome %s at %s (%v), want unconfirmed", res.Outcome, res.Step, res.Err)
	}
	if !strings.Contains(res.Detail, "restores") {
		t.Errorf("detail %q does not say the target restores itself", res.Detail)
	}
	if !deploytest.WaitRunning(t, f.roots["server"], f.prev["server"], 15*time.Second) {
		t.Fatalf("target still runs %s %s after the deployment began", deploytest.Running(t, f.roots["server"]), time.Since(start))
	}
	if got := deploytest.Profile(t, f.roots["server"]); got != f.prev["server"] {
		t.Errorf("target boots %s, want the previous %s", got, f.prev["server"])
	}
}

// The deployer goes away (Ctrl-C, hang-up) right after activation: nothing
// confirms, and the target restores on its own.
func TestDeployerGoneTargetRestoresItself(t *testing.T) {
	f := newFixture(t, "server")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := f.env()
	// The deployer dies (Ctrl-C, hang-up) the moment it learns that the
	// target activated: before it can confirm.
	env.Runner = goneAfterActivation{cancel: cancel}
	res := deploy.Run(ctx, env, []deploy.Target{f.target("server", 2*time.Second)}, opts("/cfg"))[0]
	if res.Outcome == deploy.OutcomeDone {
		t.Fatalf("confirmed although the deployer was gone")
	}
	if anyLine(f.kit.Log(t), " touch ") {
		t.Fatal("the deployer confirmed after it was gone")
	}
	if !deploytest.WaitRunning(t, f.roots["server"], f.prev["server"], 15*time.Second) {
		t.Fatalf("target did not restore %s by itself", f.prev["server"])
	}
}

// goneAfterActivation runs commands for real until a state read says
// "activated"; then it cancels the deployment and runs nothing more.
type goneAfterActivation struct {
	cancel context.CancelFunc
}

func (g goneAfterActivation) Run(ctx context.Context, c runner.Cmd) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return runner.Exec{}.Run(ctx, c)
}

func (g goneAfterActivation) Output(ctx context.Context, c runner.Cmd) ([]byte, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out, err := runner.Exec{}.Output(ctx, c)
	if err == nil && strings.HasPrefix(string(out), "activated") {
		g.cancel()
		return nil, context.Canceled
	}
	return out, err
}

func TestDeployOneOfThreeFails(t *testing.T) {
	f := newFixture(t, "a", "b", "c")
	t.Setenv("FAKE_FAIL_BUILD", "b")
	o := opts("/cfg")
	o.Jobs = 2
	targets := []deploy.Target{f.target("a", 60*time.Second), f.target("b", 60*time.Second), f.target("c", 60*time.Second)}
	results := deploy.Run(context.Background(), f.env(), targets, o)
	want := map[string]string{"a": deploy.OutcomeDone, "b": deploy.OutcomeFailed, "c": deploy.OutcomeDone}
	for _, r := range results {
		if r.Outcome != want[r.Host] {
			t.Errorf("%s: %s at %s (%v), want %s", r.Host, r.Outcome, r.Step, r.Err, want[r.Host])
		}
	}
	if got := deploytest.Running(t, f.roots["b"]); got != f.prev["b"] {
		t.Errorf("b runs %s after its build failed", got)
	}
	for _, h := range []string{"a", "c"} {
		if got := deploytest.Running(t, f.roots[h]); got != f.next[h] {
			t.Errorf("%s runs %s", h, got)
		}
	}
	// Every line of the shared log names its host.
	for _, l := range strings.Split(strings.TrimSpace(f.log.String()), "\n") {
		if l != "" && !strings.HasPrefix(l, "a: ") && !strings.HasPrefix(l, "b: ") && !strings.HasPrefix(l, "c: ") {
			t.Errorf("log line without its host: %q", l)
		}
	}
}

func TestDeployBuildOnTarget(t *testing.T) {
	f := newFixture(t, "server")
	tg := f.target("server", 60*time.Second)
	m := tg.Machine
	tg.BuildOn = &m
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{tg}, opts("/cfg"))[0]
	if res.Outcome != deploy.OutcomeDone {
		t.Fatalf("outcome %s at %s: %v", res.Outcome, res.Step, res.Err)
	}
	log := f.kit.Log(t)
	if anyLine(log, " build /cfg") {
		t.Error("built locally although buildOn is the target")
	}
	if !logHas(t, log, "nix --extra-experimental-features nix-command flakes eval --raw /cfg#nixosConfigurations.server.config.system.build.toplevel.drvPath", "nix --extra-experimental-features nix-command flakes copy --derivation --to ssh://admin@server.tail", "ssh -- admin@server.tail nix-store --realise ") {
		t.Errorf("build on target commands:\n%s", strings.Join(log, "\n"))
	}
	if anyLine(log, "copy --to") {
		t.Error("copied the system to the machine that built it")
	}
}

func TestDeployDeclinedActivatesNothing(t *testing.T) {
	f := newFixture(t, "server")
	o := opts("/cfg")
	asked := 0
	o.Confirm = func(rs []*deploy.Result) (bool, error) { asked++; return false, nil }
	res := deploy.Run(context.Background(), f.env(), []deploy.Target{f.target("server", 60*time.Second)}, o)[0]
	if asked != 1 || res.Outcome != deploy.OutcomeFailed || anyLine(f.kit.Log(t), "systemd-run") {
		t.Errorf("asked %d times, outcome %s; activation ran: %v", asked, res.Outcome, anyLine(f.kit.Log(t), "systemd-run"))
	}
}

func TestDryRunCommands(t *testing.T) {
	tg := deploy.Target{Host: "server", Machine: deploy.Machine{Dest: "server.tail", User: "admin", SSHOpts: []string{"-p", "2222"}}, ConfirmTimeout: 60 * time.Second}
	cmds := deploy.DryRun([]deploy.Target{tg}, opts("/cfg"))["server"]
	// ssh commands as "ssh ARGS :: REMOTE LINE", others as their line.
	var lines []string
	for _, c := range cmds {
		if c.Name == "ssh" {
			n := len(c.Args) - 1
			lines = append(lines, "ssh "+strings.Join(c.Args[:n], " ")+" :: "+c.Args[n])
			continue
		}
		lines = append(lines, strings.Join(c.Env, " ")+" "+c.String())
	}
	want := []string{
		" nix --extra-experimental-features 'nix-command flakes' build /cfg#nixosConfigurations.server.config.system.build.toplevel --out-link '<result>'",
		"ssh -p 2222 -- admin@server.tail :: readlink -f /run/current-system",
		"NIX_SSHOPTS=-p 2222 nix --extra-experimental-features 'nix-command flakes' copy --to ssh://admin@server.tail '<system>'",
		"ssh -p 2222 -- admin@server.tail :: sudo -n -- sh -c 'umask 077 && mkdir -p \"$1\" && cat > \"$1/$2.sh\"' sh /run/axios-deploy '<token>'",
		"ssh -p 2222 -- admin@server.tail :: sudo -n -- systemd-run '--unit=axios-deploy-<token>' '--description=axiOS deployment <token>' --collect --service-type=exec --quiet --setenv=PATH=/run/current-system/sw/bin -- /bin/sh '/run/axios-deploy/<token>.sh' '' '<system>' switch '<token>' 60",
		"ssh -p 2222 -- admin@server.tail :: sudo -n -- cat '/run/axios-deploy/<token>'",
		"ssh -p 2222 -- admin@server.tail :: sudo -n -- touch '/run/axios-deploy/<token>.confirm'",
		"ssh -p 2222 -- admin@server.tail :: sudo -n -- cat '/run/axios-deploy/<token>'",
	}
	if !logHas(t, lines, want...) {
		t.Errorf("dry run:\n%s", strings.Join(lines, "\n"))
	}
}
