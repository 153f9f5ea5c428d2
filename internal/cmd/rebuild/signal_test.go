package rebuild

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/activate/fakenix"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/privilege"
	"github.com/axios-nix/axios/internal/runner"
)

// The signal tests run axios as a separate process in a process group of
// its own, as a shell runs a job, and send signals to the whole group the
// way a terminal does (Ctrl-C twice, a hang-up). The process is this test
// binary: TestMain runs the command instead of the tests when
// helperEnv is set.

const helperEnv = "AXIOS_REBUILD_HELPER"

// helperSpec is the machine and command line the helper process runs.
type helperSpec struct {
	Mode       activate.Mode
	Args       []string
	Dir        string
	Profile    string
	Current    string
	Marker     string
	SystemdDir string
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(helperMain(spec))
	}
	os.Exit(m.Run())
}

func helperMain(spec string) int {
	var s helperSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 99
	}
	deps := Deps{
		Env: activate.Env{
			Runner: runner.Exec{}, Priv: privilege.Checker{Geteuid: func() int { return 0 }},
			Profile: s.Profile, CurrentSystem: s.Current, NixOSMarker: s.Marker, SystemdDir: s.SystemdDir,
		},
		Resolver:    cmdtest.ConfigAt(s.Dir),
		Hostname:    func() (string, error) { return "tower", nil },
		LookPath:    func(string) (string, error) { return "", errors.New("no nom") },
		Interactive: func() bool { return false },
	}
	cmd := New(s.Mode, deps)
	cmd.SetArgs(s.Args)
	err := cmd.Execute()
	if err != nil {
		fmt.Fprintln(os.Stderr, "axios:", err)
	}
	return cmdtest.Status(err)
}

// job is axios running as a process group of its own.
type job struct {
	cmd *exec.Cmd
	out *cmdtest.SyncBuffer
}

func (w *world) start(t *testing.T, mode activate.Mode, args ...string) *job {
	t.Helper()
	spec, _ := json.Marshal(helperSpec{
		Mode: mode, Args: args, Dir: w.dir, Profile: w.profile,
		Current: w.deps.Env.CurrentSystem, Marker: w.deps.Env.NixOSMarker, SystemdDir: w.deps.Env.SystemdDir,
	})
	j := &job{cmd: exec.Command(os.Args[0]), out: &cmdtest.SyncBuffer{}}
	j.cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	j.cmd.Stdout, j.cmd.Stderr = j.out, j.out
	j.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := j.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if j.cmd.ProcessState == nil {
			syscall.Kill(-j.cmd.Process.Pid, syscall.SIGKILL)
			j.cmd.Wait()
		}
	})
	return j
}

// signal sends sig to the job's whole process group, as a terminal does.
func (j *job) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(-j.cmd.Process.Pid, sig); err != nil {
		t.Fatalf("kill -%d: %v", sig, err)
	}
	time.Sleep(100 * time.Millisecond)
}

// wait returns the job's output and exit status (-1 when a signal killed
// it).
func (j *job) wait(t *testing.T) (string, int) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- j.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		syscall.Kill(-j.cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("axios did not end:\n%s", j.out.String())
	}
	return j.out.String(), j.cmd.ProcessState.ExitCode()
}

