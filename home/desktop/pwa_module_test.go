package desktop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// pwaModule evaluates home/desktop/pwa-apps.nix with stand-ins: the flake's
// pwa-apps package records the arguments its override receives.
func pwaModule(t *testing.T, pwaConfig, body string, out any) {
	t.Helper()
	pwaModuleWith(t, "null", "null", pwaConfig, body, out)
}

// pwaModuleWith also gives the NixOS configuration (osConfig) and the Brave
// module's settings (config.axios.browser, null: not imported).
func pwaModuleWith(t *testing.T, osConfig, browser, pwaConfig, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf(`let
  pkg = name: { outPath = "/store/${name}"; inherit name; };
  lib = {
    mkIf = c: x: if c then x else { };
    mkDefault = x: x;
    mkOption = a: a;
    mkEnableOption = d: { default = false; };
    literalExpression = x: x;
    types = { bool = "bool"; str = "str"; path = "path"; package = "package";
      enum = l: l; nullOr = t: t; listOf = t: t; attrsOf = t: t; submodule = m: m; };
    optional = c: x: if c then [ x ] else [ ];
    concatMap = f: l: builtins.concatLists (map f l);
    concatStringsSep = builtins.concatStringsSep;
    attrNames = builtins.attrNames;
    hasPrefix = p: s: builtins.substring 0 (builtins.stringLength p) s == p;
  };
  pkgs = { brave = pkg "brave"; chromium = pkg "chromium"; google-chrome = pkg "google-chrome";
    stdenv.hostPlatform.system = "x86_64-linux"; };
  axiosFlake.self.packages.x86_64-linux.pwa-apps.override = args: pkg "pwa-apps" // {
    inherit args;
    missingIcons = builtins.filter (id: !(args.extraIconPaths != [ ])) (builtins.attrNames args.extraDefs);
  };
  cfg = { enable = true; includeDefaults = true; browser = "brave"; iconPath = null; extraApps = { }; } // %s;
  osConfig = %s;
  browser = %s;
  config.axios = {
    pwa = cfg // {
      browserPackage = cfg.browserPackage or pkgs.${cfg.browser};
      browserArgs = cfg.browserArgs or m.options.axios.pwa.browserArgs.default;
    };
  } // (if browser == null then { } else { inherit browser; });
  m = import ./home/desktop/pwa-apps.nix { inherit config lib pkgs axiosFlake osConfig; };
in %s`, pwaConfig, osConfig, browser, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

func TestPWAOptionsReachThePackage(t *testing.T) {
	var pkgs []struct {
		IncludeDefaults bool
		BrowserKind     string
		Browser         string
		ExtraDefs       map[string]struct{ Name, URL string }
		ExtraIconPaths  []string
	}
	pwaModule(t, `{ includeDefaults = false; browser = "chromium"; iconPath = /icons/pwa;
	  extraApps.proton-mail = { name = "Proton Mail"; url = "https://mail.proton.me/"; icon = "proton"; }; }`,
		"map (p: p.args // { extraIconPaths = map toString p.args.extraIconPaths; }) m.config.home.packages", &pkgs)
	if len(pkgs) != 1 {
		t.Fatalf("home.packages = %+v, want the PWA package", pkgs)
	}
	a := pkgs[0]
	if a.IncludeDefaults || a.BrowserKind != "chromium" || a.Browser != "/store/chromium" {
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
		"m.config.assertions", &assertions)
	msgs := fmt.Sprint(assertions)
	if len(assertions) < 2 || !strings.Contains(msgs, "axios.pwa.extraApps") || !strings.Contains(msgs, "https://") {
		t.Errorf("an invalid extra app must fail with messages naming the field: %s", msgs)
	}
	var msg []string
	pwaModule(t, `{ iconPath = "/home/alice/icons"; }`, "map (a: a.message) m.config.assertions", &msg)
	if len(msg) != 1 || !strings.Contains(msg[0], "axios.pwa.iconPath") || !strings.Contains(msg[0], "fix:") {
		t.Errorf("a string iconPath outside the store must be refused with a fix, got %q", msg)
	}
	pwaModule(t, `{ iconPath = builtins.storeDir + "/0000-icons"; }`, "map (a: a.message) m.config.assertions", &msg)
	if len(msg) != 0 {
		t.Errorf("a store path iconPath is fine, got %q", msg)
	}
	var none []any
	pwaModule(t, `{ extraApps."Bad App" = { name = "Bad"; url = "ftp://x"; icon = "bad"; }; }`,
		"map (p: p.name) m.config.home.packages", &none)
	if len(none) != 0 {
		t.Errorf("the package must not be built from invalid definitions: %v", none)
	}
}

// TestPWABrowserArgs: the launchers get Brave's own flags when the Brave
// module is there (the first window decides the process's flags), else the
// video decoding flags of the NixOS side's GPU; an explicit list wins.
func TestPWABrowserArgs(t *testing.T) {
	cases := []struct {
		os, browser, pwa string
		want             []string
	}{
		{`{ axios.hardware.gpuType = "intel"; }`, `null`, `{ }`,
			[]string{"--enable-features=AcceleratedVideoDecodeLinuxGL,AcceleratedVideoDecodeLinuxZeroCopyGL,AcceleratedVideoEncoder"}},
		{`null`, `null`, `{ }`, []string{}},
		{`{ axios.hardware.gpuType = "amd"; }`, `{ enable = true; gpuType = "amd"; hardwareVideoDecode = true; finalCommandLineArgs = [ "--brave-own" ]; }`, `{ }`,
			[]string{"--brave-own"}},
		{`null`, `{ enable = true; gpuType = "nvidia"; hardwareVideoDecode = true; finalCommandLineArgs = [ "--brave-own" ]; }`, `{ browser = "chromium"; }`,
			[]string{"--disable-gpu-memory-buffer-video-frames", "--enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs,VaapiIgnoreDriverChecks"}},
		{`{ axios.hardware.gpuType = "amd"; }`, `null`, `{ browserArgs = [ "--mine" ]; }`, []string{"--mine"}},
	}
	for _, c := range cases {
		var got []string
		pwaModuleWith(t, c.os, c.browser, c.pwa, "(builtins.head m.config.home.packages).args.browserArgs", &got)
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("os %s, browser %s, pwa %s: browserArgs = %q, want %q", c.os, c.browser, c.pwa, got, c.want)
		}
	}
}

// TestPWAAppsFile: the file `axios pwa add` writes becomes extraApps.
func TestPWAAppsFile(t *testing.T) {
	var got map[string]map[string]any
	pwaModule(t, `{ appsFile = ./internal/cmd/pwa/testdata/pwa-apps.json; }`, "m.config.axios.pwa.extraApps", &got)
	if got["proton-mail"]["url"] != "https://mail.proton.me/u/0/inbox" || got["proton-mail"]["icon"] != "proton-mail" {
		t.Errorf("extraApps from the file = %v", got)
	}
}
