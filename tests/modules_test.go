package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// These tests evaluate modules/gaming, secrets, services and ai through
// tests/fixtures/modules/eval.nix, a builtins-only stand-in for the NixOS
// module system (no nixpkgs on CI), and check what the modules set.

// moduleEval evaluates `body` with h = the harness and c = the scenario
// built from the Nix attribute set `scenario`.
func moduleEval(t *testing.T, scenario, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf("let h = import ./tests/fixtures/modules/eval.nix; c = h.scenario (%s); in %s", scenario, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

func assertionsOf(t *testing.T, scenario string) []string {
	t.Helper()
	var msgs []string
	moduleEval(t, scenario, "h.failedAssertions c", &msgs)
	return msgs
}

func wantAssertion(t *testing.T, msgs []string, parts ...string) {
	t.Helper()
	for _, m := range msgs {
		ok := true
		for _, p := range parts {
			if !strings.Contains(m, p) {
				ok = false
			}
		}
		if ok && strings.Contains(m, "fix:") {
			return
		}
	}
	t.Errorf("no failed assertion containing %q and a fix in %q", parts, msgs)
}

const nasHost = `{ host = {
  networking.hostName = "nas";
  networking.tailscale.domain = "tailX.ts.net";
  selfHosted.enable = true;
  selfHosted.immich.enable = true;
  selfHosted.caddy.extraConfig = ''
    legacy.example.org {
      redir https://nas.tailX.ts.net{uri}
    }
  '';
  services.ai.enable = true;
  services.ai.local.enable = true;
  services.ai.local.ollamaReverseProxy.enable = true;
  users.users.alice.isNormalUser = true;
  users.users.bob.isNormalUser = true;
  axios.user.name = "alice";
}; }`

// TestModulesNasCaddyfile: Immich and the Ollama proxy on one host render
// exactly the immich-ollama fixture, registered by the real modules.
func TestModulesNasCaddyfile(t *testing.T) {
	t.Parallel()
	if msgs := assertionsOf(t, nasHost); len(msgs) != 0 {
		t.Fatalf("unexpected failed assertions: %q", msgs)
	}
	var got string
	moduleEval(t, nasHost, "c.services.caddy.extraConfig", &got)
	want, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "tests", "fixtures", "caddy", "immich-ollama.Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("services.caddy.extraConfig:\n%s\nwant:\n%s", got, want)
	}
	var facts struct {
		CaddyOn       bool     `json:"caddyOn"`
		CertUID       string   `json:"certUid"`
		ImmichHost    string   `json:"immichHost"`
		ImmichDomain  string   `json:"immichDomain"`
		OllamaHost    string   `json:"ollamaHost"`
		Context       string   `json:"context"`
		Journal       []string `json:"journal"`
		Overcommit    int      `json:"overcommit"`
		Opencode      string   `json:"opencode"`
		Models        []string `json:"models"`
		ImmichDevices []string `json:"immichDevices"`
	}
	moduleEval(t, nasHost, `{
		caddyOn = c.services.caddy.enable;
		certUid = c.services.tailscale.permitCertUid;
		immichHost = c.services.immich.host;
		immichDomain = c.services.immich.settings.server.externalDomain;
		ollamaHost = c.services.ollama.host;
		context = c.services.ollama.environmentVariables.OLLAMA_CONTEXT_LENGTH;
		journal = c.users.groups.systemd-journal.members;
		overcommit = c.boot.kernel.sysctl."vm.overcommit_memory";
		opencode = c.home-manager.users.alice.xdg.configFile."opencode/opencode.json".text;
		models = c.services.ollama.loadModels;
		immichDevices = c.services.immich.accelerationDevices;
	}`, &facts)
	if !facts.CaddyOn || facts.CertUID != "caddy" {
		t.Errorf("caddy enable=%v permitCertUid=%q", facts.CaddyOn, facts.CertUID)
	}
	if facts.ImmichHost != "127.0.0.1" || facts.OllamaHost != "127.0.0.1" {
		t.Errorf("services must bind to loopback: immich %q, ollama %q", facts.ImmichHost, facts.OllamaHost)
	}
	if facts.ImmichDomain != "https://nas.tailX.ts.net" {
		t.Errorf("immich externalDomain = %q", facts.ImmichDomain)
	}
	if facts.Context != "32768" {
		t.Errorf("OLLAMA_CONTEXT_LENGTH = %q", facts.Context)
	}
	sort.Strings(facts.Journal)
	if !reflect.DeepEqual(facts.Journal, []string{"alice", "bob"}) {
		t.Errorf("systemd-journal members = %v, want the normal users (not immich)", facts.Journal)
	}
	if facts.Overcommit != 1 {
		t.Errorf("vm.overcommit_memory = %d", facts.Overcommit)
	}
	if !strings.Contains(facts.Opencode, `"baseURL":"http://127.0.0.1:11434/v1"`) || !strings.Contains(facts.Opencode, `"model":"ollama/qwen3-coder:30b"`) {
		t.Errorf("opencode.json = %s", facts.Opencode)
	}
	if len(facts.Models) != 4 || len(facts.ImmichDevices) != 0 {
		t.Errorf("models = %v, immich devices = %v", facts.Models, facts.ImmichDevices)
	}
}

// TestModulesOllamaAcceleration: the Ollama build, ROCm override, amdgpu
// and WiVRn's CUDA build follow axios.hardware.gpuType.
func TestModulesOllamaAcceleration(t *testing.T) {
	t.Parallel()
	type facts struct {
		Package   string   `json:"package"`
		Rocm      *string  `json:"rocm"`
		Modules   []string `json:"modules"`
		Wivrn     string   `json:"wivrn"`
		WivrnCUDA bool     `json:"wivrnCuda"`
	}
	strp := func(s string) *string { return &s }
	cases := map[string]struct {
		gpu  string
		want facts
	}{
		"amd":    {`"amd"`, facts{"ollama-rocm", strp("10.3.0"), []string{"amdgpu"}, "wivrn", false}},
		"nvidia": {`"nvidia"`, facts{"ollama-cuda", nil, []string{}, "wivrn", true}},
		"intel":  {`"intel"`, facts{"ollama-vulkan", nil, []string{}, "wivrn", false}},
		"none":   {`null`, facts{"ollama-cpu", nil, []string{}, "wivrn", false}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			scenario := fmt.Sprintf(`{ host = {
				axios.hardware.gpuType = %s;
				services.ai.enable = true;
				services.ai.local.enable = true;
				gaming.enable = true;
				gaming.vr.enable = true;
				gaming.vr.wireless.enable = true;
			}; }`, c.gpu)
			var got facts
			moduleEval(t, scenario, `{
				package = c.services.ollama.package._pkg;
				rocm = let v = c.services.ollama.rocmOverrideGfx or null; in if v == null || v ? _type then null else v;
				modules = let v = c.boot.kernelModules or [ ]; in if builtins.isList v then v else [ ];
				wivrn = c.services.wivrn.package._pkg;
				wivrnCuda = c.services.wivrn.package.overridden.cudaSupport or false;
			}`, &got)
			if got.Modules == nil {
				got.Modules = []string{}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
	// An explicit choice wins over the GPU type.
	var pkg string
	moduleEval(t, `{ host = { axios.hardware.gpuType = "amd"; services.ai.enable = true; services.ai.local.enable = true; services.ai.local.acceleration = "vulkan"; }; }`,
		"c.services.ollama.package._pkg", &pkg)
	if pkg != "ollama-vulkan" {
		t.Errorf("acceleration = vulkan gave %s", pkg)
	}
}

// TestModulesAssertions: impossible combinations fail with a message and a
// fix instead of a Nix error.
func TestModulesAssertions(t *testing.T) {
	t.Parallel()
	t.Run("proxy without selfHosted", func(t *testing.T) {
		t.Parallel()
		msgs := assertionsOf(t, `{ host = { networking.tailscale.domain = "t.ts.net"; services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy.enable = true; }; }; }`)
		wantAssertion(t, msgs, "ollamaReverseProxy.enable needs selfHosted.enable")
	})
	t.Run("proxy without any domain", func(t *testing.T) {
		t.Parallel()
		msgs := assertionsOf(t, `{ host = { selfHosted.enable = true; services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy.enable = true; }; }; }`)
		wantAssertion(t, msgs, "ollamaReverseProxy has no domain")
		wantAssertion(t, msgs, "selfHosted.enable needs the tailnet")
	})
	t.Run("proxy without networking module", func(t *testing.T) {
		t.Parallel()
		msgs := assertionsOf(t, `{ networking = false; host = { selfHosted.enable = true; services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy.enable = true; }; }; }`)
		wantAssertion(t, msgs, "ollamaReverseProxy has no domain")
	})
	t.Run("proxy with explicit domain", func(t *testing.T) {
		t.Parallel()
		scenario := `{ networking = false; host = { selfHosted.enable = true; services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy = { enable = true; domain = "ai.example.ts.net"; path = "/llm/"; }; }; }; }`
		var route struct {
			Domain string `json:"domain"`
			Path   string `json:"path"`
		}
		moduleEval(t, scenario, "{ inherit (c.selfHosted.caddy.routes.ollama) domain path; }", &route)
		if route.Domain != "ai.example.ts.net" || route.Path != "/llm/*" {
			t.Errorf("route = %+v", route)
		}
		var caddy string
		moduleEval(t, scenario, "c.services.caddy.extraConfig", &caddy)
		if !strings.Contains(caddy, "uri strip_prefix /llm\n") {
			t.Errorf("prefix not stripped:\n%s", caddy)
		}
	})
	t.Run("immich without selfHosted", func(t *testing.T) {
		t.Parallel()
		wantAssertion(t, assertionsOf(t, `{ host = { selfHosted.immich.enable = true; }; }`), "selfHosted.immich.enable needs selfHosted.enable")
	})
	t.Run("immich gpu without type", func(t *testing.T) {
		t.Parallel()
		wantAssertion(t, assertionsOf(t, `{ host = { networking.tailscale.domain = "t.ts.net"; selfHosted.enable = true; selfHosted.immich = { enable = true; enableGpuAcceleration = true; }; }; }`),
			"enableGpuAcceleration needs a GPU type")
	})
	t.Run("immich gpu type from graphics", func(t *testing.T) {
		t.Parallel()
		scenario := `{ host = { axios.hardware.gpuType = "intel"; networking.tailscale.domain = "t.ts.net"; selfHosted.enable = true; selfHosted.immich = { enable = true; enableGpuAcceleration = true; subdomain = "photos"; }; }; }`
		if msgs := assertionsOf(t, scenario); len(msgs) != 0 {
			t.Fatalf("unexpected: %q", msgs)
		}
		var got struct {
			Devices any      `json:"devices"`
			Groups  []string `json:"groups"`
			Domain  string   `json:"domain"`
		}
		moduleEval(t, scenario, `{ devices = c.services.immich.accelerationDevices; groups = c.users.users.immich.extraGroups; domain = c.selfHosted.caddy.routes.immich.domain; }`, &got)
		if got.Devices != nil || !reflect.DeepEqual(got.Groups, []string{"video", "render"}) || got.Domain != "photos.t.ts.net" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("duplicate catch-all", func(t *testing.T) {
		t.Parallel()
		msgs := assertionsOf(t, `{ host = { networking.hostName = "nas"; networking.tailscale.domain = "t.ts.net"; selfHosted.enable = true; selfHosted.immich.enable = true;
			selfHosted.caddy.routes.web = { domain = "nas.t.ts.net"; target = "http://127.0.0.1:8080"; }; }; }`)
		wantAssertion(t, msgs, "immich, web all route nas.t.ts.net (catch-all)")
	})
	t.Run("vr without gaming", func(t *testing.T) {
		t.Parallel()
		wantAssertion(t, assertionsOf(t, `{ host = { gaming.vr.enable = true; }; }`), "gaming.vr.enable needs gaming.enable")
	})
	t.Run("wivrn runtime without wivrn", func(t *testing.T) {
		t.Parallel()
		wantAssertion(t, assertionsOf(t, `{ host = { gaming.enable = true; gaming.vr = { enable = true; runtime = "wivrn"; wireless = { enable = true; backend = "alvr"; }; }; }; }`),
			`gaming.vr.runtime = "wivrn" needs WiVRn`)
	})
	t.Run("ai without nix-ai-tools", func(t *testing.T) {
		t.Parallel()
		wantAssertion(t, assertionsOf(t, `{ withAiTools = false; host = { services.ai.enable = true; }; }`),
			"needs the nix-ai-tools flake input for claude-code, copilot-cli, gemini-cli, spec-kit, backlog-md")
	})
	t.Run("disabled modules assert nothing", func(t *testing.T) {
		t.Parallel()
		if msgs := assertionsOf(t, `{ host = { }; }`); len(msgs) != 0 {
			t.Errorf("unexpected: %q", msgs)
		}
	})
}

// TestModulesAiPackages: agents from nix-ai-tools, the claude-code wrapper,
// the local tools, Ollama as a service (the CPU build without a GPU, not
// a second copy in systemPackages), no OpenCode file without a primary user.
func TestModulesAiPackages(t *testing.T) {
	t.Parallel()
	var got struct {
		Packages      []string `json:"packages"`
		Wrapper       string   `json:"wrapper"`
		HM            []string `json:"hm"`
		Ollama        bool     `json:"ollama"`
		OllamaPackage string   `json:"ollamaPackage"`
	}
	moduleEval(t, `{ host = { services.ai.enable = true; services.ai.local.enable = true; }; }`, `{
		packages = map (p: p._pkg) c.environment.systemPackages;
		wrapper = (builtins.head (builtins.filter (p: p._pkg == "claude-code" && p ? text) c.environment.systemPackages)).text;
		hm = builtins.attrNames c.home-manager.users;
		ollama = c.services.ollama.enable;
		ollamaPackage = c.services.ollama.package._pkg;
	}`, &got)
	for _, want := range []string{"claude-code", "copilot-cli", "gemini-cli", "spec-kit", "backlog-md", "claude-monitor", "whisper-cpp", "opencode", "python3", "uv"} {
		if !slices.Contains(got.Packages, want) {
			t.Errorf("%s not in environment.systemPackages %v", want, got.Packages)
		}
	}
	if !got.Ollama || got.OllamaPackage != "ollama-cpu" {
		t.Errorf("services.ollama: enable %v, package %q; want the server on with ollama-cpu (no GPU)", got.Ollama, got.OllamaPackage)
	}
	for _, p := range got.Packages {
		if strings.HasPrefix(p, "ollama") {
			t.Errorf("%s in environment.systemPackages: the server runs as services.ollama", p)
		}
	}
	if !strings.Contains(got.Wrapper, `exec /nix/store/claude-code/bin/claude "$@"`) {
		t.Errorf("wrapper = %q", got.Wrapper)
	}
	if len(got.HM) != 0 {
		t.Errorf("home-manager users without axios.user.name: %v", got.HM)
	}
}

// TestModulesSecrets: every *.age file of secretsDir becomes age.secrets.
func TestModulesSecrets(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testutil.RepoRoot(t), "tests", "fixtures", "secrets", "dir")
	var got struct {
		Names      []string          `json:"names"`
		Files      map[string]string `json:"files"`
		Identities []string          `json:"identities"`
		Packages   []string          `json:"packages"`
	}
	moduleEval(t, fmt.Sprintf(`{ host = { secrets.enable = true; secrets.secretsDir = %s; age.secrets.api-token.owner = "alice"; }; }`, dir), `{
		names = builtins.attrNames c.age.secrets;
		files = builtins.mapAttrs (_: s: toString s.file) c.age.secrets;
		identities = c.age.identityPaths;
		packages = map (p: p._pkg) c.environment.systemPackages;
	}`, &got)
	if !reflect.DeepEqual(got.Names, []string{"api-token", "backup.key", "wifi-password"}) {
		t.Errorf("age.secrets = %v", got.Names)
	}
	if got.Files["api-token"] != filepath.Join(dir, "api-token.age") {
		t.Errorf("file = %q", got.Files["api-token"])
	}
	if !reflect.DeepEqual(got.Identities, []string{"/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"}) {
		t.Errorf("identityPaths = %v", got.Identities)
	}
	if !reflect.DeepEqual(got.Packages, []string{"age", "agenix"}) {
		t.Errorf("packages = %v", got.Packages)
	}
}

// TestModulesGaming: Steam, Proton-GE, firewall options and the VR backends.
func TestModulesGaming(t *testing.T) {
	t.Parallel()
	var got struct {
		Steam    bool     `json:"steam"`
		Compat   []string `json:"compat"`
		Remote   bool     `json:"remote"`
		Session  bool     `json:"session"`
		NixLd    []string `json:"nixld"`
		Udev     []string `json:"udev"`
		Alvr     bool     `json:"alvr"`
		Wivrn    bool     `json:"wivrn"`
		Default  bool     `json:"default"`
		Overlays []string `json:"overlays"`
	}
	moduleEval(t, `{ host = { gaming.enable = true; gaming.vr = { enable = true; wireless = { enable = true; backend = "both"; }; }; }; }`, `{
		steam = c.programs.steam.enable;
		compat = map (p: p._pkg) c.programs.steam.extraCompatPackages;
		remote = c.programs.steam.remotePlay.openFirewall;
		session = c.programs.steam.gamescopeSession.enable;
		nixld = map (p: p._pkg) c.programs.nix-ld.libraries;
		udev = map (p: p._pkg) c.services.udev.packages;
		alvr = !c.programs.alvr.enable || c.programs.alvr.openFirewall;
		wivrn = !c.services.wivrn.enable || c.services.wivrn.openFirewall;
		default = !(c.services.wivrn ? defaultRuntime);
		overlays = builtins.filter (n: n == "wayvr") (map (p: p._pkg) c.environment.systemPackages);
	}`, &got)
	// No port beyond loopback and the tailnet unless the host asks
	// (lib/ports.toml): Remote Play and the VR servers stay closed.
	if !got.Steam || !reflect.DeepEqual(got.Compat, []string{"proton-ge-bin"}) || got.Remote || !got.Session {
		t.Errorf("steam: %+v", got)
	}
	// What binary games outside Steam's runtime load: SDL, OpenGL and
	// Vulkan, X11 input and display, the three audio stacks, libstdc++,
	// fonts, Ogg Vorbis, zlib and USB (controllers).
	for _, lib := range []string{
		"SDL2", "SDL2_image", "SDL2_mixer", "SDL2_ttf", "libGL", "vulkan-loader",
		"libx11", "libxi", "libxrandr", "alsa-lib", "openal", "libpulseaudio",
		"gcc-unwrapped", "freetype", "libvorbis", "libogg", "zlib", "libusb1",
	} {
		if !slices.Contains(got.NixLd, lib) {
			t.Errorf("programs.nix-ld.libraries lacks %s: %v", lib, got.NixLd)
		}
	}
	if !reflect.DeepEqual(got.Udev, []string{"game-devices-udev-rules"}) {
		t.Errorf("udev packages %v, want game-devices-udev-rules", got.Udev)
	}
	if got.Alvr || got.Wivrn || !got.Default || len(got.Overlays) != 1 {
		t.Errorf("vr: %+v", got)
	}
	var monado bool
	moduleEval(t, `{ host = { gaming.enable = true; gaming.vr = { enable = true; runtime = "monado"; }; }; }`,
		"c.services.monado.enable && c.services.monado.defaultRuntime", &monado)
	if !monado {
		t.Error(`runtime = "monado" does not enable Monado as the default runtime`)
	}
}

// TestModulesHarnessCatchesTypeErrors: the stand-in checks option types, so
// the tests above would notice a module setting a wrong value.
func TestModulesHarnessCatchesTypeErrors(t *testing.T) {
	t.Parallel()
	expr := `let h = import ./tests/fixtures/modules/eval.nix; c = h.scenario { host = { gaming.vr.wireless.backend = "steamlink"; }; }; in c.gaming.vr.wireless.backend`
	out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
	if !strings.Contains(out, "gaming.vr.wireless.backend") || !strings.Contains(out, "is not of type") {
		t.Errorf("expected a type error, got:\n%s", out)
	}
}