func waitFile(t *testing.T, j *job, path string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if j.cmd.ProcessState != nil || time.Now().After(deadline) {
			t.Fatalf("%s never appeared:\n%s", path, j.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// terminalSignals sends what a user's terminal sends: Ctrl-C twice, then
// the hang-up of a closed terminal or dropped SSH session.
func terminalSignals(t *testing.T, j *job) {
	t.Helper()
	j.signal(t, syscall.SIGINT)
	j.signal(t, syscall.SIGINT)
	j.signal(t, syscall.SIGHUP)
}

func noSignals(t *testing.T, log []string) {
	t.Helper()
	for _, l := range log {
		if strings.HasPrefix(l, "signal ") {
			t.Errorf("a terminal signal reached activation: %s\nlog:\n%s", l, strings.Join(log, "\n"))
		}
	}
}

func TestSignalsDuringBuildStopIt(t *testing.T) {
	for name, sigs := range map[string][]syscall.Signal{
		"ctrl-c twice": {syscall.SIGINT, syscall.SIGINT},
		"hang-up":      {syscall.SIGHUP},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			hold := filepath.Join(w.fake.Root, "hold-build")
			cmdtest.Write(t, hold, "")
			t.Setenv("FAKE_HOLD", hold)
			j := w.start(t, activate.ModeSwitch, "--yes")
			waitFile(t, j, hold+".started")
			for _, s := range sigs {
				j.signal(t, s)
			}
			os.Remove(hold)
			out, code := j.wait(t)
			if code != exitcode.Aborted || !strings.Contains(out, "build of tower interrupted; nothing was activated") {
				t.Errorf("exit %d, want %d:\n%s", code, exitcode.Aborted, out)
			}
			for _, l := range w.fake.Log(t) {
				if strings.Contains(l, "nix-env") || strings.Contains(l, "switch-to-configuration") {
					t.Errorf("activated after an interrupted build: %s", l)
				}
			}
			if got := fakenix.Target(t, w.profile); got != "system-1-link" {
				t.Errorf("profile changed to %s", got)
			}
		})
	}
}

func TestSignalsDuringActivationDoNotStopIt(t *testing.T) {
	for _, unit := range []bool{false, true} {
		t.Run(fmt.Sprintf("systemd-run=%v", unit), func(t *testing.T) {
			w := newWorld(t)
			if unit {
				w.fake.Systemd(t, w.deps.Env)
			}
			release := w.fake.Hold(t, w.new)
			j := w.start(t, activate.ModeSwitch, "--yes")
			waitFile(t, j, filepath.Join(w.new, "started"))
			terminalSignals(t, j)
			release()
			out, code := j.wait(t)
			if code != exitcode.OK {
				t.Fatalf("exit %d, want 0 (activation finished):\n%s", code, out)
			}
			log := w.fake.Log(t)
			noSignals(t, log)
			stc := "$ROOT/store/system-tower/bin/switch-to-configuration switch"
			want := []string{"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower", stc}
			if unit {
				want = []string{want[0], "systemd-run --collect --no-ask-password --pipe --quiet --service-type=exec --unit=nixos-rebuild-switch-to-configuration --wait " + stc, stc}
			}
			fakenix.ExpectLog(t, log[3:], want...)
			if got := fakenix.Target(t, w.profile); got != "system-2-link" {
				t.Errorf("profile points at %s, want the new generation 2", got)
			}
			cmdtest.ExpectOutput(t, out, "Ctrl-C (SIGINT) received during activation; it goes on to the end", "hang-up (SIGHUP) received during activation", "is active and the boot default")
		})
	}
}

func TestSignalsDuringRestoreDoNotStopIt(t *testing.T) {
	for _, unit := range []bool{false, true} {
		t.Run(fmt.Sprintf("systemd-run=%v", unit), func(t *testing.T) {
			w := newWorld(t)
			if unit {
				w.fake.Systemd(t, w.deps.Env)
			}
			w.fake.FailActivation(t, w.new)
			release := w.fake.Hold(t, w.old)
			j := w.start(t, activate.ModeSwitch, "--yes")
			waitFile(t, j, filepath.Join(w.old, "started"))
			terminalSignals(t, j)
			release()
			out, code := j.wait(t)
			if code != exitcode.Failed {
				t.Fatalf("exit %d, want 1:\n%s", code, out)
			}
			noSignals(t, w.fake.Log(t))
			if _, err := os.Stat(filepath.Join(w.old, "finished")); err != nil {
				t.Errorf("the restore's switch-to-configuration did not finish: %v", err)
			}
			if got := fakenix.Target(t, w.profile); got != "system-1-link" {
				t.Errorf("profile points at %s, want generation 1 back", got)
			}
			cmdtest.ExpectOutput(t, out, "put back:", "the system that was running, "+w.old+", was activated again and is the boot default")
		})
	}
}

// A dropped SSH session can take axios down for good: here its whole
// process group is killed (SIGKILL, which cannot be held off). The
// activation still runs to the end: it is in a transient unit, or at least
// in a process group of its own. (Killing the session's whole cgroup, as
// logind does with KillUserProcesses=yes, spares only the transient unit.)
func TestActivationOutlivesKilledAxios(t *testing.T) {
	for _, unit := range []bool{false, true} {
		t.Run(fmt.Sprintf("systemd-run=%v", unit), func(t *testing.T) {
			w := newWorld(t)
			if unit {
				w.fake.Systemd(t, w.deps.Env)
			}
			release := w.fake.Hold(t, w.new)
			j := w.start(t, activate.ModeSwitch, "--yes")
			waitFile(t, j, filepath.Join(w.new, "started"))
			if err := syscall.Kill(-j.cmd.Process.Pid, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			if _, code := j.wait(t); code != -1 {
				t.Fatalf("axios was not killed: exit %d", code)
			}
			release()
			deadline := time.Now().Add(30 * time.Second)
			for {
				if _, err := os.Stat(filepath.Join(w.new, "finished")); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("switch-to-configuration did not run to the end after axios was killed:\n%s", strings.Join(w.fake.Log(t), "\n"))
				}
				time.Sleep(20 * time.Millisecond)
			}
			if got := fakenix.Target(t, w.profile); got != "system-2-link" {
				t.Errorf("profile points at %s, want the new generation 2", got)
			}
		})
	}
}

// Two activations at once: the second stops before it changes anything.
func TestConcurrentActivationsExclude(t *testing.T) {
	w := newWorld(t)
	release := w.fake.Hold(t, w.new)
	j := w.start(t, activate.ModeSwitch, "--yes")
	waitFile(t, j, filepath.Join(w.new, "started"))
	out, code := w.run(t, activate.ModeTest, "", "--yes")
	if code != exitcode.Failed || !strings.Contains(out, "another axios activation (switch, boot, test or rollback) is running on this machine") {
		t.Errorf("second activation: exit %d:\n%s", code, out)
	}
	release()
	if out, code := j.wait(t); code != 0 {
		t.Fatalf("first activation: exit %d:\n%s", code, out)
	}
	var activations []string
	for _, l := range w.fake.Log(t) {
		if strings.Contains(l, "nix-env") || strings.Contains(l, "switch-to-configuration") {
			activations = append(activations, l)
		}
	}
	fakenix.ExpectLog(t, activations,
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"$ROOT/store/system-tower/bin/switch-to-configuration switch",
	)
}
