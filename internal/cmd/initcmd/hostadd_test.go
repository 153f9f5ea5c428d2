package initcmd

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/exitcode"
)

func runHostAdd(t *testing.T, d deps, args ...string) (string, string, error) {
	t.Helper()
	cmd := newHostAddCommand(d)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SetContext(context.Background())
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// snapshot maps every file below dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestHostAddWritesOnlyTheHostsFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config")
	if _, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--user", "ada"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	before := snapshot(t, dir)
	out, stderr, err := runHostAdd(t, testDeps(nil), "xps2", "--yes", "--root", fixture(t, "nvidia-intel-laptop"), "--dir", dir, "--user", "ada")
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	after := snapshot(t, dir)
	var added []string
	for p, content := range after {
		if old, ok := before[p]; !ok {
			added = append(added, p)
		} else if old != content {
			t.Errorf("%s was changed", p)
		}
	}
	sort.Strings(added)
	if strings.Join(added, ",") != "hosts/xps2.toml,hosts/xps2/hardware.nix" {
		t.Errorf("added %v", added)
	}
	v := readHost(t, filepath.Join(dir, "hosts", "xps2.toml"))
	if get(v, "hostname") != "xps2" || get(v, "formFactor") != "laptop" || get(v, "hardware.gpu") != "nvidia" {
		t.Errorf("host %v", v)
	}
	rep, err := checkdir.CheckDir(context.Background(), dir, checkdir.DirOptions{})
	if err != nil || !rep.Valid || len(rep.Hosts) != 2 {
		t.Errorf("the configuration with two hosts: %v %+v", err, rep)
	}

	// The same name again: nothing is overwritten.
	_, stderr, err = runHostAdd(t, testDeps(nil), "xps2", "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--user", "ada")
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Failed || !strings.Contains(stderr, "hosts/xps2.toml") {
		t.Errorf("existing host: %v\n%s", err, stderr)
	}
	if snap := snapshot(t, dir); snap["hosts/xps2.toml"] != after["hosts/xps2.toml"] {
		t.Error("the existing host was overwritten")
	}
	// An invalid answer is refused with the rule's code, nothing written.
	_, stderr, err = runHostAdd(t, testDeps(nil), "arm", "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--user", "ada", "--system", "aarch64-linux")
	if !errors.As(err, &coded) || coded.Code != exitcode.Failed || !strings.Contains(stderr, "AX205") {
		t.Errorf("invalid host: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "arm.toml")); err == nil {
		t.Error("an invalid host was written")
	}
}

func TestHostAddNeedsAConfiguration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, _, err := runHostAdd(t, testDeps(nil), "box", "--yes", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada")
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Usage || !strings.Contains(err.Error(), "axios init") {
		t.Errorf("got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

// init into an existing configuration adds the host and leaves the shared
// files alone (it used to need --force, which rewrote flake.nix).
func TestInitIntoAnExistingConfiguration(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config")
	if _, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--user", "ada"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	os.WriteFile(filepath.Join(dir, "flake.nix"), []byte("# edited by the user\n{ }\n"), 0o644)
	out, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "system76-laptop"), "--dir", dir, "--user", "ada")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "already a configuration: adding the host pangolin only") {
		t.Errorf("no note:\n%s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "flake.nix")); string(b) != "# edited by the user\n{ }\n" {
		t.Errorf("flake.nix was rewritten:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "pangolin", "hardware.nix")); err != nil {
		t.Error(err)
	}
}
