package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
)

// run executes `axios check` in-process and returns its output and exit code.
// Without Deps.Getenv the cache folder is an empty temporary one, so no
// option index of the machine running the tests is used.
func run(t *testing.T, deps Deps, args ...string) (string, int) {
	t.Helper()
	if deps.Getenv == nil {
		deps.Getenv = cacheEnv(t.TempDir())
	}
	return cmdtest.Run(t, New(deps), args...)
}

func cacheEnv(dir string) func(string) string {
	return func(k string) string {
		if k == "XDG_CACHE_HOME" {
			return dir
		}
		return ""
	}
}

func TestCheckValidFile(t *testing.T) {
	out, code := run(t, Deps{}, cmdtest.HostVector(t, "minimal"))
	if code != exitcode.OK || !strings.Contains(out, "1 host checked, no problems") {
		t.Errorf("code %d, output:\n%s", code, out)
	}
}

func TestCheckInvalidFile(t *testing.T) {
	file := cmdtest.HostVector(t, "multiple-problems")
	out, code := run(t, Deps{}, file)
	if code != exitcode.Failed {
		t.Errorf("code %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 11 {
		t.Fatalf("want 9 problems, a note and a summary, got:\n%s", out)
	}
	if !strings.HasSuffix(lines[1], `:7: AX104 hardware.cpu: hardware.cpu = "arm" is not allowed (fix: use one of "amd", "intel" (did you mean "amd"?))`) {
		t.Errorf("line %q", lines[1])
	}
	if !strings.Contains(lines[8], "AX302 virt: warning: [virt] is ignored") {
		t.Errorf("warning line %q", lines[8])
	}
	if !strings.HasPrefix(lines[9], "note: extraConfig and the [virt], [secrets] and [selfHosted] tables are not checked") {
		t.Errorf("note %q", lines[9])
	}
	if lines[10] != "✗ 1 host checked: 8 errors, 1 warning" {
		t.Errorf("summary %q", lines[10])
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour written to a buffer")
	}
}

func TestCheckWarningsOnly(t *testing.T) {
	out, code := run(t, Deps{}, cmdtest.HostVector(t, "warn-unused-settings"))
	if code != exitcode.OK || !strings.Contains(out, "valid (") {
		t.Errorf("code %d:\n%s", code, out)
	}
}

func TestCheckJSON(t *testing.T) {
	out, code := run(t, Deps{}, "--json", cmdtest.HostVector(t, "bad-requires"), cmdtest.HostVector(t, "minimal"))
	if code != exitcode.Failed {
		t.Errorf("code %d", code)
	}
	var rep checkdir.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Valid || len(rep.Hosts) != 2 || rep.Hosts[1].Valid != true || len(rep.Diagnostics) == 0 {
		t.Errorf("report %+v", rep)
	}
	d := rep.Diagnostics[0]
	if d.Code != "AX301" || d.Field == "" || d.Message == "" || d.Fix == "" || d.Severity != "error" || d.Line == 0 {
		t.Errorf("diagnostic %+v", d)
	}
	out, code = run(t, Deps{}, "--json", cmdtest.HostVector(t, "minimal"))
	if code != exitcode.OK || !strings.Contains(out, `"valid": true`) || !strings.Contains(out, `"diagnostics": []`) {
		t.Errorf("valid JSON report, code %d:\n%s", code, out)
	}
}

func TestCheckGarbage(t *testing.T) {
	dir := t.TempDir()
	inputs := map[string][]byte{
		"binary.toml": {0, 1, 2, 0xff, 0xfe, '\n', '[', 0},
		"deep.toml":   []byte("a = " + strings.Repeat("[", 5000)),
		"utf8.toml":   []byte("hostname = \"h\xc3\x28\"\n"),
		"empty.toml":  {},
	}
	for name, data := range inputs {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, code := run(t, Deps{}, p)
		if code != exitcode.Failed || strings.Contains(out, "panic") || strings.Contains(out, "goroutine") {
			t.Errorf("%s: code %d:\n%s", name, code, out)
		}
	}
}

func TestCheckUsageErrors(t *testing.T) {
	out, code := run(t, Deps{}, filepath.Join(t.TempDir(), "missing.toml"))
	if code != exitcode.Usage || !strings.Contains(out, "missing.toml") {
		t.Errorf("missing file: code %d: %s", code, out)
	}
	out, code = run(t, Deps{Resolver: cmdtest.NoConfig(t)})
	if code != exitcode.Usage || !strings.Contains(out, "no axiOS configuration directory") {
		t.Errorf("no config: code %d: %s", code, out)
	}
	_, code = run(t, Deps{}, "--dir", t.TempDir(), cmdtest.HostVector(t, "minimal"))
	if code != exitcode.Usage {
		t.Errorf("PATH with --dir: code %d", code)
	}
	_, code = run(t, Deps{}, "--bogus")
	if code != exitcode.Usage {
		t.Errorf("unknown flag: code %d", code)
	}
}

func TestCheckDirectory(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "hosts", "tower"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "flake.nix"), []byte("{ }\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "hosts", "tower.toml"), []byte("hostname = \"tower\"\ntimeZone = \"UTC\"\n"), 0o644))
	out, code := run(t, Deps{}, "--dir", dir)
	if code != exitcode.Failed || !strings.Contains(out, "AX403") || !strings.Contains(out, filepath.Join("hosts", "tower", "hardware.nix")+": AX403: ") {
		t.Errorf("code %d:\n%s", code, out)
	}
	must(os.WriteFile(filepath.Join(dir, "hosts", "tower", "hardware.nix"), []byte("{ }\n"), 0o644))
	env := configdir.Resolver{Getenv: func(k string) string {
		if k == configdir.EnvVar {
			return dir
		}
		return ""
	}}
	out, code = run(t, Deps{Resolver: env})
	if code != exitcode.OK {
		t.Errorf("$AXIOS_FLAKE dir: code %d:\n%s", code, out)
	}
}

func TestCheckStdin(t *testing.T) {
	cmd := New(Deps{})
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetIn(strings.NewReader("hostname = \"tower\"\ntimeZone = \"UTC\"\n[hardware]\ncpu = \"arm\"\n"))
	cmd.SetArgs([]string{"--stdin-filename", "hosts/desk.toml", "-"})
	err := cmd.Execute()
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Failed {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"hosts/desk.toml:4: AX104 hardware.cpu", "hosts/desk.toml:1: AX110 hostname"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	cmd = New(Deps{})
	cmd.SetOut(&out)
	cmd.SetIn(strings.NewReader("hostname = \"tower\"\ntimeZone = \"UTC\"\n"))
	cmd.SetArgs([]string{"-"})
	if err := cmd.Execute(); err != nil || !strings.Contains(out.String(), "no problems") {
		t.Errorf("stdin without a name: %v\n%s", err, out.String())
	}
}
