package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// copyTree copies a fixture folder into a fresh temporary folder.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func fixture(t *testing.T, name string) string {
	return filepath.Join(testutil.RepoRoot(t), "internal", "migrate", "testdata", name)
}

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The original init's layout, migrated in place, passes the real
// `axios check DIR` code path; a second run changes nothing; a changed file
// is never overwritten without --force.
func TestMigrateInitLayoutInPlace(t *testing.T) {
	t.Parallel() // TestMigrateInterrupted signals this process; it is not parallel, so never runs beside these
	testutil.RequireTool(t, "nix-instantiate")
	dir := copyTree(t, fixture(t, "init"))
	hw := read(t, filepath.Join(dir, "hosts", "tower", "hardware.nix"))
	out, code := cmdtest.Run(t, New(nil), dir)
	if code != exitcode.OK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "renamed     extraConfig.axios.system.timeZone → timeZone", "password", "unchanged   hosts/tower/hardware.nix", "write       hosts/tower.toml", "passes axios check")
	if read(t, filepath.Join(dir, "hosts", "tower", "hardware.nix")) != hw {
		t.Error("hardware.nix changed")
	}
	rep, err := checkdir.Check(context.Background(), []string{dir}, checkdir.DirOptions{Runner: runner.Exec{}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid || len(rep.Hosts) != 1 || rep.Hosts[0].Name != "tower" {
		t.Errorf("axios check of the migrated configuration: %+v", rep)
	}
	toml := read(t, filepath.Join(dir, "hosts", "tower.toml"))
	if !strings.Contains(toml, `timeZone = "Europe/Berlin"`) || !strings.Contains(toml, "[users.alice]") {
		t.Errorf("hosts/tower.toml:\n%s", toml)
	}
	// Again: everything is unchanged.
	out, code = cmdtest.Run(t, New(nil), dir)
	if code != exitcode.OK || strings.Contains(out, "write ") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	// A file the user changed is refused, by name, and left alone.
	mine := toml + "# my change\n"
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), mine)
	out, code = cmdtest.Run(t, New(nil), dir)
	if code != exitcode.Failed || !strings.Contains(out, "refusing to overwrite hosts/tower.toml") {
		t.Errorf("overwrite: exit %d\n%s", code, out)
	}
	if read(t, filepath.Join(dir, "hosts", "tower.toml")) != mine {
		t.Error("hosts/tower.toml was overwritten without --force")
	}
	out, code = cmdtest.Run(t, New(nil), dir, "--force")
	if code != exitcode.OK || read(t, filepath.Join(dir, "hosts", "tower.toml")) != toml {
		t.Errorf("--force: exit %d\n%s", code, out)
	}
}

// The original's minimal example (a plain attribute set with path values
// and a user module that sets a password) into another folder, as JSON.
func TestMigrateExampleFileJSON(t *testing.T) {
	t.Parallel()
	testutil.RequireTool(t, "nix-instantiate")
	src := copyTree(t, fixture(t, "examples"))
	dst := t.TempDir()
	cmdtest.Write(t, filepath.Join(dst, "flake.nix"), "{ }\n")
	out, code := cmdtest.Run(t, New(nil), filepath.Join(src, "mycomputer.nix"), "--out", dst, "--json")
	if code != exitcode.OK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !rep.Written || !rep.Valid || len(rep.Hosts) != 1 || rep.Hosts[0].Host != "mycomputer" {
		t.Fatalf("report %+v", rep)
	}
	pw := 0
	for _, it := range rep.Hosts[0].Items {
		if it.Action == "password" {
			pw++
			if !strings.Contains(it.Note, "hashedPassword") {
				t.Errorf("password item %+v", it)
			}
		}
	}
	if pw != 1 {
		t.Errorf("%d password items: %+v", pw, rep.Hosts[0].Items)
	}
	for _, f := range []string{"hosts/mycomputer.toml", "hosts/mycomputer/hardware.nix", "hosts/mycomputer/user.nix", "hosts/mycomputer/disks.nix", "hosts/mycomputer/disks/disks.nix"} {
		data := read(t, filepath.Join(dst, f))
		if strings.Contains(data, "changeme") {
			t.Errorf("%s carries the known password:\n%s", f, data)
		}
	}
	if !strings.Contains(read(t, filepath.Join(dst, "hosts/mycomputer/disks.nix")), "# ./disks/disks.nix") {
		t.Error("disks.nix imports the disk layout the original never read")
	}
	rep2, err := checkdir.Check(context.Background(), []string{dst}, checkdir.DirOptions{Runner: runner.Exec{}})
	if err != nil || !rep2.Valid {
		t.Errorf("axios check: %v %+v", err, rep2)
	}
}

