package tests

import (
	"reflect"
	"strings"
	"testing"
)

// These tests evaluate the real system, users and ai modules through the
// builtins-only harness (tests/fixtures/modules/eval.nix, whose `upstream`
// stub defines what nixpkgs itself sets: trusted-users = [ "root" ] and the
// cache.nixos.org substituter) and check the defaults issue 10 made safe.

type nixSettings struct {
	TrustedUsers []string `json:"trusted"`
	Substituters []string `json:"subs"`
	Keys         []string `json:"keys"`
}

const nixSettingsBody = `{
	trusted = c.nix.settings.trusted-users;
	subs = c.nix.settings.substituters;
	keys = c.nix.settings.trusted-public-keys;
}`

const cacheNixOS = "https://cache.nixos.org/"
const cacheNixOSKey = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY="

// TestSecureDefaultsNixTrustsOnlyRoot: without an opt-in no user but root is
// a trusted Nix user (root-equivalent through the daemon), and a host with
// only the core modules trusts no binary cache but cache.nixos.org.
func TestSecureDefaultsNixTrustsOnlyRoot(t *testing.T) {
	t.Parallel()
	var got nixSettings
	foldersEval(t, `[ "system" "users" "networking" "hardware" ]`, "x86_64-linux",
		`{ axios.system.timeZone = "UTC"; axios.user.name = "alice"; }`, nixSettingsBody, &got)
	want := nixSettings{[]string{"root"}, []string{cacheNixOS}, []string{cacheNixOSKey}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("core modules: %+v\nwant %+v", got, want)
	}

	foldersEval(t, `[ "system" ]`, "x86_64-linux",
		`{ axios.system.timeZone = "UTC"; axios.nix.trustWheel = true; }`, "c.nix.settings.trusted-users", &got.TrustedUsers)
	if !reflect.DeepEqual(got.TrustedUsers, []string{"root", "@wheel"}) {
		t.Errorf("axios.nix.trustWheel = true: trusted-users = %q, want root and @wheel", got.TrustedUsers)
	}
}

// TestSecureDefaultsEveryFolderTrustsOnlyTheirCaches: with every module on,
// the caches are exactly those of the modules' packages (numtide for the AI
// agents, axiOS's own for its MCP server), each with its key, and each once.
func TestSecureDefaultsEveryFolderTrustsOnlyTheirCaches(t *testing.T) {
	t.Parallel()
	var got nixSettings
	foldersEval(t, allFolders, "x86_64-linux", strings.ReplaceAll(fullHost, "GAMING", "true"), nixSettingsBody, &got)
	want := nixSettings{
		[]string{"root"},
		[]string{cacheNixOS, "https://numtide.cachix.org", "https://axios.cachix.org"},
		[]string{cacheNixOSKey, "numtide.cachix.org-1:2ps1kLBUWjxIneOy1Ik6cQjb41X0iXVXeHigGmycPPE=", "axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4="},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("every module on: %+v\nwant %+v", got, want)
	}
	// The desktop module adds the axiOS cache itself; with both on it is
	// listed once.
	foldersEval(t, `[ "ai" ]`, "x86_64-linux", `{ desktop.enable = true; services.ai.enable = true; }`, "c.nix.settings.substituters", &got.Substituters)
	if !reflect.DeepEqual(got.Substituters, []string{cacheNixOS, "https://numtide.cachix.org"}) {
		t.Errorf("ai with the desktop on: substituters = %q; the axiOS cache comes from the desktop module", got.Substituters)
	}
}

