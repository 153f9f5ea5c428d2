package tests

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// A user's plain assignment wins over axiOS's opinions (docs/contributing.md:
// opinions are set with mkDefault). tests/nix/home-override.nix walks every
// leaf the home modules define in a scenario and assigns another value of
// the same type to each, one at a time, at normal priority; the evaluation
// must not conflict, the user's value must win (or, for lists and lines,
// be merged in) and axiOS's other values under the same option must stay.

// homeOverrideAllow lists the leaves that are axiOS's contract rather than
// an opinion: they stay at normal priority, so a user's different value is
// a conflict on purpose. Each must still conflict (the test fails when one
// has become overridable, so the list cannot outlive its reasons).
var homeOverrideAllow = map[string]string{
	"axios.home.profile": "the profile module records itself (home/profiles/*.nix); importing two profiles into one home must fail, not pick one",
}

// homeOverrideScenarios turn on, between them, every toggle that gates a
// definition in the home modules (homeOverrideGated checks that they do).
var homeOverrideScenarios = map[string]string{
	// no NixOS: ssh-agent of our own, curses pinentry, gpg-agent,
	// claude-code's package from home-manager
	"standalone": `{ }`,
	// desktop host: git identity, Solaar autostart, the system's AI (shell
	// aliases, no claude-code package), GNOME pinentry, system secrets on
	"workstation": `{ os = ` + desktopOS + `; home = { axios.user.email = "alice@example.org"; }; }`,
	"laptop":      `{ profile = "laptop"; os = { services.ai.enable = false; }; }`,
	// user secrets from the system's folder, calendar accounts (generated
	// vdirsyncer and khal files), MCP servers that need secrets
	"secrets and accounts": `{ os = ` + desktopOS + `; home = {
		secrets.inheritSystemSecretsDir = true;
		axios.ai.mcp.secrets.tavilyApiKeyFile = "/home/alice/.local/share/keys/tavily";
		axios.calendar.vdirsyncerConfig = "/home/alice/.config/vdirsyncer/work";
		accounts.calendar.accounts.work = { vdirsyncer.enable = true; khal.enable = true; };
	}; }`,
	// the system runs both agents: none of ours
	"system agents": `{ os = { programs.gnupg.agent.enable = true; programs.ssh.startAgent = true; }; }`,
	"no inputs":     `{ inputs = [ ]; }`,
	// home/desktop (niri, DMS, wallpapers, theming, PWAs, Google Drive),
	// every part of it on as by default
	"desktop": `{ desktop = true; os = ` + desktopOS + `; home = { axios.user.email = "alice@example.org"; }; }`,
}

// homeOverrideGated are leaves that only a toggle brings in; each must be
// among the leaves of some scenario, so the scenarios really cover them.
var homeOverrideGated = []string{
	"programs.starship.settings.add_newline",                          // the example
	"services.ssh-agent.enable",                                       // no system SSH agent
	"programs.git.settings.user.email",                                // axios.user.email set
	"xdg.configFile.autostart/solaar.desktop.text",                    // Solaar installed
	"home.shellAliases.cm",                                            // the system runs services.ai
	"programs.claude-code.package",                                    // idem (null: the system installs it)
	"age.secrets.api-token.file",                                      // secrets inherited from the system
	"programs.vdirsyncer.enable",                                      // calendar accounts
	"programs.claude-code.mcpServers.tavily.command",                  // a server with its secret
	"programs.claude-code.mcpServers.git.command",                     // mcp-servers-nix input
	"services.gpg-agent.pinentry.package",                             // gpg-agent of our own
	"home.sessionVariables.FLAKE_PATH",                                // axios.home.enableDefaults
	"xdg.desktopEntries.com.kc.dropterm.exec",                         // the terminal
	"programs.brave.enable",                                           // the browser
	"systemd.user.services.vdirsyncer.Unit.ConditionPathExists",       // calendar
	"programs.niri.settings.cursor.theme",                             // home.pointerCursor.enable
	"programs.niri.settings.binds.Mod+Q.action.close-window",          // niri
	"programs.dank-material-shell.enable",                             // axios.desktop.dms.enable
	"home.file.Pictures/Wallpapers/axios-01-aurora.jpg.source",        // wallpaper collection
	"systemd.user.services.axios-overview-backdrop.Service.ExecStart", // wallpaper
	"gtk.theme.name",                                                  // theming
	"systemd.user.timers.gdrive-documents-sync.Timer.OnUnitActiveSec", // Google Drive
	"services.kdeconnect.enable",                                      // the desktop itself
}

type overrideResult struct {
	Path    string `json:"path"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped"`
	Reason  string `json:"reason"`
	User    string `json:"user"`
}

