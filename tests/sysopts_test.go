package tests

import (
	"encoding/json"
	"reflect"
	"testing"
)

// These tests evaluate single module folders through the stand-in module
// system (tests/fixtures/modules/eval.nix, `folders`) and check what the
// options of issue 13 set: Bluetooth, the hardware watchdog, Tailscale's
// unattended login and fingerprint readers.

// folderCase: a host module, an expression over c (the configuration) and
// the JSON it must evaluate to.
type folderCase struct {
	host, body, want string
}

func runFolderCases(t *testing.T, names string, cases map[string]folderCase) {
	t.Helper()
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got, want any
			foldersEval(t, names, "x86_64-linux", c.host, c.body, &got)
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatalf("bad want JSON: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Errorf("got  %s\nwant %s", g, c.want)
			}
		})
	}
}

func TestBluetoothOptions(t *testing.T) {
	t.Parallel()
	body := `{
		enable = c.hardware.bluetooth.enable;
		powerOnBoot = c.hardware.bluetooth.powerOnBoot;
		noPlugins = c.hardware.bluetooth.disabledPlugins;
		wireplumber = c.services.pipewire.wireplumber.extraConfig or null;
	}`
	seatOff := `{"10-axios-bluez-no-seat-monitoring":{"wireplumber.profiles":{"main":{"monitor.bluez.seat-monitoring":"disabled"}}}}`
	runFolderCases(t, `[ "system" ]`, map[string]folderCase{
		"defaults": {`{ axios.system.timeZone = "UTC"; }`, body,
			`{"enable":true,"powerOnBoot":true,"noPlugins":["hfp"],"wireplumber":null}`},
		"power off at boot": {`{ axios.system.timeZone = "UTC"; axios.system.bluetooth.powerOnBoot = false; }`, body,
			`{"enable":true,"powerOnBoot":false,"noPlugins":["hfp"],"wireplumber":null}`},
		"headless": {`{ axios.system.timeZone = "UTC"; axios.system.bluetooth.disableSeatMonitoring = true; }`, body,
			`{"enable":true,"powerOnBoot":true,"noPlugins":["hfp"],"wireplumber":` + seatOff + `}`},
		"own plugins are kept": {`{ axios.system.timeZone = "UTC"; hardware.bluetooth.disabledPlugins = [ "sap" ]; }`,
			`builtins.sort builtins.lessThan c.hardware.bluetooth.disabledPlugins`, `["hfp","sap"]`},
		"a plain assignment wins": {`{ axios.system.timeZone = "UTC"; hardware.bluetooth.powerOnBoot = false; }`,
			`c.hardware.bluetooth.powerOnBoot`, `false`},
	})
}

func TestHardwareWatchdog(t *testing.T) {
	t.Parallel()
	body := `{
		watchdog = let v = c.systemd.settings.Manager.RuntimeWatchdogSec or null; in if (v._type or "") == "absent" then null else v;
		params = c.boot.kernelParams;
	}`
	runFolderCases(t, `[ "crash-diagnostics" ]`, map[string]folderCase{
		"off by default": {`{ hardware.crashDiagnostics.enable = true; }`, body,
			`{"watchdog":null,"params":["panic=30","oops=panic"]}`},
		"on": {`{ hardware.crashDiagnostics = { enable = true; enableHardwareWatchdog = true; }; }`, body,
			`{"watchdog":"30s","params":["panic=30","oops=panic"]}`},
		"own time": {`{ hardware.crashDiagnostics = { enable = true; enableHardwareWatchdog = true; runtimeWatchdogSec = "2min"; }; }`, body,
			`{"watchdog":"2min","params":["panic=30","oops=panic"]}`},
		"nothing without crash diagnostics": {`{ hardware.crashDiagnostics.enableHardwareWatchdog = true; }`,
			`c.systemd.settings.Manager.RuntimeWatchdogSec or null`, `null`},
		"a plain assignment wins": {`{ hardware.crashDiagnostics = { enable = true; enableHardwareWatchdog = true; }; systemd.settings.Manager.RuntimeWatchdogSec = "10s"; }`,
			`c.systemd.settings.Manager.RuntimeWatchdogSec`, `"10s"`},
	})
}

func TestHardwareWatchdogRejectsBadTimeSpan(t *testing.T) {
	t.Parallel()
	var ok bool
	foldersEval(t, `[ "crash-diagnostics" ]`, "x86_64-linux",
		`{ hardware.crashDiagnostics = { enable = true; enableHardwareWatchdog = true; runtimeWatchdogSec = "soon"; }; }`,
		`(builtins.tryEval (builtins.deepSeq c.systemd.settings true)).success`, &ok)
	if ok {
		t.Error(`runtimeWatchdogSec = "soon" was accepted`)
	}
}

