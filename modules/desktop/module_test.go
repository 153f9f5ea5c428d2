// Package desktop_test evaluates the NixOS desktop module's files with
// builtins-only stand-ins for lib and pkgs (mkIf keeps its content when the
// condition holds, mkMerge merges recursively, priorities pass values
// through) and checks what they set.
package desktop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

const stubs = `
  merge = a: b: a // builtins.mapAttrs (n: v:
    if builtins.isAttrs v && builtins.isAttrs (a.${n} or null) && !(v ? outPath) then merge a.${n} v else v) b;
  pkg = name: { outPath = "/store/${name}"; inherit name; };
  lib = {
    mkIf = c: x: if c then x else { };
    mkMerge = builtins.foldl' merge { };
    mkDefault = x: x;
    mkOverride = p: x: x;
    mkOption = a: a;
    mkEnableOption = d: { default = false; description = d; };
    mkPackageOption = p: n: o: { default = p.${n}; };
    literalExpression = x: x;
    types = { bool = "bool"; str = "str"; nullOr = t: "null or ${t}"; };
    attrByPath = path: d: s: if path == [ ] then s else if builtins.isAttrs s && s ? ${builtins.head path} then lib.attrByPath (builtins.tail path) d s.${builtins.head path} else d;
    concatMapStrings = f: l: builtins.concatStringsSep "" (map f l);
    escapeShellArgs = l: builtins.concatStringsSep " " l;
  };
  pkgs = builtins.listToAttrs (map (n: { name = n; value = pkg n; }) [
    "niri" "xwayland-satellite" "xdg-desktop-portal-gnome" "xdg-desktop-portal-gtk"
  ]) // {
    stdenv.hostPlatform.system = "x86_64-linux";
    writeTextFile = a: pkg a.name // { inherit (a) text destination; };
  };
  axiosFlake.inputs.quickshell.packages.x86_64-linux.default = pkg "quickshell";
`

// evalDesktop evaluates `body` with m = the module file `file` called with
// config = the Nix attribute set `config`.
func evalDesktop(t *testing.T, file, config, body string, out any) {
	t.Helper()
	expr := fmt.Sprintf(`let %s config = %s; m = import ./modules/desktop/%s { inherit config lib pkgs axiosFlake; }; in %s`,
		stubs, config, file, body)
	testutil.NixEval(t, testutil.RepoRoot(t), expr, out)
}

const enabled = `{
  desktop = { enable = true; niri.package = pkg "niri"; greeter = { enable = true; configHome = "/home/alice"; }; };
  hardware.system76.power-daemon.enable = false;
}`

func TestGreeterConfigHomeFollowsTheUsersHome(t *testing.T) {
	cases := []struct {
		config string
		want   any
	}{
		{`{ axios.user.name = "alice"; users.users.alice.home = "/srv/home/alice"; }`, "/srv/home/alice"},
		{`{ axios.user.name = "alice"; users.users = { }; }`, "/home/alice"},
		{`{ axios.user.name = ""; users.users = { }; }`, nil},
		{`{ users.users = { }; }`, nil},
	}
	for _, c := range cases {
		var got any
		evalDesktop(t, "default.nix", c.config, "m.options.desktop.greeter.configHome.default", &got)
		if got != c.want {
			t.Errorf("config %s: greeter configHome = %v, want %v", c.config, got, c.want)
		}
	}
}

