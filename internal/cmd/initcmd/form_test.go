package initcmd

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/formwire"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/initform"
	"github.com/axios-nix/axios/internal/passwd"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/testutil"
)

// scriptedAsk answers the form in accessible (line by line) mode through a
// pseudo-terminal: in canonical mode every read returns one line, so the
// form's per-prompt line scanners lose nothing.
func scriptedAsk(t *testing.T, transcript *bytes.Buffer, lines ...string) func(*generate.Answers, *hwdetect.Report, *catalog.Catalog, *rules.Rules) error {
	return func(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error {
		master, term := testutil.OpenPTY(t, io.Discard)
		// A form waiting for a line that never comes (a script that does
		// not match the questions) fails the run instead of hanging it: a
		// read from the terminal cannot be interrupted from here.
		stop := time.AfterFunc(30*time.Second, func() {
			panic("the init form is still waiting for an answer after 30 s: the scripted lines do not match its questions\n" + transcript.String())
		})
		defer stop.Stop()
		go func() {
			for _, l := range lines {
				if _, err := master.Write([]byte(l + "\n")); err != nil {
					return
				}
			}
		}()
		f := initform.New(a, hw, cat, rl, true)
		f.LineByLine(term, transcript)
		return formError(f.Run())
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
	t.Parallel()
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
		"y",                                              // linger
		"correct horse", "correct hose", "correct horse", // password, a typo in the repeat, the repeat again
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
	// The password: only its hash is in the host, it verifies, the repeat
	// was checked, and the password itself shows nowhere.
	hash, _ := get(v, "users.ada.hashedPassword").(string)
	if !passwd.Verify([]byte("correct horse"), hash) {
		t.Errorf("users.ada.hashedPassword = %q is not a hash of the typed password", hash)
	}
	if !strings.Contains(transcript.String(), "the two passwords differ") {
		t.Errorf("a mistyped repeat was not refused:\n%s", transcript.String())
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "hosts", "forge.toml"))
	for name, text := range map[string]string{"transcript": transcript.String(), "stdout": out, "stderr": stderr, "host file": string(raw)} {
		if strings.Contains(text, "correct ho") {
			t.Errorf("the password appears in the %s", name)
		}
	}
	checkGenerated(t, dir, "forge")
}

func TestInitFormCancel(t *testing.T) {
	t.Parallel()
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript, "", "", "", "", "", "", "", "pw", "pw", "", "", "", "", "", "0", "", "", "n") // password, modules, profile, SSH, cancel (no virt questions)
	dir := filepath.Join(t.TempDir(), "config")
	_, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err == nil || !strings.Contains(stderr, "Cancelled") {
		t.Fatalf("got %v, %s", err, stderr)
	}
}

// Run as root without sudo, init starts with no user and warns; a user name
// typed in the form replaces the warning.
func TestInitFormRootWarning(t *testing.T) {
	t.Parallel()
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "root"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript, "forge", "", "", "ada", "Ada", "", "", "pw", "pw", "", "", "", "", "", "0", "", "", "")
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

// Accessible mode: a laptop answered for the form factor makes laptop the
// home profile Enter keeps, and says so.
func TestInitFormAccessibleProfileFollowsFormFactor(t *testing.T) {
	t.Parallel()
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript,
		"forge", "", "", "", "", "", "", // hostname, time zone, system, user, full name, e-mail, linger
		"correct horse", "correct horse",
		"2",         // form factor: laptop
		"", "", "1", // CPU, GPU, vendor: none (MSI support is for desktops)
		"",  // SSD
		"0", // modules as they are
		"",  // home profile: keep
		"",  // SSH
		"",  // write it
	)
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir)
	if err != nil {
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, transcript.String())
	}
	if !strings.Contains(transcript.String(), "Home profile (Enter keeps laptop)") {
		t.Errorf("the home profile question does not keep laptop:\n%s", transcript.String())
	}
	v := readHost(t, filepath.Join(dir, "hosts", "forge.toml"))
	if got := get(v, "formFactor"); got != "laptop" {
		t.Fatalf("formFactor = %v, want laptop", got)
	}
	if got := get(v, "homeProfile"); got != "laptop" {
		t.Errorf("homeProfile = %v for a laptop, want laptop", got)
	}
}

