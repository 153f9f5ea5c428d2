package tests

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/testutil"
)

// These tests evaluate lib/default.nix through tests/nix/lib-harness.nix:
// flake inputs are stubs and nixosSystem returns its arguments, so the
// module lists mkSystem and mkHosts build can be inspected without nixpkgs.

// moduleDesc is one described module: a name (stub input, wrapper key,
// path) or a function module called with a stand-in lib.
type moduleDesc struct {
	Name   string
	File   string
	Config map[string]any
	Attrs  []string
}

func (m *moduleDesc) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.Name)
	}
	var obj struct {
		File   string         `json:"file"`
		Config map[string]any `json:"config"`
		Attrs  []string       `json:"attrs"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	m.File, m.Config, m.Attrs = obj.File, obj.Config, obj.Attrs
	return nil
}

func harness(t *testing.T, body string, out any) {
	t.Helper()
	testutil.NixEval(t, testutil.RepoRoot(t), "let h = import ./tests/nix/lib-harness.nix; in "+body, out)
}

func names(ms []moduleDesc) []string {
	var out []string
	for _, m := range ms {
		switch {
		case m.Name != "":
			out = append(out, m.Name)
		case m.File != "":
			out = append(out, m.File)
		default:
			out = append(out, "{"+strings.Join(m.Attrs, ",")+"}")
		}
	}
	return out
}

// mergedSettings flattens the host module's mkMerge list into dotted paths.
func mergedSettings(t *testing.T, m moduleDesc) map[string]any {
	t.Helper()
	merge, ok := m.Config["_merge"].([]any)
	if !ok {
		t.Fatalf("host module config is not an mkMerge list: %v", m.Config)
	}
	out := map[string]any{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		obj, ok := v.(map[string]any)
		if !ok || len(obj) == 0 {
			out[prefix] = v
			return
		}
		for k, x := range obj {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, x)
		}
	}
	for _, part := range merge {
		walk("", part)
	}
	return out
}

func hostModule(t *testing.T, ms []moduleDesc, host string) moduleDesc {
	t.Helper()
	for _, m := range ms {
		if m.File == "axios host "+host {
			return m
		}
	}
	t.Fatalf("no host module for %s in %v", host, names(ms))
	return moduleDesc{}
}

func TestBuildModulesValidHost(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/server.toml); name = "server"; form = "toml"; folderModules = [ ./tests/nix/vectors.nix ]; }`, &ms)
	want := []string{
		"axios host check",
		"axios#flake-args",
		"home-manager.nixosModules.home-manager",
		"axios#nixos/crashDiagnostics",
		"axios#nixos/desktopHardware",
		"axios#nixos/development",
		"axios#nixos/hardware",
		"axios#nixos/networking",
		"axios#nixos/secrets",
		"axios#nixos/services",
		"axios#nixos/system",
		"axios#nixos/users",
		"axios#nixos/virt",
		"nixos-hardware.nixosModules.common-cpu-intel",
		"nixos-hardware.nixosModules.common-pc-ssd",
		"axios host server",
		"{networking}",
		"./tests/nix/vectors.nix",
	}
	if got := names(ms); !reflect.DeepEqual(got, want) {
		t.Fatalf("module list:\n got %v\nwant %v", got, want)
	}
	s := mergedSettings(t, hostModule(t, ms, "server"))
	checks := map[string]any{
		"networking.hostName":                           "server",
		"hardware.desktop.enable":                       true,
		"development.enable":                            true,
		"secrets.enable":                                true,
		"secrets.identityPaths":                         []any{"/etc/ssh/ssh_host_ed25519_key"},
		"selfHosted.enable":                             true,
		"selfHosted.immich.enable":                      true,
		"virt.libvirt.enable":                           true,
		"virt.containers.enable":                        true,
		"axios.system.timeZone":                         "Europe/Amsterdam",
		"axios.user.name":                               "admin",
		"axios.user.fullName":                           "Server Admin",
		"axios.user.email":                              "admin@example.org",
		"axios.users.accounts.admin.fullName":           "Server Admin",
		"nixpkgs.hostPlatform._optionDefault":           "x86_64-linux",
		"axios.users.accounts.admin.extraGroups":        []any{"libvirtd", "podman"},
		"axios.users.accounts.admin.hashedPasswordFile": "/run/agenix/admin-password",
		"home-manager.sharedModules": []any{
			"axios#home/base", "axios#home/secrets", "axios#home/security", "axios#home/terminal", "axios#home/workstation",
		},
	}
	for k, v := range checks {
		if !reflect.DeepEqual(s[k], v) {
			t.Errorf("%s = %#v, want %#v", k, s[k], v)
		}
	}
	// Not set: graphics is off, so its fromHost options are not copied.
	for _, k := range []string{"axios.hardware.gpuType", "axios.hardware.isLaptop", "desktop.enable", "gaming.enable"} {
		if _, ok := s[k]; ok {
			t.Errorf("%s is set but its module is not active", k)
		}
	}
	if diag := ms[0]; len(diag.Config["assertions"].([]any)) != 0 || len(diag.Config["warnings"].([]any)) != 0 {
		t.Errorf("valid host has assertions or warnings: %v", diag.Config)
	}
}

