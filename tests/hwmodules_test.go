package tests

import (
	"fmt"
	"reflect"
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
