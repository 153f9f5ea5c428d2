package blur

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestUpTransformStructure checks what upBlocks relies on: along one axis
// frequency 0 is a weighted sum of the samples with weights adding up to
// fdct's scale of a constant, and every other frequency is exactly its
// coefficients times the features that vanish on a constant.
func TestUpTransformStructure(t *testing.T) {
	for _, f := range []int{4, 8} {
		p, n := upTransform(f)
		a := newUpAxis(f)
		if n != 8/f+2 || a.n != n {
			t.Fatalf("factor %d: %d samples, want %d", f, n, 8/f+2)
		}
		var s float64
		for _, w := range a.feat[0] {
			s += w
		}
		if math.Abs(s-8) > 1e-9 {
			t.Errorf("factor %d: sum weights add up to %v, want 8", f, s)
		}
		for u := 1; u < 8; u++ {
			for i := 0; i < n; i++ {
				var model float64
				for k := 0; k < a.nf; k++ {
					model += a.coef[u][k] * a.feat[k][i]
				}
				if d := p[u][i] - model; math.Abs(d) > 1e-6 {
					t.Errorf("factor %d, frequency %d, sample %d: weight %v, feature model %v", f, u, i, p[u][i], model)
				}
			}
			if a.coef[u][0] != 0 {
				t.Errorf("factor %d, frequency %d: uses the sum feature", f, u)
			}
			// Odd frequencies use only antisymmetric features, even ones
			// only symmetric ones (which the groups of the skip test assume).
			for k := 1; k < a.nf; k++ {
				anti := a.feat[k][0] == -a.feat[k][n-1]
				if a.coef[u][k] != 0 && anti != (u%2 == 1) {
					t.Errorf("factor %d, frequency %d: uses feature %d %v", f, u, k, a.feat[k])
				}
			}
		}
	}
}

// upscaleFloat is upscale without rounding: the full-size samples whose
// blocks upBlocks transforms.
func upscaleFloatXY(src fplane, w, h, fx, fy int) fplane {
	ix, wx := taps(w, src.w, fx)
	iy, wy := taps(h, src.h, fy)
	out := newFplane(w, h)
	at := func(x, y int) float32 { return src.pix[min(y, src.h-1)*src.w+min(x, src.w-1)] }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i, j := int(ix[x]), int(iy[y])
			top := at(i, j) + (at(i+1, j)-at(i, j))*wx[x]
			bot := at(i, j+1) + (at(i+1, j+1)-at(i, j+1))*wx[x]
			out.pix[y*w+x] = top + (bot-top)*wy[y]
		}
	}
	return out
}

// TestUpBlocksMatchesTransform compares upBlocks with the forward DCT and
// quantisation of the upscaled plane, block by block, edges included, for
// several quantisers.
func TestUpBlocksMatchesTransform(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for _, c := range []struct{ w, h, fx, fy int }{{1, 1, 8, 8}, {2, 3, 8, 8}, {9, 6, 8, 8}, {31, 17, 8, 8}, {2, 2, 4, 4}, {17, 13, 4, 4}, {16, 9, 4, 8}, {9, 16, 8, 4}} {
		size := [2]int{c.w, c.h}
		low := newFplane(size[0], size[1])
		for i := range low.pix {
			// Smooth with a few jumps, as a blur leaves it and worse.
			low.pix[i] = 128 + 100*float32(math.Sin(float64(i)/3)) + float32(rng.Intn(30))
		}
		w, h := c.fx*low.w-3, c.fy*low.h-1 // partial last samples and blocks
		if low.w == 1 {
			w = 5
		}
		if low.h == 1 {
			h = 8
		}
		full := upscaleFloatXY(low, w, h, c.fx, c.fy)
		for _, quality := range []int{10, 92, 100} {
			tb, err := tablesFor(quality)
			if err != nil {
				t.Fatal(err)
			}
			for comp := 0; comp < 2; comp++ {
				q := &tb.quant[comp]
				src := newUpBlocks(low, c.fx, c.fy, q)
				checked, nonzero := 0, 0
				for by := 0; by*8 < h; by++ {
					for bx := 0; bx*8 < w; bx++ {
						if 8*bx+8 > w || 8*by+8 > h {
							continue // the encoder's padding differs beyond the edge
						}
						var b [64]float32
						for y := 0; y < 8; y++ {
							for x := 0; x < 8; x++ {
								b[y*8+x] = full.pix[(8*by+y)*w+8*bx+x] - 128
							}
						}
						fdct(&b)
						var zz [64]int32
						nz := src.block(&zz, bx, by)
						for i := 0; i < 64; i++ {
							want := float64(b[zigzag[i]] * q[zigzag[i]])
							got := int32(0)
							if i == 0 || nz&(1<<i) != 0 {
								got = zz[i]
							}
							if got != 0 {
								nonzero++
							}
							// Exactly rounded, but a value within float error of
							// a half may go either way.
							if d := math.Abs(float64(got) - want); d > 0.5+1e-3 {
								t.Fatalf("%dx%d by %dx%d q%d comp %d block (%d,%d) coefficient %d: %d, want %.3f", size[0], size[1], c.fx, c.fy, quality, comp, bx, by, i, got, want)
							}
						}
						checked++
					}
				}
				if size[0] > 2 && (checked == 0 || nonzero == checked) {
					t.Errorf("%dx%d q%d: %d blocks checked, %d non-zero coefficients: the test checks too little", size[0], size[1], quality, checked, nonzero)
				}
			}
		}
	}
}

