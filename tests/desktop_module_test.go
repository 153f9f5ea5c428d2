package tests

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// These tests evaluate modules/desktop through the stand-in module system
// (tests/fixtures/modules/eval.nix, `folders`), which brings typed
// stand-ins of the flake modules the catalog imports with it: niri-flake,
// DankMaterialShell and dank-greeter (tests/fixtures/modules/desktop-upstream.nix).

// desktopEval evaluates body with c = the configuration of modules/desktop
// (and the folders in extra) on x86_64-linux with the host module host.
func desktopEval(t *testing.T, extra, host, body string, out any) {
	t.Helper()
	foldersEval(t, `[ "desktop" `+extra+` ]`, "x86_64-linux", host, body, out)
}

func TestDesktopGreeterConfigHomeFollowsTheUsersHome(t *testing.T) {
	t.Parallel()
	cases := []struct {
		host string
		want any
	}{
		{`{ axios.user.name = "alice"; users.users.alice.home = "/srv/home/alice"; }`, "/srv/home/alice"},
		{`{ axios.user.name = "alice"; }`, "/home/alice"},
		{`{ axios.user.name = ""; }`, nil},
		{`{ }`, nil},
		// a host's own choice wins over the default
		{`{ axios.user.name = "alice"; desktop.greeter.configHome = "/data/alice"; }`, "/data/alice"},
	}
	for _, c := range cases {
		var got any
		desktopEval(t, "", c.host, "c.desktop.greeter.configHome", &got)
		if got != c.want {
			t.Errorf("host %s: desktop.greeter.configHome = %v, want %v", c.host, got, c.want)
		}
	}
}

// desktopShell is what the graphical shell (modules/desktop/shell.nix)
// hands to niri-flake, DankMaterialShell and dank-greeter.
type desktopShell struct {
	UserServices  map[string]struct{ Enable bool } `json:"userServices"`
	NiriEnable    bool                             `json:"niriEnable"`
	NiriPackage   string                           `json:"niriPackage"`
	DMSEnable     bool                             `json:"dmsEnable"`
	DMSQuickshell string                           `json:"dmsQuickshell"`
	DMSDefined    []string                         `json:"dmsDefined"`
	Greeter       struct {
		Enable      bool
		Compositor  string
		ConfigHome  *string
		ConfigFiles []string
		Quickshell  string
	} `json:"greeter"`
	Greetd bool `json:"greetd"`
}

const desktopShellBody = `let
	p = c.programs;
	g = p.dms-greeter;
in {
	userServices = builtins.mapAttrs (_: s: { enable = s.enable; }) c.systemd.user.services;
	niriEnable = p.niri.enable;
	niriPackage = p.niri.package._pkg;
	dmsEnable = p.dank-material-shell.enable;
	dmsQuickshell = p.dank-material-shell.quickshell.package._pkg;
	dmsDefined = builtins.attrNames p.dank-material-shell;
	greeter = {
		enable = g.enable;
		compositor = if g.enable then g.compositor.name else "";
		configHome = g.configHome;
		configFiles = g.configFiles;
		quickshell = g.quickshell.package._pkg;
	};
	greetd = c.services.greetd.enable;
}`

