package wallpaper

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return cmdtest.Execute(Commands()[0], args...)
}

func TestBlurAndPSNR(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "wall.png")
	m := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 120; x++ {
			m.SetRGBA(x, y, color.RGBA{uint8(x * 2), uint8(y * 3), uint8((x / 10 % 2) * 255), 255})
		}
	}
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, m); err != nil {
		t.Fatal(err)
	}
	f.Close()

	out := filepath.Join(dir, "blurred.jpg")
	if _, err := run(t, "blur", in, out); err != nil {
		t.Fatal(err)
	}
	text, err := run(t, "psnr", out, out)
	if err != nil || strings.TrimSpace(text) != "inf" {
		t.Errorf("psnr of a file with itself: %q, %v", text, err)
	}
	text, err = run(t, "psnr", in, out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || p < 5 || p > 40 {
		t.Errorf("psnr of the source against its blur: %q", text)
	}

	_, err = run(t, "blur", filepath.Join(dir, "none.jpg"), out)
	var coded *exitcode.Error
	if !errors.As(err, &coded) || coded.Code != exitcode.Failed || !strings.Contains(err.Error(), "none.jpg") {
		t.Errorf("missing input: %v", err)
	}
	if _, err := run(t, "blur", in); err == nil {
		t.Error("one argument accepted")
	}
	if _, err := run(t, "blur", "--quality", "0", in, out); err == nil || !strings.Contains(err.Error(), "quality") {
		t.Errorf("quality 0: %v", err)
	}
}
