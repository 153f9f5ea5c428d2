package tests

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

// wallpaperArgs are the home harness's arguments for
// home/desktop/wallpaper.nix alone; blurCommand (null: the default) and
// blurOutput are the test's.
func wallpaperArgs(blurCommand, blurOutput string) string {
	cmd := "{ }"
	if blurCommand != "" {
		cmd = fmt.Sprintf("{ blurCommand = %q; }", blurCommand)
	}
	return fmt.Sprintf(`{ modules = [ ./home/desktop/wallpaper.nix ]; home = {
  xdg.cacheHome = "/home/alice/.cache";
  wayland.systemd.target = "graphical-session.target";
  axios.wallpaper = { enable = true; collection.enable = true; directory = "Pictures/Wallpapers";
    blurOutput = %q; } // %s;
}; }`, blurOutput, cmd)
}

func TestWallpaperCollectionIsDeployed(t *testing.T) {
	t.Parallel()
	var files map[string]struct{ Source string }
	homeEval(t, wallpaperArgs("blur", "/tmp/x.jpg"), "h.defined.home.file", &files)
	// Every picture of the collection is linked into ~/Pictures/Wallpapers.
	walls, err := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "home", "desktop", "wallpapers", "*.jpg"))
	if err != nil || len(walls) == 0 {
		t.Fatalf("no wallpapers in home/desktop/wallpapers: %v", err)
	}
	for _, w := range walls {
		name := filepath.Base(w)
		if f, ok := files["Pictures/Wallpapers/axios-"+name]; !ok || !strings.HasSuffix(f.Source, "-"+name) {
			t.Errorf("%s is not linked into ~/Pictures/Wallpapers: %v", name, files)
		}
	}
	if len(files) != len(walls) {
		t.Errorf("%d files linked for %d wallpapers: %v", len(files), len(walls), files)
	}
	var unit struct {
		Unit    struct{ ConditionPathExists string }
		Service struct{ ExecStart string }
	}
	homeEval(t, wallpaperArgs("blur", "/tmp/x.jpg"), "h.defined.systemd.user.services.axios-overview-backdrop", &unit)
	if unit.Service.ExecStart != storePath("swaybg")+"/bin/swaybg --mode stretch --image /tmp/x.jpg" || unit.Unit.ConditionPathExists != "/tmp/x.jpg" {
		t.Errorf("backdrop unit: %+v", unit)
	}
	var def string
	homeEval(t, wallpaperArgs("", "/tmp/x.jpg"), "h.config.axios.wallpaper.blurCommand", &def)
	if def != storePath("axios")+"/bin/axios wallpaper blur" {
		t.Errorf("default blurCommand = %q", def)
	}
}

// TestWallpaperHookRuns runs the hook script as written by the module, with
// the real `axios wallpaper blur` and a stand-in systemctl, on a wallpaper
// of the collection.
func TestWallpaperHookRuns(t *testing.T) {
	t.Parallel()
	bash := testutil.RequireTool(t, "bash")
	root := testutil.RepoRoot(t)
	tmp := t.TempDir()
	// axios wallpaper runs the helper axios-wallpaper beside axios.
	axios := filepath.Join(testutil.AxiosPrograms(t), "axios")
	out := filepath.Join(tmp, "cache", "niri", "overview-blur.jpg")
	var text string
	homeEval(t, wallpaperArgs(axios+" wallpaper blur", out), "h.config.axios.wallpaper.hook.text", &text)
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