// TestSecureDefaultsBootAndSudo: systemd-boot keeps 10 generations, and only
// wheel may execute sudo.
func TestSecureDefaultsBootAndSudo(t *testing.T) {
	t.Parallel()
	var got struct {
		Limit     int  `json:"limit"`
		ExecWheel bool `json:"execWheel"`
	}
	foldersEval(t, `[ "system" "users" ]`, "x86_64-linux", `{ axios.system.timeZone = "UTC"; }`, `{
		limit = c.boot.loader.systemd-boot.configurationLimit;
		execWheel = c.security.sudo.execWheelOnly;
	}`, &got)
	if got.Limit != 10 || !got.ExecWheel {
		t.Errorf("configurationLimit = %d, execWheelOnly = %v; want 10 and true", got.Limit, got.ExecWheel)
	}
	// Both are opinions (mkDefault): a plain assignment wins.
	foldersEval(t, `[ "system" "users" ]`, "x86_64-linux", `{
		axios.system.timeZone = "UTC";
		boot.loader.systemd-boot.configurationLimit = 3;
		security.sudo.execWheelOnly = false;
	}`, `{
		limit = c.boot.loader.systemd-boot.configurationLimit;
		execWheel = c.security.sudo.execWheelOnly;
	}`, &got)
	if got.Limit != 3 || got.ExecWheel {
		t.Errorf("a host's own values: configurationLimit = %d, execWheelOnly = %v; want 3 and false", got.Limit, got.ExecWheel)
	}
}

// TestSecureDefaultsNoKnownPassword: no account gets a password unless the
// host gives its hash (as initialHashedPassword) or a hash file; SSH keys
// reach openssh.authorizedKeys; the old plain-text initialPassword applies
// only when set, with a warning.
func TestSecureDefaultsNoKnownPassword(t *testing.T) {
	t.Parallel()
	type account struct {
		Initial     any      `json:"initial"`
		InitialHash any      `json:"initialHash"`
		HashFile    any      `json:"hashFile"`
		Keys        []string `json:"keys"`
	}
	var got struct {
		Accounts map[string]account `json:"accounts"`
		Warnings []string           `json:"warnings"`
	}
	const body = `{
		accounts = builtins.mapAttrs (_: u: {
			initial = u.initialPassword;
			initialHash = u.initialHashedPassword;
			hashFile = u.hashedPasswordFile;
			keys = u.openssh.authorizedKeys.keys or [ ];
		}) (h.lib.filterAttrs (_: u: u.isNormalUser) c.users.users);
		warnings = c.warnings or [ ];
	}`
	const hash = "$y$j9T$abcdefghijklmnopqrstuv$0123456789012345678901234567890123456789012"
	foldersEval(t, `[ "users" ]`, "x86_64-linux", `{
		axios.user.name = "alice";
		axios.users.accounts.alice.hashedPassword = "`+strings.ReplaceAll(hash, "$", "\\$")+`";
		axios.users.accounts.bob.hashedPasswordFile = "/run/agenix/bob-password";
		axios.users.accounts.carol.sshKeys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE carol@laptop" ];
		axios.users.accounts.dave = { };
	}`, body, &got)
	want := map[string]account{
		"alice": {nil, hash, nil, []string{}},
		"bob":   {nil, nil, "/run/agenix/bob-password", []string{}},
		"carol": {nil, nil, nil, []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE carol@laptop"}},
		"dave":  {nil, nil, nil, []string{}},
	}
	if !reflect.DeepEqual(got.Accounts, want) || len(got.Warnings) != 0 {
		t.Errorf("accounts:\n got %+v\nwant %+v\nwarnings %q", got.Accounts, want, got.Warnings)
	}

	got.Accounts, got.Warnings = nil, nil
	foldersEval(t, `[ "users" ]`, "x86_64-linux", `{
		axios.user.name = "alice";
		axios.users.initialPassword = "changeme";
		axios.users.accounts.bob.hashedPasswordFile = "/run/agenix/bob-password";
	}`, body, &got)
	if got.Accounts["alice"].Initial != "changeme" || got.Accounts["bob"].Initial != nil {
		t.Errorf("axios.users.initialPassword set: %+v; want it on alice only (bob has a hash file)", got.Accounts)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "world-readable") {
		t.Errorf("warnings = %q; want one about the plain-text password in the store", got.Warnings)
	}
}
