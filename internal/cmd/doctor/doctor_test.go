package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// fakeNix answers `nix config show` and passes everything else (git) to the
// real runner.
type fakeNix struct {
	features   string // "" makes `nix config show` fail
	showConfig string // "" makes `nix show-config` fail
}

func (f fakeNix) Run(ctx context.Context, c runner.Cmd) error { return runner.Exec{}.Run(ctx, c) }

func (f fakeNix) Output(ctx context.Context, c runner.Cmd) ([]byte, error) {
	if c.Name == "nix" && c.Args[0] == "show-config" {
		if f.showConfig == "" {
			return nil, &runner.ExitError{Cmd: c.String(), Code: 1}
		}
		return []byte(f.showConfig), nil
	}
	if c.Name == "nix" {
		if f.features == "" {
			return nil, &runner.ExitError{Cmd: c.String(), Code: 1, Stderr: "error: 'config' is not a recognised command"}
		}
		return []byte(f.features + "\n"), nil
	}
	return runner.Exec{}.Output(ctx, c)
}

func machine(name string, features string, free uint64) Machine {
	return Machine{
		Root:   filepath.Join("testdata", "machines", name),
		Runner: fakeNix{features: features},
		Statfs: func(string) (uint64, error) { return free, nil },
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	cmdtest.Write(t, to, string(b))
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// config makes a configuration for host tower in a git repository with
// every file tracked.
func config(t *testing.T, tz, lock string) string {
	t.Helper()
	testutil.RequireTool(t, "git")
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \""+tz+"\"\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower", "hardware.nix"), "{ }\n")
	copyFile(t, filepath.Join("testdata", "locks", lock), filepath.Join(dir, "flake.lock"))
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	return dir
}

func deps(m Machine, dir string) Deps {
	return Deps{Machine: m, Resolver: cmdtest.ConfigAt(dir), Hostname: func() (string, error) { return "tower", nil }}
}

func run(t *testing.T, d Deps, args ...string) (string, int) {
	t.Helper()
	return cmdtest.Run(t, New(d), args...)
}

func statuses(t *testing.T, out string) map[string]Result {
	t.Helper()
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := map[string]Result{}
	for _, r := range rep.Checks {
		m[r.ID] = r
	}
	return m
}

func TestHealthyMachine(t *testing.T) {
	dir := config(t, "Europe/Berlin", "follows.lock")
	out, code := run(t, deps(machine("uefi-secureboot", "nix-command flakes fetch-closure", 400<<20), dir))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"✓ pass  NixOS: this machine runs NixOS 25.05 (Warbler)",
		"✓ pass  UEFI boot: the machine booted through UEFI",
		"✓ pass  Secure Boot and Lanzaboote keys: Secure Boot is on and the Lanzaboote keys are in /var/lib/sbctl",
		"✓ pass  flakes enabled: nix-command and flakes are enabled (`nix config show`)",
		"✓ pass  configuration tracked by git: git tracks every file the flake reads",
		"✓ pass  hardware file: hosts/tower/hardware.nix is present",
		"✓ pass  home-manager follows nixpkgs: home-manager uses the same nixpkgs as the configuration (axios/nixpkgs)",
		"✓ pass  host tower validates: hosts/tower.toml follows the rules",
		"✓ pass  free space in /boot: 400.0 MiB free in /boot",
		"✓ pass  time zone: Europe/Berlin is a known time zone",
		"10 passed, 0 warnings, 0 failed",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
}

func TestBIOSMachineAndBrokenConfig(t *testing.T) {
	dir := config(t, "Etc/GMT", "separate.lock")
	// hardware.nix is missing and a new host file is untracked.
	if err := os.RemoveAll(filepath.Join(dir, "hosts", "tower")); err != nil {
		t.Fatal(err)
	}
	cmdtest.Write(t, filepath.Join(dir, "hosts", "laptop.toml"), "hostname = \"laptop\"\ntimeZone = \"UTC\"\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \"Etc/GMT\"\nformFactor = \"spaceship\"\n")
	out, code := run(t, deps(machine("bios", "", 10<<20), dir), "--json")
	if code != exitcode.Failed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	s := statuses(t, out)
	expect := map[string]string{"nixos": Fail, "uefi": Fail, "secureboot": Skip, "flakes": Warn, "git": Fail, "hardware": Fail, "hm-follows": Fail, "host": Fail, "boot-space": Warn, "timezone": Fail}
	for id, st := range expect {
		if s[id].Status != st {
			t.Errorf("%s: %s (%s), want %s", id, s[id].Status, s[id].Message, st)
		}
	}
	checks := map[string]string{
		"uefi":       "legacy BIOS mode; axiOS supports only UEFI",
		"flakes":     "according to /etc/nix/nix.conf: nix-command, flakes",
		"git":        "git does not track hosts/laptop.toml",
		"hm-follows": `home-manager uses node "nixpkgs_2"`,
		"timezone":   `timeZone = "Etc/GMT" is not in the zoneinfo database`,
		"boot-space": "/boot does not exist",
		"host":       "formFactor",
	}
	for id, want := range checks {
		if !strings.Contains(s[id].Message, want) {
			t.Errorf("%s message %q lacks %q", id, s[id].Message, want)
		}
		if s[id].Status != Pass && s[id].Fix == "" {
			t.Errorf("%s has no fix", id)
		}
	}
	if !strings.Contains(s["hm-follows"].Fix, `inputs.axios.inputs.nixpkgs.follows = "nixpkgs"`) {
		t.Errorf("hm fix %q", s["hm-follows"].Fix)
	}
	if !strings.Contains(s["git"].Fix, "add hosts/laptop.toml") {
		t.Errorf("git fix %q", s["git"].Fix)
	}
}

