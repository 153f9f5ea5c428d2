package rebuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/deploy/deploytest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

func multiHost(t *testing.T, this string) Deps {
	t.Helper()
	return Deps{
		Resolver:    cmdtest.ConfigAt(filepath.Join(testutil.RepoRoot(t), "examples", "multi-host")),
		Hostname:    func() (string, error) { return this, nil },
		Interactive: func() bool { return false },
	}
}

// Another machine's host with [deploy] is deployed there; this machine's
// own host, or --local, is activated here.
func TestSwitchChoosesRemoteByDeployTable(t *testing.T) {
	out, code := cmdtest.Run(t, New(activate.ModeSwitch, multiHost(t, "desktop")), "server", "--dry-run")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "# server → admin@server.example-tailnet.ts.net", "copy --to ssh://admin@server.example-tailnet.ts.net", "systemd-run")
	for _, args := range [][]string{{"server", "--dry-run", "--local"}, {"--dry-run"}} {
		this := "desktop"
		if len(args) == 1 {
			this = "server" // no HOST: this machine, which is server itself
		}
		out, code = cmdtest.Run(t, New(activate.ModeSwitch, multiHost(t, this)), args...)
		if code != exitcode.OK || strings.Contains(out, "ssh") {
			t.Errorf("%v on %s: exit %d, remote commands:\n%s", args, this, code, out)
		}
	}
	out, code = cmdtest.Run(t, New(activate.ModeTest, multiHost(t, "server")), "desktop", "--dry-run", "--target-host", "root@desk.tail")
	if code != exitcode.OK {
		t.Fatalf("--target-host: exit %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "# desktop → root@desk.tail", "' test '")
	if strings.Contains(out, "sudo") {
		t.Errorf("root on the target went through sudo:\n%s", out)
	}
}

func TestRemoteSwitchWithFakes(t *testing.T) {
	kit := deploytest.New(t)
	cfg := t.TempDir()
	cmdtest.Write(t, filepath.Join(cfg, "flake.nix"), "{ outputs = _: { }; }\n")
	cmdtest.Write(t, filepath.Join(cfg, "hosts", "box.toml"), "hostname = \"box\"\ntimeZone = \"UTC\"\nformFactor = \"desktop\"\n\n[hardware]\ncpu = \"amd\"\n\n[deploy]\ntargetHost = \"box.tail\"\ntargetUser = \"admin\"\n\n[users.admin]\nfullName = \"Admin\"\n")
	cmdtest.Write(t, filepath.Join(cfg, "hosts", "box", "hardware.nix"), "{ ... }: { fileSystems.\"/\".device = \"/dev/disk/by-label/nixos\"; }\n")
	prev := kit.System(t, "prev-box", "old-list.json")
	next := kit.System(t, "system-box", "new-object.json")
	root := kit.Target(t, "box.tail", prev)
	deps := Deps{
		Env:         activate.Env{Runner: runner.Exec{}},
		Resolver:    cmdtest.ConfigAt(cfg),
		Hostname:    func() (string, error) { return "laptop", nil },
		Interactive: func() bool { return false },
		Poll:        50 * time.Millisecond,
		TargetRoots: map[string]string{"box.tail": root},
	}
	out, code := cmdtest.Run(t, New(activate.ModeSwitch, deps), "box")
	if code != exitcode.Usage || !strings.Contains(out, "--yes") {
		t.Errorf("no terminal, no --yes: exit %d\n%s", code, out)
	}
	out, code = cmdtest.Run(t, New(activate.ModeSwitch, deps), "box", "--yes")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "box  switched on admin@box.tail")
	if got := deploytest.Running(t, root); got != next {
		t.Errorf("box runs %s", got)
	}

	// The next build fails to activate: the target restores, exit 1.
	if err := os.Remove(filepath.Join(root, "run", "current-system")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(prev, filepath.Join(root, "run", "current-system")); err != nil {
		t.Fatal(err)
	}
	deploytest.Mark(t, next, "fail")
	out, code = cmdtest.Run(t, New(activate.ModeSwitch, deps), "box", "--yes")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want %d:\n%s", code, exitcode.Failed, out)
	}
	cmdtest.ExpectOutput(t, out, "box  rolled back: activation failed")
	if got := deploytest.Running(t, root); got != prev {
		t.Errorf("box runs %s after a failed activation, want %s", got, prev)
	}
}