type overrideRun struct {
	Leaves  []string         `json:"leaves"`
	Results []overrideResult `json:"results"`
}

func nixAttrs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{ ")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s; ", strconv.Quote(k), strconv.Quote(m[k]))
	}
	b.WriteString("}")
	return b.String()
}

// homeOverride runs tests/nix/home-override.nix on one scenario (a Nix
// expression; lib = modsys.nix's lib is in scope) with an allowlist.
func homeOverride(t *testing.T, scenario string, allow map[string]string) overrideRun {
	t.Helper()
	expr := "let lib = (import ./tests/nix/modsys.nix).lib; in import ./tests/nix/home-override.nix { optionsTsv = " +
		strconv.Quote(homeHarnessOptions(t)) + "; upstreamDecls = import " + strconv.Quote(homeHarnessUpstream(t)) +
		"; scenario = " + scenario + "; allow = " + nixAttrs(allow) + "; }"
	var run overrideRun
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &run)
	return run
}

func failures(run overrideRun) []overrideResult {
	var bad []overrideResult
	for _, r := range run.Results {
		if !r.OK {
			bad = append(bad, r)
		}
	}
	return bad
}

func TestHomeUserOverridesWin(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	t.Run("scenarios", func(t *testing.T) {
		for name, scenario := range homeOverrideScenarios {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				run := homeOverride(t, scenario, homeOverrideAllow)
				if len(run.Leaves) == 0 {
					t.Fatal("the home modules define no leaf in this scenario")
				}
				mu.Lock()
				for _, l := range run.Leaves {
					seen[l] = true
				}
				mu.Unlock()
				bad := failures(run)
				if len(bad) == 0 {
					return
				}
				var b strings.Builder
				for _, r := range bad {
					fmt.Fprintf(&b, "\n  %s: %s", r.Path, r.Reason)
				}
				t.Errorf("%d of %d leaves the home modules define cannot be overridden by a plain assignment (set them with lib.mkDefault, on each leaf; docs/contributing.md):%s\nfirst failing user module: %s",
					len(bad), len(run.Results), b.String(), bad[0].User)
			})
		}
	})
	for _, p := range homeOverrideGated {
		if !seen[p] {
			t.Errorf("no scenario defines %s: homeOverrideScenarios no longer turn on the toggle behind it", p)
		}
	}
	for p := range homeOverrideAllow {
		if !seen[p] {
			t.Errorf("allowlisted %s is defined in no scenario: remove it from homeOverrideAllow", p)
		}
	}
}

// TestHomeOverrideCheckCatchesOpinions: the check flags a plain opinion, a
// whole attribute set in mkDefault (one assignment inside it drops the
// rest) and an allowlist entry that has become overridable; it accepts an
// opinion in mkDefault and a list (lists merge).
func TestHomeOverrideCheckCatchesOpinions(t *testing.T) {
	t.Parallel()
	extra := `{ home = { imports = [ {
		programs.fzf.defaultCommand = "fd --type f";
		programs.fzf.colors = lib.mkDefault { bg = "#000000"; fg = "#ffffff"; };
		programs.fzf.defaultOptions = [ "--height 40%" ];
		programs.fzf.changeDirWidget.command = lib.mkDefault "fd --type d";
		programs.fzf.fileWidget.command = lib.mkDefault "fd --type f";
	} ]; }; }`
	run := homeOverride(t, extra, map[string]string{"programs.fzf.fileWidget.command": "a test entry"})
	got := map[string]overrideResult{}
	for _, r := range run.Results {
		got[r.Path] = r
	}
	want := map[string]string{
		"programs.fzf.defaultCommand":     "a plain assignment fails",
		"programs.fzf.colors.bg":          "drops axiOS's other values under programs.fzf.colors",
		"programs.fzf.fileWidget.command": "remove it from the allowlist",
	}
	for p, reason := range want {
		r, ok := got[p]
		if !ok {
			t.Errorf("%s is not among the leaves", p)
			continue
		}
		if r.OK || !strings.Contains(r.Reason, reason) {
			t.Errorf("%s: ok=%v reason %q, want a failure with %q", p, r.OK, r.Reason, reason)
		}
	}
	for _, p := range []string{"programs.fzf.changeDirWidget.command", "programs.fzf.defaultOptions"} {
		if r, ok := got[p]; !ok || !r.OK {
			t.Errorf("%s: %+v, want it overridable", p, r)
		}
	}
	raw, _ := json.Marshal(got["programs.fzf.defaultCommand"].User)
	if !strings.Contains(string(raw), "fd --type f-user") {
		t.Errorf("the user's value for defaultCommand is %s, want a changed string", raw)
	}
}