func TestSecureBootOffWithKeysAndLowBoot(t *testing.T) {
	dir := config(t, "Etc/UTC", "follows.lock")
	out, code := run(t, deps(machine("uefi-keys-sb-off", "", 60<<20), dir), "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	s := statuses(t, out)
	if r := s["secureboot"]; r.Status != Warn || !strings.Contains(r.Message, "Setup Mode") || !strings.Contains(r.Fix, "sbctl enroll-keys") {
		t.Errorf("secureboot %+v", r)
	}
	if r := s["flakes"]; r.Status != Pass || !strings.Contains(r.Message, "/etc/nix/nix.conf") {
		t.Errorf("flakes from nix.conf with extra-experimental-features: %+v", r)
	}
	if r := s["boot-space"]; r.Status != Warn || !strings.Contains(r.Message, "60.0 MiB free in /boot (under 100.0 MiB)") {
		t.Errorf("boot %+v", r)
	}
	if r := s["timezone"]; r.Status != Pass {
		t.Errorf("tz from /etc/zoneinfo: %+v", r)
	}
}

func TestNoGitUnknownHostNoConfig(t *testing.T) {
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "laptop.toml"), "hostname = \"laptop\"\ntimeZone = \"UTC\"\n")
	out, code := run(t, deps(machine("uefi-secureboot", "nix-command flakes", 1<<30), dir), "--json")
	if code != exitcode.Failed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	s := statuses(t, out)
	if r := s["git"]; r.Status != Warn || !strings.Contains(r.Message, "is not a git repository") {
		t.Errorf("git %+v", r)
	}
	if r := s["host"]; r.Status != Fail || !strings.Contains(r.Message, "no hosts/tower.toml for this machine (hosts: laptop)") || !strings.Contains(r.Fix, "--host") {
		t.Errorf("host %+v", r)
	}
	if r := s["hm-follows"]; r.Status != Warn || !strings.Contains(r.Message, "no flake.lock") {
		t.Errorf("lock %+v", r)
	}
	// The machine tree has no UTC zone file, only Europe/Berlin.
	out, code = run(t, deps(machine("uefi-secureboot", "nix-command flakes", 1<<30), dir), "--json", "--host", "laptop")
	if s := statuses(t, out); code != exitcode.Failed || s["host"].Status != Pass || s["timezone"].Status != Fail || s["hardware"].Status != Fail {
		t.Errorf("--host laptop: exit %d %+v", code, s)
	}
	d := deps(machine("uefi-secureboot", "nix-command flakes", 1<<30), "")
	d.Resolver = cmdtest.NoConfig(t)
	out, code = run(t, d, "--json")
	if s := statuses(t, out); code != exitcode.Failed || s["config"].Status != Fail || s["timezone"].Status != Skip {
		t.Errorf("no config: %d\n%s", code, out)
	}
}

func TestZoneNames(t *testing.T) {
	m := machine("uefi-secureboot", "", 0)
	for tz, want := range map[string]string{"Europe/Berlin": Pass, "Europe/Berln": Fail, "Mars/Olympus_Mons": Fail, "Asia/Tokyo": Fail, "../../etc/passwd": Fail, "/etc/passwd": Fail, "Europe": Fail, "": Skip} {
		if got := m.TimeZone(tz).Status; got != want {
			t.Errorf("TimeZone(%q) = %s, want %s", tz, got, want)
		}
	}
}

