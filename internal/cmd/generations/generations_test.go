package generations

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/activate/fakenix"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
)

type world struct {
	fake     *fakenix.Fake
	old, new string
	profile  string
	deps     Deps
}

// newWorld: generation 1 is "old", generation 2 ("new") is current and
// running.
func newWorld(t *testing.T) *world {
	t.Helper()
	f := fakenix.New(t)
	w := &world{fake: f}
	w.old = f.FixtureSystem(t, "old", "old-list.json")
	w.new = f.FixtureSystem(t, "new", "new-object.json")
	if err := os.MkdirAll(filepath.Join(w.new, "kernel-modules", "lib", "modules", "6.6.66"), 0o755); err != nil {
		t.Fatal(err)
	}
	w.profile = f.Profile(t, w.old, w.new)
	w.deps = Deps{Env: f.Machine(t, w.new, w.profile), Interactive: func() bool { return false }}
	return w
}

func TestList(t *testing.T) {
	w := newWorld(t)
	out, code := cmdtest.Run(t, NewGenerations(w.deps))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "GEN") || !strings.HasPrefix(lines[1], "  1 ") || !strings.HasPrefix(lines[2], "* 2 ") ||
		!strings.Contains(lines[2], "24.11.20241201.abc1234") || !strings.Contains(lines[2], "6.6.66") || !strings.HasSuffix(lines[2], "(current)") {
		t.Errorf("table:\n%s", out)
	}
	out, code = cmdtest.Run(t, NewGenerations(w.deps), "--json")
	var list []struct {
		Number  int  `json:"number"`
		Current bool `json:"current"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != 2 || !list[1].Current || list[0].Current {
		t.Errorf("json %v:\n%s", err, out)
	}
	w.deps.Env.Profile = filepath.Join(t.TempDir(), "nope", "system")
	if out, code := cmdtest.Run(t, NewGenerations(w.deps)); code != exitcode.Usage || !strings.Contains(out, "is this NixOS?") {
		t.Errorf("missing profile dir: %d %s", code, out)
	}
}

func TestDiff(t *testing.T) {
	w := newWorld(t)
	out, code := cmdtest.Run(t, NewDiff(w.deps), "1", "current")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !strings.HasPrefix(out, w.old+" → "+w.new+"\n") || !strings.Contains(out, "  + ghostty 1.0.0") {
		t.Errorf("diff:\n%s", out)
	}
	fakenix.ExpectLog(t, w.fake.Log(t),
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/old",
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/new")
	out, code = cmdtest.Run(t, NewDiff(w.deps), "2", w.old, "--json")
	if code != 0 || !strings.Contains(out, `"kind": "removed"`) || !strings.Contains(out, `"name": "ghostty"`) {
		t.Errorf("json diff %d:\n%s", code, out)
	}
	if out, code := cmdtest.Run(t, NewDiff(w.deps), "7", "1"); code != exitcode.Usage || !strings.Contains(out, "generation 7 does not exist") {
		t.Errorf("bad generation: %d %s", code, out)
	}
	if out, code := cmdtest.Run(t, NewDiff(w.deps), t.TempDir(), "1"); code != exitcode.Usage || !strings.Contains(out, "is not a NixOS system or a Nix store path") {
		t.Errorf("a folder that is no system: code %d, %s", code, out)
	}
	if out, code := cmdtest.Run(t, NewDiff(w.deps), "nosuch", "1"); code != exitcode.Usage || !strings.Contains(out, "neither a generation number") {
		t.Errorf("bad path: %d %s", code, out)
	}
}

func TestRollback(t *testing.T) {
	w := newWorld(t)
	out, code := cmdtest.Run(t, NewRollback(w.deps), "--yes")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	fakenix.ExpectLog(t, w.fake.Log(t),
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/new",
		fakenix.NixFlags+"path-info --recursive --size --json $ROOT/store/old",
		"nix-env -p $ROOT/profiles/system --switch-generation 1",
		"$ROOT/store/old/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-1-link" {
		t.Errorf("profile %s", got)
	}
	if !strings.Contains(out, "rolling back from generation 2 to 1") || !strings.Contains(out, "generation 1 ("+w.old+") is active") {
		t.Errorf("output:\n%s", out)
	}
}

func TestRollbackRestoresOnFailure(t *testing.T) {
	w := newWorld(t)
	w.fake.FailActivation(t, w.old)
	out, code := cmdtest.Run(t, NewRollback(w.deps), "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	log := w.fake.Log(t)
	fakenix.ExpectLog(t, log[2:],
		"nix-env -p $ROOT/profiles/system --switch-generation 1",
		"$ROOT/store/old/bin/switch-to-configuration switch",
		"nix-env -p $ROOT/profiles/system --switch-generation 2",
		"$ROOT/store/new/bin/switch-to-configuration switch",
	)
	if got := fakenix.Target(t, w.profile); got != "system-2-link" {
		t.Errorf("profile %s, want back at 2", got)
	}
	if !strings.Contains(out, "the system profile points at generation 2 ("+w.new+") again") || !strings.Contains(out, "the system that was running, "+w.new+", was activated again and is the boot default") {
		t.Errorf("output:\n%s", out)
	}
}

func TestRollbackDryRunNotRootAndEdges(t *testing.T) {
	w := newWorld(t)
	w.deps.Env.Priv.Geteuid = func() int { return 1000 }
	out, code := cmdtest.Run(t, NewRollback(w.deps), "--dry-run", "--sudo")
	want := "# dry run: these commands would run, in this order (nothing was changed)\n" +
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + w.new + "\n" +
		"nix --extra-experimental-features 'nix-command flakes' path-info --recursive --size --json " + w.old + "\n" +
		"# ask before activating (--yes skips the question)\n" +
		"sudo -v\n" +
		"sudo -- nix-env -p " + w.profile + " --switch-generation 1\n" +
		"sudo -- " + w.old + "/bin/switch-to-configuration switch\n"
	if code != 0 || out != want {
		t.Errorf("dry run %d:\n%s\nwant:\n%s", code, out, want)
	}
	out, code = cmdtest.Run(t, NewRollback(w.deps), "--yes")
	if code != exitcode.Usage || !strings.Contains(out, "rollback needs root") {
		t.Errorf("not root %d:\n%s", code, out)
	}
	if log := w.fake.Log(t); len(log) != 0 {
		t.Errorf("commands ran: %v", log)
	}
	w.deps.Env.Priv.Geteuid = func() int { return 0 }
	if out, code := cmdtest.Run(t, NewRollback(w.deps)); code != exitcode.Usage || !strings.Contains(out, "axios rollback --yes") {
		t.Errorf("non-interactive %d:\n%s", code, out)
	}
	if out, code := cmdtest.Run(t, NewRollback(w.deps), "--to", "9", "-y"); code != exitcode.Usage || !strings.Contains(out, "generation 9 does not exist") {
		t.Errorf("--to 9: %d %s", code, out)
	}
	if out, code := cmdtest.Run(t, NewRollback(w.deps), "--to", "2", "-y"); code != exitcode.Usage || !strings.Contains(out, "already the current one") {
		t.Errorf("--to 2: %d %s", code, out)
	}
	// From generation 1 there is nothing earlier.
	if err := os.Remove(w.profile); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("system-1-link", w.profile); err != nil {
		t.Fatal(err)
	}
	if out, code := cmdtest.Run(t, NewRollback(w.deps), "-y"); code != exitcode.Usage || !strings.Contains(out, "no generation before the current one (1)") {
		t.Errorf("first generation: %d %s", code, out)
	}
}
