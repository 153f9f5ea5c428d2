package initcmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/exposure"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/passwd"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

func fixture(t *testing.T, name string) string {
	return filepath.Join(testutil.RepoRoot(t), "internal", "hwdetect", "testdata", name)
}

func testDeps(env map[string]string) deps {
	return deps{
		runner:   runner.Exec{},
		lookPath: func(string) (string, error) { return "", exec.ErrNotFound },
		env: func(root string) Env {
			e := defaultEnv(root)
			e.Getenv = func(k string) string { return env[k] }
			e.Now = func() time.Time { return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) }
			return e
		},
		interactive: func() bool { return false },
		ask: func(*generate.Answers, *hwdetect.Report, *catalog.Catalog, *rules.Rules) error {
			return errors.New("the form must not run in tests")
		},
	}
}

// runInit runs `axios init` with args and returns stdout, stderr and the error.
func runInit(t *testing.T, d deps, args ...string) (string, string, error) {
	t.Helper()
	cmd := newCommand(d)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SetContext(context.Background())
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func readHost(t *testing.T, path string) map[string]any {
	t.Helper()
	h, err := hostfile.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return h.Values
}

func get(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		t, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = t[k]
	}
	return v
}

// checkGenerated runs every check a generated configuration must pass.
func checkGenerated(t *testing.T, dir, host string) {
	t.Helper()
	rep, err := checkdir.CheckDir(context.Background(), dir, checkdir.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid {
		t.Errorf("CheckDir rejects the configuration: %+v", rep.Diagnostics)
	}
	core := filepath.Join(testutil.RepoRoot(t), "lib", "core")
	if _, err := os.Stat(filepath.Join(core, "default.nix")); err != nil {
		t.Fatalf("lib/core is missing: %v", err)
	}
	// One evaluation (one nix-instantiate start-up instead of three): the
	// generated flake.nix and hardware.nix parse (importing a file parses
	// all of it; a syntax error fails the evaluation naming the file and
	// line), the core's checkHost on the host file, and what mkHosts would
	// find in hosts/ (exactly this host, with its hardware.nix).
	var res struct {
		Errors []map[string]any `json:"errors"`
		Found  map[string]struct {
			Name      string `json:"name"`
			HasHWFile bool   `json:"hw"`
		} `json:"found"`
	}
	expr := `let core = import ` + core + ` { }; in
	builtins.seq (import ` + filepath.Join(dir, "flake.nix") + `) (builtins.seq (import ` + filepath.Join(dir, "hosts", host, "hardware.nix") + `) {
	  errors = (core.checkHost { host = builtins.fromTOML (builtins.readFile ` + filepath.Join(dir, "hosts", host+".toml") + `); name = "` + host + `"; form = "toml"; }).errors;
	  found = builtins.mapAttrs (n: d: { name = d.name; hw = d.hardwareConfigPath != null; }) (core.discoverHosts ` + filepath.Join(dir, "hosts") + `);
	})`
	// Every path in it is absolute: evaluated from the repository, it
	// shares a process with the other configurations checked at the time.
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &res)
	if len(res.Errors) != 0 {
		t.Errorf("the Nix core rejects the host: %v", res.Errors)
	}
	if len(res.Found) != 1 || res.Found[host].Name != host || !res.Found[host].HasHWFile {
		t.Errorf("discoverHosts found %+v, want only %s with its hardware.nix", res.Found, host)
	}
}

