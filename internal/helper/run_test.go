package helper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// frontEnv makes the test binary play axios: it runs the helper program the
// variable names with Run and prints the Outcome as JSON.
const frontEnv = "AXIOS_TEST_HELPER_FRONT"

func TestMain(m *testing.M) {
	if path := os.Getenv(frontEnv); path != "" {
		out, err := Run(exec.Command(path), nil)
		// What comes after the helper (init's writing) has its own
		// handling; here a late second Ctrl-C must not end the report.
		signal.Ignore(relayed...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		var sigs []string
		for _, s := range out.Received {
			sigs = append(sigs, s.String())
		}
		json.NewEncoder(os.Stdout).Encode(map[string]any{"code": out.Code, "signal": int(out.Signal), "received": sigs, "interrupted": out.Interrupted()})
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type outcome struct {
	Code        int      `json:"code"`
	Signal      int      `json:"signal"`
	Received    []string `json:"received"`
	Interrupted bool     `json:"interrupted"`
}

// fakeForm is a helper that writes its pid to ready, logs the signals it
// traps to log, and waits; trapped signals end it with status 3, as the
// form does on Ctrl-C. Signals it does not trap end it the default way.
func fakeForm(t *testing.T, dir, traps string) (path, ready, log string) {
	path, ready, log = filepath.Join(dir, "fake-form"), filepath.Join(dir, "ready"), filepath.Join(dir, "log")
	script := ""
	for _, s := range strings.Fields(traps) {
		script += fmt.Sprintf("trap 'echo %s >> %s; exit 3' %s\n", s, log, s)
	}
	script += fmt.Sprintf("sleep 30 &\necho $$ > %s.tmp && mv %s.tmp %s\nwait\nexit 0\n", ready, ready, ready)
	writeProgram(t, path, script)
	return path, ready, log
}

// startFront runs the test binary as axios with the fake helper, in a
// process group of its own (as a shell runs a command), and waits until
// the helper is ready; it returns the front and the helper's pid.
func startFront(t *testing.T, helperPath, ready string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer, int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), frontEnv+"="+helperPath)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			return cmd, &stdout, &stderr, pid
		}
		if time.Now().After(end) {
			t.Fatalf("the fake helper never started:\n%s", stderr.String())
		}
	}
}

func finish(t *testing.T, cmd *exec.Cmd, stdout, stderr *bytes.Buffer, helperPID int) outcome {
	t.Helper()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the front did not survive: %v\n%s", err, stderr.String())
	}
	var out outcome
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("front output %q: %v", stdout.String(), err)
	}
	if !testutil.ProcessGone(helperPID) {
		t.Errorf("the helper (pid %d) still runs after the front returned", helperPID)
	}
	return out
}

// Ctrl-C twice to the whole process group, a hang-up to the group, and
// SIGTERM to axios alone: axios survives, waits for the helper, reports the
// signals, and the helper learns of each (from the terminal or the relay).
func TestRunSignals(t *testing.T) {
	for _, tc := range []struct {
		name, traps string
		sigs        []syscall.Signal
		group       bool
		wantCode    int
		wantSignal  syscall.Signal
		wantLog     string
	}{
		{"ctrl-c twice to the group", "INT", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, true, 3, 0, "INT"},
		{"hang-up to the group", "", []syscall.Signal{syscall.SIGHUP}, true, -1, syscall.SIGHUP, ""},
		{"terminate axios alone", "TERM", []syscall.Signal{syscall.SIGTERM}, false, 3, 0, "TERM"},
		{"hang-up to axios alone", "", []syscall.Signal{syscall.SIGHUP}, false, -1, syscall.SIGHUP, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path, ready, log := fakeForm(t, dir, tc.traps)
			cmd, stdout, stderr, helperPID := startFront(t, path, ready)
			target := cmd.Process.Pid
			if tc.group {
				target = -target
			}
			for _, s := range tc.sigs {
				if err := syscall.Kill(target, s); err != nil {
					t.Fatal(err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			out := finish(t, cmd, stdout, stderr, helperPID)
			// Cancelled: the helper said so (status 3) or a signal shows.
			if out.Code != tc.wantCode || syscall.Signal(out.Signal) != tc.wantSignal || !out.Interrupted && out.Code != 3 {
				t.Errorf("outcome %+v, want code %d, signal %v, cancelled", out, tc.wantCode, tc.wantSignal)
			}
			// Sent to axios alone, the signal reaches the helper only
			// through axios, which must have seen it. (Sent to the group,
			// the helper may end before axios's handler runs.)
			if !tc.group && (len(out.Received) == 0 || out.Received[0] != tc.sigs[0].String()) {
				t.Errorf("received %v, want %v first", out.Received, tc.sigs[0])
			}
			if tc.wantLog != "" {
				b, _ := os.ReadFile(log)
				if !slices.Contains(strings.Fields(string(b)), tc.wantLog) {
					t.Errorf("the helper never saw %s (log %q)", tc.wantLog, b)
				}
			}
		})
	}
}

// Without a signal, the helper's exit status comes through and the run is
// not interrupted.
func TestRunExitStatus(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "h")
	writeProgram(t, path, "exit 5\n")
	out, err := Run(exec.Command(path), nil)
	if err != nil || out.Code != 5 || out.Signal != 0 || out.Interrupted() {
		t.Errorf("Run = %+v, %v; want status 5, not interrupted", out, err)
	}
	started := false
	if _, err := Run(exec.Command(filepath.Join(dir, "missing")), func() { started = true }); err == nil || !started {
		t.Errorf("a missing program: err %v, started called %v", err, started)
	}
}
