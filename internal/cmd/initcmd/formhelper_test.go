package initcmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/formwire"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/helper"
)

// fakeFormHelper installs a stand-in for axios-init-form, a shell script,
// and returns init's deps that run it, and the script's folder.
func fakeFormHelper(t *testing.T, script string) (deps, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, helper.InitForm)
	if err := os.WriteFile(path, []byte("#!/bin/sh\ncd "+dir+"\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	term, err := os.Create(filepath.Join(dir, "terminal"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { devnull.Close(); term.Close() })
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = formHelper{find: func() (string, error) { return path, nil }, stdin: devnull, stdout: term, stderr: term}.ask
	return d, dir
}

// The answers go to the helper on its descriptor 3 and come back on 4:
// what the helper answers is what init writes (after validating it).
func TestFormHelperHandOff(t *testing.T) {
	t.Parallel()
	d, hdir := fakeFormHelper(t, `[ "$1 $2" = "--request-fd=3 --reply-fd=4" ] || { echo "bad arguments: $*" >&2; exit 2; }
cat <&3 > request.json
cat reply.json >&4
`)
	reply := formwire.Reply{Protocol: formwire.Protocol, Answers: generate.Answers{
		Hostname: "forge", System: "x86_64-linux", TimeZone: "Europe/Berlin", FormFactor: "desktop", CPU: "amd", GPU: "amd",
		HomeProfile: "workstation", Modules: map[string]bool{"gaming": true, "desktop": true},
		User:     generate.User{Name: "grace", FullName: "Grace Hopper", Email: "grace@example.org"},
		AxiosURL: generate.DefaultAxiosURL, Date: "2026-11-29",
	}}
	b, _ := json.Marshal(reply)
	if err := os.WriteFile(filepath.Join(hdir, "reply.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		term, _ := os.ReadFile(filepath.Join(hdir, "terminal"))
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, term)
	}
	raw, err := os.ReadFile(filepath.Join(hdir, "request.json"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := formwire.ReadRequest(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("the helper got %s: %v", raw, err)
	}
	if req.Answers.User.Name != "ada" || req.Answers.CPU != "amd" || req.Hardware.CPU.Value != "amd" || req.Answers.Modules["desktop"] != true {
		t.Errorf("the request lacks the pre-filled answers or the detection: %s", raw)
	}
	v := readHost(t, filepath.Join(dir, "hosts", "forge.toml"))
	for p, want := range map[string]any{"hostname": "forge", "timeZone": "Europe/Berlin", "users.grace.email": "grace@example.org", "modules.gaming": true, "modules.graphics": true} {
		if got := get(v, p); got != want {
			t.Errorf("%s = %v, want %v (the helper's answer, dependencies resolved)", p, got, want)
		}
	}
	checkGenerated(t, dir, "forge")
}

// The helper's ending decides init's: cancelled (status 3 or a signal)
// prints "Cancelled" and exits 3; another status passes through; a reply
// that is missing, too large, of another protocol or malformed is refused.
// Nothing is written in any case.
func TestFormHelperOutcomes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, script string
		code         int
		want         string
	}{
		{"cancelled", "exit 3\n", exitcode.Aborted, "Cancelled; nothing was written."},
		{"hang-up", "kill -HUP $$\nsleep 5\n", exitcode.Aborted, "Cancelled; nothing was written."},
		{"ctrl-c", "kill -INT $$\nsleep 5\n", exitcode.Aborted, "Cancelled; nothing was written."},
		{"failed", "echo 'axios-init-form: no terminal' >&2\nexit 2\n", exitcode.Usage, "failed with exit status 2"},
		{"other status", "exit 7\n", 7, "failed with exit status 7"},
		{"no reply", "cat <&3 >/dev/null\nexit 0\n", exitcode.Usage, "gave no answers: no message"},
		{"huge reply", "head -c 2000000 /dev/zero | tr '\\0' ' ' >&4\nexit 0\n", exitcode.Usage, "larger than"},
		{"other protocol", `echo '{"protocol": 99, "answers": {}}' >&4` + "\n", exitcode.Usage, "speaks protocol 99"},
		{"unknown field", `echo '{"protocol": 1, "answers": {}, "shell": "rm -rf /"}' >&4` + "\n", exitcode.Usage, `unknown field "shell"`},
		{"two messages", `echo '{"protocol": 1, "answers": {}} {}' >&4` + "\n", exitcode.Usage, "data after the message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := fakeFormHelper(t, tc.script)
			dir := filepath.Join(t.TempDir(), "config")
			_, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
			var coded *exitcode.Error
			if !errors.As(err, &coded) || coded.Code != tc.code {
				t.Fatalf("error %v, want exit status %d", err, tc.code)
			}
			if msg := stderr + err.Error(); !strings.Contains(msg, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, msg)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created", dir)
			}
		})
	}
}

// Without the helper, init says which program is missing, how to get it,
// and that --yes needs none.
func TestFormHelperMissing(t *testing.T) {
	t.Parallel()
	d, _ := fakeFormHelper(t, "exit 0\n")
	d.ask = formHelper{find: func() (string, error) {
		return helper.Finder{Executable: func() (string, error) { return "/opt/axios/bin/axios", nil },
			LookPath: func(string) (string, error) { return "", os.ErrNotExist }}.Find(helper.InitForm, "axios init (its interactive form)")
	}}.ask
	_, _, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", t.TempDir())
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Usage {
		t.Fatalf("error %v, want exit status %d", err, exitcode.Usage)
	}
	for _, want := range []string{"needs the helper program axios-init-form", "/opt/axios/bin", "axiOS flake", "axios init --yes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}