func TestInitFixtures(t *testing.T) {
	t.Parallel()
	type want struct {
		host                               string
		cpu, gpu, vendor, formFactor, prof string
		ssd, laptop, graphics              bool
		warning                            string // in stderr
		gpuID                              string // hardware.gpuDeviceId
		nvidiaOpen                         any    // hardware.nvidiaOpen: nil (unset) or false
	}
	cases := map[string]want{
		"amd-desktop":         {"tower", "amd", "amd", "msi", "desktop", "workstation", true, false, true, "placeholder", "1002:744c", nil},
		"nvidia-intel-laptop": {"xps", "intel", "nvidia", "", "laptop", "laptop", true, true, true, "placeholder", "10de:28e0", nil},
		"pascal-laptop":       {"oldxps", "intel", "nvidia", "", "laptop", "laptop", true, true, true, "placeholder", "10de:1c20", false},
		"vm-nogpu":            {"nixvm", "intel", "", "", "desktop", "workstation", false, false, false, "placeholder", "", nil},
		"bios-machine":        {"oldbox", "intel", "intel", "", "desktop", "workstation", true, false, true, "UEFI machines only", "8086:0412", nil},
		"system76-laptop":     {"pangolin", "amd", "amd", "system76", "laptop", "laptop", true, true, true, "placeholder", "1002:15bf", nil},
		"msi-laptop":          {"stealth", "amd", "nvidia", "", "laptop", "laptop", true, true, true, "placeholder", "10de:2860", nil},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "config")
			out, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), "--yes", "--root", fixture(t, name), "--dir", dir, "--email", "ada@example.org")
			if err != nil {
				t.Fatalf("%v\n%s\n%s", err, out, stderr)
			}
			if !strings.Contains(stderr, w.warning) {
				t.Errorf("stderr lacks %q:\n%s", w.warning, stderr)
			}
			if !strings.Contains(out, "sudo nixos-rebuild switch --flake "+dir+"#"+w.host) {
				t.Errorf("no next command in output:\n%s", out)
			}
			v := readHost(t, filepath.Join(dir, "hosts", w.host+".toml"))
			str := func(p string) string { s, _ := get(v, p).(string); return s }
			for p, want := range map[string]string{
				"hostname": w.host, "hardware.cpu": w.cpu, "hardware.gpu": w.gpu, "hardware.vendor": w.vendor,
				"formFactor": w.formFactor, "homeProfile": w.prof, "users.ada.email": "ada@example.org",
				"hardware.gpuDeviceId": w.gpuID,
			} {
				if got := str(p); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			if got := get(v, "hardware.nvidiaOpen"); got != w.nvidiaOpen {
				t.Errorf("hardware.nvidiaOpen = %v, want %v", got, w.nvidiaOpen)
			}
			if get(v, "hardware.hasSSD") != w.ssd || get(v, "hardware.isLaptop") != w.laptop || get(v, "modules.graphics") != w.graphics {
				t.Errorf("hardware/modules: %v %v", get(v, "hardware"), get(v, "modules"))
			}
			checkGenerated(t, dir, w.host)
		})
	}
}

func TestInitFullNameFromPasswd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	v := readHost(t, filepath.Join(dir, "hosts", "tower.toml"))
	if get(v, "users.ada.fullName") != "Ada Lovelace" {
		t.Errorf("fullName = %v, want the GECOS name", get(v, "users.ada.fullName"))
	}
	if _, ok := get(v, "users.ada").(map[string]any)["email"]; ok {
		t.Error("an empty e-mail was written")
	}
}

