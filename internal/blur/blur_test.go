package blur

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// testImage draws a deterministic image with structure at several scales:
// gradients, sinusoids, hard-edged shapes reaching the borders, and noise.
func testImage(w, h int, seed int64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(fx*13+fy*3)
			g := 255 * fy
			b := 128 + 120*math.Cos(fx*fy*40)
			if (x/40+y/40)%2 == 0 {
				r = 255 - r
			}
			if x < w/5 && y > h/2 {
				r, g, b = 250, 250, 10
			}
			n := rng.Float64()*40 - 20
			m.SetRGBA(x, y, color.RGBA{c8(r + n), c8(g + n), c8(b - n), 255})
		}
	}
	return m
}

func c8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

func toYCbCr(m image.Image, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	b := m.Bounds()
	out := image.NewYCbCr(b, ratio)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := m.At(x, y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
			out.Y[out.YOffset(x, y)] = yy
			// Last writer wins for subsampled chroma; fine for a test image.
			out.Cb[out.COffset(x, y)] = cb
			out.Cr[out.COffset(x, y)] = cr
		}
	}
	return out
}

func mustPSNR(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	p, err := PSNR(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOptimalWidth(t *testing.T) {
	// ImageMagick 6.9 prints these widths with -define morphology:showkernel=1.
	for sigma, want := range map[float64]int{18: 137, 1: 9, 2: 17, 0.5: 5, 0: 3} {
		if got := OptimalWidth(sigma); got != want {
			t.Errorf("OptimalWidth(%v) = %d, want %d", sigma, got, want)
		}
	}
}

func TestKernelProperties(t *testing.T) {
	for _, sigma := range []float64{0.7, 3, 18, 40} {
		k := IMKernel(sigma)
		if len(k)%2 != 1 {
			t.Fatalf("sigma %v: even width %d", sigma, len(k))
		}
		var sum float64
		c := len(k) / 2
		for i, v := range k {
			sum += v
			if math.Abs(v-k[len(k)-1-i]) > 1e-15 {
				t.Errorf("sigma %v: not symmetric at %d", sigma, i)
			}
			if i > 0 && i <= c && !(v > k[i-1]) {
				t.Errorf("sigma %v: not increasing towards the centre at %d", sigma, i)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("sigma %v: sum %v, want 1", sigma, sum)
		}
		// The kernel reaches out until its taps are about one 16-bit step.
		if k[0] > 2e-3*k[c] || k[0] < quantumScale/10 {
			t.Errorf("sigma %v: edge tap %v, centre %v", sigma, k[0], k[c])
		}
	}
	g := Gaussian(4.5, 18)
	if len(g) != 37 || math.Abs(g[18]-1/(math.Sqrt(2*math.Pi)*4.5)) > 1e-4 {
		t.Errorf("Gaussian(4.5, 18): len %d centre %v", len(g), g[18])
	}
}

var kernelHeader = regexp.MustCompile(`Kernel #0 "Blur" of size (\d+)x1`)

// TestKernelMatchesImageMagick compares IMKernel with the kernel ImageMagick
// itself reports for -blur 0xSIGMA.
func TestKernelMatchesImageMagick(t *testing.T) {
	convert := testutil.RequireTool(t, "convert")
	for _, sigma := range []float64{0.5, 1, 2.5, 7, 18} {
		var stderr strings.Builder
		_, err := runner.Exec{}.Output(context.Background(), runner.Cmd{
			Name:   convert,
			Args:   []string{"-size", "4x4", "xc:gray", "-define", "morphology:showkernel=1", "-blur", "0x" + strconv.FormatFloat(sigma, 'g', -1, 64), "null:"},
			Stderr: &stderr,
		})
		if err != nil {
			t.Fatal(err)
		}
		out := stderr.String()
		mm := kernelHeader.FindStringSubmatch(out)
		if mm == nil {
			t.Fatalf("sigma %v: no kernel in ImageMagick output:\n%s", sigma, out)
		}
		width, _ := strconv.Atoi(mm[1])
		k := IMKernel(sigma)
		if width != len(k) {
			t.Fatalf("sigma %v: ImageMagick width %d, ours %d", sigma, width, len(k))
		}
		// The values line follows the header: " 0: v v v ...".
		rest := out[strings.Index(out, mm[0]):]
		var line string
		for _, l := range strings.Split(rest, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "0:") {
				line = strings.TrimSpace(l)[2:]
				break
			}
		}
		fields := strings.Fields(line)
		if len(fields) != width {
			t.Fatalf("sigma %v: %d values printed, want %d", sigma, len(fields), width)
		}
		for i, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("sigma %v: value %q: %v", sigma, f, err)
			}
			if math.Abs(v-k[i]) > 1e-5*math.Max(v, 1e-3) {
				t.Errorf("sigma %v tap %d: ImageMagick %v, ours %v", sigma, i, v, k[i])
			}
		}
	}
}

