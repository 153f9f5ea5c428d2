package tests

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// These tests evaluate the home-manager modules (profiles, terminal,
// security, browser, calendar, ai, secrets) through tests/nix/home-harness.nix:
// a builtins-only module evaluation whose upstream options are home-manager
// master's (the subset of ../shared/data/home-manager-options-2026-08.tsv
// that homeHarnessOptions writes to a temporary folder), so setting an
// option that does not exist, or a renamed one, fails.

// A desktop host with everything on, as the NixOS side would present it.
const desktopOS = `{
  users.users.alice.description = "Alice Liddell";
  desktop.enable = true;
  services.gnome.gcr-ssh-agent.enable = true;
  hardware.logitech.wireless.enableGraphical = true;
  services.ai.enable = true;
  secrets.enable = true;
  secrets.secretsDir = ./tests/fixtures/secrets/dir;
}`

// homeExpr is body with harness = the home harness as a function of its
// arguments (given the option list) and h = harness args.
func homeExpr(t *testing.T, args, body string) string {
	t.Helper()
	return "let harness = a: import ./tests/nix/home-harness.nix (a // { optionsTsv = " +
		strconv.Quote(homeHarnessOptions(t)) + "; upstreamDecls = import " + strconv.Quote(homeHarnessUpstream(t)) +
		"; }); h = harness " + args + "; in " + body
}

// homeEval evaluates body with h = the harness called with args.
func homeEval(t *testing.T, args, body string, out any) {
	t.Helper()
	testutil.NixEval(t, testutil.RepoRoot(t), homeExpr(t, args, body), out)
}

// homeEvalErr evaluates and returns the error text (the evaluation must fail).
func homeEvalErr(t *testing.T, args, body string) string {
	t.Helper()
	return testutil.NixEvalError(t, testutil.RepoRoot(t), homeExpr(t, args, body))
}

func TestHomeModulesUseOnlyExistingOptions(t *testing.T) {
	t.Parallel()
	scenarios := map[string]string{
		"desktop":    `{ os = ` + desktopOS + `; home = { axios.user.email = "alice@example.org"; }; }`,
		"standalone": `{ }`,
		"laptop":     `{ profile = "laptop"; os = { services.ai.enable = false; }; }`,
		"no inputs":  `{ inputs = [ ]; }`,
		"all inputs": `{ inputs = [ "ghostty" "mcp-servers-nix" "self-axios" ]; }`,
		"secrets": `{ os = ` + desktopOS + `; home = {
			age.secrets.brave-api-key.file = ./tests/fixtures/secrets/dir/api-token.age;
			age.secrets.brave-api-key.path = "/run/user/1000/agenix/brave-api-key";
			axios.ai.mcp.secrets.tavilyApiKeyFile = "/home/alice/.local/share/keys/tavily";
			accounts.calendar.accounts.work = { vdirsyncer.enable = true; khal.enable = true; };
		}; }`,
	}
	for name, args := range scenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var res struct {
				Defined          map[string]any `json:"defined"`
				FailedAssertions []string       `json:"failedAssertions"`
			}
			homeEval(t, args, "{ inherit (h) defined failedAssertions; }", &res)
			if len(res.FailedAssertions) != 0 {
				t.Errorf("failed assertions: %q", res.FailedAssertions)
			}
			for _, top := range []string{"programs", "home", "xdg", "services"} {
				if _, ok := res.Defined[top]; !ok {
					t.Errorf("nothing defined under %s", top)
				}
			}
		})
	}
}

