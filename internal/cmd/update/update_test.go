package update

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/activate/fakenix"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/runner"
)

// The old lock is written with CRLF line ends, no final newline and mode
// 0600, so a restore that re-encodes it or loses its mode fails the test.
const oldLock = "{\r\n  \"nodes\": {\r\n    \"nixpkgs\": {\"locked\": {\"lastModified\": 1763800000, \"narHash\": \"sha256-N\", \"rev\": \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\", \"type\": \"github\"}},\r\n    \"root\": {\"inputs\": {\"nixpkgs\": \"nixpkgs\"}}\r\n  },\r\n  \"root\": \"root\",\r\n  \"version\": 7\r\n}"

const newLock = `{"nodes":{"nixpkgs":{"locked":{"lastModified":1764500000,"narHash":"sha256-N2","rev":"cccccccccccccccccccccccccccccccccccccccc","type":"github"}},"root":{"inputs":{"nixpkgs":"nixpkgs"}}},"root":"root","version":7}
`

type world struct {
	fake *fakenix.Fake
	dir  string
	old  string
	deps Deps
}

// newWorld makes a configuration with hosts laptop and tower, whose fake
// builds give the new-object.json closure, on a machine "tower" running the
// old-list.json system.
func newWorld(t *testing.T) *world {
	t.Helper()
	f := fakenix.New(t)
	w := &world{fake: f, dir: f.Config(t, "tower", "laptop")}
	cmdtest.WriteMode(t, filepath.Join(w.dir, "flake.lock"), oldLock, 0o600)
	for _, h := range []string{"tower", "laptop"} {
		f.FixtureSystem(t, "system-"+h, "new-object.json")
	}
	w.old = f.FixtureSystem(t, "old", "old-list.json")
	t.Setenv("FAKE_NEW_LOCK", newLock)
	w.deps = Deps{
		Env:      f.Machine(t, w.old, ""),
		Resolver: cmdtest.ConfigAt(w.dir),
		Hostname: func() (string, error) { return "tower", nil },
		LookPath: func(string) (string, error) { return "", errors.New("no") },
	}
	return w
}

func (w *world) run(t *testing.T, ctx context.Context, args ...string) (string, int) {
	t.Helper()
	return cmdtest.RunContext(t, ctx, New(w.deps), "", args...)
}

func (w *world) lock(t *testing.T) (string, os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(w.dir, "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b), info.Mode().Perm()
}

func TestUpdateKeepsLockWhenAllBuild(t *testing.T) {
	w := newWorld(t)
	out, code := w.run(t, context.Background(), "nixpkgs")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		fakenix.NixFlags+"flake update nixpkgs --flake $ROOT/config",
		fakenix.NixFlags+"build $ROOT/config#nixosConfigurations.laptop.config.system.build.toplevel --out-link ",
		fakenix.NixFlags+"build $ROOT/config#nixosConfigurations.tower.config.system.build.toplevel --out-link ",
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/old",
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/system-tower",
	)
	if got, _ := w.lock(t); got != newLock {
		t.Errorf("lock not kept:\n%s", got)
	}
	cmdtest.ExpectOutput(t, out, "  ~ nixpkgs bbbbbbb (2025-11-22) → ccccccc (2025-11-30)", "changes for this machine (tower)", "  + ghostty 1.0.0", "all 2 hosts built; the new flake.lock is kept")
}

