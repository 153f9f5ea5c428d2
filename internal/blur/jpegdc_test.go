package blur

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// blockMeans averages a decoded plane over blocks of f×f samples.
func blockMeans(p []uint8, stride, w, h, f int) fplane {
	out := newFplane((w+f-1)/f, (h+f-1)/f)
	for by := 0; by < out.h; by++ {
		for bx := 0; bx < out.w; bx++ {
			var s, n float32
			for y := by * f; y < min(by*f+f, h); y++ {
				for x := bx * f; x < min(bx*f+f, w); x++ {
					s += float32(p[y*stride+x])
					n++
				}
			}
			out.pix[by*out.w+bx] = s / n
		}
	}
	return out
}

// TestDCMatchesFullDecode checks the 1/8-scale read against block means of
// image/jpeg's full decode, for 4:2:0, 4:4:4 and gray JPEGs with and
// without restart markers and with partial edge blocks.
func TestDCMatchesFullDecode(t *testing.T) {
	src := testImage(331, 205, 11)
	gray := image.NewGray(src.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i+1]
	}
	var std, ours, g bytes.Buffer
	if err := jpeg.Encode(&std, src, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if err := encodeJPEG(&ours, toYCbCr(src, image.YCbCrSubsampleRatio444), 90, 2); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&g, gray, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"image/jpeg 4:2:0": std.Bytes(), "restart markers 4:4:4": ours.Bytes(), "gray": g.Bytes()} {
		dc, err := decodeDC(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var planes [][]uint8
		var strides []int
		switch m := full.(type) {
		case *image.YCbCr:
			planes, strides = [][]uint8{m.Y, m.Cb, m.Cr}, []int{m.YStride, m.CStride, m.CStride}
		case *image.Gray:
			planes, strides = [][]uint8{m.Pix}, []int{m.Stride}
		}
		if len(planes) != len(dc.comps) {
			t.Fatalf("%s: %d components, want %d", name, len(dc.comps), len(planes))
		}
		for i, c := range dc.comps {
			w := (dc.w*c.h + dc.hmax - 1) / dc.hmax
			h := (dc.h*c.v + dc.vmax - 1) / dc.vmax
			want := blockMeans(planes[i], strides[i], w, h, 8)
			if want.w != c.low.w || want.h != c.low.h {
				t.Fatalf("%s component %d: %dx%d blocks, want %dx%d", name, i, c.low.w, c.low.h, want.w, want.h)
			}
			var worst float32
			for k := range want.pix {
				d := want.pix[k] - c.low.pix[k]
				if d < 0 {
					d = -d
				}
				// Edge blocks also average the encoder's padding.
				bx, by := k%want.w, k/want.w
				if bx == want.w-1 || by == want.h-1 {
					continue
				}
				worst = max(worst, d)
			}
			// Full decodes round and clamp every pixel.
			if worst > 1.5 {
				t.Errorf("%s component %d: block mean off by %.2f", name, i, worst)
			}
		}
	}
}

func TestDCUnsupportedFallsBack(t *testing.T) {
	src := testImage(64, 48, 12)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	// Turn the frame into a progressive one: decodeDC must decline.
	prog := bytes.Replace(data, []byte{0xff, 0xc0}, []byte{0xff, 0xc2}, 1)
	if _, err := decodeDC(prog); !errors.Is(err, errUnsupported) {
		t.Errorf("progressive: %v, want errUnsupported", err)
	}
	if _, err := decodeDC(data[:len(data)/3]); err == nil {
		t.Error("truncated file decoded without error")
	}
	// File falls back to the full decoder for a CMYK JPEG (image/jpeg
	// writes none, so use a 4-component frame header by hand: the full
	// decoder then reports the damage, naming the file).
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.jpg")
	if err := os.WriteFile(bad, data[:len(data)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := File(bad, filepath.Join(dir, "o.jpg"), Options{}, 90); err == nil || !bytes.Contains([]byte(err.Error()), []byte("broken.jpg")) {
		t.Errorf("truncated JPEG: error %v", err)
	}
}

// TestDCPathMatchesExact compares the whole fast JPEG path with the exact
// full-resolution blur of the decoded image.
func TestDCPathMatchesExact(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jpg")
	src := testImage(800, 450, 13)
	// A gray border column to exercise the edges.
	for y := 0; y < 450; y++ {
		src.SetRGBA(0, y, color.RGBA{255, 255, 255, 255})
	}
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(f, src, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	decoded, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := Image(decoded, Options{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.png")
	if err := File(in, out, Options{}, DefaultQuality); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if p := mustPSNR(t, exact, got); p < 42 {
		t.Errorf("PSNR %.2f dB against the exact blur, want >= 42", p)
	} else {
		t.Logf("fast JPEG path: %.2f dB against the exact blur", p)
	}
}

// FuzzDecodeDC feeds damaged JPEGs to the 1/8-scale reader: it may fail,
// never panic. `go test` runs the seeds; `go test -fuzz DecodeDC` explores.
func FuzzDecodeDC(f *testing.F) {
	src := testImage(40, 24, 15)
	for _, q := range []int{50, 95} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: q}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		var ours bytes.Buffer
		if err := encodeJPEG(&ours, src, q, 1); err != nil {
			f.Fatal(err)
		}
		f.Add(ours.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dc, err := decodeDC(data)
		if err != nil {
			return
		}
		if dc.w*dc.h > 1<<22 {
			return // keep the blur cheap
		}
		if _, err := dc.blur(Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestIDCTLines compares the edge-line inverse DCT with the DCT's
// definition, on the lines asked for.
func TestIDCTLines(t *testing.T) {
	rng := rand.New(rand.NewSource(26))
	for trial := 0; trial < 20; trial++ {
		var coef [64]int32
		for i := range coef {
			if rng.Intn(3) == 0 {
				coef[i] = int32(rng.Intn(200) - 100)
			}
		}
		cols, rows := uint8(1)<<rng.Intn(8)|1, uint8(1)<<rng.Intn(8)
		var px [64]float32
		for i := range px {
			px[i] = -1 // untouched marker
		}
		idctLines(&px, &coef, cols, rows)
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				want := -1.0
				if cols&(1<<x) != 0 || rows&(1<<y) != 0 {
					var s float64
					for v := 0; v < 8; v++ {
						for u := 0; u < 8; u++ {
							cu, cv := 1.0, 1.0
							if u == 0 {
								cu = 1 / math.Sqrt2
							}
							if v == 0 {
								cv = 1 / math.Sqrt2
							}
							s += cu * cv / 4 * float64(coef[v*8+u]) * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
						}
					}
					want = math.Min(255, math.Max(0, math.Round(s+128)))
				}
				if d := math.Abs(float64(px[y*8+x]) - want); d > 1 || (want == -1 && d != 0) {
					t.Fatalf("trial %d pixel (%d,%d): %v, want %v", trial, x, y, px[y*8+x], want)
				}
			}
		}
	}
}
