package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/testutil"
)

// TestInitFormThroughHelper runs the built `axios init` on a terminal, as a
// user would: axios starts the real axios-init-form beside it, the form
// asks line by line (ACCESSIBLE) on the terminal, the answers come back
// and axios writes the configuration, the password only as its hash.
func TestInitFormThroughHelper(t *testing.T) {
	bin := axiosBinary(t)
	shown := &cmdtest.SyncBuffer{}
	master, term := testutil.OpenPTY(t, shown)
	dir := filepath.Join(t.TempDir(), "config")
	root := filepath.Join(testutil.RepoRoot(t), "internal", "hwdetect", "testdata", "amd-desktop")
	cmd := exec.Command(bin, "init", "--root", root, "--dir", dir)
	cmd.Env = append(os.Environ(), "ACCESSIBLE=1", "USER=root", "HOME="+t.TempDir(), "NO_COLOR=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Type only once the first question shows.
	for end := time.Now().Add(60 * time.Second); !strings.Contains(shown.String(), "Hostname"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			cmd.Process.Kill()
			t.Fatalf("the form never asked for the hostname:\n%s", shown.String())
		}
	}
	// Hostname, time zone, system, user, full name, e-mail, linger, the
	// password twice, form factor, CPU, GPU, vendor, SSD, modules (0:
	// done), profile, SSH beyond the tailnet, write.
	for _, l := range []string{"forge", "", "", "ada", "Ada", "", "", "pw", "pw", "", "", "", "", "", "0", "", "", ""} {
		if _, err := master.Write([]byte(l + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("axios init: %v\n%s", err, shown.String())
		}
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("axios init still runs after 90 s:\n%s", shown.String())
	}
	host, err := os.ReadFile(filepath.Join(dir, "hosts", "forge.toml"))
	if err != nil {
		t.Fatalf("%v\n%s", err, shown.String())
	}
	for _, want := range []string{`hostname = "forge"`, "[users.ada]", `fullName = "Ada"`, `hashedPassword = "$y$`} {
		if !strings.Contains(string(host), want) {
			t.Errorf("hosts/forge.toml lacks %q:\n%s", want, host)
		}
	}
	// The terminal's output may still be on its way to the reader.
	for end := time.Now().Add(10 * time.Second); !strings.Contains(shown.String(), "Wrote the configuration of forge"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Errorf("the terminal did not show the result:\n%s", shown.String())
			break
		}
	}
	// Under NO_COLOR the terminal is not asked for its background colour
	// (internal/nocolor): a terminal that never answers would hold the form
	// back five seconds.
	if strings.Contains(shown.String(), "\x1b]11;?") {
		t.Errorf("the form asked the terminal for its background colour under NO_COLOR: %q", shown.String())
	}
}

// Ctrl-C twice or a hang-up to the whole process group while the real form
// is open, line by line and full screen: axios says it cancelled, exits 3,
// writes nothing, and the terminal is back in its normal mode. The same
// when SIGTERM or a hang-up reaches the form's helper alone (axios itself
// never sees a signal): a form told to quit has no answers.
func TestInitFormInterrupted(t *testing.T) {
	bin := axiosBinary(t)
	root := filepath.Join(testutil.RepoRoot(t), "internal", "hwdetect", "testdata", "amd-desktop")
	for _, tc := range []struct {
		name       string
		accessible bool
		sigs       []syscall.Signal
		formOnly   bool // to the helper (axios-init-form) alone
	}{
		{"line by line, ctrl-c twice", true, []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, false},
		{"full screen, ctrl-c twice", false, []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, false},
		{"full screen, hang-up", false, []syscall.Signal{syscall.SIGHUP}, false},
		{"full screen, SIGTERM to the form alone", false, []syscall.Signal{syscall.SIGTERM}, true},
		{"full screen, hang-up to the form alone", false, []syscall.Signal{syscall.SIGHUP}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shown := &cmdtest.SyncBuffer{}
			_, term := testutil.OpenPTY(t, shown)
			before, err := termios(term)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "config")
			cmd := exec.Command(bin, "init", "--root", root, "--dir", dir)
			cmd.Env = append(os.Environ(), "USER=ada", "HOME="+t.TempDir(), "NO_COLOR=1", "TERM=xterm")
			if tc.accessible {
				cmd.Env = append(cmd.Env, "ACCESSIBLE=1")
			}
			cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			for end := time.Now().Add(60 * time.Second); !strings.Contains(shown.String(), "Hostname"); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(end) {
					t.Fatalf("the form never showed:\n%s", shown.String())
				}
			}
			target := -cmd.Process.Pid
			if tc.formOnly {
				kids := childPIDs(cmd.Process.Pid)
				if len(kids) != 1 {
					t.Fatalf("axios init runs %d child processes, want the form's helper alone", len(kids))
				}
				target = kids[0]
			}
			for _, s := range tc.sigs {
				if err := syscall.Kill(target, s); err != nil {
					t.Fatal(err)
				}
				time.Sleep(100 * time.Millisecond)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("axios init still runs 30 s after the signals:\n%s", shown.String())
			}
			var exit *exec.ExitError
			if err == nil {
				t.Fatalf("axios init succeeded after the form got %v", tc.sigs[0])
			}
			if !errors.As(err, &exit) || exit.ExitCode() != 3 {
				t.Fatalf("exit: %v, want status 3\n%s", err, shown.String())
			}
			if tc.sigs[0] != syscall.SIGHUP {
				// (After a hang-up nothing is left to read the message.)
				for end := time.Now().Add(5 * time.Second); !strings.Contains(shown.String(), "Cancelled; nothing was written."); time.Sleep(20 * time.Millisecond) {
					if time.Now().After(end) {
						t.Errorf("the terminal does not show the cancellation:\n%s", shown.String())
						break
					}
				}
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created", dir)
			}
			after, err := termios(term)
			if err != nil || after.Lflag != before.Lflag {
				t.Errorf("the terminal mode was not restored: lflag %#x → %#x (%v)", before.Lflag, after.Lflag, err)
			}
		})
	}
}

// childPIDs lists the processes pid started (from /proc, every thread).
func childPIDs(pid int) []int {
	var kids []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, field := range strings.Fields(string(b)) {
			if k, err := strconv.Atoi(field); err == nil {
				kids = append(kids, k)
			}
		}
	}
	return kids
}

func termios(f *os.File) (*syscall.Termios, error) {
	var t syscall.Termios
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t))); e != 0 {
		return nil, e
	}
	return &t, nil
}
