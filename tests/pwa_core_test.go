package tests

// The pure PWA helpers (lib/core/pwa.nix), evaluated with a real
// nix-instantiate, and the built-in definitions (pkgs/pwa-apps).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

const pwaCore = "(import ./lib/core/pwa.nix)"

func TestPWAAppIdDerivation(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	cases := []struct{ url, browser, want string }{
		{"https://messages.google.com/web", "brave", "brave-messages.google.com__web-Default"},
		{"https://drive.google.com/", "brave", "brave-drive.google.com__-Default"},
		{"http://example.org/a/b", "brave", "brave-example.org__a__b-Default"},
		{"https://app.element.io/", "chromium", "chrome-app.element.io__-Default"},
		{"https://outlook.office365.com/mail", "google-chrome", "chrome-outlook.office365.com__mail-Default"},
	}
	for _, c := range cases {
		var got string
		testutil.NixEval(t, root, fmt.Sprintf(`%s.appId { url = %q; browser = %q; }`, pwaCore, c.url, c.browser), &got)
		if got != c.want {
			t.Errorf("appId(%s, %s) = %q, want %q", c.url, c.browser, got, c.want)
		}
	}
	var re string
	testutil.NixEval(t, root, pwaCore+`.appIdRegex { url = "https://messages.google.com/web"; }`, &re)
	if want := `^brave-messages\.google\.com__web-Default$`; re != want {
		t.Errorf("appIdRegex = %q, want %q", re, want)
	}
}

func TestPWAUnknownBrowserIsAClearError(t *testing.T) {
	t.Parallel()
	out := testutil.NixEvalError(t, testutil.RepoRoot(t), pwaCore+`.appId { url = "https://x.org/"; browser = "firefox"; }`)
	if !strings.Contains(out, `"firefox" is not supported; use one of: brave, chromium, google-chrome`) {
		t.Errorf("want a clear error naming the browsers, got:\n%s", out)
	}
}

