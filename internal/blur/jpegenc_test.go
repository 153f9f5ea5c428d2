package blur

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

func TestZigzag(t *testing.T) {
	want := []int{0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5}
	for i, w := range want {
		if zigzag[i] != w {
			t.Fatalf("zigzag[%d] = %d, want %d", i, zigzag[i], w)
		}
	}
	if zigzag[63] != 63 || zigzag[62] != 62 || zigzag[61] != 55 {
		t.Errorf("zigzag tail: %v", zigzag[60:])
	}
}

// TestFDCT compares the AAN transform with the DCT's definition.
func TestFDCT(t *testing.T) {
	var b, in [64]float32
	for i := range b {
		b[i] = float32((i*37)%255) - 128
	}
	in = b
	fdct(&b)
	for u := 0; u < 8; u++ {
		for v := 0; v < 8; v++ {
			var s float64
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					s += float64(in[y*8+x]) * math.Cos(float64(2*y+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*x+1)*float64(v)*math.Pi/16)
				}
			}
			cu, cv := 1.0, 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			if v == 0 {
				cv = 1 / math.Sqrt2
			}
			want := s * cu * cv / 4
			got := float64(b[u*8+v]) / (aan[u] * aan[v] * 8)
			if math.Abs(got-want) > 0.01 {
				t.Errorf("F(%d,%d) = %v, want %v", u, v, got, want)
			}
		}
	}
}

// TestEncodeJPEG decodes the parallel encoder's output with image/jpeg and
// compares it with the source and with image/jpeg's own encoding.
func TestEncodeJPEG(t *testing.T) {
	src := testImage(203, 117, 9) // not a multiple of the MCU size
	blurred, err := Image(src, Options{Sigma: 3})
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(src.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i]
	}
	cases := map[string]image.Image{
		"rgba":    src,
		"blurred": blurred,
		"420":     toYCbCr(src, image.YCbCrSubsampleRatio420),
		"444":     toYCbCr(src, image.YCbCrSubsampleRatio444),
		"422":     toYCbCr(src, image.YCbCrSubsampleRatio422),
		"gray":    gray,
		"sub":     src.SubImage(image.Rect(5, 7, 150, 100)),
	}
	for name, img := range cases {
		for _, workers := range []int{1, 3} {
			var ours, std bytes.Buffer
			if err := encodeJPEG(&ours, img, 92, workers); err != nil {
				t.Fatal(err)
			}
			if err := jpeg.Encode(&std, img, &jpeg.Options{Quality: 92}); err != nil {
				t.Fatal(err)
			}
			dec, err := jpeg.Decode(bytes.NewReader(ours.Bytes()))
			if err != nil {
				t.Fatalf("%s: image/jpeg cannot decode our output: %v", name, err)
			}
			stdDec, err := jpeg.Decode(bytes.NewReader(std.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if dec.Bounds().Dx() != img.Bounds().Dx() || dec.Bounds().Dy() != img.Bounds().Dy() {
				t.Fatalf("%s: size %v, want %v", name, dec.Bounds(), img.Bounds())
			}
			// As close to the source as image/jpeg gets (closer for 4:4:4,
			// which we keep and image/jpeg subsamples).
			pSrc := mustPSNR(t, img, dec)
			pStdSrc := mustPSNR(t, img, stdDec)
			t.Logf("%s workers %d: %.2f dB, image/jpeg %.2f dB", name, workers, pSrc, pStdSrc)
			if pSrc < pStdSrc-0.5 {
				t.Errorf("%s workers %d: PSNR %.2f dB against the source, image/jpeg reaches %.2f", name, workers, pSrc, pStdSrc)
			}
			if name == "444" {
				continue
			}
			if ours.Len() > std.Len()*11/10+256 {
				t.Errorf("%s: %d bytes, image/jpeg %d", name, ours.Len(), std.Len())
			}
		}
	}
}

func BenchmarkEncodeJPEG4K(b *testing.B) {
	img, err := Image(toYCbCr(testImage(3840, 2160, 4), image.YCbCrSubsampleRatio420), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parallel", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var buf bytes.Buffer
			if err := encodeJPEG(&buf, img, 92, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("image-jpeg", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
