package main

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the timed program: ABBENCH_SPIN=ms burns that
// much CPU, ABBENCH_LOG appends its name to a file, and the
// exit status changes after the first run when ABBENCH_FLIP names a file
// (created by that first run).
func TestMain(m *testing.M) {
	if name := os.Getenv("ABBENCH_CHILD"); name != "" {
		if log := os.Getenv("ABBENCH_LOG"); log != "" {
			f, _ := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			f.WriteString(name + "\n")
			f.Close()
		}
		if v, _ := strconv.Atoi(os.Getenv("ABBENCH_SPIN")); v > 0 {
			// Spin until this process has used v ms of CPU (not of wall
			// time: the machine may be loaded).
			for x := 0; cpuUsed() < time.Duration(v)*time.Millisecond; x++ {
			}
		}
		if flip := os.Getenv("ABBENCH_FLIP"); flip != "" {
			if _, err := os.Stat(flip); err == nil {
				os.Exit(3)
			}
			os.WriteFile(flip, nil, 0o644)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func cpuUsed() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func child(t *testing.T, name string, env ...string) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{name, "env", "ABBENCH_CHILD=" + name}, append(env, exe)...)
}

func TestPairedRunsAndRatios(t *testing.T) {
	log := t.TempDir() + "/log"
	args := []string{"-n", "4", "-ratio", "busy/idle"}
	args = append(args, child(t, "idle", "ABBENCH_LOG="+log)...)
	args = append(args, "::")
	args = append(args, child(t, "busy", "ABBENCH_LOG="+log, "ABBENCH_SPIN=150")...)
	var out bytes.Buffer
	if err := run(args, &out); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(log)
	// One untimed run each, then rounds with the first command rotating.
	want := "idle busy idle busy busy idle idle busy busy idle"
	if got := strings.Join(strings.Fields(string(data)), " "); got != want {
		t.Errorf("run order %q, want %q (alternating, rotating)", got, want)
	}
	m := regexp.MustCompile(`(?m)^busy\s+([0-9.]+)\s+([0-9.]+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no busy row in:\n%s", out.String())
	}
	if cpu, _ := strconv.ParseFloat(m[2], 64); cpu < 140 {
		t.Errorf("busy CPU median %.1f ms, want >= 140 (it spins 150 ms of CPU)\n%s", cpu, out.String())
	}
	r := regexp.MustCompile(`ratio busy/idle: wall ([0-9.]+)x, CPU ([0-9.]+)x`).FindStringSubmatch(out.String())
	if r == nil {
		t.Fatalf("no ratio line in:\n%s", out.String())
	}
	if cpu, _ := strconv.ParseFloat(r[2], 64); cpu < 2 {
		t.Errorf("CPU ratio busy/idle %.2f, want > 2\n%s", cpu, out.String())
	}
}

func TestExitStatusMustStaySame(t *testing.T) {
	flip := t.TempDir() + "/flip"
	args := append(child(t, "a"), "::")
	args = append(args, child(t, "flaky", "ABBENCH_FLIP="+flip)...)
	err := run(append([]string{"-n", "2"}, args...), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "flaky exited 3") {
		t.Fatalf("err = %v, want flaky's changed exit status reported", err)
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"a", "true"},
		{"a", "true", "::", "b"},
		{"a", "true", "::", "a", "true"},
		{"-ratio", "a/zz", "a", "true", "::", "b", "true"},
		{"a", "/no/such/program", "::", "b", "true"},
	} {
		if err := run(append([]string{"-n", "1"}, args...), &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded; want an error", args)
		}
	}
}

func TestMedian(t *testing.T) {
	if got := median([]time.Duration{5, 1, 3}); got != 3 {
		t.Errorf("median odd = %v", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median even = %v", got)
	}
}