func TestInitEscaping(t *testing.T) {
	t.Parallel()
	names := []string{`Ada "the Countess" Lovelace`, `Back\slash \n ${x} ''`, `José 山田 🚀`}
	for _, n := range names {
		dir := t.TempDir()
		_, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada", "--full-name", n, "--email", `o'brien+x@example.org`)
		if err != nil {
			t.Fatalf("%q: %v\n%s", n, err, stderr)
		}
		v := readHost(t, filepath.Join(dir, "hosts", "nixvm.toml"))
		if get(v, "users.ada.fullName") != n {
			t.Errorf("fullName read back as %q, want %q", get(v, "users.ada.fullName"), n)
		}
		checkGenerated(t, dir, "nixvm")
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := []string{"--yes", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada"}
	if _, stderr, err := runInit(t, testDeps(nil), args...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	host := filepath.Join(dir, "hosts", "nixvm.toml")
	if err := os.WriteFile(host, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runInit(t, testDeps(nil), append(args, "--enable", "gaming")...)
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Failed {
		t.Fatalf("got %v, want exit code %d", err, exitcode.Failed)
	}
	// An existing configuration: only the host's own files count.
	for _, f := range []string{"hosts/nixvm.toml", "hosts/nixvm/hardware.nix"} {
		if !strings.Contains(stderr, f) {
			t.Errorf("stderr does not list %s:\n%s", f, stderr)
		}
	}
	for _, f := range []string{"flake.nix", "README.md", ".gitignore"} {
		if strings.Contains(stderr, f) {
			t.Errorf("stderr lists the shared file %s:\n%s", f, stderr)
		}
	}
	if b, _ := os.ReadFile(host); string(b) != "# mine\n" {
		t.Error("the host file was overwritten without --force")
	}
	out, stderr, err := runInit(t, testDeps(nil), append(args, "--enable", "gaming", "--force")...)
	if err != nil {
		t.Fatalf("--force: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "gaming needs graphics: turned graphics on") {
		t.Errorf("no note about gaming needing graphics:\n%s", out)
	}
	v := readHost(t, host)
	if get(v, "modules.gaming") != true || get(v, "modules.graphics") != true {
		t.Errorf("modules after --force: %v", get(v, "modules"))
	}
	checkGenerated(t, dir, "nixvm")
}

func TestInitErrors(t *testing.T) {
	t.Parallel()
	root := fixture(t, "vm-nogpu")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no terminal", []string{"--root", root}, exitcode.Usage, "--yes"},
		// Rule violations: exit 1 with the rule's code and the flag to change.
		{"bad hostname", []string{"--yes", "--root", root, "--user", "ada", "--hostname", "bad name!"}, exitcode.Failed, "AX105 hostname: hostname = \"bad name!\" is not valid"},
		{"bad user", []string{"--yes", "--root", root, "--user", "Ada"}, exitcode.Failed, "AX107 users.Ada"},
		{"system user", []string{"--yes", "--root", root, "--user", "root"}, exitcode.Failed, "AX111 users.root"},
		{"bad email", []string{"--yes", "--root", root, "--user", "ada", "--email", "not-an-email"}, exitcode.Failed, "AX105 users.ada.email"},
		{"bad zone", []string{"--yes", "--root", root, "--user", "ada", "--timezone", "Europe/Atlantis"}, exitcode.Failed, "AX112 timeZone"},
		{"misspelt zone", []string{"--yes", "--root", root, "--user", "ada", "--timezone", "Europe/Berln"}, exitcode.Failed, `did you mean "Europe/Berlin"?) (set it with --timezone)`},
		{"x86 cpu on aarch64", []string{"--yes", "--root", root, "--user", "ada", "--system", "aarch64-linux"}, exitcode.Failed, "AX205 hardware.cpu"},
		{"bad hostname's flag", []string{"--yes", "--root", root, "--user", "ada", "--hostname", "bad name!"}, exitcode.Failed, "(set it with --hostname)"},
		// A warning next to the errors names the flag that fixes it too.
		{"no password's flag", []string{"--yes", "--root", root, "--user", "ada", "--hostname", "bad name!"}, exitcode.Failed, "(set it with --password-file)"},
		{"bad cpu", []string{"--yes", "--root", root, "--user", "ada", "--cpu", "arm"}, exitcode.Failed, `AX104 hardware.cpu: hardware.cpu = "arm" is not allowed`},
		{"bad cpu's flag", []string{"--yes", "--root", root, "--user", "ada", "--cpu", "arm"}, exitcode.Failed, "(set it with --cpu)"},
		{"msi laptop", []string{"--yes", "--root", root, "--user", "ada", "--vendor", "msi", "--form-factor", "laptop"}, exitcode.Failed, "AX204 formFactor"},
		// Not a host rule: exit 2 with the flag to change (a flag that
		// cannot be parsed: cmd/axios TestUsageErrors).
		{"control character in the full name", []string{"--yes", "--root", root, "--user", "ada", "--full-name", "Ada\x01"}, exitcode.Usage, "(set it with --full-name)"},
		{"control character in the axios URL", []string{"--yes", "--root", root, "--user", "ada", "--axios-url", "github:axios-nix/axios\x07"}, exitcode.Usage, "(set it with --axios-url)"},
		{"unknown module", []string{"--yes", "--root", root, "--user", "ada", "--enable", "gamming"}, exitcode.Usage, "gaming"},
		{"conflict", []string{"--yes", "--root", root, "--user", "ada", "--enable", "gaming", "--disable", "graphics"}, exitcode.Usage, "modules.gaming needs modules.graphics"},
		{"both", []string{"--yes", "--root", root, "--user", "ada", "--enable", "ai", "--disable", "ai"}, exitcode.Usage, "both"},
		{"missing root", []string{"--yes", "--root", "/does/not/exist", "--user", "ada"}, exitcode.Usage, "--root"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "config")
			_, stderr, err := runInit(t, testDeps(nil), append(c.args, "--dir", dir)...)
			var coded *exitcode.Error
			if !errors.As(err, &coded) || coded.Code != c.code {
				t.Fatalf("got %v, want exit code %d", err, c.code)
			}
			if msg := stderr + err.Error(); !strings.Contains(msg, c.want) {
				t.Errorf("message lacks %q: %s", c.want, msg)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Error("something was written")
			}
		})
	}
}

func TestInitGit(t *testing.T) {
	t.Parallel()
	git := testutil.RequireTool(t, "git")
	dir := t.TempDir()
	out, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "nvidia-intel-laptop"), "--dir", dir, "--user", "ada", "--git")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "flakes only see files git tracks") {
		t.Errorf("output does not explain why the files are added:\n%s", out)
	}
	ls, err := exec.Command(git, "-C", dir, "ls-files").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"flake.nix", "hosts/xps.toml", "hosts/xps/hardware.nix", "README.md", ".gitignore"} {
		if !strings.Contains(string(ls), f+"\n") {
			t.Errorf("%s is not tracked: %s", f, ls)
		}
	}
	checkGenerated(t, dir, "xps")
}

func TestInitHardwareFromRoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(fixture(t, "bios-machine"))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "etc/nixos"), 0o755); err != nil {
		t.Fatal(err)
	}
	hw := "{ ... }:\n{\n  fileSystems.\"/\".device = \"/dev/sda1\";\n}\n"
	if err := os.WriteFile(filepath.Join(root, "etc/nixos/hardware-configuration.nix"), []byte(hw), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", root, "--dir", dir, "--user", "ada")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "hosts/oldbox/hardware.nix"))
	if string(b) != hw || !strings.Contains(out, "hardware.nix: from "+filepath.Join(root, "etc/nixos/hardware-configuration.nix")) {
		t.Errorf("hardware.nix not copied from the root:\n%s\n%s", b, out)
	}
}

func TestInitDryRun(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config")
	out, _, err := runInit(t, testDeps(nil), "--yes", "--dry-run", "--root", fixture(t, "vm-nogpu"), "--dir", dir, "--user", "ada")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "hosts/nixvm.toml") {
		t.Errorf("dry run does not list the files:\n%s", out)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("--dry-run wrote files")
	}
}

func TestInitOddDetectedZone(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(fixture(t, "vm-nogpu"))); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "etc/localtime")
	os.Remove(link)
	if err := os.Symlink("/usr/share/zoneinfo/Factory", link); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", root, "--dir", dir, "--user", "ada")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "using UTC") {
		t.Errorf("no warning about the zone:\n%s", stderr)
	}
	if v := readHost(t, filepath.Join(dir, "hosts", "nixvm.toml")); get(v, "timeZone") != "UTC" {
		t.Errorf("timeZone = %v", get(v, "timeZone"))
	}
}

// With the secrets module, init writes the secrets quick start and the
// module pointing at the folder, tracks both with --git, and the result
// checks clean (no untracked file).
func TestInitSecrets(t *testing.T) {
	t.Parallel()
	git := testutil.RequireTool(t, "git")
	dir := t.TempDir()
	out, stderr, err := runInit(t, testDeps(nil), "--yes", "--root", fixture(t, "nvidia-intel-laptop"), "--dir", dir, "--user", "ada", "--enable", "secrets", "--git")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, f := range []string{"secrets/README.md", "hosts/xps/secrets.nix"} {
		if !strings.Contains(out, "  "+f+"\n") {
			t.Errorf("%s not listed as written:\n%s", f, out)
		}
	}
	ls, err := exec.Command(git, "-C", dir, "ls-files").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"secrets/README.md", "hosts/xps/secrets.nix"} {
		if !strings.Contains(string(ls), f+"\n") {
			t.Errorf("%s is not tracked: %s", f, ls)
		}
	}
	readme, err := os.ReadFile(filepath.Join(dir, "secrets", "README.md"))
	if err != nil || !strings.Contains(string(readme), "age -r") || !strings.Contains(string(readme), "/run/agenix/") {
		t.Errorf("secrets/README.md: %v\n%s", err, readme)
	}
	checkGenerated(t, dir, "xps")
	rep, err := checkdir.CheckDir(context.Background(), dir, checkdir.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Diagnostics {
		if d.Code == checkdir.CodeUntracked {
			t.Errorf("untracked after --git: %s", d.File)
		}
	}
}

