package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// The fault tests run `axios update` as a separate process in a process
// group of its own (this test binary, when helperEnv is set), so signals can
// go to the whole group as a terminal sends them, and two updates can run
// at once.

const helperEnv = "AXIOS_UPDATE_HELPER"

type helperSpec struct {
	Dir, Current, Marker string
	Args                 []string
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
		Env:      activate.Env{Runner: runner.Exec{}, CurrentSystem: s.Current, NixOSMarker: s.Marker},
		Resolver: cmdtest.ConfigAt(s.Dir),
		Hostname: func() (string, error) { return "tower", nil },
		LookPath: func(string) (string, error) { return "", errors.New("no nom") },
	}
	cmd := New(deps)
	cmd.SetArgs(s.Args)
	err := cmd.Execute()
	if err != nil {
		fmt.Fprintln(os.Stderr, "axios:", err)
	}
	return cmdtest.Status(err)
}

type job struct {
	cmd *exec.Cmd
	out *cmdtest.SyncBuffer
}

// start runs `axios update ARGS` as a job of its own whose builds (or,
// with holdVar FAKE_HOLD_UPDATE, whose `nix flake update` after writing the
// new lock) wait while the returned hold file exists.
func (w *world) start(t *testing.T, holdVar string, args ...string) (*job, string) {
	t.Helper()
	return w.startTo(t, nil, holdVar, args...)
}

// startTo is start with the job's output going to out (nil: a buffer).
func (w *world) startTo(t *testing.T, out *os.File, holdVar string, args ...string) (*job, string) {
	t.Helper()
	hold := filepath.Join(w.fake.Root, "hold")
	cmdtest.Write(t, hold, "")
	t.Setenv(holdVar, hold)
	spec, _ := json.Marshal(helperSpec{Dir: w.dir, Current: w.deps.Env.CurrentSystem, Marker: w.deps.Env.NixOSMarker, Args: args})
	j := &job{cmd: exec.Command(os.Args[0]), out: &cmdtest.SyncBuffer{}}
	j.cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	j.cmd.Stdout, j.cmd.Stderr = j.out, j.out
	if out != nil {
		j.cmd.Stdout, j.cmd.Stderr = out, out
	}
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
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(hold + ".started"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the update's build never started:\n%s", j.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Setenv(holdVar, "")
	return j, hold
}

func (j *job) wait(t *testing.T) (string, int) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- j.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		syscall.Kill(-j.cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("axios update did not end:\n%s", j.out.String())
	}
	return j.out.String(), j.cmd.ProcessState.ExitCode()
}

func (w *world) oldCopy(t *testing.T) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "flake.lock.axios-old"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

func TestSignalsDuringUpdateRestoreLock(t *testing.T) {
	for _, c := range []struct {
		name, holdVar, phase string
		sigs                 []syscall.Signal
	}{
		{"ctrl-c twice during build", "FAKE_HOLD", "interrupted while building laptop", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
		{"hang-up during build", "FAKE_HOLD", "interrupted while building laptop", []syscall.Signal{syscall.SIGHUP}},
		{"ctrl-c twice during nix flake update", "FAKE_HOLD_UPDATE", "interrupted while updating flake.lock", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
		{"hang-up during nix flake update", "FAKE_HOLD_UPDATE", "interrupted while updating flake.lock", []syscall.Signal{syscall.SIGHUP}},
	} {
		sigs := c.sigs
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			j, hold := w.start(t, c.holdVar)
			if old, ok := w.oldCopy(t); !ok || old != oldLock {
				t.Errorf("while the update runs, flake.lock.axios-old should hold the old lock: %v %q", ok, old)
			}
			for _, s := range sigs {
				if err := syscall.Kill(-j.cmd.Process.Pid, s); err != nil {
					t.Fatal(err)
				}
				time.Sleep(100 * time.Millisecond)
			}
			os.Remove(hold)
			out, code := j.wait(t)
			if code != exitcode.Aborted {
				t.Fatalf("exit %d, want %d:\n%s", code, exitcode.Aborted, out)
			}
			if got, perm := w.lock(t); got != oldLock || perm != 0o600 {
				t.Errorf("lock not restored byte for byte (mode %o): %q", perm, got)
			}
			if _, ok := w.oldCopy(t); ok {
				t.Errorf("flake.lock.axios-old left after a verified restore")
			}
			cmdtest.ExpectOutput(t, out, c.phase, "the old flake.lock was put back unchanged")
		})
	}
}