func TestMigrateDryRunWritesNothing(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	dir := copyTree(t, fixture(t, "init"))
	out, code := cmdtest.Run(t, New(nil), filepath.Join(dir, "hosts", "tower.nix"), "--dry-run")
	if code != exitcode.OK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "--- hosts/tower.toml", `hostname = "tower"`, "--- hosts/tower/migrated.nix", "dry run: nothing written")
	if _, err := os.Stat(filepath.Join(dir, "hosts", "tower.toml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dry run wrote hosts/tower.toml: %v", err)
	}
}

func TestMigrateHostileInput(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	huge := "{ hostname = \"a\"; x = \"" + strings.Repeat("a", 2<<20) + "\"; }"
	for name, c := range map[string]struct{ src, want string }{
		"huge.nix":    {huge, "larger than 1024 KiB"},
		"list.nix":    {"[ 1 2 ]", "evaluates to a list, not an attribute set"},
		"string.nix":  {`{ lib, ... }: "tower"`, "evaluates to a string"},
		"error.nix":   {`{ hostname = "a"; } // (throw "my own error")`, "my own error"},
		"nohost.nix":  {`{ system = "x86_64-linux"; }`, "hostname: missing"},
		"syntax.nix":  {`{ hostname = `, "syntax error"},
		"pathbad.nix": {`import /etc/nixos/configuration.nix`, "forbidden in restricted mode"},
		// 9 MiB of JSON in 9000 strings of 1 KiB (eval.nix walks every
		// value: 700000 short strings took five seconds to make the same).
		"output.nix": {`{ hostname = "a"; x = let s = builtins.concatStringsSep "" (builtins.genList (i: "0123456789abcdef") 64); in builtins.genList (i: s) 9000; }`, "larger than 8 MiB"},
	} {
		// Each case is one nix-instantiate run; they run side by side.
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, name)
			cmdtest.Write(t, p, c.src)
			out, code := cmdtest.Run(t, New(nil), p)
			if code != exitcode.Usage || !strings.Contains(out, c.want) || !strings.Contains(out, name) ||
				strings.Contains(out, "while evaluating") || strings.Contains(out, "show-trace") {
				t.Errorf("%s: exit %d\n%s", name, code, out)
			}
		})
	}
	fifo := filepath.Join(dir, "fifo.nix")
	if err := mkfifo(fifo); err == nil {
		if out, code := cmdtest.Run(t, New(nil), fifo); code != exitcode.Usage || !strings.Contains(out, "named pipe") {
			t.Errorf("fifo: exit %d\n%s", code, out)
		}
	}
	if out, code := cmdtest.Run(t, New(nil), t.TempDir()); code != exitcode.Usage || !strings.Contains(out, "has neither hosts/<name>.nix") {
		t.Errorf("empty dir: exit %d\n%s", code, out)
	}
}

// fakeEval returns fixed values, for tests of writing without Nix.
type fakeEval map[string]map[string]any

func (f fakeEval) Eval(_ context.Context, file, _, _ string) (map[string]any, error) {
	if v, ok := f[filepath.Base(file)]; ok {
		return v, nil
	}
	return nil, errors.New("evaluating " + file + ": no such fixture")
}