func TestBuildModulesVendorAndFromHost(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/system76-laptop.toml); name = "system76-laptop"; form = "toml"; }`, &ms)
	s := mergedSettings(t, hostModule(t, ms, "system76-laptop"))
	for k, v := range map[string]any{
		"hardware.laptop.enable":               true,
		"hardware.laptop.enableSystem76":       true,
		"hardware.laptop.enablePangolinQuirks": true,
		"axios.hardware.cpu":                   "intel",
	} {
		if !reflect.DeepEqual(s[k], v) {
			t.Errorf("%s = %#v, want %#v", k, s[k], v)
		}
	}
	// No users table: no user settings.
	if _, ok := s["axios.user.name"]; ok {
		t.Error("axios.user.name set for a host without users")
	}

	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/desktop-amd.toml); name = "desktop-amd"; form = "toml"; }`, &ms)
	s = mergedSettings(t, hostModule(t, ms, "desktop-amd"))
	for k, v := range map[string]any{
		"axios.hardware.gpuType":  "amd",
		"axios.hardware.isLaptop": false,
		"desktop.enable":          true,
		"gaming.enable":           true,
		"hardware.desktop.enable": true,
		// system is set explicitly: it beats a hardware.nix mkDefault.
		"nixpkgs.hostPlatform._value":    "x86_64-linux",
		"nixpkgs.hostPlatform._override": 900.0,
	} {
		if !reflect.DeepEqual(s[k], v) {
			t.Errorf("desktop-amd %s = %#v, want %#v", k, s[k], v)
		}
	}
	if _, ok := s["hardware.desktop.enableMsiSensors"]; ok {
		t.Error("MSI vendor settings set for a generic desktop")
	}
	if _, ok := s["axios.hardware.nvidiaDriver"]; ok {
		t.Error("axios.hardware.nvidiaDriver set for a host that leaves hardware.nvidiaDriver unset")
	}

	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/nvidia-beta-driver.toml); name = "nvidia-beta-driver"; form = "toml"; }`, &ms)
	s = mergedSettings(t, hostModule(t, ms, "nvidia-beta-driver"))
	if s["axios.hardware.nvidiaDriver"] != "beta" || s["axios.hardware.gpuType"] != "nvidia" {
		t.Errorf("nvidia-beta-driver: nvidiaDriver = %#v, gpuType = %#v", s["axios.hardware.nvidiaDriver"], s["axios.hardware.gpuType"])
	}
}

func TestBuildModulesErrorHost(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/bad-requires.toml); name = "bad-requires"; form = "toml"; folderModules = [ ./tests/nix/vectors.nix ]; }`, &ms)
	if len(ms) != 1 || ms[0].File != "axios host check" {
		t.Fatalf("a host with errors must get only the check module, got %v", names(ms))
	}
	var messages []string
	for _, a := range ms[0].Config["assertions"].([]any) {
		a := a.(map[string]any)
		if a["assertion"] != false {
			t.Errorf("assertion %v is not false", a)
		}
		messages = append(messages, a["message"].(string))
	}
	want := []string{
		"axiOS host bad-requires: AX301 modules.ai: modules.ai needs modules.networking — fix: set modules.networking = true, or modules.ai = false",
		"axiOS host bad-requires: AX301 modules.desktop: modules.desktop needs modules.networking — fix: set modules.networking = true, or modules.desktop = false",
		"axiOS host bad-requires: AX301 modules.gaming: modules.gaming needs modules.graphics — fix: set modules.graphics = true, or modules.gaming = false",
	}
	if !reflect.DeepEqual(messages, want) {
		t.Errorf("assertions:\n got %q\nwant %q", messages, want)
	}
	top := ms[0].Config["system"].(map[string]any)["build"].(map[string]any)["toplevel"]
	if !reflect.DeepEqual(top, map[string]any{"_force": "<throws>"}) {
		t.Errorf("system.build.toplevel must be forced to a throw, got %v", top)
	}
}

