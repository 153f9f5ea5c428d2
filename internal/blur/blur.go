package blur

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"runtime"
)

// DefaultSigma is the overview blur of the original hook (`-blur 0x18`).
const DefaultSigma = 18

// Options tune a blur. The zero value means DefaultSigma, an automatic
// scale and all cores.
type Options struct {
	Sigma float64 // Gaussian standard deviation in pixels; 0 means DefaultSigma
	// Scale is the downscale factor of the working copy: 0 picks one from
	// sigma (AutoScale; File reads a JPEG straight at 1/8 scale when sigma
	// is 16 or more), 1 convolves at full resolution with ImageMagick's
	// exact kernel.
	Scale   int
	Workers int // goroutines; 0 means GOMAXPROCS
}

func (o Options) sigma() float64 {
	if o.Sigma == 0 {
		return DefaultSigma
	}
	return o.Sigma
}

// AutoScale is the working-copy factor picked for sigma: the largest power
// of two not above sigma/4, at most 8. TestFastMatchesExact measures 48 to
// 60 dB PSNR against the full-resolution blur at sigma 18 with factors 4
// and 8.
func AutoScale(sigma float64) int {
	f := 1
	for f < 8 && float64(2*f) <= sigma/4 {
		f *= 2
	}
	return f
}

func (o Options) scale() int {
	if o.Scale > 0 {
		return o.Scale
	}
	return AutoScale(o.sigma())
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Image returns a blurred copy of img. *image.YCbCr (any subsampling),
// *image.Gray and everything else (via RGBA) are supported; the result has
// img's bounds and, for YCbCr and Gray, its type.
func Image(img image.Image, o Options) (image.Image, error) {
	sigma := o.sigma()
	if err := validSigma(sigma); err != nil {
		return nil, err
	}
	if o.Scale < 0 || o.Scale > 16 {
		return nil, fmt.Errorf("scale %d is out of range: use 0 (automatic) or 1 to 16", o.Scale)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("image is empty (%dx%d)", b.Dx(), b.Dy())
	}
	f, workers := o.scale(), o.workers()
	switch m := img.(type) {
	case *image.YCbCr:
		sx, sy := chromaShift(m.SubsampleRatio)
		// The result is 4:2:0 (what a JPEG encoder writes anyway) unless the
		// working grid is finer than that.
		ratio, dx, dy := image.YCbCrSubsampleRatio420, 2, 2
		if f%2 != 0 || f%sx != 0 || f%sy != 0 {
			ratio, dx, dy = m.SubsampleRatio, sx, sy
		}
		out := image.NewYCbCr(b, ratio)
		yw, yh := b.Dx(), b.Dy()
		jobs := []job{
			{dst: plane{yw, yh, out.YStride, out.Y}, src: plane{yw, yh, m.YStride, m.Y[m.YOffset(b.Min.X, b.Min.Y):]}, sx: 1, sy: 1, dx: 1, dy: 1},
		}
		sw, sh := chromaSize(b, sx, sy)
		dw, dh := chromaSize(b, dx, dy)
		for c := 0; c < 2; c++ {
			srcPix, dstPix := m.Cb, out.Cb
			if c == 1 {
				srcPix, dstPix = m.Cr, out.Cr
			}
			jobs = append(jobs, job{
				dst: plane{dw, dh, out.CStride, dstPix},
				src: plane{sw, sh, m.CStride, srcPix[m.COffset(b.Min.X, b.Min.Y):]},
				sx:  sx, sy: sy, dx: dx, dy: dy,
			})
		}
		runJobs(jobs, sigma, f, workers)
		return out, nil
	case *image.Gray:
		out := image.NewGray(b)
		src := plane{b.Dx(), b.Dy(), m.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):]}
		runJobs([]job{{dst: plane{b.Dx(), b.Dy(), out.Stride, out.Pix}, src: src, sx: 1, sy: 1, dx: 1, dy: 1}}, sigma, f, workers)
		return out, nil
	default:
		return blurRGBA(toRGBA(img, workers), sigma, f, workers), nil
	}
}

// job is one plane to blur; (sx,sy) and (dx,dy) are the subsampling of its
// source and destination relative to the image's pixels.
type job struct {
	dst, src       plane
	sx, sy, dx, dy int
}

