package journaltest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// Environment of the fake journalctl (see InstallFake).
const (
	// FakeEnv holds "ENTRIES:FIELDBYTES" (or "hang"): how many entries the
	// fake writes and how large their MESSAGE and _CMDLINE fields are.
	FakeEnv = "AXIOS_FAKE_JOURNALCTL"
	// FakeLogEnv names a file the fake appends its process ID and
	// arguments to, one line per run.
	FakeLogEnv = "AXIOS_FAKE_JOURNALCTL_LOG"
)

// RunFakeIfAsked turns the process into the fake journalctl when it was
// started under that name with FakeEnv set: it writes its entries on
// standard output, newest first, and exits. Call it first in TestMain.
//
// The fake is hostile: unlike journalctl without --all it writes every
// field in full, however large, and it ignores --lines and
// --output-fields, as a journal of entries with huge fields (which any
// local user can write) would look to a reader that trusted them.
func RunFakeIfAsked() {
	spec := os.Getenv(FakeEnv)
	if spec == "" || filepath.Base(os.Args[0]) != "journalctl" {
		return
	}
	if log := os.Getenv(FakeLogEnv); log != "" {
		if f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			fmt.Fprintf(f, "%d %s\n", os.Getpid(), strings.Join(os.Args[1:], " "))
			f.Close()
		}
	}
	if spec == "hang" {
		time.Sleep(time.Hour)
		os.Exit(0)
	}
	n, size, ok := parseSpec(spec)
	if !ok {
		fmt.Fprintf(os.Stderr, "journalctl (fake): bad %s %q\n", FakeEnv, spec)
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	big := strings.Repeat("A", size)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(w, `{"__CURSOR":"s=%d","__REALTIME_TIMESTAMP":"%d","_BOOT_ID":"%s","PRIORITY":"6","_SYSTEMD_UNIT":"flood.service","SYSLOG_IDENTIFIER":"flood","_PID":"4242","_CMDLINE":"%s","MESSAGE":"%d %s"}`+"\n",
			i, t0.Add(time.Duration(i)*time.Second).UnixMicro(), BootID, big, i, big)
		if err := w.Flush(); err != nil {
			os.Exit(1) // the reader went away
		}
	}
	os.Exit(0)
}

func parseSpec(spec string) (n, size int, ok bool) {
	a, b, found := strings.Cut(spec, ":")
	n, err1 := strconv.Atoi(a)
	size, err2 := strconv.Atoi(b)
	return n, size, found && err1 == nil && err2 == nil && n >= 0 && size >= 0
}

// InstallFake makes `journalctl` on PATH the fake (a link to this test
// binary, whose TestMain calls RunFakeIfAsked) for the rest of the test:
// entries entries with MESSAGE and _CMDLINE fields of fieldBytes each, or
// a journalctl that hangs when entries < 0. It returns the log file the fake
// writes its process ID and arguments to.
func InstallFake(t *testing.T, entries, fieldBytes int) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "journalctl")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	spec := fmt.Sprintf("%d:%d", entries, fieldBytes)
	if entries < 0 {
		spec = "hang"
	}
	t.Setenv(FakeEnv, spec)
	log := filepath.Join(dir, "journalctl.log")
	t.Setenv(FakeLogEnv, log)
	return log
}

// FakeRuns returns the process IDs and argument lines of the fake's runs.
func FakeRuns(t *testing.T, log string) (pids []int, args []string) {
	t.Helper()
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the fake journalctl never ran: %v", err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		p, a, _ := strings.Cut(l, " ")
		pid, _ := strconv.Atoi(p)
		pids = append(pids, pid)
		args = append(args, a)
	}
	return pids, args
}

// Gone reports whether process pid has ended (testutil.ProcessGone).
func Gone(pid int) bool { return testutil.ProcessGone(pid) }

// WaitGone fails the test when process pid still runs after 5 seconds.
func WaitGone(t *testing.T, pid int) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if Gone(pid) {
			return
		}
	}
	t.Errorf("process %d (the fake journalctl) still runs", pid)
}

// PeakRSS returns this process's peak resident set size in bytes (VmHWM of
// /proc/self/status).
func PeakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