func TestShellRunsOnePolkitAgentAndTheGreeter(t *testing.T) {
	var cfg struct {
		Systemd struct {
			User struct {
				Services map[string]struct{ Enable *bool }
			}
		}
		Programs struct {
			Niri struct {
				Enable  bool
				Package string
			}
			DMS struct {
				Enable     bool
				Quickshell struct{ Package string }
				Greeter    any
			} `json:"dank-material-shell"`
			Greeter struct {
				Enable     bool
				ConfigHome string
				Compositor struct{ Name string }
				Quickshell struct{ Package string }
			} `json:"dms-greeter"`
		}
	}
	evalDesktop(t, "shell.nix", enabled, "m.config", &cfg)
	p, ok := cfg.Systemd.User.Services["niri-flake-polkit"]
	if !ok || p.Enable == nil || *p.Enable {
		t.Errorf("niri-flake's polkit agent must be off (DMS has its own): %+v", cfg.Systemd.User.Services)
	}
	d := cfg.Programs.DMS
	if !cfg.Programs.Niri.Enable || cfg.Programs.Niri.Package != "/store/niri" {
		t.Errorf("niri: %+v", cfg.Programs.Niri)
	}
	if !d.Enable || d.Quickshell.Package != "/store/quickshell" {
		t.Errorf("DMS: %+v", d)
	}
	// The greeter lives in dank-greeter now (programs.dms-greeter); DMS's
	// own greeter options are gone upstream.
	g := cfg.Programs.Greeter
	if !g.Enable || g.Compositor.Name != "niri" || g.ConfigHome != "/home/alice" || g.Quickshell.Package != "/store/quickshell" {
		t.Errorf("greeter: %+v", g)
	}
	if d.Greeter != nil {
		t.Errorf("DMS greeter options are set under programs.dank-material-shell (%v); upstream removed them", d.Greeter)
	}

	var off map[string]any
	evalDesktop(t, "shell.nix", `{ desktop.enable = false; }`, "m.config", &off)
	if len(off) != 0 {
		t.Errorf("a disabled desktop must set nothing, got %v", off)
	}
}

func TestInputRulesUseUaccessNotWorldWritable(t *testing.T) {
	var text string
	evalDesktop(t, "input.nix", enabled, "(builtins.head m.config.services.udev.packages).text", &text)
	if strings.Contains(text, `"0666"`) {
		t.Errorf("udev rules make devices world-writable:\n%s", text)
	}
	for _, v := range []string{"054c", "045e", "057e", "28de"} {
		if !strings.Contains(text, `ATTRS{idVendor}=="`+v+`", MODE="0660", TAG+="uaccess"`) {
			t.Errorf("no uaccess rule for USB vendor %s:\n%s", v, text)
		}
	}
	if !strings.Contains(text, `ENV{ID_INPUT_JOYSTICK}=="1"`) {
		t.Errorf("no joystick rule:\n%s", text)
	}
}

func TestPowerProfilesYieldToSystem76(t *testing.T) {
	for _, s76 := range []bool{false, true} {
		var ppd bool
		config := fmt.Sprintf(`{ desktop.enable = true; hardware.system76.power-daemon.enable = %t; }`, s76)
		evalDesktop(t, "power.nix", config, "m.config.services.power-profiles-daemon.enable", &ppd)
		if ppd == s76 {
			t.Errorf("system76 power daemon %t: power-profiles-daemon = %t", s76, ppd)
		}
	}
}

// TestDesktopBinaryCaches: the desktop trusts axiOS's cache (its PWA
// launchers and the `axios` command) while it is on, and turns niri-flake's
// cache off because it runs nixpkgs' niri.
func TestDesktopBinaryCaches(t *testing.T) {
	var got []any
	expr := `let ` + stubs + `
	  eval = config: options: (import ./modules/desktop/caches.nix {
	    inherit config options;
	    lib = lib // { optionalAttrs = c: x: if c then x else { }; };
	  }).config;
	  on = eval { desktop.enable = true; } { niri-flake.cache.enable = { }; };
	  off = eval { desktop.enable = false; } { };
	in [ on.niri-flake.cache.enable on.nix.settings off ]`
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
	want := `[false map[substituters:[https://axios.cachix.org] trusted-public-keys:[axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4=]] map[]]`
	if fmt.Sprint(got) != want {
		t.Errorf("caches.nix:\n got %v\nwant %s", got, want)
	}
}