func runJobs(jobs []job, sigma float64, f, workers int) {
	for _, j := range jobs {
		blurPlane(j.dst, j.src, sigma, f, j.sx, j.sy, j.dx, j.dy, workers)
	}
}

// chromaSize is the size of a chroma plane subsampled by sx×sy for bounds b
// (chroma samples sit on a grid aligned to absolute coordinates).
func chromaSize(b image.Rectangle, sx, sy int) (int, int) {
	return (b.Max.X+sx-1)/sx - b.Min.X/sx, (b.Max.Y+sy-1)/sy - b.Min.Y/sy
}

func chromaShift(r image.YCbCrSubsampleRatio) (sx, sy int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	default:
		return 1, 1
	}
}

// toRGBA returns img as an *image.RGBA with bounds starting at img's.
func toRGBA(img image.Image, workers int) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok {
		return m
	}
	b := img.Bounds()
	out := image.NewRGBA(b)
	if m, ok := img.(*image.YCbCr); ok {
		parallel(b.Dy(), workers, func(lo, hi int) {
			for y := b.Min.Y + lo; y < b.Min.Y+hi; y++ {
				o := out.PixOffset(b.Min.X, y)
				for x := b.Min.X; x < b.Max.X; x++ {
					yi, ci := m.YOffset(x, y), m.COffset(x, y)
					r, g, bb := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
					out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = r, g, bb, 255
					o += 4
				}
			}
		})
		return out
	}
	draw.Draw(out, b, img, b.Min, draw.Src)
	return out
}

// blurRGBA blurs the premultiplied R, G, B planes (and A when the image is
// not opaque), which weights colours by their alpha as ImageMagick does.
func blurRGBA(m *image.RGBA, sigma float64, f, workers int) *image.RGBA {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	opaque := m.Opaque()
	n := 3
	if !opaque {
		n = 4
	}
	out := image.NewRGBA(b)
	src := make([]plane, n)
	for c := 0; c < n; c++ {
		src[c] = plane{w, h, w, make([]uint8, w*h)}
	}
	parallel(h, workers, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			o := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x := 0; x < w; x++ {
				for c := 0; c < n; c++ {
					src[c].pix[y*w+x] = m.Pix[o+c]
				}
				o += 4
			}
		}
	})
	jobs := make([]job, n)
	for c := range jobs {
		jobs[c] = job{dst: plane{w, h, w, make([]uint8, w*h)}, src: src[c], sx: 1, sy: 1, dx: 1, dy: 1}
	}
	runJobs(jobs, sigma, f, workers)
	parallel(h, workers, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			o := y * out.Stride
			for x := 0; x < w; x++ {
				a := uint8(255)
				if !opaque {
					a = jobs[3].dst.pix[y*w+x]
				}
				for c := 0; c < 3; c++ {
					out.Pix[o+c] = min(jobs[c].dst.pix[y*w+x], a)
				}
				out.Pix[o+3] = a
				o += 4
			}
		}
	})
	return out
}

// PSNR returns the peak signal-to-noise ratio in dB of b against a over the
// R, G and B channels at 8 bits (+Inf when identical). The images must have
// the same size.
func PSNR(a, b image.Image) (float64, error) {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return 0, fmt.Errorf("images differ in size: %dx%d and %dx%d", ab.Dx(), ab.Dy(), bb.Dx(), bb.Dy())
	}
	ra, rb := toRGBA(a, 0), toRGBA(b, 0)
	var sum float64
	for y := 0; y < ab.Dy(); y++ {
		pa := ra.Pix[ra.PixOffset(ab.Min.X, ab.Min.Y+y):]
		pb := rb.Pix[rb.PixOffset(bb.Min.X, bb.Min.Y+y):]
		var row int64
		for x := 0; x < ab.Dx(); x++ {
			for c := 0; c < 3; c++ {
				d := int64(pa[4*x+c]) - int64(pb[4*x+c])
				row += d * d
			}
		}
		sum += float64(row)
	}
	mse := sum / float64(3*ab.Dx()*ab.Dy())
	if mse == 0 {
		return math.Inf(1), nil
	}
	return 10 * math.Log10(255*255/mse), nil
}
