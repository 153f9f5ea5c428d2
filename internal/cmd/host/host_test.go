package host

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
)

func TestList(t *testing.T) {
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \"UTC\"\nformFactor = \"desktop\"\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "pi.toml"), "hostname = \"pi\"\ntimeZone = \"Europe/Berln\"\nsystem = \"aarch64-linux\"\n[virt]\n")
	out, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "list")
	if code != exitcode.OK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "pi ") || !strings.Contains(lines[1], "aarch64-linux") || !strings.Contains(lines[1], "1 errors") ||
		!strings.HasPrefix(lines[2], "tower") || !strings.Contains(lines[2], "desktop") || !strings.HasSuffix(lines[2], "valid") {
		t.Errorf("output:\n%s", out)
	}
	out, _ = cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(dir)}), "list", "--json")
	var es []Entry
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Name != "pi" || es[0].Valid || es[0].Errors != 1 || es[0].Warnings != 1 || !es[1].Valid || es[1].System != "x86_64-linux" {
		t.Errorf("json %+v", es)
	}
	empty := t.TempDir()
	cmdtest.Write(t, filepath.Join(empty, "flake.nix"), "{ }\n")
	if out, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.ConfigAt(empty)}), "list"); code != exitcode.OK || !strings.Contains(out, "axios host add") {
		t.Errorf("no hosts: %d %s", code, out)
	}
	if _, code := cmdtest.Run(t, New(Deps{Resolver: cmdtest.NoConfig(t)}), "list"); code != exitcode.Usage {
		t.Errorf("no configuration: exit %d", code)
	}
}