func TestDesktopShellRunsOnePolkitAgentAndTheGreeter(t *testing.T) {
	t.Parallel()
	var s desktopShell
	desktopEval(t, "", `{ desktop.enable = true; axios.user.name = "alice"; }`, desktopShellBody, &s)

	// niri-flake starts a KDE polkit agent for niri sessions; DMS has its
	// own, and two agents race for every prompt.
	if p, ok := s.UserServices["niri-flake-polkit"]; !ok || p.Enable {
		t.Errorf("niri-flake's polkit agent must be off (DankMaterialShell has its own): %+v", s.UserServices)
	}
	for name, svc := range s.UserServices {
		if strings.Contains(name, "polkit") && svc.Enable {
			t.Errorf("user service %s runs a second polkit agent", name)
		}
	}
	// nixpkgs' niri (cache.nixos.org), not niri-flake's own build
	if !s.NiriEnable || s.NiriPackage != "niri" {
		t.Errorf("programs.niri: enable %t, package %q; want true, nixpkgs' niri", s.NiriEnable, s.NiriPackage)
	}
	if !s.DMSEnable || s.DMSQuickshell != "quickshell-flake" {
		t.Errorf("programs.dank-material-shell: enable %t, quickshell %q; want true, the quickshell input's build", s.DMSEnable, s.DMSQuickshell)
	}
	// The greeter lives in dank-greeter (programs.dms-greeter); DMS's own
	// greeter options are gone upstream.
	for _, k := range s.DMSDefined {
		if k == "greeter" {
			t.Errorf("programs.dank-material-shell.greeter is set; upstream removed it (dank-greeter's programs.dms-greeter replaces it)")
		}
	}
	g := s.Greeter
	if !g.Enable || g.Compositor != "niri" || g.Quickshell != "quickshell-flake" {
		t.Errorf("programs.dms-greeter: %+v; want on, in niri, with the quickshell input's build", g)
	}
	if g.ConfigHome == nil || *g.ConfigHome != "/home/alice" {
		t.Errorf("programs.dms-greeter.configHome = %v, want /home/alice (the user's home)", g.ConfigHome)
	}
	if len(g.ConfigFiles) == 0 || !strings.HasPrefix(g.ConfigFiles[0], "/home/alice/.config/DankMaterialShell/") {
		t.Errorf("the greeter copies no settings from the user's home: %v", g.ConfigFiles)
	}
	if !s.Greetd {
		t.Error("the greeter is on but greetd is not")
	}

	// desktop.greeter.enable = false: the shell stays, the greeter goes.
	var noGreeter desktopShell
	desktopEval(t, "", `{ desktop = { enable = true; greeter.enable = false; }; }`, desktopShellBody, &noGreeter)
	if !noGreeter.DMSEnable || !noGreeter.NiriEnable || noGreeter.Greeter.Enable || noGreeter.Greetd {
		t.Errorf("greeter.enable = false: niri %t, DMS %t, greeter %t, greetd %t; want true, true, false, false",
			noGreeter.NiriEnable, noGreeter.DMSEnable, noGreeter.Greeter.Enable, noGreeter.Greetd)
	}

	var off desktopShell
	desktopEval(t, "", `{ desktop.enable = false; axios.user.name = "alice"; }`, desktopShellBody, &off)
	if off.NiriEnable || off.DMSEnable || off.Greeter.Enable || off.Greetd {
		t.Errorf("desktop off: niri %t, DMS %t, greeter %t, greetd %t; want all off", off.NiriEnable, off.DMSEnable, off.Greeter.Enable, off.Greetd)
	}
	if _, ok := off.UserServices["niri-flake-polkit"]; ok {
		t.Errorf("desktop off still configures niri-flake-polkit: %+v", off.UserServices)
	}
}

// cleanConfig renders a configuration as JSON-able data: packages by name,
// functions as "<function>", paths as strings, an option read without a
// value (programs.dms-greeter.compositor.name while the greeter is off) as
// "<undefined>"; values defined only under false conditions and sets left
// empty by that are dropped.
const cleanConfig = `clean = v:
	if builtins.isAttrs v then
		(if v ? _pkg then "package " + v._pkg
		else if (v._type or "") == "absent" then null
		else
			let s = builtins.mapAttrs (_: x: let r = builtins.tryEval x; in if r.success then clean r.value else "<undefined>") v;
			    kept = builtins.removeAttrs s (builtins.filter (n: s.${n} == null) (builtins.attrNames s));
			in if kept == { } then null else kept)
	else if builtins.isList v then map clean v
	else if builtins.isFunction v then "<function>"
	else if builtins.isPath v then toString v
	else v;`