func TestPWACheckNamesFieldAndFix(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var ok []string
	testutil.NixEval(t, root, pwaCore+`.check "notes" { name = "Notes"; url = "https://notes.example/"; icon = "notes"; categories = [ "Office" ]; actions.new = { name = "New"; url = "https://notes.example/new"; }; }`, &ok)
	if len(ok) != 0 {
		t.Errorf("valid definition reported %v", ok)
	}
	var bad []string
	testutil.NixEval(t, root, pwaCore+`.check "My App" { name = ""; url = "ftp://x"; categories = "Office"; actions.a = { name = "A"; }; }`, &bad)
	want := []string{
		`axios.pwa.extraApps."My App": the id must be lower-case`,
		"axios.pwa.extraApps.My App.name must be a non-empty string",
		"axios.pwa.extraApps.My App.icon is missing",
		`axios.pwa.extraApps.My App.url "ftp://x" must start with https://`,
		"axios.pwa.extraApps.My App.categories must be a list of strings",
		"axios.pwa.extraApps.My App.actions.a needs a string name and a string url",
	}
	if len(bad) != len(want) {
		t.Fatalf("check returned %d problems, want %d:\n%s", len(bad), len(want), strings.Join(bad, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(bad[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i, bad[i], w)
		}
	}
}

// TestPWAIncludeDefaults is the regression test for the original's bug where
// includeDefaults had no effect.
func TestPWAIncludeDefaults(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	expr := func(include bool) string {
		return fmt.Sprintf(`builtins.attrNames (%s.merge {
			builtin = builtins.fromJSON (builtins.readFile ./pkgs/pwa-apps/pwa-defs.json);
			extra = { notes = { name = "Notes"; url = "https://notes.example/"; icon = "notes"; }; gmail = { name = "Mail"; url = "https://mail.example/"; icon = "mail"; }; };
			includeDefaults = %t; })`, pwaCore, include)
	}
	var with, without []string
	testutil.NixEval(t, root, expr(true), &with)
	testutil.NixEval(t, root, expr(false), &without)
	if want := slices.Sorted(slices.Values(append(slices.Clone(pwaSpec53), "notes"))); !slices.Equal(with, want) {
		t.Errorf("with defaults: %v, want the built-in PWAs and notes %v", with, want)
	}
	if strings.Join(without, ",") != "gmail,notes" {
		t.Errorf("without defaults: %v, want only the extra apps", without)
	}
	var replaced map[string]any
	testutil.NixEval(t, root, fmt.Sprintf(`(%s.merge {
		builtin = builtins.fromJSON (builtins.readFile ./pkgs/pwa-apps/pwa-defs.json);
		extra.gmail = { name = "Mail"; url = "https://mail.example/"; icon = "mail"; }; }).gmail`, pwaCore), &replaced)
	if replaced["url"] != "https://mail.example/" || fmt.Sprint(replaced["categories"]) != "[Network]" || fmt.Sprint(replaced["mimeTypes"]) != "[]" {
		t.Errorf("an extra app with a built-in id must replace it wholesale, with defaults: %v", replaced)
	}
}

type pwaEntry struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	Exec       string   `json:"exec"`
	WMClass    string   `json:"wmClass"`
	Categories []string `json:"categories"`
	MimeTypes  []string `json:"mimeTypes"`
	Actions    []struct {
		ID, Name, URL string
	} `json:"actions"`
}

// pwaSpec53 are the ids of the built-in PWAs (spec 5.3), sorted.
var pwaSpec53 = []string{
	"element", "gemini", "gmail", "google-ai-studio", "google-calendar", "google-chat",
	"google-classroom", "google-contacts", "google-docs", "google-drive", "google-forms",
	"google-keep", "google-maps", "google-meet", "google-messages", "google-news",
	"google-photos", "google-search", "google-sheets", "google-slides", "google-voice",
	"notebooklm", "outlook", "sonos", "teams", "telegram", "youtube", "youtube-music",
}

// TestPWABuiltinDefinitions checks the built-in PWAs of spec 5.3 and that
// every one has its icon.
func TestPWABuiltinDefinitions(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var entries []pwaEntry
	testutil.NixEval(t, root, pwaCore+`.entries { defs = builtins.fromJSON (builtins.readFile ./pkgs/pwa-apps/pwa-defs.json); }`, &entries)
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if slices.Sort(ids); !slices.Equal(ids, pwaSpec53) {
		t.Fatalf("built-in PWAs %v, want the %d of spec 5.3 %v", ids, len(pwaSpec53), pwaSpec53)
	}
	var problems []string
	testutil.NixEval(t, root, `let p = import ./lib/core/pwa.nix; d = builtins.fromJSON (builtins.readFile ./pkgs/pwa-apps/pwa-defs.json); in builtins.concatLists (map (id: p.check id d.${id}) (builtins.attrNames d))`, &problems)
	if len(problems) > 0 {
		t.Errorf("built-in definitions fail the extraApps check:\n%s", strings.Join(problems, "\n"))
	}
	byID := map[string]pwaEntry{}
	for _, e := range entries {
		byID[e.ID] = e
		if e.Exec != "pwa-"+e.ID {
			t.Errorf("%s: exec %q", e.ID, e.Exec)
		}
		if _, err := os.Stat(filepath.Join(root, "pkgs/pwa-apps/icons", e.ID+".png")); err != nil {
			t.Errorf("%s has no icon: %v", e.ID, err)
		}
	}
	if e := byID["google-messages"]; e.WMClass != "brave-messages.google.com__web-Default" {
		t.Errorf("google-messages wmClass %q", e.WMClass)
	}
	// Outlook: the mail handler, with its three desktop actions.
	e := byID["outlook"]
	var actions []string
	for _, a := range e.Actions {
		actions = append(actions, a.ID+" "+a.URL)
	}
	wantActions := []string{
		"New-event https://outlook.office365.com/calendar/deeplink/compose",
		"New-message https://outlook.office365.com/mail/deeplink/compose",
		"Open-calendar https://outlook.office365.com/calendar",
	}
	if !slices.Equal(actions, wantActions) || !slices.Equal(e.MimeTypes, []string{"x-scheme-handler/mailto"}) {
		t.Errorf("outlook: actions %q, mime types %q; want %q, [x-scheme-handler/mailto]", actions, e.MimeTypes, wantActions)
	}
	// Google Calendar opens webcal links and calendar files.
	if got, want := slices.Sorted(slices.Values(byID["google-calendar"].MimeTypes)), []string{"text/calendar", "x-scheme-handler/webcal", "x-scheme-handler/webcals"}; !slices.Equal(got, want) {
		t.Errorf("google-calendar mime types %q, want %q", got, want)
	}
	raw, err := os.ReadFile(filepath.Join(root, "pkgs/pwa-apps/pwa-defs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var defs map[string]map[string]any
	if err := json.Unmarshal(raw, &defs); err != nil {
		t.Fatal(err)
	}
	icons, _ := filepath.Glob(filepath.Join(root, "pkgs/pwa-apps/icons/*.png"))
	if len(icons) != len(defs) {
		t.Errorf("%d icons for %d definitions", len(icons), len(defs))
	}
}
