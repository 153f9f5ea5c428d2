package runner

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if testutil.ProcessGone(pid) {
			return
		}
	}
	t.Errorf("process %d still runs", pid)
	_ = killGroup(pid)
}

type result struct {
	out []byte
	err error
	d   time.Duration
}

func output(ctx context.Context, e Exec, c Cmd) <-chan result {
	ch := make(chan result, 1)
	go func() {
		start := time.Now()
		out, err := e.Output(ctx, c)
		ch <- result{out, err, time.Since(start)}
	}()
	return ch
}

func await(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("the command did not return in 20 s: a descendant holding its output blocked it")
	}
	return result{}
}

// A command that exits while a process it started still holds its standard
// output returns after WaitDelay, and that process is killed (issue 11).
func TestGrandchildHoldingStdout(t *testing.T) {
	e := Exec{WaitDelay: 300 * time.Millisecond}
	c := Cmd{Name: "sh", Args: []string{"-c", `sleep 60 & echo $!; exit 0`}, KillGroup: true}
	r := await(t, output(context.Background(), e, c))
	if r.d > 5*time.Second {
		t.Errorf("took %v", r.d)
	}
	if r.err == nil || !strings.Contains(r.err.Error(), "kept its output open") {
		t.Errorf("error: %v", r.err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(r.out)))
	if err != nil {
		t.Fatalf("output %q", r.out)
	}
	waitGone(t, pid)
}

// Cancelling the context kills the command and its whole process group, at
// once, even when a grandchild holds the output.
func TestCancelKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := dir + "/pid"
	ctx, cancel := context.WithCancel(context.Background())
	e := Exec{WaitDelay: 10 * time.Second}
	c := Cmd{Name: "sh", Args: []string{"-c", `sleep 60 & echo $! > ` + pidFile + `; sleep 60`}, KillGroup: true}
	ch := output(ctx, e, c)
	var pid int
	for end := time.Now().Add(10 * time.Second); pid == 0 && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if pid == 0 {
		t.Fatal("the grandchild never started")
	}
	cancel()
	r := await(t, ch)
	if r.d > 9*time.Second {
		t.Errorf("took %v: waited for WaitDelay instead of killing the group", r.d)
	}
	var exit *ExitError
	if !errors.As(r.err, &exit) {
		t.Errorf("error: %v", r.err)
	}
	waitGone(t, pid)

	// Run, with output going to a Go writer, does the same.
	var sb strings.Builder
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- e.Run(ctx, Cmd{Name: "sh", Args: []string{"-c", `sleep 60 & echo $!; sleep 60`}, Stdout: &sb, KillGroup: true})
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run: no error after the timeout")
		}
	case <-time.After(9 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if pid, err := strconv.Atoi(strings.TrimSpace(sb.String())); err == nil {
		waitGone(t, pid)
	} else {
		t.Errorf("Run output %q", sb.String())
	}
}

// Without KillGroup the command stays in axios's process group (so Ctrl-C
// from the terminal reaches it and it may read the terminal), and WaitDelay
// still ends the wait for a descendant holding its output.
func TestWaitDelayWithoutGroup(t *testing.T) {
	e := Exec{WaitDelay: 300 * time.Millisecond}
	c := Cmd{Name: "sh", Args: []string{"-c", `cut -d' ' -f5 /proc/$$/stat; sleep 60 & echo $!; exit 0`}}
	r := await(t, output(context.Background(), e, c))
	if r.d > 5*time.Second || r.err == nil || !strings.Contains(r.err.Error(), "kept its output open") {
		t.Errorf("%v: %v", r.d, r.err)
	}
	fields := strings.Fields(string(r.out))
	if len(fields) != 2 {
		t.Fatalf("output %q", r.out)
	}
	if pgid, _ := strconv.Atoi(fields[0]); pgid != syscall.Getpgrp() {
		t.Errorf("the command ran in group %d, axios is in %d", pgid, syscall.Getpgrp())
	}
	if pid, err := strconv.Atoi(fields[1]); err == nil {
		syscall.Kill(pid, syscall.SIGKILL) // the grandchild lives on without KillGroup
	}
}