// Two `axios update` at once: the second stops before it touches anything,
// so it can neither save the first one's unbuilt lock as "old" nor report a
// restore it did not do.
func TestConcurrentUpdatesExclude(t *testing.T) {
	for _, firstFails := range []bool{false, true} {
		t.Run(fmt.Sprintf("first fails=%v", firstFails), func(t *testing.T) {
			w := newWorld(t)
			if firstFails {
				t.Setenv("FAKE_FAIL_BUILD", "tower")
			}
			j, hold := w.start(t, "FAKE_HOLD")
			out, code := w.run(t, context.Background())
			if code != exitcode.Failed || !strings.Contains(out, "another `axios update` is running on "+w.dir) || strings.Contains(out, "put back") {
				t.Errorf("second update: exit %d:\n%s", code, out)
			}
			if old, ok := w.oldCopy(t); !ok || old != oldLock {
				t.Errorf("the second update touched flake.lock.axios-old: %v %q", ok, old)
			}
			os.Remove(hold)
			out, code = j.wait(t)
			got, _ := w.lock(t)
			if firstFails {
				if code != exitcode.Failed || got != oldLock {
					t.Errorf("first update: exit %d, lock %q:\n%s", code, got, out)
				}
			} else if code != 0 || got != newLock {
				t.Errorf("first update: exit %d, lock %q:\n%s", code, got, out)
			}
			if _, ok := w.oldCopy(t); ok {
				t.Errorf("flake.lock.axios-old left behind")
			}
			if n := strings.Count(strings.Join(w.fake.Log(t), "\n"), "flake update"); n != 1 {
				t.Errorf("nix flake update ran %d times, want once (by the first update only)", n)
			}
		})
	}
}

// editOnBuild changes flake.lock when the first build starts, as an editor
// or a `git pull` during a long update would.
type editOnBuild struct {
	runner.Runner
	path string
	once *sync.Once
}

func (e editOnBuild) Run(ctx context.Context, c runner.Cmd) error {
	for _, a := range c.Args {
		if a == "build" {
			e.once.Do(func() { os.WriteFile(e.path, []byte("{\"edited\": true}\n"), 0o600) })
		}
	}
	return e.Runner.Run(ctx, c)
}

func TestLockChangedDuringUpdateIsNotOverwritten(t *testing.T) {
	w := newWorld(t)
	lock := filepath.Join(w.dir, "flake.lock")
	w.deps.Env.Runner = editOnBuild{Runner: runner.Exec{}, path: lock, once: &sync.Once{}}
	t.Setenv("FAKE_FAIL_BUILD", "laptop")
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if got, _ := w.lock(t); got != "{\"edited\": true}\n" {
		t.Errorf("the edited flake.lock was overwritten: %q", got)
	}
	if old, ok := w.oldCopy(t); !ok || old != oldLock {
		t.Errorf("flake.lock.axios-old: %v %q", ok, old)
	}
	cmdtest.ExpectOutput(t, out, "changed while axios update ran (not by this update", "the old lock was NOT written over it", "the lock from before the update is kept in "+lock+".axios-old")
	if strings.Contains(out, "put back unchanged") || strings.Contains(out, "git -C") {
		t.Errorf("wrong claim or git suggestion outside git:\n%s", out)
	}
	// The next update refuses until the kept copy is dealt with.
	w.deps.Env.Runner = runner.Exec{}
	out, code = w.run(t, context.Background())
	if code != exitcode.Failed || !strings.Contains(out, lock+".axios-old exists") || len(w.fake.Log(t)) == 0 {
		t.Errorf("second run: exit %d:\n%s", code, out)
	}
	if old, _ := w.oldCopy(t); old != oldLock {
		t.Errorf("second run touched the kept copy")
	}
}

// fullDisk fails writing the named file with ENOSPC, as a full disk does.
func fullDisk(name string) func(string, []byte, fs.FileMode) error {
	return func(path string, data []byte, perm fs.FileMode) error {
		if filepath.Base(path) == name {
			return fmt.Errorf("writing %s: %w", path, syscall.ENOSPC)
		}
		return fsutil.WriteFileAtomic(path, data, perm)
	}
}