// TestErrorHostThrowsItsLines checks the text of the evaluation error.
func TestErrorHostThrowsItsLines(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	// tryEval hides a throw's message: read the error output.
	out := testutil.NixEvalError(t, root, `let h = import ./tests/nix/lib-harness.nix;
		ms = h.axiosLib.buildModulesWith { host = builtins.fromTOML (builtins.readFile ./tests/hosts/bad-enum.toml); name = "bad-enum"; form = "toml"; };
		cfg = (builtins.head ms) { inherit (import ./tests/nix/modsys.nix) lib; };
	in cfg.config.system.build.toplevel`)
	for _, line := range []string{
		"5 error(s) in axiOS host bad-enum:",
		`axiOS host bad-enum: AX104 formFactor: formFactor = "server" is not allowed — fix: use one of "desktop", "laptop"`,
		`axiOS host bad-enum: AX104 hardware.gpu: hardware.gpu = "nvida" is not allowed — fix: use one of "amd", "nvidia", "intel" (did you mean "nvidia"?)`,
		`axiOS host bad-enum: AX104 system: system = "x86_64-darwin" is not allowed`,
	} {
		if !strings.Contains(out, line) {
			t.Errorf("error output lacks %q:\n%s", line, out)
		}
	}
}

// TestBuildModulesWarnsAboutAUserWithoutLogin: the evaluation warns with
// exactly the line `axios check` prints for AX601 (the vectors show the two
// interpreters agree; this shows the warning reaches NixOS's warnings).
func TestBuildModulesWarnsAboutAUserWithoutLogin(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = { hostname = "nokey"; timeZone = "UTC"; users.alice = { fullName = "Alice"; }; }; }`, &ms)
	warnings := ms[0].Config["warnings"].([]any)
	h := &hostfile.Host{Values: map[string]any{"hostname": "nokey", "timeZone": "UTC",
		"users": map[string]any{"alice": map[string]any{"fullName": "Alice"}}}, Form: hostfile.FormNix}
	ds := hostrules.Validate(h, hostrules.Options{})
	if len(ds) != 1 || ds[0].Code != "AX601" {
		t.Fatalf("Go: %v", ds)
	}
	want := "axiOS host nokey: AX601 users.alice: " + ds[0].Message + " — fix: " + ds[0].Fix
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings = %q\nwant [%q]", warnings, want)
	}
	if len(ms) < 3 {
		t.Errorf("a warning must not stop the build: %v", names(ms))
	}
}

func TestBuildModulesWarningsAndNixForm(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/warn-unused-settings.toml); name = "warn-unused-settings"; form = "toml"; }`, &ms)
	warnings := ms[0].Config["warnings"].([]any)
	if len(warnings) != 3 || !strings.HasPrefix(warnings[0].(string), "axiOS host warn-unused-settings: AX302 secrets: [secrets] is ignored because modules.secrets is off — fix: ") {
		t.Errorf("warnings = %v", warnings)
	}
	if len(ms) < 3 {
		t.Errorf("warnings must not stop the build: %v", names(ms))
	}

	// The Nix form: extraConfig is a module (its imports work), then the
	// hardware file, the user module and the extra modules, in that order.
	harness(t, `h.system {
		hostname = "nixbox";
		timeZone = "UTC";
		formFactor = null;
		extraConfig = { imports = [ ./tests/nix/vectors.nix ]; services.openssh.enable = true; };
		hardwareConfigPath = ./tests/nix/lib-harness.nix;
		userModulePath = { config, ... }: { };
		extraModules = [ { networking.firewall.enable = true; } ];
	}`, &ms)
	got := names(ms)
	tail := got[len(got)-5:]
	want := []string{"axios host nixbox", "{imports,services}", "./tests/nix/lib-harness.nix", "<function>", "{networking}"}
	if !reflect.DeepEqual(tail, want) {
		t.Errorf("module list tail:\n got %v\nwant %v", tail, want)
	}
}

func TestMkHostsExamples(t *testing.T) {
	t.Parallel()
	var hosts map[string][]moduleDesc
	harness(t, `h.hosts ./examples/multi-host/hosts`, &hosts)
	for _, name := range []string{"desktop", "laptop", "server"} {
		ms, ok := hosts[name]
		if !ok {
			t.Errorf("examples/multi-host: no host %s (got %v)", name, len(hosts))
			continue
		}
		got := names(ms)
		if len(got) < 3 || got[0] != "axios host check" {
			t.Errorf("%s: %v", name, got)
			continue
		}
		if !hasString(got, "./examples/multi-host/hosts/"+name+"/hardware.nix") {
			t.Errorf("%s: hardware.nix not in module list %v", name, got)
		}
		if !hasString(got, "axios host "+name) {
			t.Errorf("%s: no host module (does it have errors?) %v", name, got)
		}
	}
}