func TestHostWithErrorsStopsBeforeNixRuns(t *testing.T) {
	w := newWorld(t)
	cmdtest.WriteMode(t, filepath.Join(w.dir, "hosts", "laptop.toml"), "hostname = \"laptop\"\ntimeZone = \"UTC\"\nformFactor = \"spaceship\"\n", 0o644)
	for _, args := range [][]string{nil, {"nixpkgs"}, {"--dry-run"}, {"--json"}} {
		out, code := w.run(t, context.Background(), args...)
		if code != exitcode.Failed {
			t.Fatalf("%v: exit %d, want 1:\n%s", args, code, out)
		}
		if log := w.fake.Log(t); len(log) != 0 {
			t.Fatalf("%v: nix ran although host laptop has errors:\n%s", args, strings.Join(log, "\n"))
		}
		for _, want := range []string{"laptop.toml:3: AX", "formFactor", "host laptop has errors (above); fix them and run again — flake.lock was not touched and nothing was built"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, out)
			}
		}
		if strings.Contains(out, "put back") || strings.Contains(out, "# dry run") {
			t.Errorf("%v: output goes on past the check:\n%s", args, out)
		}
		if got, perm := w.lock(t); got != oldLock || perm != 0o600 {
			t.Errorf("%v: lock touched (mode %o): %q", args, perm, got)
		}
	}
	// A problem of the directory itself is the configuration's, not a host's.
	cmdtest.WriteMode(t, filepath.Join(w.dir, "hosts", "laptop.toml"), "hostname = \"laptop\"\ntimeZone = \"UTC\"\n", 0o644)
	if err := os.Remove(filepath.Join(w.dir, "flake.nix")); err != nil {
		t.Fatal(err)
	}
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed || !strings.Contains(out, "the configuration has errors (above)") || len(w.fake.Log(t)) != 0 {
		t.Errorf("no flake.nix: exit %d:\n%s", code, out)
	}
}

