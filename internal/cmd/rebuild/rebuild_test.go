package rebuild

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/activate/fakenix"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
)

type world struct {
	fake    *fakenix.Fake
	dir     string // the configuration
	old     string // the running system, generation 1
	new     string // what the fake build of tower produces
	profile string
	deps    Deps
}

// newWorld makes a NixOS machine "tower" running generation 1 of its
// profile, a configuration with a valid hosts/tower.toml, and fake tools.
func newWorld(t *testing.T) *world {
	t.Helper()
	f := fakenix.New(t)
	w := &world{fake: f, dir: f.Config(t, "tower")}
	w.old = f.FixtureSystem(t, "old", "old-list.json")
	w.new = f.FixtureSystem(t, "system-tower", "new-object.json")
	w.profile = f.Profile(t, w.old)
	w.deps = Deps{
		Env:         f.Machine(t, w.old, w.profile),
		Resolver:    cmdtest.ConfigAt(w.dir),
		Hostname:    func() (string, error) { return "tower", nil },
		LookPath:    func(string) (string, error) { return "", errors.New("not found") },
		Interactive: func() bool { return false },
	}
	return w
}

func (w *world) run(t *testing.T, mode activate.Mode, stdin string, args ...string) (string, int) {
	t.Helper()
	return cmdtest.RunContext(t, context.Background(), New(mode, w.deps), stdin, args...)
}

func (w *world) buildLine() string {
	return fakenix.NixFlags + "build " + strings.Replace(w.dir, w.fake.Root, "$ROOT", 1) + "#nixosConfigurations.tower.config.system.build.toplevel --out-link "
}

func TestSwitchBuildsDiffsAndActivates(t *testing.T) {
	w := newWorld(t)
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		w.buildLine(),
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/old",
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/system-tower",
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"$ROOT/store/system-tower/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-2-link" {
		t.Errorf("profile points at %s, want the new generation 2", got)
	}
	cmdtest.ExpectOutput(t, out, "  + ghostty 1.0.0", "  - libreoffice 24.8.3", "1 added, 1 removed, 2 updated", "tower: "+w.new+" is active and the boot default")
}

func TestHostWithErrorsIsNeverBuilt(t *testing.T) {
	w := newWorld(t)
	cmdtest.Write(t, filepath.Join(w.dir, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \"UTC\"\nformFactor = \"spaceship\"\n")
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("nix ran although the host has errors:\n%s", strings.Join(log, "\n"))
	}
	if !strings.Contains(out, "formFactor") || !strings.Contains(out, "host tower has errors (above); fix them and run again — nothing was built") {
		t.Errorf("output:\n%s", out)
	}
}

func TestNoActivationAfterFailedBuild(t *testing.T) {
	w := newWorld(t)
	t.Setenv("FAKE_FAIL_BUILD", "tower")
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t), w.buildLine())
	if got := fakenix.Target(t, w.profile); got != "system-1-link" {
		t.Errorf("profile changed to %s", got)
	}
	cmdtest.ExpectOutput(t, out, "building tower failed", "last lines of the build:\n  building tower...", "option 'services.foo' does not exist (tower)", "nothing was activated")
}

func TestFailedActivationRestoresPreviousGeneration(t *testing.T) {
	w := newWorld(t)
	w.fake.FailActivation(t, w.new)
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		w.buildLine(),
		fakenix.NixFlags+"path-info",
		fakenix.NixFlags+"path-info",
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"$ROOT/store/system-tower/bin/switch-to-configuration switch",
		"nix-env -p $ROOT/profiles/system --switch-generation 1",
		"$ROOT/store/old/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-1-link" {
		t.Errorf("profile points at %s, want the previous generation", got)
	}
	cmdtest.ExpectOutput(t, out, "activation failed; putting the previous system back", "exit status 4", "the system profile points at generation 1 ("+w.old+") again", "the system that was running, "+w.old+", was activated again and is the boot default (switch-to-configuration switch)")
}

