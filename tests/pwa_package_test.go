package tests

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// pwaPackageArgs evaluates pkgs/pwa-apps/default.nix without nixpkgs: lib
// is the module harness's (tests/nix/modsys.nix, nixpkgs' names and
// meaning), and stdenvNoCC, makeDesktopItem and symlinkJoin return their
// arguments, so the test sees exactly what the package would hand to the
// real builders.
const pwaPackageArgs = `
  inherit (import ./tests/nix/modsys.nix) lib;
  stdenvNoCC = { shell = "/bin/sh"; mkDerivation = a: a; };
  makeDesktopItem = a: a;
  symlinkJoin = a: a;
  brave = { outPath = "/brave"; meta.mainProgram = "brave"; };
  papirus-icon-theme = { outPath = "/papirus"; };
  chromium = { outPath = "/chromium"; meta.mainProgram = "chromium"; };
`

func evalPackage(t *testing.T, args, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf(`let %s pkg = import ./pkgs/pwa-apps/default.nix ({ inherit lib stdenvNoCC makeDesktopItem symlinkJoin brave papirus-icon-theme; } // %s); in %s`, pwaPackageArgs, args, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

type item struct {
	Name           string                       `json:"name"`
	DesktopName    string                       `json:"desktopName"`
	Exec           string                       `json:"exec"`
	Icon           string                       `json:"icon"`
	StartupWMClass string                       `json:"startupWMClass"`
	Categories     []string                     `json:"categories"`
	MimeTypes      []string                     `json:"mimeTypes"`
	Actions        map[string]map[string]string `json:"actions"`
}

func TestPackageBuiltins(t *testing.T) {
	t.Parallel()
	var items []item
	evalPackage(t, `{ }`, `builtins.tail pkg.paths`, &items)
	// One desktop item per built-in definition, named by its id.
	raw, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "pkgs/pwa-apps/pwa-defs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var defs map[string]any
	if err := json.Unmarshal(raw, &defs); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Name)
	}
	ids := slices.Sorted(maps.Keys(defs))
	if slices.Sort(names); !slices.Equal(names, ids) {
		t.Fatalf("desktop items %v, want one per built-in definition %v", names, ids)
	}
	var gmail item
	for _, it := range items {
		if it.Name == "gmail" {
			gmail = it
		}
	}
	if gmail.Exec != "pwa-gmail" || gmail.Icon != "gmail" || gmail.StartupWMClass != "brave-mail.google.com__-Default" {
		t.Errorf("gmail item: %+v", gmail)
	}
	if got := gmail.Actions["Compose"]["exec"]; got != `/brave/bin/brave --app="https://mail.google.com/mail/?view=cm&fs=1&tf=1"` {
		t.Errorf("gmail Compose action exec = %q (the URL must be quoted for the desktop entry)", got)
	}
	var install string
	evalPackage(t, `{ }`, `(builtins.head pkg.paths).installPhase`, &install)
	for _, want := range []string{
		`exec /brave/bin/brave '--app=https://drive.google.com/' "$@"`,
		"chmod +x $out/bin/pwa-google-drive",
		"-google-drive.png $out/share/icons/hicolor/128x128/apps/google-drive.png",
	} {
		if !strings.Contains(install, want) {
			t.Errorf("installPhase lacks %q", want)
		}
	}
	var missing []string
	evalPackage(t, `{ }`, `pkg.passthru.missingIcons`, &missing)
	if len(missing) != 0 {
		t.Errorf("built-in PWAs without icons: %v", missing)
	}
}

func TestPackageExtraAppsAndIncludeDefaults(t *testing.T) {
	t.Parallel()
	icons := t.TempDir()
	if err := os.WriteFile(filepath.Join(icons, "notes.png"), []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := fmt.Sprintf(`{
		includeDefaults = false;
		extraIconPaths = [ %s ];
		extraDefs.notes = { name = "Notes"; url = "https://notes.example/app"; icon = "notes"; categories = [ "Office" ]; };
		extraDefs.chat = { name = "Chat"; url = "https://chat.example/"; icon = "chat"; };
	}`, icons)
	var items []item
	evalPackage(t, args, `builtins.tail pkg.paths`, &items)
	if len(items) != 2 || items[0].Name != "chat" || items[1].Name != "notes" {
		t.Fatalf("includeDefaults = false must install only the extra apps, got %+v", items)
	}
	if items[0].StartupWMClass != "brave-chat.example__-Default" || fmt.Sprint(items[0].Categories) != "[Network]" {
		t.Errorf("chat item %+v", items[0])
	}
	var missing []string
	evalPackage(t, args, `pkg.passthru.missingIcons`, &missing)
	if fmt.Sprint(missing) != "[chat]" {
		t.Errorf("missingIcons = %v, want [chat]", missing)
	}
	var install string
	evalPackage(t, args, `(builtins.head pkg.paths).installPhase`, &install)
	if !strings.Contains(install, "-notes.png $out/share/icons/hicolor/128x128/apps/notes.png") {
		t.Errorf("the user's icon is not installed:\n%s", install)
	}
	var chromium []item
	evalPackage(t, `{ browser = chromium; browserKind = "chromium"; includeDefaults = false; extraDefs.chat = { name = "Chat"; url = "https://chat.example/"; icon = "chat"; }; }`, `builtins.tail pkg.paths`, &chromium)
	if len(chromium) != 1 || chromium[0].StartupWMClass != "chrome-chat.example__-Default" {
		t.Errorf("chromium app id: %+v", chromium)
	}
}

func TestPackageRejectsInvalidExtraApp(t *testing.T) {
	t.Parallel()
	expr := fmt.Sprintf(`let %s in (import ./pkgs/pwa-apps/default.nix { inherit lib stdenvNoCC makeDesktopItem symlinkJoin brave papirus-icon-theme; extraDefs.bad = { name = "Bad"; url = "ftp://bad"; icon = "bad"; }; }).name`, pwaPackageArgs)
	out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
	if !strings.Contains(out, `axios.pwa.extraApps.bad.url "ftp://bad" must start with https://`) {
		t.Errorf("want a clear error for the bad URL, got:\n%s", out)
	}
}

// TestPackageBrowserArgs: the flags reach the launcher scripts (before
// --app, shell-quoted) and the desktop actions (desktop-entry quoting).
func TestPackageBrowserArgs(t *testing.T) {
	t.Parallel()
	args := `{ browserArgs = [ "--enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs" "--user-agent=a b" ]; }`
	var install string
	evalPackage(t, args, `(builtins.head pkg.paths).installPhase`, &install)
	want := `exec /brave/bin/brave '--enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs' '--user-agent=a b' '--app=https://drive.google.com/' "$@"`
	if !strings.Contains(install, want) {
		t.Errorf("installPhase lacks %q", want)
	}
	var items []item
	evalPackage(t, args, `builtins.tail pkg.paths`, &items)
	for _, it := range items {
		if it.Name != "gmail" {
			continue
		}
		got := it.Actions["Compose"]["exec"]
		w := `/brave/bin/brave --enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs "--user-agent=a b" --app="https://mail.google.com/mail/?view=cm&fs=1&tf=1"`
		if got != w {
			t.Errorf("gmail Compose exec = %q\nwant %q", got, w)
		}
	}
}
