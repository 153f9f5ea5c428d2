package tests

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// These tests evaluate modules/graphics, modules/hardware and modules/gaming
// per Nix system through the stand-in module system
// (tests/fixtures/modules/eval.nix, `folders`).

func foldersEval(t *testing.T, names, system, host, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf(`let h = import ./tests/fixtures/modules/eval.nix;
		c = h.folders { names = %s; system = %q; host = %s; }; in %s`, names, system, host, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

// TestGraphics32BitOnlyOnX86: nixpkgs asserts hardware.graphics.enable32Bit
// only on x86_64, and pkgsi686Linux throws elsewhere, so an aarch64 host
// with graphics must get neither.
func TestGraphics32BitOnlyOnX86(t *testing.T) {
	t.Parallel()
	type facts struct {
		Enable32 bool     `json:"enable32"`
		Extra32  []string `json:"extra32"`
		Extra    []string `json:"extra"`
	}
	body := `{
		enable32 = c.hardware.graphics.enable32Bit;
		extra32 = map (p: p._pkg) c.hardware.graphics.extraPackages32;
		extra = map (p: p._pkg) c.hardware.graphics.extraPackages;
	}`
	cases := map[string]facts{
		"x86_64-linux":  {true, []string{"intel-media-driver-i686"}, []string{"intel-media-driver", "vpl-gpu-rt"}},
		"aarch64-linux": {false, []string{}, []string{"intel-media-driver", "vpl-gpu-rt"}},
	}
	for system, want := range cases {
		t.Run(system, func(t *testing.T) {
			t.Parallel()
			var got facts
			foldersEval(t, `[ "graphics" ]`, system, `{ axios.hardware.gpuType = "intel"; }`, body, &got)
			if got.Extra32 == nil {
				got.Extra32 = []string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestFirmwareFollowsAllowUnfree: nixpkgs asserts that
// hardware.enableAllFirmware has nixpkgs.config.allowUnfree; without it
// (e.g. modules.system = false) only the redistributable firmware is on.
func TestFirmwareFollowsAllowUnfree(t *testing.T) {
	t.Parallel()
	type facts struct {
		All    bool `json:"all"`
		Redist bool `json:"redist"`
	}
	body := `{ all = c.hardware.enableAllFirmware; redist = c.hardware.enableRedistributableFirmware; }`
	cases := map[string]facts{
		`{ nixpkgs.config.allowUnfree = true; }`:  {true, true},
		`{ nixpkgs.config.allowUnfree = false; }`: {false, true},
		`{ }`: {false, true},
	}
	for host, want := range cases {
		var got facts
		foldersEval(t, `[ "hardware" ]`, "x86_64-linux", host, body, &got)
		if got != want {
			t.Errorf("host %s: got %+v, want %+v", host, got, want)
		}
	}
}

// TestGamingNeedsX86: Steam exists for x86_64 only; an aarch64 gaming host
// fails an assertion with a fix instead of a build error deep in Steam.
func TestGamingNeedsX86(t *testing.T) {
	t.Parallel()
	for system, wantFail := range map[string]bool{"x86_64-linux": false, "aarch64-linux": true} {
		var msgs []string
		foldersEval(t, `[ "gaming" ]`, system, `{ gaming.enable = true; }`, "h.failedAssertions c", &msgs)
		if !wantFail {
			if len(msgs) != 0 {
				t.Errorf("%s: unexpected assertions %q", system, msgs)
			}
			continue
		}
		wantAssertion(t, msgs, "gaming.enable needs an x86_64-linux machine")
	}
}

// TestAiWithoutServicesModule: nixosModules.ai used without the services
// module (plain nixosSystem) must not define selfHosted.* (an undeclared
// option is an error even under mkIf) and must explain the missing piece.
func TestAiWithoutServicesModule(t *testing.T) {
	t.Parallel()
	host := `{ networking.tailscale.domain = "t.ts.net"; services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy.enable = true; }; }`
	var hasRegistry bool
	foldersEval(t, `[ "ai" ]`, "x86_64-linux", host, "c ? selfHosted", &hasRegistry)
	if hasRegistry {
		t.Error("the ai module defines selfHosted.* although no module declares it")
	}
	var msgs []string
	foldersEval(t, `[ "ai" ]`, "x86_64-linux", host, "h.failedAssertions c", &msgs)
	wantAssertion(t, msgs, "ollamaReverseProxy.enable needs selfHosted.enable")
	// With the services module the route is registered as before.
	var ids []string
	foldersEval(t, `[ "ai" "services" ]`, "x86_64-linux", `{ selfHosted.enable = true; `+host[1:], "builtins.attrNames c.selfHosted.caddy.routes", &ids)
	if !reflect.DeepEqual(ids, []string{"ollama"}) {
		t.Errorf("routes = %v, want [ollama]", ids)
	}
}

// allFolders: every NixOS module folder except modules/desktop (which has
// its own tests).
const allFolders = `[ "system" "users" "networking" "hardware" "crash-diagnostics" "desktop-hardware" "laptop-hardware" "graphics" "virtualisation" "development" "gaming" "secrets" "services" "ai" ]`

const fullHost = `{
	axios.hardware.gpuType = "nvidia";
	axios.hardware.cpu = "intel";
	axios.system.timeZone = "UTC";
	axios.user = { name = "alice"; fullName = "Alice"; email = "alice@example.org"; };
	axios.users.accounts.bob.fullName = "Bob";
	networking.hostName = "box";
	networking.samba.enableUserShares = true;
	networking.tailscale.domain = "t.ts.net";
	hardware.desktop = { enable = true; enableMsiSensors = true; };
	hardware.crashDiagnostics = { enable = true; enableCrashDump = true; };
	virt = { libvirt.enable = true; containers.enable = true; };
	development.enable = true;
	gaming = { enable = GAMING; vr.enable = GAMING; vr.wireless.enable = GAMING; };
	secrets.enable = true;
	selfHosted = { enable = true; immich.enable = true; };
	services.ai = { enable = true; local.enable = true; local.ollamaReverseProxy.enable = true; };
	axios.hardware.nvidiaPrime = { mode = "offload"; nvidiaBusId = "PCI:1:0:0"; intelBusId = "PCI:0:2:0"; };
}`

// TestModulesEveryFolderEvaluates: all module folders together, with
// everything on and with nothing but the time zone, evaluate completely
// (builtins.deepSeq over the whole configuration) without a failed
// assertion, on both systems.
func TestModulesEveryFolderEvaluates(t *testing.T) {
	t.Parallel()
	hosts := map[string]string{
		"full x86_64":     strings.ReplaceAll(fullHost, "GAMING", "true"),
		"full aarch64":    strings.ReplaceAll(fullHost, "GAMING", "false"),
		"minimal x86_64":  `{ axios.system.timeZone = "UTC"; }`,
		"minimal aarch64": `{ axios.system.timeZone = "UTC"; }`,
	}
	for name, host := range hosts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			system := "x86_64-linux"
			if strings.HasSuffix(name, "aarch64") {
				system = "aarch64-linux"
			}
			var msgs []string
			foldersEval(t, allFolders, system, host, "builtins.deepSeq c (h.failedAssertions c)", &msgs)
			if len(msgs) != 0 {
				t.Errorf("failed assertions: %q", msgs)
			}
		})
	}

	var got struct {
		Groups  map[string][]string `json:"groups"`
		Modules []string            `json:"modules"`
		Params  []string            `json:"params"`
		Shares  []string            `json:"shares"`
		Dirs    []string            `json:"dirs"`
		Nvidia  string              `json:"nvidia"`
		Offload bool                `json:"offload"`
	}
	foldersEval(t, allFolders, "x86_64-linux", strings.ReplaceAll(fullHost, "GAMING", "true"), `{
		groups = builtins.mapAttrs (_: u: u.extraGroups) (h.lib.filterAttrs (_: u: u.isNormalUser) c.users.users);
		modules = c.boot.kernelModules;
		params = c.boot.kernelParams;
		shares = builtins.attrNames c.services.samba.settings;
		dirs = builtins.filter (r: builtins.match ".*/Desktop .*" r != null) c.systemd.tmpfiles.rules;
		nvidia = c.hardware.nvidia.package._pkg;
		offload = c.hardware.nvidia.prime.offload.enable;
	}`, &got)
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, g := range []string{"wheel", "networkmanager", "video", "render", "libvirtd", "kvm", "podman", "plugdev", "adm", "dialout"} {
		if !has(got.Groups["alice"], g) {
			t.Errorf("primary user alice lacks %s: %v", g, got.Groups["alice"])
		}
	}
	for _, g := range []string{"wheel", "adm", "libvirtd", "podman"} {
		if has(got.Groups["bob"], g) {
			t.Errorf("second user bob got the admin group %s: %v", g, got.Groups["bob"])
		}
	}
	if !has(got.Modules, "kvm-intel") || has(got.Modules, "kvm-amd") || !has(got.Modules, "nct6775") {
		t.Errorf("kernel modules for an Intel MSI desktop: %v", got.Modules)
	}
	for _, p := range []string{"panic=30", "oops=panic", "nvidia_drm.modeset=1", "acpi_enforce_resources=lax", "psi=1"} {
		if !has(got.Params, p) {
			t.Errorf("kernel parameter %s missing: %v", p, got.Params)
		}
	}
	if !has(got.Shares, "alice-Music") || !has(got.Shares, "bob-Documents") || has(got.Shares, "immich-Music") {
		t.Errorf("samba shares: %v", got.Shares)
	}
	if len(got.Dirs) != 2 {
		t.Errorf("XDG directories for alice and bob: %v", got.Dirs)
	}
	if got.Nvidia != "nvidia-stable" || !got.Offload {
		t.Errorf("nvidia package %q, offload %v", got.Nvidia, got.Offload)
	}
}