func TestFailedBuildRestoresLockByteForByte(t *testing.T) {
	w := newWorld(t)
	t.Setenv("FAKE_FAIL_BUILD", "laptop")
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	got, perm := w.lock(t)
	if got != oldLock || perm != 0o600 {
		t.Errorf("lock not restored byte for byte (mode %o):\n%q", perm, got)
	}
	cmdtest.ExpectOutput(t, out, "1 of 2 hosts failed to build, so the update was not kept", "building laptop failed", "option 'services.foo' does not exist (laptop)", "the old flake.lock was put back unchanged")
	if strings.Contains(out, "building tower failed") {
		t.Errorf("tower reported as failed:\n%s", out)
	}
	entries, _ := os.ReadDir(w.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestFailedUpdateRestoresLock(t *testing.T) {
	w := newWorld(t)
	// A nix that breaks the lock and then fails.
	t.Setenv("FAKE_FAIL_UPDATE", "cannot fetch github:NixOS/nixpkgs")
	cmdtest.WriteMode(t, filepath.Join(w.dir, "flake.lock"), oldLock, 0o600)
	w.fake.Script(t, "nix", "#!/bin/sh\necho garbage > \"$FAKE_DIR/flake.lock\"\necho \"error: $FAKE_FAIL_UPDATE\" >&2\nexit 1\n")
	t.Setenv("FAKE_DIR", w.dir)
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed || !strings.Contains(out, "updating flake.lock failed") || !strings.Contains(out, "cannot fetch github:NixOS/nixpkgs") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if got, _ := w.lock(t); got != oldLock {
		t.Errorf("lock not restored: %q", got)
	}
}

// cancelOnBuild cancels the context when a build starts, like Ctrl-C in the
// middle of a build, and then runs the command (which the context kills).
type cancelOnBuild struct {
	runner.Runner
	cancel context.CancelFunc
}

func (c cancelOnBuild) Run(ctx context.Context, cmd runner.Cmd) error {
	for _, a := range cmd.Args {
		if a == "build" {
			c.cancel()
		}
	}
	return c.Runner.Run(ctx, cmd)
}

func TestInterruptRestoresLock(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.deps.Env.Runner = cancelOnBuild{Runner: runner.Exec{}, cancel: cancel}
	out, code := w.run(t, ctx)
	if code != exitcode.Aborted || !strings.Contains(out, "interrupted while building laptop") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if got, perm := w.lock(t); got != oldLock || perm != 0o600 {
		t.Errorf("lock not restored after interrupt: %q", got)
	}
}

func TestNoLockBeforeFailureRemovesIt(t *testing.T) {
	w := newWorld(t)
	if err := os.Remove(filepath.Join(w.dir, "flake.lock")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_FAIL_BUILD", "all")
	out, code := w.run(t, context.Background())
	if code != exitcode.Failed {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "there was no flake.lock before, so the new one was removed") || strings.Contains(out, "put back unchanged") {
		t.Errorf("output does not say the new lock was removed:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "flake.lock")); !os.IsNotExist(err) {
		t.Errorf("a lock that did not exist before is still there: %v", err)
	}
	out, code = w.run(t, context.Background(), "--dry-run")
	if want := "# " + filepath.Join(w.dir, "flake.lock") + " does not exist yet: remove the new one if a host fails"; code != 0 || !strings.Contains(out, want) || strings.Contains(out, "# save") {
		t.Errorf("dry run without a lock (exit %d) lacks %q:\n%s", code, want, out)
	}
}

func TestAlreadyUpToDate(t *testing.T) {
	w := newWorld(t)
	t.Setenv("FAKE_NEW_LOCK", oldLock)
	out, code := w.run(t, context.Background())
	if code != 0 || !strings.Contains(out, "already up to date") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t), fakenix.NixFlags+"flake update --flake")
}

func TestUpdateDryRunAndJSON(t *testing.T) {
	w := newWorld(t)
	out, code := w.run(t, context.Background(), "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tmp := filepath.Join(os.TempDir(), "axios-update")
	want := strings.Join([]string{
		"# dry run: these commands would run, in this order (nothing was changed)",
		"# lock " + w.dir + " against a second axios update",
		"# save " + filepath.Join(w.dir, "flake.lock") + " as " + filepath.Join(w.dir, "flake.lock.axios-old"),
		"nix --extra-experimental-features 'nix-command flakes' flake update --flake " + w.dir,
		"nix --extra-experimental-features 'nix-command flakes' build " + w.dir + "#nixosConfigurations.laptop.config.system.build.toplevel --out-link " + tmp + "/laptop",
		"nix --extra-experimental-features 'nix-command flakes' build " + w.dir + "#nixosConfigurations.tower.config.system.build.toplevel --out-link " + tmp + "/tower",
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + w.deps.Env.CurrentSystem,
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + tmp + "/tower",
		"# keep the new flake.lock if every host built, else write the saved one back",
	}, "\n") + "\n"
	if out != want {
		t.Errorf("dry run:\n%s\nwant:\n%s", out, want)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("dry run ran commands: %v", log)
	}
	t.Setenv("FAKE_FAIL_BUILD", "tower")
	out, code = w.run(t, context.Background(), "--json")
	if code != exitcode.Failed || !strings.Contains(out, `"kept": false`) || !strings.Contains(out, `"host": "tower",`) || !strings.Contains(out, `"ok": false`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

func TestBadInputName(t *testing.T) {
	w := newWorld(t)
	if out, code := w.run(t, context.Background(), "--", "-x"); code != exitcode.Usage || !strings.Contains(out, `input name "-x" is invalid`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// An input the lock does not have stops before anything runs.
	out, code := w.run(t, context.Background(), "nixpks")
	if code != exitcode.Usage || !strings.Contains(out, `flake.lock has no input "nixpks": name one of nixpkgs`) {
		t.Errorf("unknown input: exit %d:\n%s", code, out)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("commands ran for an unknown input:\n%s", strings.Join(log, "\n"))
	}
}

func TestNixOnlyHostsComeFromNixEval(t *testing.T) {
	w := newWorld(t)
	for _, h := range []string{"tower", "laptop"} {
		if err := os.Remove(filepath.Join(w.dir, "hosts", h+".toml")); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("FAKE_HOSTS", `["tower"]`)
	out, code := w.run(t, context.Background())
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	fakenix.ExpectLogPrefix(t, w.fake.Log(t),
		fakenix.NixFlags+"eval $ROOT/config#nixosConfigurations --apply builtins.attrNames --json",
		fakenix.NixFlags+"flake update --flake $ROOT/config",
		fakenix.NixFlags+"build $ROOT/config#nixosConfigurations.tower.config.system.build.toplevel --out-link ",
		fakenix.NixFlags+"path-info", fakenix.NixFlags+"path-info",
	)
	if !strings.Contains(out, "the only host built; the new flake.lock is kept") {
		t.Errorf("output:\n%s", out)
	}
}