// Two hosts that become one file are refused before anything is written;
// a file that appeared meanwhile is not overwritten.
func TestMigrateNeverOverwritesSilently(t *testing.T) {
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "hosts", "a.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "b.nix"), "{ }\n")
	same := fakeEval{"a.nix": {"hostname": "x"}, "b.nix": {"hostname": "x"}}
	out, code := cmdtest.Run(t, New(same), dir)
	if code != exitcode.Usage || !strings.Contains(out, "both become hosts/x.toml") {
		t.Errorf("duplicate: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "x.toml")); err == nil {
		t.Error("a file was written")
	}
	ev := fakeEval{"a.nix": {"hostname": "a", "extraConfig": map[string]any{"axios": map[string]any{"system": map[string]any{"timeZone": "UTC"}}}}, "b.nix": {"hostname": "b"}}
	rep, err := Run(context.Background(), Options{Path: dir, Eval: ev, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	// Another copy writes hosts/a.toml between the plan and the write.
	cmdtest.Write(t, filepath.Join(dir, "hosts", "a.toml"), "mine\n")
	err = write(context.Background(), dir, rep)
	var ce *ConflictError
	if !errors.As(err, &ce) || read(t, filepath.Join(dir, "hosts", "a.toml")) != "mine\n" {
		t.Errorf("race: %v", err)
	}
	// A cancelled run (Ctrl-C) stops before writing.
	os.Remove(filepath.Join(dir, "hosts", "a.toml"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Path: dir, Eval: ev}); err == nil || !strings.Contains(err.Error(), "stopped before writing") {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "a.toml")); err == nil {
		t.Error("a cancelled run wrote a file")
	}
}

// The original's multi-host example: hosts inline in flake.nix, read by
// calling its outputs with stand-in inputs.
func TestMigrateFlakeWithInlineHosts(t *testing.T) {
	t.Parallel()
	testutil.RequireTool(t, "nix-instantiate")
	dir := copyTree(t, fixture(t, "multihost"))
	out, code := cmdtest.Run(t, New(nil), dir)
	if code != exitcode.OK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out,
		"flake.nix (nixosConfigurations.desktop) → hosts/desktop.toml",
		"flake.nix (nixosConfigurations.server) → hosts/server.toml",
		"flake.nix (nixosConfigurations.plain): not made by axios.lib.mkSystem, left alone",
		"password    users/alice.nix: users.users.alice.initialPassword",
		"unchanged   hosts/desktop/hardware.nix",
		// diskConfigPath named hosts/desktop/disks.nix, which mkHosts imports.
		"unconverted diskConfigPath → hosts/desktop/disks/disks.nix",
		"notice      hosts/desktop/disks.nix")
	server := read(t, filepath.Join(dir, "hosts", "server.toml"))
	for _, want := range []string{"services = true", "virt = true", "desktop = false", `networking.tailscale.domain = "example-tailnet.ts.net"`} {
		if !strings.Contains(server, want) {
			t.Errorf("hosts/server.toml lacks %q:\n%s", want, server)
		}
	}
	// self + "/motd" is a path of the configuration, relative to the module.
	if mod := read(t, filepath.Join(dir, "hosts", "server", "migrated.nix")); !strings.Contains(mod, "environment.etc.motd.source = ../../motd;") {
		t.Errorf("migrated.nix:\n%s", mod)
	}
	if strings.Contains(read(t, filepath.Join(dir, "hosts", "desktop", "user.nix")), "changeme") {
		t.Error("the known password was copied")
	}
	if _, err := os.Stat(filepath.Join(dir, "hosts", "plain.toml")); err == nil {
		t.Error("a host not made by mkSystem was converted")
	}
	rep, err := checkdir.Check(context.Background(), []string{dir}, checkdir.DirOptions{Runner: runner.Exec{}})
	if err != nil || !rep.Valid || len(rep.Hosts) != 2 {
		t.Errorf("axios check: %v %+v", err, rep)
	}
	// The init layout's flake.nix names the same host as hosts/tower.nix.
	initDir := copyTree(t, fixture(t, "init"))
	viaFlake, code := cmdtest.Run(t, New(nil), filepath.Join(initDir, "flake.nix"), "--dry-run", "--json")
	if code != exitcode.OK {
		t.Fatalf("init flake.nix: exit %d\n%s", code, viaFlake)
	}
	viaHost, _ := cmdtest.Run(t, New(nil), filepath.Join(initDir, "hosts", "tower.nix"), "--dry-run", "--json")
	var a, b Report
	if err := json.Unmarshal([]byte(viaFlake), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(viaHost), &b); err != nil {
		t.Fatal(err)
	}
	if a.Hosts[0].Files[0].Content[strings.Index(a.Hosts[0].Files[0].Content, "\n"):] != b.Hosts[0].Files[0].Content[strings.Index(b.Hosts[0].Files[0].Content, "\n"):] {
		t.Errorf("flake.nix and hosts/tower.nix give different hosts:\n%s\n%s", a.Hosts[0].Files[0].Content, b.Hosts[0].Files[0].Content)
	}
}
