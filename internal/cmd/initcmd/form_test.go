package initcmd

import (
	"bytes"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// lineReader hands out one line per Read, as a terminal does; the form's
// line prompts each start a new scanner and would lose buffered lines.
type lineReader struct{ lines []string }

func (r *lineReader) Read(p []byte) (int, error) {
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	line := r.lines[0] + "\n"
	r.lines = r.lines[1:]
	return copy(p, line), nil
}

// scriptedAsk answers the form in accessible (line by line) mode.
func scriptedAsk(t *testing.T, transcript *bytes.Buffer, lines ...string) func(*generate.Answers, *hwdetect.Report, *catalog.Catalog, *rules.Rules) error {
	return func(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error {
		f := newForm(a, hw, cat, rl, true)
		f.lineByLine(&lineReader{lines: lines}, transcript)
		return f.run()
	}
}

func flagIndex(t *testing.T, flag string) string {
	for i, f := range catalog.Default().Flags() {
		if f == flag {
			return strconv.Itoa(i + 1)
		}
	}
	t.Fatalf("no flag %s", flag)
	return ""
}

func TestInitForm(t *testing.T) {
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript,
		"bad name!", "forge", // hostname: rejected, then accepted
		"", // time zone: keep the detected one
		"", // system
		"", // user name: keep ada
		`Ada "Countess" Lovelace`,
		"not-an-email", "ada@example.org",
		"y",                // linger
		"", "", "", "", "", // form factor, CPU, GPU, vendor, SSD: detected
		flagIndex(t, "graphics"), flagIndex(t, "gaming"), "0", // graphics off, gaming on
		"", // home profile
		// no virtualisation questions: virt is off
		"", // SSH beyond the tailnet: no
		"", // write it
	)
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, transcript.String())
	}
	// Each question shows the pre-filled value Enter keeps.
	for _, want := range []string{"Time zone (Enter keeps America/New_York)", "User name (Enter keeps ada)", "CPU vendor (Enter keeps amd)", "Home profile (Enter keeps workstation)"} {
		if !strings.Contains(transcript.String(), want) {
			t.Errorf("the transcript lacks %q:\n%s", want, transcript.String())
		}
	}
	if strings.Contains(transcript.String(), "libvirt, QEMU/KVM and virt-manager") {
		t.Errorf("virtualisation asked with virt off:\n%s", transcript.String())
	}
	if !strings.Contains(transcript.String(), "hostname \"bad name!\"") || !strings.Contains(transcript.String(), "does not look like") {
		t.Errorf("the form did not reject the bad answers as typed:\n%s", transcript.String())
	}
	if !strings.Contains(out, "gaming needs graphics: turned graphics on") {
		t.Errorf("no note about the dependency:\n%s", out)
	}
	v := readHost(t, filepath.Join(dir, "hosts", "forge.toml"))
	for p, want := range map[string]any{
		"hostname": "forge", "timeZone": "America/New_York", "users.ada.fullName": `Ada "Countess" Lovelace`,
		"users.ada.email": "ada@example.org", "users.ada.linger": true, "hardware.vendor": "msi", "modules.gaming": true, "modules.graphics": true,
	} {
		if got := get(v, p); got != want {
			t.Errorf("%s = %v, want %v", p, got, want)
		}
	}
	checkGenerated(t, dir, "forge")
}

func TestInitFormCancel(t *testing.T) {
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript, "", "", "", "", "", "", "", "", "", "", "", "", "", "0", "", "", "n") // modules, profile, SSH, cancel (no virt questions)
	dir := filepath.Join(t.TempDir(), "config")
	_, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err == nil || !strings.Contains(stderr, "Cancelled") {
		t.Fatalf("got %v, %s", err, stderr)
	}
}

// Run as root without sudo, init starts with no user and warns; a user name
// typed in the form replaces the warning.
func TestInitFormRootWarning(t *testing.T) {
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "root"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript, "forge", "", "", "ada", "Ada", "", "", "", "", "", "", "0", "", "", "", "", "")
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, transcript.String())
	}
	if strings.Contains(stderr, rootUserNote) {
		t.Errorf("the no-user warning stayed after the form gave a user:\n%s", stderr)
	}
	if got := get(readHost(t, filepath.Join(dir, "hosts", "forge.toml")), "users.ada.fullName"); got != "Ada" {
		t.Errorf("users.ada.fullName = %v, want Ada", got)
	}
}