func TestTailscaleOptions(t *testing.T) {
	t.Parallel()
	body := `{
		key = let v = c.services.tailscale.authKeyFile or null; in if (v._type or "") == "absent" then null else v;
		set = c.services.tailscale.extraSetFlags;
	}`
	runFolderCases(t, `[ "networking" "users" ]`, map[string]folderCase{
		"operator is the primary user": {`{ axios.user.name = "alice"; }`, body,
			`{"key":null,"set":["--operator=alice","--accept-routes=false"]}`},
		"no primary user, no operator": {`{ }`, body,
			`{"key":null,"set":["--accept-routes=false"]}`},
		"auth key, routes, another operator": {`{
			axios.user.name = "alice";
			users.users.bob.isNormalUser = true;
			networking.tailscale = { authKeyFile = "/run/agenix/tailscale"; operator = "bob"; acceptRoutes = true; };
		}`, body, `{"key":"/run/agenix/tailscale","set":["--operator=bob","--accept-routes=true"]}`},
		"operator off": {`{ axios.user.name = "alice"; networking.tailscale.operator = null; }`, body,
			`{"key":null,"set":["--accept-routes=false"]}`},
		"tailscale off sets nothing": {`{ axios.user.name = "alice"; services.tailscale.enable = false; networking.tailscale.authKeyFile = "/run/agenix/ts"; }`,
			`let v = c.services.tailscale.extraSetFlags or [ ]; in if (v._type or "") == "absent" then [ ] else v`, `[]`},
	})
}

func TestTailscaleRejectsUnsafeInput(t *testing.T) {
	t.Parallel()
	// A Nix path would be copied into the world-readable store.
	var ok bool
	foldersEval(t, `[ "networking" ]`, "x86_64-linux", `{ networking.tailscale.authKeyFile = ./go.mod; }`,
		`(builtins.tryEval (builtins.deepSeq c.services.tailscale.authKeyFile true)).success`, &ok)
	if ok {
		t.Error("a Nix path was accepted as networking.tailscale.authKeyFile")
	}
	var msgs []string
	foldersEval(t, `[ "networking" "users" ]`, "x86_64-linux", `{ axios.user.name = "alice"; networking.tailscale.operator = "mallory"; }`,
		`h.failedAssertions c`, &msgs)
	wantAssertion(t, msgs, `networking.tailscale.operator = "mallory"`, "is not a user")
}

func TestFingerprintOnLaptops(t *testing.T) {
	t.Parallel()
	body := `let v = x: if (x._type or "") == "absent" then null else x; in {
		fprintd = v (c.services.fprintd.enable or null);
		greeter = v (c.security.pam.services.greetd.fprintAuth or null);
		sudo = v (c.security.pam.services.sudo.fprintAuth or null);
	}`
	runFolderCases(t, `[ "laptop-hardware" ]`, map[string]folderCase{
		"laptop":       {`{ hardware.laptop.enable = true; }`, body, `{"fprintd":true,"greeter":true,"sudo":true}`},
		"switched off": {`{ hardware.laptop = { enable = true; enableFingerprint = false; }; }`, body, `{"fprintd":null,"greeter":null,"sudo":null}`},
		"not a laptop": {`{ }`, body, `{"fprintd":null,"greeter":null,"sudo":null}`},
		"a plain assignment wins": {`{ hardware.laptop.enable = true; security.pam.services.sudo.fprintAuth = false; }`, body,
			`{"fprintd":true,"greeter":true,"sudo":false}`},
	})
}

// TestUsersAdminAndLinger: [users.<name>] isAdmin and linger reach
// axios.users.accounts through mkSystem, and the users module turns them
// into the administrative groups and users.users.<name>.linger.
func TestUsersAdminAndLinger(t *testing.T) {
	t.Parallel()
	var ms []moduleDesc
	harness(t, `h.modules { host = builtins.fromTOML (builtins.readFile ./tests/hosts/users-admin-linger.toml); name = "users-admin-linger"; form = "toml"; }`, &ms)
	s := mergedSettings(t, hostModule(t, ms, "users-admin-linger"))
	for k, v := range map[string]any{
		"axios.user.name":                   "alice",
		"axios.users.accounts.alice.linger": true,
		"axios.users.accounts.bob.isAdmin":  true,
		"axios.users.accounts.bob.linger":   false,
	} {
		if s[k] != v {
			t.Errorf("%s = %#v, want %#v", k, s[k], v)
		}
	}

	host := `{
		axios.user.name = "alice";
		axios.users.accounts = { alice.linger = true; bob.isAdmin = true; carol = { }; };
		development.enable = true;
	}`
	var got struct {
		Groups map[string][]string `json:"groups"`
		Linger map[string]any      `json:"linger"`
	}
	foldersEval(t, `[ "users" "development" ]`, "x86_64-linux", host, `{
		groups = builtins.mapAttrs (_: u: u.extraGroups) c.users.users;
		linger = builtins.mapAttrs (_: u: let v = u.linger or null; in if (v._type or "") == "absent" then null else v) c.users.users;
	}`, &got)
	has := func(user, g string) bool {
		for _, x := range got.Groups[user] {
			if x == g {
				return true
			}
		}
		return false
	}
	for _, g := range []string{"wheel", "adm"} {
		if !has("alice", g) || !has("bob", g) {
			t.Errorf("%s: primary alice and isAdmin bob must have it: %v", g, got.Groups)
		}
		if has("carol", g) {
			t.Errorf("%s: carol is neither primary nor admin: %v", g, got.Groups["carol"])
		}
	}
	if !has("carol", "dialout") {
		t.Errorf("carol keeps the non-administrative groups: %v", got.Groups["carol"])
	}
	if got.Linger["alice"] != true || got.Linger["bob"] != nil || got.Linger["carol"] != nil {
		t.Errorf("linger = %v, want true for alice only (nothing set for the others)", got.Linger)
	}
}