// The form (the helper program, through its request) learns whether the
// home profile was given (--profile) or derived from the form factor, so
// it knows whether to follow a changed form factor.
func TestInitFormKnowsAGivenProfile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args        []string
		profile     string
		chosen      bool
		description string
	}{
		{nil, "laptop", false, "derived from the laptop form factor"},
		{[]string{"--profile", "laptop"}, "laptop", true, "given, the one the form factor gives"},
		{[]string{"--profile", "workstation"}, "workstation", true, "given, another"},
	} {
		d, hdir := fakeFormHelper(t, "cat <&3 > request.json\nexit 3\n") // reads the request, then is cancelled
		args := append([]string{"--root", fixture(t, "nvidia-intel-laptop"), "--dir", filepath.Join(t.TempDir(), "config")}, tc.args...)
		if _, stderr, err := runInit(t, d, args...); err == nil {
			t.Fatalf("%s: the cancelled form wrote a configuration\n%s", tc.description, stderr)
		}
		raw, err := os.ReadFile(filepath.Join(hdir, "request.json"))
		if err != nil {
			t.Fatal(err)
		}
		req, err := formwire.ReadRequest(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: the helper got %s: %v", tc.description, raw, err)
		}
		if got := req.Answers; got.HomeProfile != tc.profile || got.HomeProfileChosen != tc.chosen {
			t.Errorf("%s: the form got home profile %q (chosen %v), want %q (chosen %v)", tc.description, got.HomeProfile, got.HomeProfileChosen, tc.profile, tc.chosen)
		}
	}
}

// Accessible mode shows, in each question, the value Enter keeps, and that
// is the value written; with virt ticked it asks the virtualisation
// questions (TestInitForm: not without).
func TestInitFormAccessibleShowsEveryValue(t *testing.T) {
	t.Parallel()
	var transcript bytes.Buffer
	d := testDeps(map[string]string{"USER": "ada"})
	d.interactive = func() bool { return true }
	d.ask = scriptedAsk(t, &transcript,
		"", "", "", "", "", "", "", // hostname, time zone, system, user, full name, e-mail, linger: keep
		"correct horse", "correct horse",
		"", "", "", "", "", // form factor, CPU, GPU, vendor, SSD: keep
		flagIndex(t, "virt"), "0", // tick virt
		"",  // home profile
		"n", // libvirt: no
		"",  // containers: keep
		"",  // SSH
		"",  // write it
	)
	dir := t.TempDir()
	out, stderr, err := runInit(t, d, "--root", fixture(t, "amd-desktop"), "--dir", dir, "--email", "ada@example.org")
	if err != nil {
		t.Fatalf("%v\n%s\n%s\n%s", err, out, stderr, transcript.String())
	}
	tr := transcript.String()
	v := readHost(t, filepath.Join(dir, "hosts", "tower.toml"))
	for title, key := range map[string]string{
		"Hostname": "hostname", "Time zone": "timeZone", "Nix system": "system", "Full name": "users.ada.fullName",
		"E-mail": "users.ada.email", "Form factor": "formFactor", "CPU vendor": "hardware.cpu", "GPU vendor": "hardware.gpu",
		"Machine vendor with dedicated support": "hardware.vendor", "Home profile": "homeProfile",
	} {
		val, ok := get(v, key).(string)
		if !ok || val == "" {
			t.Errorf("%s is not set in the host", key)
			continue
		}
		if want := title + " (Enter keeps " + val + ")"; !strings.Contains(tr, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
	if !strings.Contains(tr, "User name (Enter keeps ada)") || get(v, "users.ada") == nil {
		t.Errorf("the user name question does not keep ada, or no [users.ada]")
	}
	// Yes/no questions show their pre-filled answer as the capital letter.
	for _, c := range []struct {
		question, key string
		value         bool
	}{
		{"Keep your services running after logout [y/N]", "users.ada.linger", false},
		{"The system disk is an SSD [Y/n]", "hardware.hasSSD", true},
		{"Podman containers [Y/n]", "virt.containers.enable", true},
		{"libvirt, QEMU/KVM and virt-manager [Y/n]", "virt.libvirt.enable", false}, // answered no
	} {
		if !strings.Contains(tr, c.question) {
			t.Errorf("the transcript lacks %q", c.question)
		}
		if got, _ := get(v, c.key).(bool); got != c.value {
			t.Errorf("%s = %v, want %v", c.key, get(v, c.key), c.value)
		}
	}
	if t.Failed() {
		t.Log(tr)
	}
}
