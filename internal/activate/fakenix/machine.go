package fakenix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/privilege"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// NixFlags starts every nix command line the fake nix logs.
const NixFlags = "nix --extra-experimental-features nix-command flakes "

// ClosureFixture returns the `nix path-info --json` answer stored as
// internal/closure/testdata/NAME.
func ClosureFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "internal", "closure", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FixtureSystem is System with the closure of the fixture file named
// fixture (see ClosureFixture).
func (f *Fake) FixtureSystem(t *testing.T, name, fixture string) string {
	t.Helper()
	return f.System(t, name, ClosureFixture(t, fixture))
}

// Machine makes the fake tree a NixOS machine running system: a
// run/current-system link to it and an etc/NIXOS marker. It returns the
// environment of a root user on that machine with the given system profile
// ("" for the default), running commands for real (so through the fakes).
func (f *Fake) Machine(t *testing.T, system, profile string) activate.Env {
	t.Helper()
	current := filepath.Join(f.Root, "run", "current-system")
	marker := filepath.Join(f.Root, "etc", "NIXOS")
	for _, d := range []string{filepath.Dir(current), filepath.Dir(marker)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(system, current); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return activate.Env{
		Runner:        runner.Exec{},
		Priv:          privilege.Checker{Geteuid: func() int { return 0 }},
		Profile:       profile,
		CurrentSystem: current,
		NixOSMarker:   marker,
		// Not booted with systemd until Systemd is called, whatever the
		// machine running the test is.
		SystemdDir: filepath.Join(f.Root, "run", "systemd", "system"),
	}
}

// Config writes a configuration directory ROOT/config with a flake.nix and,
// for each host, a valid hosts/HOST.toml and a hosts/HOST/hardware.nix, and
// returns its path.
func (f *Fake) Config(t *testing.T, hosts ...string) string {
	t.Helper()
	dir := filepath.Join(f.Root, "config")
	files := map[string]string{"flake.nix": "{ outputs = _: { }; }\n"}
	for _, h := range hosts {
		files[filepath.Join("hosts", h+".toml")] = "hostname = \"" + h + "\"\ntimeZone = \"UTC\"\n"
		files[filepath.Join("hosts", h, "hardware.nix")] = "{ }\n"
	}
	for name, content := range files {
		cmdtest.Write(t, filepath.Join(dir, name), content)
	}
	return dir
}

// ExpectLog fails the test unless the logged command lines are exactly want.
func ExpectLog(t *testing.T, got []string, want ...string) {
	t.Helper()
	expect(t, got, want, false)
}

// ExpectLogPrefix fails the test unless there are as many logged command
// lines as want and each starts with its want.
func ExpectLogPrefix(t *testing.T, got []string, want ...string) {
	t.Helper()
	expect(t, got, want, true)
}

func expect(t *testing.T, got, want []string, prefix bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("ran %d commands, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		switch {
		case prefix && !strings.HasPrefix(got[i], want[i]):
			t.Errorf("command %d:\n got %s\nwant %s…", i+1, got[i], want[i])
		case !prefix && got[i] != want[i]:
			t.Errorf("command %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}
