package desktop_test

import (
	"fmt"
	"image"
	_ "image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// wallpaperModule evaluates home/desktop/wallpaper.nix with builtins-only
// stand-ins; blurCommand and blurOutput are the test's.
func wallpaperModule(blurCommand, blurOutput string) string {
	return fmt.Sprintf(`let
  pkg = name: { outPath = "/store/${name}"; meta.mainProgram = name; inherit name; };
  esc = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  lib = {
    mkIf = c: x: x;
    mkMerge = builtins.foldl' (a: b: a // b) { };
    mkDefault = x: x;
    mapAttrs = builtins.mapAttrs;
    mkOption = a: a;
    literalExpression = x: x;
    types = { bool = "bool"; str = "str"; package = "package"; };
    escapeShellArg = esc;
    escapeShellArgs = l: builtins.concatStringsSep " " (map esc l);
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram}";
    hasSuffix = suf: s: let n = builtins.stringLength s; k = builtins.stringLength suf; in n >= k && builtins.substring (n - k) k s == suf;
    filterAttrs = f: s: builtins.listToAttrs (builtins.concatMap (n: if f n s.${n} then [ { name = n; value = s.${n}; } ] else [ ]) (builtins.attrNames s));
    mapAttrs' = f: s: builtins.listToAttrs (map (n: f n s.${n}) (builtins.attrNames s));
    hm.dag.entryAfter = after: data: { inherit after data; };
  };
  pkgs = { coreutils = pkg "coreutils"; procps = pkg "procps"; swaybg = pkg "swaybg"; stdenv.hostPlatform.system = "x86_64-linux";
    writeShellApplication = a: pkg a.name // { inherit (a) text; }; };
  config = {
    xdg.cacheHome = "/home/alice/.cache";
    wayland.systemd.target = "graphical-session.target";
    axios.wallpaper = { enable = true; collection.enable = true; directory = "Pictures/Wallpapers";
      blurCommand = %q; blurOutput = %q; };
  };
  axiosFlake.self.packages.x86_64-linux.axios = pkg "axios";
  m = import ./home/desktop/wallpaper.nix { inherit config lib pkgs axiosFlake; };
in m`, blurCommand, blurOutput)
}

func TestWallpaperCollectionIsDeployed(t *testing.T) {
	var files map[string]struct{ Source string }
	testutil.NixEval(t, testutil.RepoRoot(t), wallpaperModule("blur", "/tmp/x.jpg")+".config.home.file", &files)
	if len(files) != 10 {
		t.Errorf("%d wallpapers linked, want 10", len(files))
	}
	if f, ok := files["Pictures/Wallpapers/axios-01-aurora.jpg"]; !ok || !strings.HasSuffix(f.Source, "-01-aurora.jpg") {
		t.Errorf("01-aurora.jpg is not linked into ~/Pictures/Wallpapers: %v", files)
	}
	var unit struct {
		Unit    struct{ ConditionPathExists string }
		Service struct{ ExecStart string }
	}
	testutil.NixEval(t, testutil.RepoRoot(t), wallpaperModule("blur", "/tmp/x.jpg")+".config.systemd.user.services.axios-overview-backdrop", &unit)
	if unit.Service.ExecStart != "'/store/swaybg/bin/swaybg' '--mode' 'stretch' '--image' '/tmp/x.jpg'" || unit.Unit.ConditionPathExists != "/tmp/x.jpg" {
		t.Errorf("backdrop unit: %+v", unit)
	}
	var def string
	testutil.NixEval(t, testutil.RepoRoot(t), `let m = `+wallpaperModule("blur", "/tmp/x.jpg")+`; in m.options.axios.wallpaper.blurCommand.default`, &def)
	if def != "/store/axios/bin/axios wallpaper blur" {
		t.Errorf("default blurCommand = %q", def)
	}
}

// TestWallpaperHookRuns runs the hook script as written by the module, with
// the real `axios wallpaper blur` and a stand-in systemctl, on a wallpaper
// of the collection.
func TestWallpaperHookRuns(t *testing.T) {
	bash := testutil.RequireTool(t, "bash")
	goTool := testutil.RequireTool(t, "go")
	root := testutil.RepoRoot(t)
	tmp := t.TempDir()
	axios := filepath.Join(tmp, "axios")
	if out, err := exec.Command(goTool, "build", "-o", axios, filepath.Join(root, "cmd", "axios")).CombinedOutput(); err != nil {
		t.Fatalf("building axios: %v\n%s", err, out)
	}
	out := filepath.Join(tmp, "cache", "niri", "overview-blur.jpg")
	var text string
	testutil.NixEval(t, root, wallpaperModule(axios+" wallpaper blur", out)+".options.axios.wallpaper.hook.default.text", &text)
	script := filepath.Join(tmp, "hook.sh")
	if err := os.WriteFile(script, []byte("set -euo pipefail\n"+text), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "bin")
	log := filepath.Join(tmp, "systemctl.log")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "systemctl"), []byte("#!/bin/sh\necho \"$@\" >> "+log+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// pkill finds no Ghostty (exit 1): the hook must still succeed.
	pkillLog := filepath.Join(tmp, "pkill.log")
	if err := os.WriteFile(filepath.Join(bin, "pkill"), []byte("#!/bin/sh\necho \"$@\" >> "+pkillLog+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	wall := filepath.Join(root, "home", "desktop", "wallpapers", "09-bauhaus.jpg")
	cmd := exec.Command(bash, script, "wallpaperChanged", wall)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hook failed: %v\n%s", err, o)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatalf("no blurred image: %v", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil || cfg.Width != 3840 || cfg.Height != 2160 {
		t.Errorf("blurred image: %v %dx%d", err, cfg.Width, cfg.Height)
	}
	logged, _ := os.ReadFile(log)
	if strings.TrimSpace(string(logged)) != "--user restart axios-overview-backdrop.service" {
		t.Errorf("systemctl calls: %q", logged)
	}
	if p, _ := os.ReadFile(pkillLog); !strings.Contains(string(p), "-USR2") || !strings.Contains(string(p), "ghostty") {
		t.Errorf("the hook must ask Ghostty to reload its colours (SIGUSR2), pkill calls: %q", p)
	}
	bad := exec.Command(bash, script, "wallpaperChanged", filepath.Join(tmp, "missing.jpg"))
	bad.Env = cmd.Env
	if o, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(o), "no wallpaper file given") {
		t.Errorf("a missing wallpaper must fail clearly, got %v: %s", err, o)
	}
}