// Run as root without sudo and without --user, init writes no [users] table
// (root is a system account the rules reject, AX111) and says so; the
// configuration is still valid. An explicit --user root is refused.
func TestInitAsRootWritesNoUser(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config")
	d := testDeps(map[string]string{"USER": "root"})
	_, stderr, err := runInit(t, d, "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--hostname", "forge")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, rootUserNote) {
		t.Errorf("no warning about the missing user:\n%s", stderr)
	}
	host := readHost(t, filepath.Join(dir, "hosts", "forge.toml"))
	if _, ok := host["users"]; ok {
		t.Errorf("users = %v, want no [users] table", host["users"])
	}
	checkGenerated(t, dir, "forge")

	_, stderr, err = runInit(t, d, "--yes", "--root", fixture(t, "amd-desktop"), "--dir", filepath.Join(t.TempDir(), "c2"), "--user", "root")
	if err == nil || !strings.Contains(stderr+err.Error(), "system account") {
		t.Errorf("--user root: err %v, stderr %s; want a refusal naming the system account", err, stderr)
	}
}

// TestInitLinger: --linger writes linger = true for the primary user;
// without it the key is only a commented hint (the host stays valid).
func TestInitLinger(t *testing.T) {
	t.Parallel()
	for _, linger := range []bool{true, false} {
		dir := t.TempDir()
		args := []string{"--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir}
		if linger {
			args = append(args, "--linger")
		}
		_, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		v := readHost(t, filepath.Join(dir, "hosts", "tower.toml"))
		got, ok := get(v, "users.ada").(map[string]any)["linger"]
		if linger && got != true {
			t.Errorf("--linger: users.ada.linger = %v, want true", got)
		}
		if !linger && ok {
			t.Errorf("without --linger, linger = %v was written", got)
		}
		raw, err := os.ReadFile(filepath.Join(dir, "hosts", "tower.toml"))
		if err != nil {
			t.Fatal(err)
		}
		if !linger && !strings.Contains(string(raw), "# linger = true") {
			t.Errorf("the host file lacks the commented linger hint:\n%s", raw)
		}
		checkGenerated(t, dir, "tower")
	}
}

// TestInitSSHEverywhere: SSH stays on the tailnet unless init is told to
// open it everywhere; the exposure report of the written host shows it.
func TestInitSSHEverywhere(t *testing.T) {
	t.Parallel()
	for _, everywhere := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "config")
		args := []string{"--yes", "--root", fixture(t, "nvidia-intel-laptop"), "--dir", dir}
		if everywhere {
			args = append(args, "--ssh-everywhere")
		}
		if out, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), args...); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, stderr)
		}
		file := filepath.Join(dir, "hosts", "xps.toml")
		h, err := hostfile.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := exposure.ForHost(h, exposure.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var other []string
		for _, e := range r.Other {
			other = append(other, e.Service+" "+e.AskedBy)
		}
		want := ""
		if everywhere {
			want = "ssh services.openssh.openFirewall"
		}
		if strings.Join(other, ";") != want {
			t.Errorf("--ssh-everywhere=%v: other interfaces %q, want %q", everywhere, other, want)
		}
		if len(r.Tailnet) == 0 || r.Tailnet[len(r.Tailnet)-1].Service != "ssh" {
			t.Errorf("--ssh-everywhere=%v: ssh not on the tailnet: %+v", everywhere, r.Tailnet)
		}
		checkGenerated(t, dir, "xps")
	}
}