func TestFailedRestoreSaysWhatToRunByHand(t *testing.T) {
	w := newWorld(t)
	w.fake.FailActivation(t, w.new)
	w.fake.FailActivation(t, w.old)
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "putting the previous system back ALSO failed") || !strings.Contains(out, w.old+"/bin/switch-to-configuration switch") {
		t.Errorf("output:\n%s", out)
	}
}

func TestTestModeRestoresRunningSystem(t *testing.T) {
	w := newWorld(t)
	w.fake.FailActivation(t, w.new)
	out, code := w.run(t, activate.ModeTest, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		w.buildLine(), fakenix.NixFlags+"path-info", fakenix.NixFlags+"path-info",
		"$ROOT/store/system-tower/bin/switch-to-configuration test",
		"$ROOT/store/old/bin/switch-to-configuration test",
	)
	if !strings.Contains(out, "the system that was running, "+w.old+", was activated again (switch-to-configuration test); the boot default was not touched") {
		t.Errorf("output:\n%s", out)
	}
}

func TestBootSetsProfile(t *testing.T) {
	w := newWorld(t)
	if out, code := w.run(t, activate.ModeBoot, "", "-y"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	log := w.fake.Log(t)
	if last := log[len(log)-1]; last != "$ROOT/store/system-tower/bin/switch-to-configuration boot" {
		t.Errorf("last command %s", last)
	}
}

func TestDryRunPrintsExactCommands(t *testing.T) {
	w := newWorld(t)
	w.deps.Env.Priv.Geteuid = func() int { return 1000 }
	out, code := w.run(t, activate.ModeSwitch, "", "--dry-run", "--sudo")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("dry run ran commands:\n%s", strings.Join(log, "\n"))
	}
	link := filepath.Join(os.TempDir(), "axios-tower", "result")
	cur := w.deps.Env.CurrentSystem
	want := strings.Join([]string{
		"# dry run: these commands would run, in this order (nothing was changed)",
		"nix --extra-experimental-features 'nix-command flakes' build " + w.dir + "#nixosConfigurations.tower.config.system.build.toplevel --out-link " + link + "",
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + cur,
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + link,
		"# ask before activating (--yes skips the question)",
		"sudo -v",
		"sudo -- nix-env -p " + w.profile + " --set " + link,
		"sudo -- " + link + "/bin/switch-to-configuration switch",
	}, "\n") + "\n"
	if out != want {
		t.Errorf("dry run output:\n%s\nwant:\n%s", out, want)
	}
}

func TestUnknownHost(t *testing.T) {
	w := newWorld(t)
	cmdtest.Write(t, filepath.Join(w.dir, "hosts", "laptop.toml"), "hostname = \"laptop\"\ntimeZone = \"UTC\"\n")
	t.Setenv("FAKE_HOSTS", `["tower","laptop","server"]`)
	out, code := w.run(t, activate.ModeSwitch, "", "nosuch", "--yes")
	if code != exitcode.Usage {
		t.Fatalf("exit %d, want 2:\n%s", code, out)
	}
	if !strings.Contains(out, `unknown host "nosuch": `+w.dir+` defines laptop, server, tower (pass one of them as HOST)`) {
		t.Errorf("output:\n%s", out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t), fakenix.NixFlags+"eval "+strings.Replace(w.dir, w.fake.Root, "$ROOT", 1)+"#nixosConfigurations --apply builtins.attrNames --json")
}

