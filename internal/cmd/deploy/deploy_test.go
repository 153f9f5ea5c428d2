package deploy

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/deploy/deploytest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/testutil"
)

func TestDryRunMultiHostExample(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "multi-host")
	out, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "--dry-run")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out,
		"# server → admin@server.example-tailnet.ts.net",
		"build "+dir+"#nixosConfigurations.server.config.system.build.toplevel",
		"ssh -- admin@server.example-tailnet.ts.net 'readlink -f /run/current-system'",
		"copy --to ssh://admin@server.example-tailnet.ts.net '<system>'",
		"systemd-run '\\''--unit=axios-deploy-<token>'\\''",
		"'\\''<system>'\\'' switch '\\''<token>'\\'' 60'",
		"sudo -n -- touch",
		"#   restore timeout",
	)
	if strings.Contains(out, "# desktop") || strings.Contains(out, "# laptop") {
		t.Errorf("hosts without [deploy] are in the dry run:\n%s", out)
	}
}

func TestTargetHostNeedsOneHost(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "multi-host")
	out, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "--dry-run", "--target-host", "root@10.0.0.1")
	if code != exitcode.OK {
		t.Fatalf("exit %d:\n%s", code, out) // one deployable host: server
	}
	cmdtest.ExpectOutput(t, out, "# server → root@10.0.0.1")
	out, code = cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "--dry-run", "--target-host", "-oProxyCommand=x", "server")
	if code != exitcode.Usage || !strings.Contains(out, "--target-host") {
		t.Errorf("an option-like destination: exit %d\n%s", code, out)
	}
	out, code = cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "--dry-run", "desktop")
	if code != exitcode.Usage || !strings.Contains(out, "no [deploy] table") {
		t.Errorf("a host without [deploy]: exit %d\n%s", code, out)
	}
}

func TestNoTerminalNeedsYes(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "multi-host")
	out, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir), Interactive: func() bool { return false }}))
	if code != exitcode.Usage || !strings.Contains(out, "--yes") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// Three hosts, one of which does not build: the other two are deployed,
// the summary has a line per host, and the exit status says one failed.
func TestDeployThreeHostsOneFails(t *testing.T) {
	kit := deploytest.New(t)
	cfg := t.TempDir()
	cmdtest.Write(t, filepath.Join(cfg, "flake.nix"), "{ outputs = _: { }; }\n")
	roots := map[string]string{}
	prev := map[string]string{}
	next := map[string]string{}
	for _, h := range []string{"a", "b", "c"} {
		cmdtest.Write(t, filepath.Join(cfg, "hosts", h+".toml"), "hostname = \""+h+"\"\ntimeZone = \"UTC\"\nformFactor = \"desktop\"\n\n[hardware]\ncpu = \"amd\"\n\n[deploy]\ntargetHost = \""+h+".tail\"\ntargetUser = \"admin\"\nconfirmTimeout = 60\n\n[users.admin]\nfullName = \"Admin\"\n")
		cmdtest.Write(t, filepath.Join(cfg, "hosts", h, "hardware.nix"), "{ ... }: { fileSystems.\"/\".device = \"/dev/disk/by-label/nixos\"; }\n")
		prev[h] = kit.System(t, "prev-"+h, "old-list.json")
		next[h] = kit.System(t, "system-"+h, "new-object.json")
		roots[h+".tail"] = kit.Target(t, h+".tail", prev[h])
	}
	t.Setenv("FAKE_FAIL_BUILD", "b")
	deps := Deps{Resolver: cmdtest.ConfigAt(cfg), Poll: 50 * time.Millisecond, Roots: roots}
	out, code := cmdtest.Run(t, New(deps), "--yes", "--jobs", "3")
	if code != exitcode.Failed {
		t.Fatalf("exit %d, want %d:\n%s", code, exitcode.Failed, out)
	}
	cmdtest.ExpectOutput(t, out, "a  switched on admin@a.tail", "b  failed at build:", "c  switched on admin@c.tail", "1 of 3 host(s) not deployed")
	for h, want := range map[string]string{"a": next["a"], "b": prev["b"], "c": next["c"]} {
		if got := deploytest.Running(t, roots[h+".tail"]); got != want {
			t.Errorf("%s runs %s, want %s", h, got, want)
		}
	}
}

func TestCompletesDeployableHosts(t *testing.T) {
	dir := filepath.Join(testutil.RepoRoot(t), "examples", "multi-host")
	root := &cobra.Command{Use: "axios"}
	root.AddCommand(New(Deps{Resolver: cmdtest.ConfigAt(dir)}))
	out, _ := cmdtest.Run(t, root, "__complete", "deploy", "")
	if !strings.HasPrefix(out, "server\n:4") || strings.Contains(out, "desktop") {
		t.Errorf("completion:\n%s", out)
	}
}