// runInitStdin is runInit with standard input.
func runInitStdin(t *testing.T, d deps, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := newCommand(d)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	cmd.SetContext(context.Background())
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// TestInitPasswordFile: --yes takes the password from --password-file (or
// standard input with -), writes only its hash, leaves the file as it was
// and shows the password nowhere.
func TestInitPasswordFile(t *testing.T) {
	t.Parallel()
	const pw = "Tr0ub4dor &3 zebra"
	pwFile := filepath.Join(t.TempDir(), "pw.txt")
	if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ arg, stdin string }{
		"file":  {pwFile, ""},
		"stdin": {"-", pw + "\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "config")
			out, stderr, err := runInitStdin(t, testDeps(map[string]string{"USER": "ada"}), c.stdin,
				"--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--password-file", c.arg)
			if err != nil {
				t.Fatalf("%v\n%s\n%s", err, out, stderr)
			}
			host := filepath.Join(dir, "hosts", "tower.toml")
			hash, _ := get(readHost(t, host), "users.ada.hashedPassword").(string)
			if !strings.HasPrefix(hash, "$y$j9T$") || !passwd.Verify([]byte(pw), hash) {
				t.Errorf("hashedPassword = %q is not a yescrypt hash of the password", hash)
			}
			raw, _ := os.ReadFile(host)
			for where, text := range map[string]string{"stdout": out, "stderr": stderr, "host file": string(raw)} {
				if strings.Contains(text, "Tr0ub4dor") {
					t.Errorf("the password appears in %s", where)
				}
			}
			if strings.Contains(stderr, "AX601") || strings.Contains(stderr, "no --password-file") {
				t.Errorf("a user with a password is warned about:\n%s", stderr)
			}
			checkGenerated(t, dir, "tower")
		})
	}
	info, err := os.Stat(pwFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the password file changed: %v %v", info.Mode(), err)
	}
	if raw, _ := os.ReadFile(pwFile); string(raw) != pw+"\n" {
		t.Error("the password file's content changed")
	}
}

// TestInitPasswordFileErrors: an unusable password file stops init before
// anything is written, names the flag and never quotes the file.
func TestInitPasswordFileErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, path := range map[string]string{
		"missing":   filepath.Join(tmp, "nope"),
		"empty":     write("empty", ""),
		"two lines": write("two", "secret-one\nsecret-two\n"),
		"huge":      write("huge", strings.Repeat("secret-", 2000)),
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "config")
			out, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir, "--password-file", path)
			if err == nil {
				t.Fatalf("no error\n%s", out)
			}
			var ee *exitcode.Error
			if !errors.As(err, &ee) || ee.Code != exitcode.Usage {
				t.Errorf("error %v, want exit code %d", err, exitcode.Usage)
			}
			if !strings.Contains(err.Error(), "--password-file") {
				t.Errorf("the error does not name the flag: %v", err)
			}
			if strings.Contains(err.Error()+out+stderr, "secret-") {
				t.Errorf("the file's content shows: %v %s %s", err, out, stderr)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("something was written: %v", err)
			}
		})
	}
}

// TestInitWithoutPassword: --yes without --password-file writes no hash and
// says so twice: init's own note and the AX601 warning of the check.
func TestInitWithoutPassword(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config")
	_, stderr, err := runInit(t, testDeps(map[string]string{"USER": "ada"}), "--yes", "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "no --password-file: ada gets no password") || !strings.Contains(stderr, "AX601 users.ada") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if _, ok := get(readHost(t, filepath.Join(dir, "hosts", "tower.toml")), "users.ada").(map[string]any)["hashedPassword"]; ok {
		t.Error("a hashedPassword was written without a password")
	}
}

// TestInitFormWithPasswordFile: with --password-file the form does not ask
// for the password and the file's hash is written.
func TestInitFormWithPasswordFile(t *testing.T) {
	t.Parallel()
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from the file"), 0o600); err != nil {
		t.Fatal(err)
	}
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript, "forge", "", "", "", "", "", "", "", "", "", "", "", "0", "", "", "")
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir, "--password-file", pwFile)
	if err != nil {
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, transcript.String())
	}
	if strings.Contains(transcript.String(), "Password") {
		t.Errorf("the form asked for a password although --password-file gave one:\n%s", transcript.String())
	}
	hash, _ := get(readHost(t, filepath.Join(dir, "hosts", "forge.toml")), "users.ada.hashedPassword").(string)
	if !passwd.Verify([]byte("from the file"), hash) {
		t.Errorf("hashedPassword = %q", hash)
	}
}
