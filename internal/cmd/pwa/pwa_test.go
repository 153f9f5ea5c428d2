package pwa

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/webmanifest"
)

// Every test reads saved manifests from testdata (or a local httptest
// server); nothing reaches the network.

func newDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	if err := os.MkdirAll(filepath.Join(dir, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func deps(dir string, themeDirs ...string) Deps {
	if themeDirs == nil {
		themeDirs = []string{}
	}
	return Deps{Resolver: cmdtest.ConfigAt(dir), ThemeDirs: themeDirs}
}

func readAppsFile(t *testing.T, dir string) map[string]webmanifest.Entry {
	t.Helper()
	apps, _, err := readApps(filepath.Join(dir, AppsFile))
	if err != nil {
		t.Fatal(err)
	}
	return apps
}

func testdata(p string) string { abs, _ := filepath.Abs(filepath.Join("testdata", p)); return abs }

func TestAddSavedManifestWithIcon(t *testing.T) {
	dir := newDir(t)
	out, code := cmdtest.Run(t, New(deps(dir)), "add", testdata("proton/manifest.json"), "--base-url", "https://mail.proton.me/")
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "Added proton-mail (Proton Mail, https://mail.proton.me/u/0/inbox)", "axios.pwa.appsFile = ./pwa-apps.json;")
	e := readAppsFile(t, dir)["proton-mail"]
	want := webmanifest.Entry{Name: "Proton Mail", URL: "https://mail.proton.me/u/0/inbox", Categories: []string{"Office", "Network", "Email"}, Icon: "proton-mail"}
	if e.Name != want.Name || e.URL != want.URL || strings.Join(e.Categories, ",") != strings.Join(want.Categories, ",") || e.Icon != want.Icon || e.ThemeIcon != "" {
		t.Errorf("entry = %+v, want %+v", e, want)
	}
	png, err := os.ReadFile(filepath.Join(dir, IconDir, "proton-mail.png"))
	if err != nil || !strings.HasSuffix(string(png), "512-icon") {
		t.Errorf("the largest non-maskable PNG must be copied: %q, %v", png, err)
	}
}

func TestAddPrefersTheThemeIcon(t *testing.T) {
	dir := newDir(t)
	out, code := cmdtest.Run(t, New(deps(dir, testdata("theme"))), "add", testdata("gmail.webmanifest"), "--json")
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, out)
	}
	var res Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if res.ID != "gmail" || res.Entry.ThemeIcon != "gmail" || res.Entry.Icon != "" || res.IconPNG != "" || !res.Created {
		t.Errorf("result = %+v", res)
	}
	if e := readAppsFile(t, dir)["gmail"]; e.URL != "https://mail.google.com/mail/u/0/" || e.ThemeIcon != "gmail" || strings.Join(e.Categories, ",") != "Network,Email" {
		t.Errorf("entry = %+v", e)
	}
}

func TestAddNeverReplacesSilently(t *testing.T) {
	dir := newDir(t)
	d := deps(dir, testdata("theme"))
	if _, code := cmdtest.Run(t, New(d), "add", testdata("gmail.webmanifest")); code != exitcode.OK {
		t.Fatal("first add failed")
	}
	before, _ := os.ReadFile(filepath.Join(dir, AppsFile))
	out, code := cmdtest.Run(t, New(d), "add", testdata("gmail.webmanifest"))
	if code != exitcode.Usage || !strings.Contains(out, `already has an app "gmail": pass --force`) {
		t.Errorf("second add: exit %d, %s", code, out)
	}
	after, _ := os.ReadFile(filepath.Join(dir, AppsFile))
	if string(before) != string(after) {
		t.Error("the file changed although the add was refused")
	}
	// Another id keeps both; --force replaces.
	if _, code := cmdtest.Run(t, New(d), "add", testdata("gmail.webmanifest"), "--id", "gmail-work"); code != exitcode.OK {
		t.Fatal("add with --id failed")
	}
	if _, code := cmdtest.Run(t, New(d), "add", testdata("gmail.webmanifest"), "--force"); code != exitcode.OK {
		t.Fatal("--force failed")
	}
	if apps := readAppsFile(t, dir); len(apps) != 2 {
		t.Errorf("apps = %v, want gmail and gmail-work", apps)
	}
}