// TestEncodeLowMatchesUpscale decodes encodeLow's JPEG and compares it
// with upscaleAll's image, against encoding that image itself.
func TestEncodeLowMatchesUpscale(t *testing.T) {
	src := testImage(203, 117, 22)
	gray := image.NewGray(src.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i]
	}
	for name, img := range map[string]image.Image{"color": src, "gray": gray} {
		var in bytes.Buffer
		if err := jpeg.Encode(&in, img, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		dc, err := decodeDC(in.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		lows, err := dc.blurLow(Options{Sigma: 24})
		if err != nil {
			t.Fatal(err)
		}
		up := upscaleAll(dc.w, dc.h, lows, 2)
		var ref bytes.Buffer
		if err := encodeJPEG(&ref, up, 92, 1); err != nil {
			t.Fatal(err)
		}
		refDec, err := jpeg.Decode(&ref)
		if err != nil {
			t.Fatal(err)
		}
		pRef := mustPSNR(t, up, refDec)
		for _, workers := range []int{1, 3} {
			var out bytes.Buffer
			if err := encodeLow(&out, dc.w, dc.h, lows, 92, workers); err != nil {
				t.Fatal(err)
			}
			dec, err := jpeg.Decode(&out)
			if err != nil {
				t.Fatalf("%s: image/jpeg cannot read encodeLow's output: %v", name, err)
			}
			if dec.Bounds() != up.Bounds() {
				t.Fatalf("%s: bounds %v, want %v", name, dec.Bounds(), up.Bounds())
			}
			p := mustPSNR(t, up, dec)
			t.Logf("%s workers %d: %.2f dB against the upscaled blur, its own encoding %.2f dB", name, workers, p, pRef)
			if p < 45 || p < pRef-1 {
				t.Errorf("%s workers %d: %.2f dB against the upscaled blur, want >= 45 and near %.2f", name, workers, p, pRef)
			}
		}
	}
}

// TestBitWriter compares the writer's output with a bit-by-bit reference,
// 0xFF stuffing and padding included.
func TestBitWriter(t *testing.T) {
	rng := rand.New(rand.NewSource(23))
	for trial := 0; trial < 50; trial++ {
		var w bitWriter
		var bitsRef []byte
		for i := 0; i < 200; i++ {
			n := uint(rng.Intn(16) + 1)
			v := uint32(rng.Intn(1 << n))
			if rng.Intn(3) == 0 {
				v = 1<<n - 1 // runs of ones make 0xFF bytes
			}
			w.emit(v, n)
			for k := int(n) - 1; k >= 0; k-- {
				bitsRef = append(bitsRef, byte(v>>k&1))
			}
		}
		w.pad()
		for len(bitsRef)%8 != 0 {
			bitsRef = append(bitsRef, 1)
		}
		var want []byte
		for i := 0; i < len(bitsRef); i += 8 {
			var c byte
			for _, b := range bitsRef[i : i+8] {
				c = c<<1 | b
			}
			want = append(want, c)
			if c == 0xff {
				want = append(want, 0)
			}
		}
		if !bytes.Equal(w.buf, want) {
			t.Fatalf("trial %d: %d bytes written, reference %d; first difference at %d", trial, len(w.buf), len(want), firstDiff(w.buf, want))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// wallpaperImage draws what a wallpaper looks like: smooth colour fields
// at several scales, a few hard-edged shapes and a little grain.
func wallpaperImage(w, h int, seed int64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy, rad := float64(w)/4, float64(h)/2, float64(h)/5
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 120 + 80*math.Sin(fx*5+fy*2) + 30*math.Sin(fx*23-fy*17)
			g := 90 + 70*math.Cos(fx*3-fy*6) + 25*math.Sin(fx*fy*60)
			b := 150 + 60*math.Sin(fy*7+1) - 20*math.Cos(fx*31)
			switch {
			case math.Hypot(float64(x)-cx, float64(y)-cy) < rad:
				r, g, b = 245, 240, 230
			case fx > 0.65 && fx < 0.9 && fy > 0.15 && fy < 0.4:
				r, g, b = 20, 30, 60
			case math.Abs(fy-(1-fx)) < 0.01:
				r, g, b = 250, 220, 40
			}
			n := rng.Float64()*8 - 4
			m.SetRGBA(x, y, color.RGBA{c8(r + n), c8(g + n), c8(b + n), 255})
		}
	}
	return m
}

// TestJPEGMatchesImageMagick runs the wallpaper hook's case, a JPEG that
// ImageMagick wrote (4:4:4 at quality 92 as it does by default, and 4:2:0
// and 4:2:2), through File and compares with ImageMagick's own exact blur
// of the same file: at least 45 dB for a wallpaper, and at least 44 dB for
// the harsher test image (a 40-pixel checkerboard of colours and noise).
func TestJPEGMatchesImageMagick(t *testing.T) {
	convert := testutil.RequireTool(t, "convert")
	dir := t.TempDir()
	cases := []struct {
		name, sampling string
		img            image.Image
		want           float64
	}{
		{"wallpaper", "1x1", wallpaperImage(960, 540, 24), 45},
		{"wallpaper", "2x2", wallpaperImage(960, 540, 24), 45},
		{"wallpaper", "2x1", wallpaperImage(960, 540, 24), 45},
		{"checkerboard", "1x1", testImage(960, 540, 24), 44},
	}
	for _, c := range cases {
		name := c.name + "-" + c.sampling
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			jpegMatchesImageMagick(t, convert, dir, name, c.img, c.sampling, c.want)
		})
	}
}