func TestFlakesFromOldNix(t *testing.T) {
	m := machine("bios", "", 0)
	m.Runner = fakeNix{showConfig: "allowed-users = *\nexperimental-features = flakes nix-command\nwarn-dirty = true\n"}
	r := m.Flakes(context.Background())
	if r.Status != Pass || !strings.Contains(r.Message, "`nix show-config`") {
		t.Errorf("%+v", r)
	}
	m.Runner = fakeNix{showConfig: "experimental-features = nix-command\n"}
	if r := m.Flakes(context.Background()); r.Status != Warn || !strings.Contains(r.Message, ": flakes (") {
		t.Errorf("%+v", r)
	}
}

// The placeholder hardware.nix of `axios init` fails the hardware check
// (this machine cannot build), while the host itself still validates.
func TestPlaceholderHardwareFails(t *testing.T) {
	dir := config(t, "Europe/Berlin", "follows.lock")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower", "hardware.nix"), checkdir.PlaceholderMarker+"\n_: throw \"replace me\"\n")
	out, code := run(t, deps(machine("uefi-secureboot", "nix-command flakes", 400<<20), dir), "--json")
	if code != exitcode.Failed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	s := statuses(t, out)
	if h := s["hardware"]; h.Status != Fail || !strings.Contains(h.Message, "placeholder") || !strings.Contains(h.Fix, "nixos-generate-config --show-hardware-config >") {
		t.Errorf("hardware: %+v", h)
	}
	if s["host"].Status != Pass {
		t.Errorf("host: %+v", s["host"])
	}
}

func TestSummaryCounts(t *testing.T) {
	var b bytes.Buffer
	Write(&b, &Report{Checks: []Result{res("a", "a", Pass, "ok", ""), res("b", "b", Warn, "hm", "do x")}})
	if !strings.Contains(b.String(), "1 passed, 1 warning, 0 failed") {
		t.Errorf("summary:\n%s", b.String())
	}
}

// On a machine that is not NixOS the first line says so (issue 11: doctor
// never said it).
func TestNotNixOS(t *testing.T) {
	dir := config(t, "Europe/Berlin", "follows.lock")
	out, code := run(t, deps(machine("bios", "nix-command flakes", 400<<20), dir))
	first, _, _ := strings.Cut(out, "\n")
	if code != exitcode.Failed || first != "✗ fail  NixOS: not NixOS: this machine runs Debian GNU/Linux 12 (bookworm) (fix: axiOS configures NixOS machines: install NixOS (https://nixos.org/download), then `axios init`; on this system `axios init --yes --dir DIR` and `axios check` still work)" {
		t.Errorf("exit %d, first line %q", code, first)
	}
	if r := (Machine{Root: t.TempDir()}).NixOS(); r.Status != Fail || !strings.HasPrefix(r.Message, "not NixOS: /etc/os-release is missing") {
		t.Errorf("no os-release: %+v", r)
	}
}

// nixRefusing answers every nix command like Nix with an experimental
// feature turned off.
type nixRefusing struct{ stderr string }

func (n nixRefusing) Run(context.Context, runner.Cmd) error { return nil }

func (n nixRefusing) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	return nil, &runner.ExitError{Cmd: c.String(), Code: 1, Stderr: n.stderr}
}

// Nix without flakes is "flakes not enabled" with the setting that turns
// them on, not "check that Nix is installed" (issue 11), whatever nix.conf
// says (here: none).
func TestFlakesDisabled(t *testing.T) {
	for _, msg := range []string{
		"error: experimental Nix feature 'nix-command' is disabled; add '--extra-experimental-features nix-command' to enable it",
		"error: experimental Nix feature 'flakes' is disabled; use '--experimental-features flakes' to override",
		"error: experimental feature 'flakes' is disabled",
	} {
		m := Machine{Root: t.TempDir(), Runner: nixRefusing{msg}}
		r := m.Flakes(context.Background())
		if r.Status != Warn || !strings.HasPrefix(r.Message, "flakes not enabled: nix says experimental feature '") ||
			!strings.Contains(r.Fix, `nix.settings.experimental-features = [ "nix-command" "flakes" ];`) || strings.Contains(r.Fix, "installed") {
			t.Errorf("%s:\n%+v", msg, r)
		}
	}
	// No nix at all.
	m := Machine{Root: t.TempDir(), Runner: nixRefusing{}}
	m.Runner = missingNix{}
	if r := m.Flakes(context.Background()); r.Status != Fail || !strings.Contains(r.Message, "Nix is not installed") {
		t.Errorf("no nix: %+v", r)
	}
}

type missingNix struct{}

func (missingNix) Run(context.Context, runner.Cmd) error { return nil }

func (missingNix) Output(ctx context.Context, c runner.Cmd) ([]byte, error) {
	c.Name = "axios-test-no-such-nix"
	return runner.Exec{}.Output(ctx, c)
}