func TestHomeHarnessRejectsUnknownAndRenamedOptions(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{ programs.fsh.enable = true; }`:                "option programs.fsh does not exist",
		`{ programs.fish.binds.x.comand = "y"; }`:        "option programs.fish.binds.x.comand does not exist",
		`{ programs.git.userName = "x"; }`:               "programs.git.userName is hidden in home-manager (renamed",
		`{ programs.fish.generateCompletions = "yes"; }`: "is not of type boolean",
	}
	for home, want := range cases {
		if got := homeEvalErr(t, "{ home = "+home+"; }", "h.defined"); !strings.Contains(got, want) {
			t.Errorf("%s: error %q does not contain %q", home, got, want)
		}
	}
}

func TestHomeProfiles(t *testing.T) {
	t.Parallel()
	var ws struct {
		Profile string         `json:"profile"`
		Autos   map[string]any `json:"autos"`
		Flake   string         `json:"flake"`
		State   string         `json:"state"`
	}
	body := `{ profile = h.config.axios.home.profile; autos = h.defined.xdg.configFile or { }; flake = h.config.home.sessionVariables.FLAKE_PATH; state = h.config.home.stateVersion; }`
	homeEval(t, `{ os = `+desktopOS+`; }`, body, &ws)
	if ws.Profile != "workstation" || ws.Flake != "${HOME}/.config/nixos_config" || ws.State != "24.11" {
		t.Errorf("workstation = %+v", ws)
	}
	if _, ok := ws.Autos["autostart/solaar.desktop"]; !ok {
		t.Error("workstation with Solaar installed has no Solaar autostart entry")
	}

	// Solaar not installed: no autostart entry pointing at nothing.
	var noSolaar struct {
		Autos map[string]any `json:"autos"`
	}
	homeEval(t, `{ os = { hardware.logitech.wireless.enableGraphical = false; }; }`, body, &noSolaar)
	if _, ok := noSolaar.Autos["autostart/solaar.desktop"]; ok {
		t.Error("Solaar autostart written although Solaar is not installed")
	}

	var lap struct {
		Profile string         `json:"profile"`
		Autos   map[string]any `json:"autos"`
	}
	homeEval(t, `{ profile = "laptop"; os = `+desktopOS+`; }`, `{ profile = h.config.axios.home.profile; autos = h.defined.xdg.configFile or { }; }`, &lap)
	if lap.Profile != "laptop" || lap.Autos["autostart/solaar.desktop"] != nil {
		t.Errorf("laptop = %+v", lap)
	}

	var unset map[string]any
	homeEval(t, `{ home = { axios.home.flakePath = null; }; }`, `h.config.home.sessionVariables`, &unset)
	if _, ok := unset["FLAKE_PATH"]; ok {
		t.Error("flakePath = null still exports FLAKE_PATH")
	}
}

func TestHomeGitIdentityFromHostUser(t *testing.T) {
	t.Parallel()
	var user map[string]string
	homeEval(t, `{ os = `+desktopOS+`; home = { axios.user.email = "alice@example.org"; }; }`, `h.config.programs.git.settings.user`, &user)
	if !reflect.DeepEqual(user, map[string]string{"name": "Alice Liddell", "email": "alice@example.org"}) {
		t.Errorf("git user = %v", user)
	}
	// Without a description the user name is the fallback.
	homeEval(t, `{ home = { axios.user.email = "a@b.c"; }; }`, `h.config.programs.git.settings.user`, &user)
	if user["name"] != "alice" {
		t.Errorf("git user without description = %v", user)
	}
	// Without an e-mail no identity is set.
	var hasUser bool
	homeEval(t, `{ os = `+desktopOS+`; }`, `h.config.programs.git.settings ? user`, &hasUser)
	if hasUser {
		t.Error("git identity set although axios.user.email is empty")
	}
}

func TestHomeFishHelpers(t *testing.T) {
	t.Parallel()
	var fish struct {
		Functions map[string]struct {
			Body string `json:"body"`
		} `json:"functions"`
		Abbrs map[string]string `json:"shellAbbrs"`
		Binds map[string]struct {
			Command string `json:"command"`
		} `json:"binds"`
	}
	homeEval(t, `{ }`, `h.defined.programs.fish`, &fish)
	for _, f := range []string{"rebuild-switch", "rebuild-boot", "rebuild-test", "update-flake", "flake-cd", "mkcd"} {
		if _, ok := fish.Functions[f]; !ok {
			t.Errorf("fish function %s missing", f)
		}
	}
	if _, ok := fish.Abbrs["mkcd"]; ok {
		t.Error("mkcd is an abbreviation again; it must be a function")
	}
	rebuild := fish.Functions["_axios_rebuild"].Body
	if !strings.Contains(rebuild, "command -q axios") || !strings.Contains(rebuild, "nixos-rebuild $action --flake") {
		t.Errorf("_axios_rebuild must prefer axios and fall back to nixos-rebuild:\n%s", rebuild)
	}
	if fish.Binds["ctrl-f"].Command != "_axios_fzf_file" {
		t.Errorf("Ctrl+F = %+v", fish.Binds)
	}

	// Every function body is valid fish.
	fishBin := testutil.RequireTool(t, "fish")
	for name, f := range fish.Functions {
		cmd := exec.Command(fishBin, "--no-execute", "-c", "function "+name+"\n"+f.Body+"\nend")
		// fish --no-execute reports some syntax errors with exit status 0.
		if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) != 0 {
			t.Errorf("fish function %s does not parse: %v %s", name, err, out)
		}
	}
}

func TestHomeStarshipFormatNamesRealModules(t *testing.T) {
	t.Parallel()
	var s struct {
		Format string                    `json:"format"`
		Custom map[string]map[string]any `json:"custom"`
	}
	homeEval(t, `{ }`, `h.config.programs.starship.settings`, &s)
	for _, bad := range []string{"$copilot", "$claude", "$zig"} {
		if strings.Contains(s.Format, bad) {
			t.Errorf("format uses %s, which is no starship module", bad)
		}
	}
	for name := range s.Custom {
		if !strings.Contains(s.Format, "${custom."+name+"}") {
			t.Errorf("custom.%s is defined but not in the format", name)
		}
	}
	// Each segment, with how it decides to show and the shell it runs in
	// (sh: fish would slow every prompt).
	sh := []any{"sh"}
	want := map[string]map[string]any{
		"zig":     {"detect_files": []any{"build.zig", "build.zig.zon", "zig.zon"}, "command": "zig version", "shell": sh},
		"copilot": {"when": `test -n "$GITHUB_COPILOT_ENABLED"`, "shell": sh},
		"claude":  {"when": `test -n "$CLAUDECODE"`, "shell": sh},
	}
	for name, fields := range want {
		got, ok := s.Custom[name]
		if !ok {
			t.Errorf("no custom.%s segment", name)
			continue
		}
		for k, v := range fields {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("custom.%s.%s = %v, want %v", name, k, got[k], v)
			}
		}
	}
	for name := range s.Custom {
		if _, ok := want[name]; !ok {
			t.Errorf("custom.%s is not one of the zig, copilot and claude segments: %v", name, s.Custom[name])
		}
	}
}

func TestHomeSecuritySingleSSHAgent(t *testing.T) {
	t.Parallel()
	type sec struct {
		Agent    bool   `json:"agent"`
		Pinentry string `json:"pinentry"`
	}
	body := `{ agent = h.config.axios.security.sshAgent; pinentry = h.config.services.gpg-agent.pinentry.package._pkg; }`
	var got sec
	homeEval(t, `{ os = `+desktopOS+`; }`, body, &got)
	if got.Agent || got.Pinentry != "pinentry-gnome3" {
		t.Errorf("desktop with gcr-ssh-agent: %+v, want no ssh-agent of our own and the GNOME pinentry", got)
	}
	homeEval(t, `{ os = { programs.ssh.startAgent = true; }; }`, body, &got)
	if got.Agent {
		t.Error("ssh-agent started although programs.ssh.startAgent runs one")
	}
	homeEval(t, `{ }`, body, &got)
	if !got.Agent || got.Pinentry != "pinentry-curses" {
		t.Errorf("standalone: %+v, want ssh-agent and curses pinentry", got)
	}
	var enabled bool
	homeEval(t, `{ }`, `h.defined.services.ssh-agent.enable`, &enabled)
	if !enabled {
		t.Error("services.ssh-agent not enabled")
	}
	var gpgAgent [2]bool
	homeEval(t, `{ os = { programs.gnupg.agent.enable = true; }; }`, `[ h.config.services.gpg-agent.enable (harness { }).config.services.gpg-agent.enable ]`, &gpgAgent)
	if gpgAgent != [2]bool{false, true} {
		t.Errorf("gpg-agent with / without the system's programs.gnupg.agent = %v, want [false true]", gpgAgent)
	}
}

type mcpHome struct {
	Servers  map[string]map[string]any `json:"servers"`
	Warnings []string                  `json:"warnings"`
	Active   []string                  `json:"active"`
	Package  any                       `json:"package"`
	Wrappers map[string]string         `json:"wrappers"`
}

func mcpOf(t *testing.T, args string) mcpHome {
	t.Helper()
	var m mcpHome
	homeEval(t, args, `let c = h.config; s = c.programs.claude-code.mcpServers; in {
		servers = s;
		inherit (h) warnings;
		active = c.axios.ai.mcp.active;
		package = if c.programs.claude-code.package == null then null else c.programs.claude-code.package._pkg;
		wrappers = builtins.mapAttrs (_: v: v.command) s;
	}`, &m)
	return m
}

// wrapperText is the script behind a server command (the harness's
// writeShellScript carries it after "?text=" in the store path).
func wrapperText(command string) string {
	_, text, _ := strings.Cut(command, "?text=")
	return text
}

func keysOf(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestHomeMCPServersWithoutSecrets(t *testing.T) {
	t.Parallel()
	m := mcpOf(t, `{ os = `+desktopOS+`; }`)
	want := []string{"axios", "context7", "filesystem", "git", "github", "mcp-nixos", "sequential-thinking", "time"}
	if got := keysOf(m.Servers); !reflect.DeepEqual(got, want) {
		t.Fatalf("servers = %v, want %v", got, want)
	}
	if !reflect.DeepEqual(m.Active, want) {
		t.Errorf("axios.ai.mcp.active = %v", m.Active)
	}
	ax := m.Servers["axios"]
	if ax["command"] != "/nix/store/00000000000000000000000000000000-axios/bin/axios" || !reflect.DeepEqual(ax["args"], []any{"mcp"}) || ax["type"] != "stdio" {
		t.Errorf("axios server = %v", ax)
	}
	// GitHub takes its token from gh at run time, through a wrapper.
	if w := wrapperText(m.Wrappers["github"]); !strings.Contains(w, "gh/bin/gh' 'auth' 'token'") || !strings.Contains(w, "export GITHUB_PERSONAL_ACCESS_TOKEN") {
		t.Errorf("github wrapper:\n%s", w)
	}
	if m.Package != nil {
		t.Errorf("claude-code package = %v; the system installs it when services.ai is on", m.Package)
	}
	joined := strings.Join(m.Warnings, "\n")
	for _, s := range []string{"brave-search is off", "tavily is off"} {
		if !strings.Contains(joined, s) {
			t.Errorf("no warning %q in %q", s, m.Warnings)
		}
	}
	// A server off for lack of a flake input nobody asked for is not noise
	// in every build...
	noInput := mcpOf(t, `{ inputs = [ "self-axios" ]; }`)
	if _, on := noInput.Servers["git"]; on {
		t.Errorf("git server on without the mcp-servers-nix input: %v", noInput.Servers["git"])
	}
	if strings.Contains(strings.Join(noInput.Warnings, "\n"), "git is off") {
		t.Errorf("unrequested unavailable server reported: %q", noInput.Warnings)
	}
	// ...but it is when the user named it.
	named := mcpOf(t, `{ inputs = [ "self-axios" ]; home = { axios.ai.mcp.servers.git.enable = true; }; }`)
	if !strings.Contains(strings.Join(named.Warnings, "\n"), "git is off: the flake has no mcp-servers-nix input providing mcp-server-git") {
		t.Errorf("named unavailable server not reported: %q", named.Warnings)
	}
	// The never-runnable nix-devshell-mcp entry (no such flake input) is
	// gone: naming it is an unknown server, not a silently unavailable one.
	var failed []string
	homeEval(t, `{ home = { axios.ai.mcp.servers.nix-devshell-mcp.enable = true; }; }`, `h.failedAssertions`, &failed)
	if len(failed) != 1 || !strings.Contains(failed[0], "unknown server(s) nix-devshell-mcp") {
		t.Errorf("failed assertions for nix-devshell-mcp = %q", failed)
	}
}

func TestHomeMCPServersWithSecrets(t *testing.T) {
	t.Parallel()
	m := mcpOf(t, `{ os = `+desktopOS+`; home = {
		age.secrets.brave-api-key.file = ./tests/fixtures/secrets/dir/api-token.age;
		age.secrets.brave-api-key.path = "\${XDG_RUNTIME_DIR}/agenix/brave-api-key";
		axios.ai.mcp.secrets.tavilyApiKeyFile = "/home/alice/.local/share/keys/tavily";
		axios.ai.mcp.servers.time.enable = false;
	}; }`)
	for _, s := range []string{"brave-search", "tavily"} {
		if _, ok := m.Servers[s]; !ok {
			t.Errorf("%s is off although its secret is configured", s)
		}
	}
	if _, ok := m.Servers["time"]; ok {
		t.Error("time is on although disabled")
	}
	brave := wrapperText(m.Wrappers["brave-search"])
	if !strings.Contains(brave, `secret_file="${XDG_RUNTIME_DIR}/agenix/brave-api-key"`) || !strings.Contains(brave, "export BRAVE_API_KEY") {
		t.Errorf("brave wrapper must read the agenix path at run time:\n%s", brave)
	}
	if w := wrapperText(m.Wrappers["tavily"]); !strings.Contains(w, `secret_file="/home/alice/.local/share/keys/tavily"`) {
		t.Errorf("tavily wrapper:\n%s", w)
	}
	for _, w := range m.Warnings {
		if strings.Contains(w, "time") || strings.Contains(w, "brave") || strings.Contains(w, "tavily") {
			t.Errorf("unexpected warning %q", w)
		}
	}
	// No secret value or variable in the rendered configuration itself.
	raw, _ := json.Marshal(m.Servers)
	if strings.Contains(string(raw), "BRAVE_API_KEY\":") {
		t.Errorf("a secret variable is in the server env: %s", raw)
	}
}

func TestHomeMCPServersDegrade(t *testing.T) {
	t.Parallel()
	m := mcpOf(t, `{ inputs = [ ]; home = { axios.ai.mcp.githubTokenFromGh = false; axios.ai.mcp.servers = { axios.enable = true; git.enable = true; }; }; }`)
	if got := keysOf(m.Servers); !reflect.DeepEqual(got, []string{"mcp-nixos"}) {
		t.Errorf("without inputs or secrets, servers = %v, want only mcp-nixos (from nixpkgs)", got)
	}
	joined := strings.Join(m.Warnings, "\n")
	for _, s := range []string{"axios is off: this flake provides no axios package", "git is off: the flake has no mcp-servers-nix input", "github is off: it needs the secret github-token"} {
		if !strings.Contains(joined, s) {
			t.Errorf("no warning %q in:\n%s", s, joined)
		}
	}
	if m.Package == nil {
		t.Error("standalone home: claude-code package must come from home-manager")
	}

	quiet := mcpOf(t, `{ home = { axios.ai.mcp.warnWhenOff = false; }; }`)
	if len(quiet.Warnings) != 0 {
		t.Errorf("warnWhenOff = false still warns: %q", quiet.Warnings)
	}

	var failed []string
	homeEval(t, `{ home = { axios.ai.mcp.servers.jurnal.enable = false; }; }`, `h.failedAssertions`, &failed)
	if len(failed) != 1 || !strings.Contains(failed[0], "unknown server(s) jurnal") {
		t.Errorf("failed assertions = %q", failed)
	}
	// A secret file in the Nix store is refused.
	if got := homeEvalErr(t, `{ home = { axios.ai.mcp.secrets.braveApiKeyFile = "/nix/store/abc-key"; }; }`, `h.config.programs.claude-code.mcpServers`); !strings.Contains(got, "is in the Nix store") {
		t.Errorf("store path error = %q", got)
	}
}

func TestHomeSecrets(t *testing.T) {
	t.Parallel()
	type result struct {
		Identities []string          `json:"identities"`
		Secrets    map[string]string `json:"secrets"`
		Want       map[string]string `json:"want"`
	}
	body := `{ identities = h.config.age.identityPaths;
		secrets = builtins.mapAttrs (_: v: baseNameOf v.file) (h.defined.age.secrets or { });
		want = builtins.mapAttrs (_: baseNameOf) ((import ./lib/core/secrets.nix).discover ./tests/fixtures/secrets/dir); }`
	// The system's secretsDir is not inherited by default.
	var def result
	homeEval(t, `{ os = `+desktopOS+`; }`, body, &def)
	if !reflect.DeepEqual(def.Identities, []string{"/home/alice/.ssh/id_ed25519", "/home/alice/.ssh/id_rsa"}) {
		t.Errorf("identities = %v", def.Identities)
	}
	if len(def.Secrets) != 0 {
		t.Errorf("system secrets inherited by default: %v", def.Secrets)
	}
	var inh result
	homeEval(t, `{ os = `+desktopOS+`; home = { secrets.inheritSystemSecretsDir = true; }; }`, body, &inh)
	if len(inh.Want) == 0 || inh.Secrets["api-token"] != "api-token.age" || !reflect.DeepEqual(inh.Secrets, inh.Want) {
		t.Errorf("inherited secrets = %v, want %v", inh.Secrets, inh.Want)
	}
	var off result
	homeEval(t, `{ os = { secrets.enable = false; }; home = { secrets.secretsDir = ./tests/fixtures/secrets/dir; }; }`, body, &off)
	if len(off.Secrets) != 0 {
		t.Errorf("secrets registered although secrets.enable is false: %v", off.Secrets)
	}
	var own result
	homeEval(t, `{ home = { secrets.enable = true; secrets.secretsDir = ./tests/fixtures/secrets/dir; }; }`, body, &own)
	if !reflect.DeepEqual(own.Secrets, own.Want) {
		t.Errorf("own secretsDir = %v, want %v", own.Secrets, own.Want)
	}
}

func TestHomeCalendar(t *testing.T) {
	t.Parallel()
	var c struct {
		Vdirsyncer bool   `json:"vdirsyncer"`
		Khal       bool   `json:"khal"`
		Condition  string `json:"condition"`
		Frequency  string `json:"frequency"`
	}
	body := `{ vdirsyncer = h.config.programs.vdirsyncer.enable; khal = h.config.programs.khal.enable;
		condition = h.config.systemd.user.services.vdirsyncer.Unit.ConditionPathExists;
		frequency = h.config.services.vdirsyncer.frequency; }`
	homeEval(t, `{ }`, body, &c)
	if c.Vdirsyncer || c.Khal || c.Condition != "/home/alice/.config/vdirsyncer/config" || c.Frequency != "*:0/5" {
		t.Errorf("no accounts: %+v (no generated config; sync only once a config exists)", c)
	}
	homeEval(t, `{ home = { accounts.calendar.accounts.work = { vdirsyncer.enable = true; khal.enable = true; }; axios.calendar.vdirsyncerConfig = "/home/alice/cal.conf"; }; }`, body, &c)
	if !c.Vdirsyncer || !c.Khal || c.Condition != "/home/alice/cal.conf" {
		t.Errorf("with an account: %+v", c)
	}
	var failed []string
	homeEval(t, `{ home = { axios.calendar.vdirsyncerConfig = "cal.conf"; }; }`, `h.failedAssertions`, &failed)
	if len(failed) != 1 || !strings.Contains(failed[0], "must be an absolute path") {
		t.Errorf("relative config: %q", failed)
	}
}

// TestHomeGnuPGFetchesNoKeysByItself: a signature check must not look the
// key up on a keyserver (a network request per check that tells the
// keyserver which key is being verified); fetching stays an explicit
// `gpg --recv-keys`.
func TestHomeGnuPGFetchesNoKeysByItself(t *testing.T) {
	t.Parallel()
	var got map[string]any
	homeEval(t, `{ }`, `h.config.programs.gpg.settings`, &got)
	if v, ok := got["auto-key-retrieve"]; !ok || v != false {
		t.Errorf("programs.gpg.settings.auto-key-retrieve = %v (set: %v), want false", v, ok)
	}
	if got["keyserver"] != "hkps://keys.openpgp.org" {
		t.Errorf("keyserver = %v", got["keyserver"])
	}
}