// jpegMatchesImageMagick is one case of TestJPEGMatchesImageMagick: img
// written by ImageMagick as a JPEG with the chroma sampling given, blurred
// by ImageMagick and by this package, at least want dB apart.
func jpegMatchesImageMagick(t *testing.T, convert, dir, name string, img image.Image, sampling string, want float64) {
	png := filepath.Join(dir, name+".png")
	writePNG(t, png, img)
	in := filepath.Join(dir, name+".jpg")
	testutil.CachedRun(t, convert, png, "-sampling-factor", sampling, "-quality", "92", in)
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	// The fast path must take it, or this tests the fallback.
	if _, err := decodeDC(data); err != nil {
		t.Fatalf("%s: the 1/8-scale reader declines ImageMagick's JPEG: %v", name, err)
	}
	ref := imageMagickBlur(t, in, filepath.Join(dir, name+"-im.jpg"))
	out := filepath.Join(dir, name+"-axios.jpg")
	if err := File(in, out, Options{}, DefaultQuality); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	p := mustPSNR(t, ref, got)
	t.Logf("%s: %.2f dB against ImageMagick's blur", name, p)
	if p < want {
		t.Errorf("%s: PSNR %.2f dB against ImageMagick's blur, want >= %.0f", name, p, want)
	}
}

// TestHugeDimensions: a JPEG whose header claims 60000×60000 pixels is
// refused with a clear error before anything that size is allocated.
func TestHugeDimensions(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(16, 16, 25), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	i := bytes.Index(data, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(data[i+5:], 60000)
	binary.BigEndian.PutUint16(data[i+7:], 60000)
	if _, err := decodeDC(data); err == nil || !strings.Contains(err.Error(), "60000x60000") {
		t.Errorf("decodeDC: error %v, want one naming the size", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "huge.jpg")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err := File(in, filepath.Join(dir, "o.jpg"), Options{}, DefaultQuality)
	if err == nil || !strings.Contains(err.Error(), "huge.jpg") || !strings.Contains(err.Error(), "megapixels") {
		t.Errorf("File: error %v, want one naming the file and the megapixel limit", err)
	}
}
