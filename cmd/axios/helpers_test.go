package main

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// axios alone (no helper beside it, none on PATH): `axios mcp` fails with
// status 2 and names the missing program and the package that ships it;
// with the helper on PATH it runs that one.
func TestMissingHelper(t *testing.T) {
	built := axiosBinary(t)
	dir := t.TempDir()
	alone := filepath.Join(dir, "axios")
	b, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alone, "mcp", "--help")
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("axios mcp without its helper: %v, want exit status 2\n%s", err, out)
	}
	for _, want := range []string{"axios mcp needs the helper program axios-mcp", "in " + dir + " (beside axios) or on PATH", "axiOS flake"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// On PATH: found there, and it takes over with the arguments.
	cmd = exec.Command(alone, "mcp", "--help")
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(built))
	out, err = cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "axios-mcp [flags]") || !strings.Contains(string(out), "--journal-directory") {
		t.Errorf("axios mcp --help with axios-mcp on PATH: %v\n%s", err, out)
	}
}

// `axios pwa add` runs the helper axios-pwa beside axios with the same
// arguments: a saved manifest lands in the configuration's pwa-apps.json,
// and the helper's exit status is axios's (2 for a missing manifest).
func TestPWAThroughHelper(t *testing.T) {
	bin := axiosBinary(t)
	config := t.TempDir()
	testutil.WriteFile(t, filepath.Join(config, "flake.nix"), "{ outputs = _: { }; }\n")
	testutil.WriteFile(t, filepath.Join(config, "hosts", "tower.toml"), "hostname = \"tower\"\n")
	manifest := filepath.Join("..", "..", "internal", "cmd", "pwa", "testdata", "gmail.webmanifest")
	out, err := exec.Command(bin, "pwa", "add", manifest, "--dir", config, "--base-url", "https://mail.google.com/", "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("axios pwa add: %v\n%s", err, out)
	}
	apps, err := os.ReadFile(filepath.Join(config, "pwa-apps.json"))
	if err != nil || !strings.Contains(string(apps), "mail.google.com") {
		t.Errorf("pwa-apps.json: %v\n%s\noutput: %s", err, apps, out)
	}
	cmd := exec.Command(bin, "pwa", "add", filepath.Join(config, "none.webmanifest"), "--dir", config)
	out, err = cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "none.webmanifest") {
		t.Errorf("a missing manifest: %v, want exit status 2 naming it\n%s", err, out)
	}
}

// `axios wallpaper` runs the helper axios-wallpaper beside axios with the
// same arguments: a blur writes its output, psnr compares two images, and
// a usage mistake exits with status 2 naming the command and its usage.
func TestWallpaperThroughHelper(t *testing.T) {
	bin := axiosBinary(t)
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), uint8((x + y) * 2), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.png")
	testutil.WriteFile(t, in, buf.String())
	if o, err := exec.Command(bin, "wallpaper", "blur", "--sigma", "2", in, out).CombinedOutput(); err != nil {
		t.Fatalf("axios wallpaper blur: %v\n%s", err, o)
	}
	o, err := exec.Command(bin, "wallpaper", "psnr", in, in).CombinedOutput()
	if err != nil || strings.TrimSpace(string(o)) != "inf" {
		t.Errorf("axios wallpaper psnr of an image with itself: %v %q, want inf", err, o)
	}
	o, err = exec.Command(bin, "wallpaper", "psnr", in, out).CombinedOutput()
	if p, perr := strconv.ParseFloat(strings.TrimSpace(string(o)), 64); err != nil || perr != nil || p < 10 || p > 99 {
		t.Errorf("axios wallpaper psnr of an image and its blur: %v %q", err, o)
	}
	o, err = exec.Command(bin, "wallpaper", "blur", in).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("axios wallpaper blur IN: %v, want exit status 2\n%s", err, o)
	}
	for _, want := range []string{"axios-wallpaper blur: accepts 2 arg(s), received 1", "usage: axios-wallpaper blur IN OUT"} {
		if !strings.Contains(string(o), want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
}