func TestHardwareModulesAndWrappers(t *testing.T) {
	t.Parallel()
	var hw []string
	harness(t, `h.hardware { cpu = "amd"; gpu = "nvidia"; hasSSD = true; isLaptop = true; }`, &hw)
	want := []string{
		"nixos-hardware.nixosModules.common-cpu-amd",
		"nixos-hardware.nixosModules.common-gpu-nvidia-nonprime",
		"nixos-hardware.nixosModules.common-pc-ssd",
		"nixos-hardware.nixosModules.common-pc-laptop",
	}
	if !reflect.DeepEqual(hw, want) {
		t.Errorf("hardwareModules = %v, want %v", hw, want)
	}

	// Every wrapper: key, the entry's path, its flake-input modules, then the
	// shared args module — compared with the catalog itself.
	type wrapper struct {
		Key     string   `json:"key"`
		Imports []string `json:"imports"`
	}
	var wrappers map[string]map[string]wrapper
	harness(t, `h.wrappers`, &wrappers)
	var entries map[string]map[string]struct {
		Path     string   `json:"path"`
		Imports  []string `json:"imports"`
		Requires []string `json:"requires"`
		Flag     string   `json:"flag"`
	}
	testutil.NixEval(t, testutil.RepoRoot(t), `let c = (import ./lib/core { }).catalog; in { nixos = c.nixos; home = c.home; }`, &entries)
	// A wrapper imports the wrappers of what its entry requires: home entries
	// by name, NixOS entries by flag.
	requiredKeys := func(section string, requires []string) []string {
		var keys []string
		for _, r := range requires {
			if section == "home" {
				keys = append(keys, "axios#home/"+r)
				continue
			}
			var names []string
			for n, e := range entries["nixos"] {
				if e.Flag == r {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			for _, n := range names {
				keys = append(keys, "axios#nixos/"+n)
			}
		}
		return keys
	}
	for section, es := range entries {
		if len(wrappers[section]) != len(es) {
			t.Errorf("%s: %d wrappers for %d catalog entries", section, len(wrappers[section]), len(es))
		}
		for name, e := range es {
			w := wrappers[section][name]
			want := append(append([]string{"./" + e.Path}, e.Imports...), requiredKeys(section, e.Requires)...)
			want = append(want, "axios#flake-args")
			if w.Key != "axios#"+section+"/"+name || !reflect.DeepEqual(w.Imports, want) {
				t.Errorf("%s.%s wrapper = %+v, want key axios#%s/%s imports %v", section, name, w, section, name, want)
			}
		}
	}
	if len(wrappers["nixos"]["desktop"].Imports) < 3 || len(wrappers["home"]["secrets"].Imports) != 3 {
		t.Errorf("desktop and home secrets wrappers must import their flake-input modules: %+v", wrappers)
	}

	var args struct {
		Self   string   `json:"self"`
		Inputs []string `json:"inputs"`
	}
	harness(t, `h.flakeArgs`, &args)
	if args.Self != testutil.RepoRoot(t) || !hasString(args.Inputs, "nixpkgs") || !hasString(args.Inputs, "niri") {
		t.Errorf("axiosFlake = %+v", args)
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestLibraryMisuseErrors: calling the library with the wrong kind of
// argument gives one clear line, not a stack trace from deep inside.
func TestLibraryMisuseErrors(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	for expr, want := range map[string]string{
		`h.system ./examples/nix-attrset/host.nix`: "axiOS: mkSystem takes the host as an attribute set, not path; for hosts/<name>.toml files use mkHosts ./hosts",
		`h.hosts ./no-such-folder`:                 "axiOS: mkHosts: " + root + "/no-such-folder does not exist",
	} {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			if out := testutil.NixEvalError(t, root, "let h = import ./tests/nix/lib-harness.nix; in "+expr); !strings.Contains(out, want) {
				t.Errorf("%s: want an error containing %q, got:\n%s", expr, want, out)
			}
		})
	}
}

// TestMkSystemSpecialArgs: user modules written against the original's API
// (`{ inputs, self, nixosModules, homeModules, ... }:`) get those arguments.
func TestMkSystemSpecialArgs(t *testing.T) {
	t.Parallel()
	var got []string
	harness(t, `h.specialArgs { hostname = "a"; timeZone = "UTC"; }`, &got)
	want := []string{"homeModules", "inputs", "nixosModules", "self"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("specialArgs = %v, want %v", got, want)
	}
}