func TestNixHostSkipsTOMLCheck(t *testing.T) {
	w := newWorld(t)
	t.Setenv("FAKE_HOSTS", `["tower","nixhost"]`)
	if err := os.Symlink(w.new, filepath.Join(w.fake.Store, "system-nixhost")); err != nil {
		t.Fatal(err)
	}
	out, code := w.run(t, activate.ModeBuild, "", "nixhost", "--out-link", filepath.Join(w.fake.Root, "res"))
	if code != 0 || !strings.Contains(out, "host nixhost is written in Nix") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestMissingConfigDir(t *testing.T) {
	w := newWorld(t)
	empty := t.TempDir()
	w.deps.Resolver = configdir.Resolver{
		Getenv:  func(string) string { return "" },
		Getwd:   func() (string, error) { return empty, nil },
		HomeDir: func() (string, error) { return empty, nil },
	}
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Usage || !strings.Contains(out, "no axiOS configuration directory found") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, code = w.run(t, activate.ModeSwitch, "", "--yes", "--dir", filepath.Join(empty, "nope"))
	if code != exitcode.Usage || !strings.Contains(out, "no such directory") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestNotRoot(t *testing.T) {
	w := newWorld(t)
	w.deps.Env.Priv.Geteuid = func() int { return 1000 }
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Usage {
		t.Fatalf("exit %d, want 2:\n%s", code, out)
	}
	if !strings.Contains(out, "switch needs root to set the system profile and activate the system: run `sudo axios switch`, or add --sudo") {
		t.Errorf("output:\n%s", out)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("commands ran:\n%s", strings.Join(log, "\n"))
	}
	// build needs no root.
	if out, code := w.run(t, activate.ModeBuild, "", "-o", filepath.Join(w.fake.Root, "res")); code != 0 {
		t.Errorf("build as a user: exit %d\n%s", code, out)
	}
}

func TestSudoOnlyForPrivilegedSteps(t *testing.T) {
	w := newWorld(t)
	w.deps.Env.Priv.Geteuid = func() int { return 1000 }
	w.fake.Script(t, "sudo", fakenix.LogHeader+"shift\nexec \"$@\"\n")
	out, code := w.run(t, activate.ModeSwitch, "", "--yes", "--sudo")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		w.buildLine(), fakenix.NixFlags+"path-info", fakenix.NixFlags+"path-info",
		"sudo -v",
		"sudo -- nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"sudo -- $ROOT/store/system-tower/bin/switch-to-configuration switch",
		"$ROOT/store/system-tower/bin/switch-to-configuration switch",
	)
}

func TestNotNixOS(t *testing.T) {
	w := newWorld(t)
	if err := os.Remove(w.deps.Env.NixOSMarker); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []activate.Mode{activate.ModeSwitch, activate.ModeBoot, activate.ModeTest} {
		out, code := w.run(t, mode, "", "--yes")
		if code != exitcode.Failed || !strings.Contains(out, "this is not NixOS") || !strings.Contains(out, "`axios build` still works here") {
			t.Errorf("%s: exit %d:\n%s", mode, code, out)
		}
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("commands ran:\n%s", strings.Join(log, "\n"))
	}
	out, code := w.run(t, activate.ModeBuild, "", "-o", filepath.Join(w.fake.Root, "res"))
	if code != 0 || !strings.Contains(out, "built tower: "+w.new) {
		t.Errorf("build off NixOS: exit %d\n%s", code, out)
	}
}

func TestConfirmation(t *testing.T) {
	w := newWorld(t)
	out, code := w.run(t, activate.ModeSwitch, "")
	if code != exitcode.Usage || !strings.Contains(out, "standard input is not a terminal") || !strings.Contains(out, "axios switch --yes") {
		t.Errorf("non-terminal: exit %d\n%s", code, out)
	}
	w.deps.Interactive = func() bool { return true }
	out, code = w.run(t, activate.ModeSwitch, "n\n")
	if code != exitcode.Aborted || !strings.Contains(out, "Switch to this system now? [y/N]") || !strings.Contains(out, "not activated") {
		t.Errorf("declined: exit %d\n%s", code, out)
	}
	if got := fakenix.Target(t, w.profile); got != "system-1-link" {
		t.Errorf("declined but profile is %s", got)
	}
	if out, code = w.run(t, activate.ModeSwitch, "y\n"); code != 0 {
		t.Errorf("accepted: exit %d\n%s", code, out)
	}
	if got := fakenix.Target(t, w.profile); got != "system-2-link" {
		t.Errorf("accepted but profile is %s", got)
	}
}

func TestBuildKeepsResultLink(t *testing.T) {
	w := newWorld(t)
	link := filepath.Join(w.fake.Root, "out")
	out, code := w.run(t, activate.ModeBuild, "", "--out-link", link, "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if target, err := os.Readlink(link); err != nil || target != w.new {
		t.Errorf("result link %s %v", target, err)
	}
	if !strings.Contains(out, `"kind": "added"`) {
		t.Errorf("--json diff missing:\n%s", out)
	}
	for _, l := range w.fake.Log(t) {
		if strings.Contains(l, "nix-env") || strings.Contains(l, "switch-to-configuration") {
			t.Errorf("build activated: %s", l)
		}
	}
	if out, _ := w.run(t, activate.ModeBuild, "", "--yes"); !strings.Contains(out, "unknown flag: --yes") {
		t.Errorf("build --yes: %s", out)
	}
}

func TestOtherHostNote(t *testing.T) {
	w := newWorld(t)
	w.deps.Hostname = func() (string, error) { return "laptop", nil }
	out, code := w.run(t, activate.ModeSwitch, "", "tower", "--yes")
	if code != 0 || !strings.Contains(out, "note: this machine is laptop, but you asked to activate host tower here") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// Scenario: `axios boot` made generation 2 the boot default, the machine
// still runs generation 1, and then `axios switch` fails. The restore
// brings back what was running (generation 1), live and as the boot
// default, not generation 2, which never ran.
func TestFailedSwitchAfterBootRestoresRunningSystem(t *testing.T) {
	f := fakenix.New(t)
	w := &world{fake: f, dir: f.Config(t, "tower")}
	w.old = f.FixtureSystem(t, "old", "old-list.json")
	booted := f.FixtureSystem(t, "booted", "old-list.json")
	w.new = f.FixtureSystem(t, "system-tower", "new-object.json")
	w.profile = f.Profile(t, w.old, booted)
	w.deps = Deps{
		Env:         f.Machine(t, w.old, w.profile),
		Resolver:    cmdtest.ConfigAt(w.dir),
		Hostname:    func() (string, error) { return "tower", nil },
		LookPath:    func(string) (string, error) { return "", errors.New("not found") },
		Interactive: func() bool { return false },
	}
	f.FailActivation(t, w.new)
	out, code := w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		w.buildLine(), fakenix.NixFlags+"path-info", fakenix.NixFlags+"path-info",
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/system-tower",
		"$ROOT/store/system-tower/bin/switch-to-configuration switch",
		"nix-env -p $ROOT/profiles/system --switch-generation 1",
		"$ROOT/store/old/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-1-link" {
		t.Errorf("boot default is %s, want generation 1, the system that was running", got)
	}
	cmdtest.ExpectOutput(t, out,
		"the system profile points at generation 1 ("+w.old+") again",
		"the system that was running, "+w.old+", was activated again and is the boot default (switch-to-configuration switch)")

	// When no generation points at the running system any more (deleted
	// generations), the profile gets it back as a new generation.
	for _, l := range []string{"system-1-link", "system-3-link"} {
		if err := os.Remove(filepath.Join(w.fake.Root, "profiles", l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(w.profile); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("system-2-link", w.profile); err != nil {
		t.Fatal(err)
	}
	out, code = w.run(t, activate.ModeSwitch, "", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	log := w.fake.Log(t)
	fakenix.ExpectLog(t, log[len(log)-2:],
		"nix-env -p $ROOT/profiles/system --set $ROOT/store/old",
		"$ROOT/store/old/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-4-link" {
		t.Errorf("boot default is %s, want a new generation 4 for the running system", got)
	}
	cmdtest.ExpectOutput(t, out, "the system profile points at "+w.old+" again, as a new generation")
}

func TestActivationRunsInTransientUnit(t *testing.T) {
	w := newWorld(t)
	w.fake.Systemd(t, w.deps.Env)
	w.deps.Env.Getenv = func(k string) string {
		return map[string]string{"LOCALE_ARCHIVE": "/run/current-system/sw/lib/locale/locale-archive", "NIXOS_INSTALL_BOOTLOADER": "1"}[k]
	}
	out, code := w.run(t, activate.ModeTest, "", "--yes")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	log := w.fake.Log(t)
	fakenix.ExpectLog(t, log[3:],
		"systemd-run -E LOCALE_ARCHIVE=/run/current-system/sw/lib/locale/locale-archive -E NIXOS_INSTALL_BOOTLOADER=1 --collect --no-ask-password --pipe --quiet --service-type=exec --unit=nixos-rebuild-switch-to-configuration --wait $ROOT/store/system-tower/bin/switch-to-configuration test",
		"$ROOT/store/system-tower/bin/switch-to-configuration test",
	)
	// systemd-run is on PATH but systemd is not PID 1 (a container, a
	// chroot): activation runs directly, from / as in the unit.
	if err := os.Remove(w.deps.Env.SystemdDir); err != nil {
		t.Fatal(err)
	}
	if out, code := w.run(t, activate.ModeTest, "", "--yes"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	log = w.fake.Log(t)
	fakenix.ExpectLog(t, log[len(log)-1:], "$ROOT/store/system-tower/bin/switch-to-configuration test")
	if cwd, err := os.ReadFile(filepath.Join(w.new, "cwd")); err != nil || string(cwd) != "/\n" {
		t.Errorf("switch-to-configuration ran in %q (%v), want /", cwd, err)
	}
	// A unit that cannot start is a failed activation, and the restore
	// says so.
	w.fake.Systemd(t, w.deps.Env)
	t.Setenv("FAKE_FAIL_SYSTEMD_RUN", "Unit nixos-rebuild-switch-to-configuration.service was already loaded")
	out, code = w.run(t, activate.ModeTest, "", "--yes")
	if code != exitcode.Failed || !strings.Contains(out, "was already loaded") || !strings.Contains(out, "putting the previous system back ALSO failed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// The placeholder hardware.nix of `axios init` makes every build fail, so
// build, switch, boot and test stop before nix runs; --force tries anyway.
func TestPlaceholderHardwareStopsBeforeNix(t *testing.T) {
	w := newWorld(t)
	hw := filepath.Join(w.dir, "hosts", "tower", "hardware.nix")
	cmdtest.Write(t, hw, checkdir.PlaceholderMarker+"\nthrow \"replace me\"\n")
	for _, mode := range []activate.Mode{activate.ModeBuild, activate.ModeSwitch, activate.ModeBoot, activate.ModeTest} {
		args := []string{"--yes"}
		if mode == activate.ModeBuild {
			args = []string{"-o", filepath.Join(w.fake.Root, "res")}
		}
		out, code := w.run(t, mode, "", args...)
		if code != exitcode.Failed {
			t.Fatalf("%s: exit %d, want 1:\n%s", mode, code, out)
		}
		cmdtest.ExpectOutput(t, out, "AX406", "host tower has only the placeholder hardware.nix ("+hw+"), so its build would fail", "nixos-generate-config --show-hardware-config > "+hw, "pass --force to try anyway — nothing was built")
		if log := w.fake.Log(t); len(log) != 0 {
			t.Fatalf("%s: nix ran:\n%s", mode, strings.Join(log, "\n"))
		}
	}
	out, code := w.run(t, activate.ModeSwitch, "", "--yes", "--force")
	if code != 0 || !strings.Contains(out, "building tower anyway (--force)") {
		t.Fatalf("--force: exit %d:\n%s", code, out)
	}
	// A host written in Nix with the placeholder at the usual place.
	if err := os.Remove(filepath.Join(w.dir, "hosts", "tower.toml")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_HOSTS", `["tower"]`)
	out, code = w.run(t, activate.ModeBuild, "", "-o", filepath.Join(w.fake.Root, "res2"))
	if code != exitcode.Failed || !strings.Contains(out, "host tower has only the placeholder hardware.nix") {
		t.Errorf("nix host: exit %d:\n%s", code, out)
	}
}