func TestFullDiskWhileRestoringKeepsOldLock(t *testing.T) {
	for _, tracked := range []bool{false, true} {
		t.Run(fmt.Sprintf("git tracked=%v", tracked), func(t *testing.T) {
			w := newWorld(t)
			lock := filepath.Join(w.dir, "flake.lock")
			if tracked {
				testutil.RequireTool(t, "git")
				for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
					if out, err := exec.Command("git", append([]string{"-C", w.dir}, args...)...).CombinedOutput(); err != nil {
						t.Fatalf("git %v: %v %s", args, err, out)
					}
				}
			}
			w.deps.WriteFile = fullDisk("flake.lock")
			t.Setenv("FAKE_FAIL_BUILD", "laptop")
			out, code := w.run(t, context.Background())
			if code != exitcode.Failed {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if old, ok := w.oldCopy(t); !ok || old != oldLock {
				t.Fatalf("the old lock is not on disk in flake.lock.axios-old: %v %q", ok, old)
			}
			cmdtest.ExpectOutput(t, out, "THE OLD flake.lock WAS NOT PUT BACK", "no space left on device", "the lock from before the update is kept in "+lock+".axios-old", "mv "+lock+".axios-old "+lock)
			if strings.Contains(out, "put back unchanged") {
				t.Errorf("claims a restore it did not do:\n%s", out)
			}
			if git := strings.Contains(out, "git -C"); git != tracked {
				t.Errorf("git suggested = %v, but flake.lock tracked = %v:\n%s", git, tracked, out)
			}
		})
	}
	// A full disk before the update starts: nothing runs, nothing changes.
	w := newWorld(t)
	w.deps.WriteFile = fullDisk("flake.lock.axios-old")
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed || !strings.Contains(out, "so the update did not start (nothing was changed)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	for _, l := range w.fake.Log(t) {
		if strings.Contains(l, "flake update") {
			t.Errorf("nix ran: %s", l)
		}
	}
	if got, _ := w.lock(t); got != oldLock {
		t.Errorf("lock changed: %q", got)
	}
}

func TestSymlinkedLockStaysALink(t *testing.T) {
	for _, c := range []struct {
		name          string
		fail, replace bool
	}{{"kept", false, false}, {"restored", true, false}, {"kept, nix replaced the link", false, true}, {"restored, nix replaced the link", true, true}} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			lock := filepath.Join(w.dir, "flake.lock")
			target := filepath.Join(w.fake.Root, "locks", "flake.lock")
			cmdtest.WriteMode(t, target, oldLock, 0o600)
			if err := os.Remove(lock); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("../locks/flake.lock", lock); err != nil {
				t.Fatal(err)
			}
			if c.fail {
				t.Setenv("FAKE_FAIL_BUILD", "laptop")
			}
			if c.replace {
				t.Setenv("FAKE_REPLACE_LOCK", "1")
			}
			out, code := w.run(t, context.Background())
			if (code == 0) == c.fail {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if l, err := os.Readlink(lock); err != nil || l != "../locks/flake.lock" {
				t.Errorf("flake.lock is no longer the link: %q %v", l, err)
			}
			want := newLock
			if c.fail {
				want = oldLock
			}
			got, err := os.ReadFile(target)
			if err != nil || string(got) != want {
				t.Errorf("link target holds %q (%v), want %q", got, err, want)
			}
			if info, err := os.Stat(target); err != nil || info.Mode().Perm() != 0o600 {
				t.Errorf("target mode: %v %v", info, err)
			}
			if _, ok := w.oldCopy(t); ok {
				t.Errorf("flake.lock.axios-old left behind")
			}
		})
	}
}

// `axios update | less`, and less is quit during a build: the next write
// meets a closed pipe. The update must still end with a consistent lock,
// here putting the old one back after tower fails.
func TestClosedOutputPipeDuringUpdate(t *testing.T) {
	w := newWorld(t)
	t.Setenv("FAKE_FAIL_BUILD", "tower")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	j, hold := w.startTo(t, wr, "FAKE_HOLD")
	wr.Close()
	r.Close()
	os.Remove(hold)
	if _, code := j.wait(t); code != exitcode.Failed {
		t.Fatalf("exit %d, want 1 (a SIGPIPE death is -1): %v", code, j.cmd.ProcessState)
	}
	if got, perm := w.lock(t); got != oldLock || perm != 0o600 {
		t.Errorf("lock not restored (mode %o): %q", perm, got)
	}
	if _, ok := w.oldCopy(t); ok {
		t.Errorf("flake.lock.axios-old left after a verified restore")
	}
}