// TestDesktopOffSetsNothing: with desktop.enable = false, modules/desktop
// leaves the configuration as the flake modules alone make it, apart from
// its own options and niri-flake's cache (TestDesktopBinaryCaches).
func TestDesktopOffSetsNothing(t *testing.T) {
	t.Parallel()
	var got struct{ Off, Base map[string]any }
	desktopEval(t, "", `{ axios.user.name = "alice"; }`, `let
		`+cleanConfig+`
		base = h.withModules { modules = builtins.attrValues h.desktopUpstream; host = { axios.user.name = "alice"; }; };
		drop = s: builtins.removeAttrs (clean s) [ "desktop" "niri-flake" "nix" ];
	in { off = drop c; base = drop base; }`, &got)
	if len(got.Base) == 0 {
		t.Fatal("the configuration without modules/desktop is empty: nothing compared")
	}
	keys := map[string]bool{}
	for k := range got.Off {
		keys[k] = true
	}
	for k := range got.Base {
		keys[k] = true
	}
	for k := range keys {
		if !reflect.DeepEqual(got.Off[k], got.Base[k]) {
			t.Errorf("desktop off changes %s:\n with modules/desktop: %v\n without:              %v", k, got.Off[k], got.Base[k])
		}
	}
}

func TestDesktopInputRulesUseUaccessNotWorldWritable(t *testing.T) {
	t.Parallel()
	type rules struct {
		Packages    []string `json:"packages"`
		Destination string   `json:"destination"`
		Text        string   `json:"text"`
		ExtraRules  bool     `json:"extraRules"`
	}
	body := `let
		ps = c.services.udev.packages;
		ours = builtins.filter (p: p._pkg == "axios-input-udev-rules") ps;
	in {
		packages = map (p: p._pkg) ps;
		destination = if ours == [ ] then "" else (builtins.head ours).destination;
		text = if ours == [ ] then "" else (builtins.head ours).text;
		extraRules = c.services.udev ? extraRules;
	}`
	var on rules
	desktopEval(t, "", `{ desktop.enable = true; }`, body, &on)
	if !reflect.DeepEqual(on.Packages, []string{"axios-input-udev-rules"}) {
		t.Fatalf("services.udev.packages = %v, want the axiOS input rules", on.Packages)
	}
	// Before 73-seat-late.rules, which applies the uaccess tag; rules in
	// extraRules (99-local.rules) would come too late.
	if on.Destination != "/etc/udev/rules.d/70-axios-input.rules" {
		t.Errorf("input rules installed as %q, want /etc/udev/rules.d/70-axios-input.rules", on.Destination)
	}
	if on.ExtraRules {
		t.Error("services.udev.extraRules is set: its 99-local.rules run after the uaccess tag is applied")
	}
	if strings.Contains(on.Text, `"0666"`) {
		t.Errorf("udev rules make devices world-writable:\n%s", on.Text)
	}
	// Sony, Microsoft, Nintendo, Valve
	for _, v := range []string{"054c", "045e", "057e", "28de"} {
		for _, sub := range []string{"usb", "hidraw"} {
			want := `SUBSYSTEM=="` + sub + `", ATTRS{idVendor}=="` + v + `", MODE="0660", TAG+="uaccess"`
			if !strings.Contains(on.Text, want) {
				t.Errorf("no uaccess rule for %s devices of USB vendor %s (%s):\n%s", sub, v, want, on.Text)
			}
		}
	}
	if !strings.Contains(on.Text, `SUBSYSTEM=="input", ENV{ID_INPUT_JOYSTICK}=="1", SUBSYSTEMS=="usb", TAG+="uaccess"`) {
		t.Errorf("no uaccess rule for USB joysticks:\n%s", on.Text)
	}

	var off rules
	desktopEval(t, "", `{ desktop.enable = false; }`, body, &off)
	if len(off.Packages) != 0 {
		t.Errorf("desktop off installs udev rules %v", off.Packages)
	}
}

