package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// pwaModule evaluates home/desktop/pwa-apps.nix through the home harness:
// the flake's pwa-apps package records the arguments its override receives
// (tests/nix/home-harness.nix).
func pwaModule(t *testing.T, pwaConfig, body string, out any) {
	t.Helper()
	pwaModuleWith(t, "null", "", pwaConfig, body, out)
}

// pwaModuleWith also gives the NixOS configuration (osConfig) and the Brave
// module's settings (axios.browser, "": the Brave module is not imported).
func pwaModuleWith(t *testing.T, osConfig, browser, pwaConfig, body string, out any) {
	t.Helper()
	modules, brave := "./home/desktop/pwa-apps.nix", ""
	if browser != "" {
		modules += " ./home/browser"
		brave = "axios.browser = " + browser + ";"
	}
	homeEval(t, fmt.Sprintf(`{ os = %s; modules = [ %s ]; home = { axios.pwa = { enable = true; } // %s; %s }; }`, osConfig, modules, pwaConfig, brave),
		"let c = h.config; d = h.defined; in "+body, out)
}

func TestPWAOptionsReachThePackage(t *testing.T) {
	t.Parallel()
	var pkgs []struct {
		IncludeDefaults bool
		BrowserKind     string
		Browser         string
		ExtraDefs       map[string]struct{ Name, URL string }
		ExtraIconPaths  []string
	}
	pwaModule(t, `{ includeDefaults = false; browser = "chromium"; iconPath = /icons/pwa;
	  extraApps.proton-mail = { name = "Proton Mail"; url = "https://mail.proton.me/"; icon = "proton"; }; }`,
		"map (p: p.args // { extraIconPaths = map toString p.args.extraIconPaths; }) (d.home.packages or [ ])", &pkgs)
	if len(pkgs) != 1 {
		t.Fatalf("home.packages = %+v, want the PWA package", pkgs)
	}
	a := pkgs[0]
	if a.IncludeDefaults || a.BrowserKind != "chromium" || a.Browser != storePath("chromium") {
		t.Errorf("includeDefaults/browser do not reach the package: %+v", a)
	}
	if a.ExtraDefs["proton-mail"].URL != "https://mail.proton.me/" || len(a.ExtraIconPaths) != 1 || a.ExtraIconPaths[0] != "/icons/pwa" {
		t.Errorf("extraApps/iconPath do not reach the package: %+v", a)
	}

	var assertions []struct {
		Assertion bool
		Message   string
	}
	pwaModule(t, `{ extraApps."Bad App" = { name = "Bad"; url = "ftp://x"; icon = "bad"; }; }`,
		"c.assertions", &assertions)
	msgs := fmt.Sprint(assertions)
	if len(assertions) < 2 || !strings.Contains(msgs, "axios.pwa.extraApps") || !strings.Contains(msgs, "https://") {
		t.Errorf("an invalid extra app must fail with messages naming the field: %s", msgs)
	}
	var msg []string
	pwaModule(t, `{ iconPath = "/home/alice/icons"; }`, "map (a: a.message) c.assertions", &msg)
	if len(msg) != 1 || !strings.Contains(msg[0], "axios.pwa.iconPath") || !strings.Contains(msg[0], "fix:") {
		t.Errorf("a string iconPath outside the store must be refused with a fix, got %q", msg)
	}
	pwaModule(t, `{ iconPath = builtins.storeDir + "/0000-icons"; }`, "map (a: a.message) c.assertions", &msg)
	if len(msg) != 0 {
		t.Errorf("a store path iconPath is fine, got %q", msg)
	}
	var none []any
	pwaModule(t, `{ extraApps."Bad App" = { name = "Bad"; url = "ftp://x"; icon = "bad"; }; }`,
		"map (p: p.name) (d.home.packages or [ ])", &none)
	if len(none) != 0 {
		t.Errorf("the package must not be built from invalid definitions: %v", none)
	}
}

// TestPWABrowserArgs: the launchers get Brave's own flags when the Brave
// module is there (the first window decides the process's flags), else the
// video decoding flags of the NixOS side's GPU; an explicit list wins.
func TestPWABrowserArgs(t *testing.T) {
	t.Parallel()
	const brave = "BRAVE" // want: the Brave module's finalCommandLineArgs
	cases := []struct {
		os, browser, pwa string
		want             []string
	}{
		{`{ axios.hardware.gpuType = "intel"; }`, "", `{ }`,
			[]string{"--enable-features=AcceleratedVideoDecodeLinuxGL,AcceleratedVideoDecodeLinuxZeroCopyGL,AcceleratedVideoEncoder"}},
		{`null`, "", `{ }`, []string{}},
		{`{ axios.hardware.gpuType = "amd"; }`, `{ commandLineArgs = [ "--brave-own" ]; }`, `{ }`, []string{brave}},
		{`null`, `{ gpuType = "nvidia"; commandLineArgs = [ "--brave-own" ]; }`, `{ browser = "chromium"; }`,
			[]string{"--disable-gpu-memory-buffer-video-frames", "--enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs,VaapiIgnoreDriverChecks"}},
		{`{ axios.hardware.gpuType = "amd"; }`, "", `{ browserArgs = [ "--mine" ]; }`, []string{"--mine"}},
	}
	for _, c := range cases {
		var got struct {
			Args  []string `json:"args"`
			Brave []string `json:"brave"`
		}
		pwaModuleWith(t, c.os, c.browser, c.pwa, `{
			args = (builtins.head (d.home.packages or [ ])).args.browserArgs;
			brave = c.axios.browser.finalCommandLineArgs or [ ];
		}`, &got)
		want := c.want
		if len(want) == 1 && want[0] == brave {
			// The first window decides the process's flags: Brave's own,
			// the user's included.
			want = got.Brave
			if !slices.Contains(want, "--brave-own") || len(want) < 2 {
				t.Errorf("os %s: the Brave module's flags %q lack the user's or the GPU's", c.os, want)
			}
		}
		if strings.Join(got.Args, " ") != strings.Join(want, " ") {
			t.Errorf("os %s, browser %s, pwa %s: browserArgs = %q, want %q", c.os, c.browser, c.pwa, got.Args, want)
		}
	}
}

// TestPWAAppsFile: the file `axios pwa add` writes becomes extraApps.
func TestPWAAppsFile(t *testing.T) {
	t.Parallel()
	var got map[string]map[string]any
	pwaModule(t, `{ appsFile = ./internal/cmd/pwa/testdata/pwa-apps.json; }`, "c.axios.pwa.extraApps", &got)
	if got["proton-mail"]["url"] != "https://mail.proton.me/u/0/inbox" || got["proton-mail"]["icon"] != "proton-mail" {
		t.Errorf("extraApps from the file = %v", got)
	}
}