func TestEdgesRepeat(t *testing.T) {
	// A vertical step: white on the left, black on the right, wider than
	// the kernel. With edge pixels repeated, the left border stays white and
	// the right border black; zero padding would darken the left border.
	w, h := 400, 300
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w/2; x++ {
			m.Pix[y*m.Stride+x] = 255
		}
	}
	for _, scale := range []int{1, 4} {
		out, err := Image(m, Options{Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		g := out.(*image.Gray)
		for _, y := range []int{0, h / 2, h - 1} {
			if v := g.GrayAt(0, y).Y; v != 255 {
				t.Errorf("scale %d: left border (0,%d) = %d, want 255", scale, y, v)
			}
			if v := g.GrayAt(w-1, y).Y; v != 0 {
				t.Errorf("scale %d: right border (%d,%d) = %d, want 0", scale, w-1, y, v)
			}
			// At the step the blur is half way.
			if v := int(g.GrayAt(w/2, y).Y) + int(g.GrayAt(w/2-1, y).Y); v < 250 || v > 260 {
				t.Errorf("scale %d: step at row %d sums to %d, want ~255", scale, y, v)
			}
		}
	}
}

func TestConstantStaysConstant(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 97, 61))
	for i := range m.Pix {
		m.Pix[i] = []uint8{200, 30, 90, 255}[i%4]
	}
	for _, scale := range []int{1, 2, 4, 8} {
		out, err := Image(m, Options{Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		if p := mustPSNR(t, m, out); !math.IsInf(p, 1) {
			t.Errorf("scale %d: constant image changed (PSNR %.1f)", scale, p)
		}
	}
}

// TestFastMatchesExact checks the downscaled blur against the
// full-resolution convolution for every image type.
func TestFastMatchesExact(t *testing.T) {
	rgba := testImage(720, 405, 1)
	gray := image.NewGray(rgba.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = rgba.Pix[4*i+1]
	}
	cases := map[string]image.Image{
		"rgba":   rgba,
		"420":    toYCbCr(rgba, image.YCbCrSubsampleRatio420),
		"444":    toYCbCr(rgba, image.YCbCrSubsampleRatio444),
		"422":    toYCbCr(rgba, image.YCbCrSubsampleRatio422),
		"gray":   gray,
		"odd":    rgba.SubImage(image.Rect(3, 5, 600, 398)),
		"odd420": toYCbCr(rgba, image.YCbCrSubsampleRatio420).SubImage(image.Rect(1, 3, 701, 400)),
	}
	for name, img := range cases {
		exact, err := Image(img, Options{Scale: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, scale := range []int{0, 8} {
			fast, err := Image(img, Options{Scale: scale})
			if err != nil {
				t.Fatal(err)
			}
			if fast.Bounds() != img.Bounds() {
				t.Errorf("%s: bounds %v, want %v", name, fast.Bounds(), img.Bounds())
			}
			if p := mustPSNR(t, exact, fast); p < 42 {
				t.Errorf("%s scale %d: PSNR %.2f dB against the exact blur, want >= 42", name, scale, p)
			} else {
				t.Logf("%s scale %d: %.2f dB", name, scale, p)
			}
		}
	}
}

func writePNG(t *testing.T, path string, m image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Uncompressed: the pixels are the same, and deflating them took half
	// of this package's own CPU time.
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(f, m); err != nil {
		t.Fatal(err)
	}
}

func writeJPEG(t *testing.T, path string, m image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, m, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
}

// imageMagickBlur is ImageMagick's exact blur of in, written to out (kept
// between runs for the same input and ImageMagick: testutil.CachedRun).
func imageMagickBlur(t *testing.T, in, out string) image.Image {
	t.Helper()
	testutil.CachedRun(t, testutil.RequireTool(t, "convert"), in, "-filter", "Gaussian", "-blur", "0x18", out)
	img, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestMatchesImageMagick compares with ImageMagick's own blur: the exact
// path must agree closely (same kernel, same edges) and the fast path must
// stay above the 35 dB target.
func TestMatchesImageMagick(t *testing.T) {
	dir := t.TempDir()
	src := testImage(640, 360, 2)
	in := filepath.Join(dir, "in.png")
	writePNG(t, in, src)
	ref := imageMagickBlur(t, in, filepath.Join(dir, "im.png"))
	for _, scale := range []int{1, 0} {
		out := filepath.Join(dir, "axios.png")
		if err := File(in, out, Options{Scale: scale}, DefaultQuality); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(out)
		if err != nil {
			t.Fatal(err)
		}
		p := mustPSNR(t, ref, got)
		want := 35.0
		if scale == 1 {
			want = 50
		}
		if p < want {
			t.Errorf("scale %d: PSNR %.2f dB against ImageMagick, want >= %.0f", scale, p, want)
		}
		t.Logf("PNG scale %d: %.2f dB against ImageMagick", scale, p)
	}

	// JPEG in, JPEG out, as the wallpaper hook runs it.
	jin := filepath.Join(dir, "in.jpg")
	writeJPEG(t, jin, src)
	jref := imageMagickBlur(t, jin, filepath.Join(dir, "im.jpg"))
	jout := filepath.Join(dir, "axios.jpg")
	if err := File(jin, jout, Options{}, DefaultQuality); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(jout)
	if err != nil {
		t.Fatal(err)
	}
	if p := mustPSNR(t, jref, got); p < 35 {
		t.Errorf("JPEG: PSNR %.2f dB against ImageMagick, want >= 35", p)
	} else {
		t.Logf("JPEG: %.2f dB against ImageMagick", p)
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.png")
	writePNG(t, good, testImage(32, 32, 3))
	text := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in, out, want string
		o             Options
	}{
		{filepath.Join(dir, "missing.jpg"), filepath.Join(dir, "o.jpg"), "missing.jpg", Options{}},
		{text, filepath.Join(dir, "o.jpg"), "notes.png: not a JPEG or PNG image", Options{}},
		{good, filepath.Join(dir, "o.gif"), `o.gif: unsupported output extension ".gif"`, Options{}},
		{good, filepath.Join(dir, "nodir", "o.jpg"), "o.jpg", Options{}},
		{good, filepath.Join(dir, "o.jpg"), "sigma -1 is out of range", Options{Sigma: -1}},
		{good, filepath.Join(dir, "o.jpg"), "scale 99 is out of range", Options{Scale: 99}},
	}
	for _, c := range cases {
		err := File(c.in, c.out, c.o, DefaultQuality)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("File(%s, %s): error %v, want one containing %q", filepath.Base(c.in), filepath.Base(c.out), err, c.want)
		}
	}
	// A folder, and a device with no end, are refused without reading
	// forever.
	if err := File(dir, filepath.Join(dir, "o.jpg"), Options{}, DefaultQuality); err == nil || !strings.Contains(err.Error(), "is a folder, not an image") {
		t.Errorf("folder as input: error %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		old := maxFileBytes
		maxFileBytes = 4 << 20
		err := File("/dev/zero", filepath.Join(dir, "o.jpg"), Options{}, DefaultQuality)
		maxFileBytes = old
		if err == nil || !strings.Contains(err.Error(), "more than 4 MiB") {
			t.Errorf("/dev/zero as input: error %v", err)
		}
	}
	if err := File(good, filepath.Join(dir, "o.jpg"), Options{}, 0); err == nil || !strings.Contains(err.Error(), "quality 0") {
		t.Errorf("quality 0: error %v", err)
	}
	// Nothing half-written is left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if _, err := PSNR(image.NewGray(image.Rect(0, 0, 2, 2)), image.NewGray(image.Rect(0, 0, 3, 2))); err == nil {
		t.Error("PSNR of different sizes: no error")
	}
}

// BenchmarkImage4K blurs a 3840×2160 4:2:0 image (the decoded form of a
// typical wallpaper JPEG), without decoding or encoding.
func BenchmarkImage4K(b *testing.B) {
	src := toYCbCr(testImage(3840, 2160, 4), image.YCbCrSubsampleRatio420)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Image(src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFile4K runs the whole command path (read, 1/8-scale decode,
// blur, parallel encode, write) on a 3840×2160 JPEG.
func BenchmarkFile4K(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "in.jpg")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	if err := jpeg.Encode(f, testImage(3840, 2160, 5), &jpeg.Options{Quality: 92}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	out := filepath.Join(dir, "out.jpg")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := File(in, out, Options{}, DefaultQuality); err != nil {
			b.Fatal(err)
		}
	}
}

// Bands blurred by several goroutines give the image one goroutine gives,
// on both paths (test binaries may run with GOMAXPROCS=1, so the workers
// are asked for).
func TestWorkersGiveTheSameImage(t *testing.T) {
	img := testImage(720, 405, 3)
	for _, scale := range []int{1, 0} {
		one, err := Image(img, Options{Scale: scale, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		many, err := Image(img, Options{Scale: scale, Workers: 5})
		if err != nil {
			t.Fatal(err)
		}
		if p := mustPSNR(t, one, many); !math.IsInf(p, 1) {
			t.Errorf("scale %d: five workers differ from one (PSNR %.2f dB)", scale, p)
		}
	}
}