// TestDesktopPowerProfilesYieldToSystem76: power-profiles-daemon runs
// unless System76's power daemon does; DankMaterialShell's mkDefault on,
// the desktop hardware module's mkOverride 800 off and a host's plain
// assignment meet it without a conflict.
func TestDesktopPowerProfilesYieldToSystem76(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, extra, host string
		want              bool
	}{
		{"no System76 daemon", "", `{ desktop.enable = true; }`, true},
		{"System76 daemon on", "", `{ desktop.enable = true; hardware.system76.power-daemon.enable = true; }`, false},
		{"System76 laptop", `"laptop-hardware"`, `{ desktop.enable = true; hardware.laptop = { enable = true; enableSystem76 = true; }; }`, false},
		{"desktop hardware", `"desktop-hardware"`, `{ desktop.enable = true; hardware.desktop.enable = true; }`, false},
		{"host turns it off", "", `{ desktop.enable = true; services.power-profiles-daemon.enable = false; }`, false},
		{"desktop off", "", `{ desktop.enable = false; }`, false},
	}
	for _, c := range cases {
		var ppd bool
		desktopEval(t, c.extra, c.host, "c.services.power-profiles-daemon.enable", &ppd)
		if ppd != c.want {
			t.Errorf("%s: services.power-profiles-daemon.enable = %t, want %t", c.name, ppd, c.want)
		}
	}
}

// TestDesktopBinaryCaches: the desktop trusts axiOS's cache (its PWA
// launchers and the `axios` command) while it is on, and turns niri-flake's
// cache off because it runs nixpkgs' niri.
func TestDesktopBinaryCaches(t *testing.T) {
	t.Parallel()
	type caches struct {
		NiriCache    *bool    `json:"niriCache"`
		Substituters []string `json:"substituters"`
		Keys         []string `json:"keys"`
	}
	body := `{
		niriCache = if c ? niri-flake then c.niri-flake.cache.enable else null;
		substituters = c.nix.settings.substituters;
		keys = c.nix.settings.trusted-public-keys;
	}`
	const (
		nixosCache = "https://cache.nixos.org/"
		nixosKey   = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="
		axiosCache = "https://axios.cachix.org"
		axiosKey   = "axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4="
	)
	sorted := func(l []string) []string {
		l = append([]string(nil), l...)
		sort.Strings(l)
		return l
	}
	check := func(name string, got caches, niriCache *bool, subs, keys []string) {
		t.Helper()
		if deref(got.NiriCache) != deref(niriCache) {
			t.Errorf("%s: niri-flake.cache.enable = %v, want %v", name, deref(got.NiriCache), deref(niriCache))
		}
		if !reflect.DeepEqual(sorted(got.Substituters), sorted(subs)) {
			t.Errorf("%s: nix.settings.substituters = %q, want %q", name, got.Substituters, subs)
		}
		if !reflect.DeepEqual(sorted(got.Keys), sorted(keys)) {
			t.Errorf("%s: nix.settings.trusted-public-keys = %q, want %q", name, got.Keys, keys)
		}
	}
	off := false

	var on caches
	desktopEval(t, "", `{ desktop.enable = true; }`, body, &on)
	check("desktop on", on, &off, []string{nixosCache, axiosCache}, []string{nixosKey, axiosKey})

	var disabled caches
	desktopEval(t, "", `{ desktop.enable = false; }`, body, &disabled)
	check("desktop off", disabled, &off, []string{nixosCache}, []string{nixosKey})

	// Without niri-flake's module there is no niri-flake option to set (a
	// real evaluation rejects a definition of an undeclared option).
	var noNiriFlake caches
	foldersEval(t, "[ ]", "x86_64-linux", `{ desktop.enable = true; }`, `let
		c = h.withModules {
			modules = [ ./modules/desktop h.desktopUpstream.dank-material-shell h.desktopUpstream.dank-greeter ];
			host = { desktop.enable = true; };
		};
	in `+body, &noNiriFlake)
	check("without niri-flake", noNiriFlake, nil, []string{nixosCache, axiosCache}, []string{nixosKey, axiosKey})
}

func deref(b *bool) any {
	if b == nil {
		return "not defined"
	}
	return *b
}