func TestAddKeepsAUsersFileItCannotRead(t *testing.T) {
	dir := newDir(t)
	cmdtest.Write(t, filepath.Join(dir, AppsFile), "// my notes, not JSON\n")
	out, code := cmdtest.Run(t, New(deps(dir)), "add", testdata("gmail.webmanifest"))
	if code == exitcode.OK || !strings.Contains(out, "is not a JSON object of apps") || !strings.Contains(out, "left as it is") {
		t.Errorf("exit %d: %s", code, out)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, AppsFile)); string(b) != "// my notes, not JSON\n" {
		t.Errorf("the user's file was changed: %q", b)
	}
}

func TestAddBadInput(t *testing.T) {
	dir := newDir(t)
	huge := filepath.Join(t.TempDir(), "huge.json")
	cmdtest.Write(t, huge, `{"name":"`+strings.Repeat("x", webmanifest.MaxSize)+`"}`)
	nameless := filepath.Join(t.TempDir(), "nameless.json")
	cmdtest.Write(t, nameless, `{"start_url":"https://x.example/"}`)
	ftp := filepath.Join(t.TempDir(), "ftp.json")
	cmdtest.Write(t, ftp, `{"name":"X","start_url":"ftp://x.example/"}`)
	hostile := filepath.Join(t.TempDir(), "hostile.json")
	cmdtest.Write(t, hostile, `{"name":"Evil\n\"; rm -rf ~ #\u0007","start_url":"https://evil.example/"}`)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"add", testdata("proton/manifest.json")}, `start_url "/u/0/inbox" is relative: pass --base-url`},
		{[]string{"add", testdata("page.html")}, "this is an HTML page, not a manifest"},
		{[]string{"add", huge}, "larger than"},
		{[]string{"add", nameless}, "neither name nor short_name"},
		{[]string{"add", ftp}, "must be an https:// address"},
		{[]string{"add", testdata("gmail.webmanifest"), "--id", "Bad Id"}, `the id "Bad Id" is not usable`},
		{[]string{"add", testdata("nope.json")}, "reading the manifest"},
		{[]string{"add", testdata("gmail.webmanifest"), "--base-url", "mail.google.com"}, "--base-url"},
	}
	for _, c := range cases {
		out, code := cmdtest.Run(t, New(deps(dir)), c.args...)
		if code != exitcode.Usage || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, want usage error containing %q:\n%s", c.args, code, c.want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, AppsFile)); err == nil {
		t.Error("a failed add wrote pwa-apps.json")
	}
	// Hostile names are cleaned and stored as data (JSON-escaped).
	out, code := cmdtest.Run(t, New(deps(dir)), "add", hostile)
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, out)
	}
	apps := readAppsFile(t, dir)
	for id, e := range apps {
		if strings.ContainsAny(e.Name, "\n\a") || !webmanifest.ValidID(id) {
			t.Errorf("unclean entry %q: %+v", id, e)
		}
	}
}

func TestAddWaitsForNoOne(t *testing.T) {
	dir := newDir(t)
	unlock, err := fsutil.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	out, code := cmdtest.Run(t, New(deps(dir)), "add", testdata("gmail.webmanifest"))
	if code != exitcode.Failed || !strings.Contains(out, "another axios command is changing") {
		t.Errorf("with the folder locked: exit %d, %s", code, out)
	}
}

// TestAddFromAddress: a manifest and its icon from an https address
// (a local test server), relative icon resolved against the manifest's URL.
func TestAddFromAddress(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/app/manifest.webmanifest", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"short_name":"Notes","name":"My Notes","start_url":"./","categories":["productivity"],"icons":[{"src":"icon.png","sizes":"192x192","type":"image/png"}]}`))
	})
	mux.HandleFunc("/app/icon.png", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\x89PNG\r\n\x1a\nnotes"))
	})
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	dir := newDir(t)
	d := deps(dir)
	d.Client = srv.Client()
	out, code := cmdtest.Run(t, New(d), "add", srv.URL+"/app/manifest.webmanifest")
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, out)
	}
	e := readAppsFile(t, dir)["notes"]
	if e.Name != "My Notes" || e.URL != srv.URL+"/app/" || e.Icon != "notes" {
		t.Errorf("entry = %+v", e)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, IconDir, "notes.png")); !strings.HasSuffix(string(b), "notes") {
		t.Errorf("icon = %q", b)
	}
}
