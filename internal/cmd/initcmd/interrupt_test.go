package initcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/exitcode"
)

// childEnv makes the test binary run `axios init` into the folder it names,
// holding at the third file until it is interrupted (see
// TestInitInterrupted).
const childEnv = "AXIOS_TEST_INIT_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(initChild(dir))
	}
	os.Exit(m.Run())
}

func initChild(dir string) int {
	d := testDeps(nil)
	n := 0
	d.writeFile = func(ctx context.Context, path string, data []byte) error {
		if n++; n == 3 {
			os.WriteFile(path, data[:len(data)/2], 0o644)
			os.WriteFile(dir+".held", nil, 0o644)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(30 * time.Second):
				return errors.New("never interrupted")
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
		return nil
	}
	cmd := newCommand(d)
	cmd.SetArgs([]string{"--yes", "--root", os.Getenv(childEnv + "_ROOT"), "--dir", dir, "--user", "ada"})
	cmd.SetContext(context.Background())
	cmd.SilenceUsage = true
	err := cmd.Execute()
	var coded *exitcode.Error
	if errors.As(err, &coded) {
		if coded.Err != nil {
			fmt.Fprintln(os.Stderr, "axios:", coded.Err)
		}
		return coded.Code
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// Ctrl-C twice, or a hang-up, sent to the whole process group while init
// writes the configuration: init removes what it wrote and says so, and a
// rerun works without --force (issue 11: a partial tree was left, and the
// rerun refused).
func TestInitInterrupted(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for name, sigs := range map[string][]syscall.Signal{
		"ctrl-c twice": {syscall.SIGINT, syscall.SIGINT},
		"hang-up":      {syscall.SIGHUP},
	} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "nixos_config")
			cmd := exec.Command(exe)
			cmd.Env = append(os.Environ(), childEnv+"="+dir, childEnv+"_ROOT="+fixture(t, "vm-nogpu"))
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if _, err := os.Stat(dir + ".held"); err == nil {
					break
				}
				if time.Now().After(end) {
					t.Fatalf("init never reached the third file:\n%s", stderr.String())
				}
			}
			os.Remove(dir + ".held")
			for _, s := range sigs {
				if err := syscall.Kill(-cmd.Process.Pid, s); err != nil {
					t.Fatal(err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitcode.Aborted {
				t.Fatalf("exit: %v, want status %d\n%s", err, exitcode.Aborted, stderr.String())
			}
			if !strings.Contains(stderr.String(), "Interrupted; nothing was written to "+dir) {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			var left []string
			filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
				if p != parent {
					left = append(left, p)
				}
				return nil
			})
			if len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			args := []string{"--yes", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada"}
			if _, stderr, err := runInit(t, testDeps(nil), args...); err != nil {
				t.Fatalf("rerun without --force: %v\n%s", err, stderr)
			}
			checkGenerated(t, dir, "nixvm")
		})
	}
}

// A full disk during init: an error naming the file and the cause, nothing
// left, and a rerun works without --force.
func TestInitFullDisk(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "cfg")
	d := testDeps(nil)
	n := 0
	d.writeFile = func(ctx context.Context, path string, data []byte) error {
		if n++; n == 4 {
			return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
		}
		return os.WriteFile(path, data, 0o644)
	}
	args := []string{"--yes", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada"}
	_, _, err := runInit(t, d, args...)
	if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("error: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if _, stderr, err := runInit(t, testDeps(nil), args...); err != nil {
		t.Fatalf("rerun without --force: %v\n%s", err, stderr)
	}
	checkGenerated(t, dir, "nixvm")
}
