package blur

import (
	"math"
	"runtime"
	"sync"
)

// plane is one 8-bit channel (a Y, Cb, Cr, R, G, B or A plane).
type plane struct {
	w, h, stride int
	pix          []uint8
}

func (p plane) row(y int) []uint8 { return p.pix[y*p.stride : y*p.stride+p.w] }

// fplane is a float32 working plane, rows packed without padding.
type fplane struct {
	w, h int
	pix  []float32
}

func newFplane(w, h int) fplane { return fplane{w: w, h: h, pix: make([]float32, w*h)} }

func (p fplane) row(y int) []float32 { return p.pix[y*p.w : (y+1)*p.w] }

// parallel runs fn over [0,n) split into contiguous bands, one goroutine per
// band, at most workers bands.
func parallel(n, workers int, fn func(lo, hi int)) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n < 16 || workers == 1 {
		fn(0, n)
		return
	}
	// A few more bands than workers evens out uneven bands.
	bands := workers * 4
	if bands > n {
		bands = n
	}
	var wg sync.WaitGroup
	next := make(chan [2]int, bands)
	for b := 0; b < bands; b++ {
		next <- [2]int{n * b / bands, n * (b + 1) / bands}
	}
	close(next)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				fn(r[0], r[1])
			}
		}()
	}
	wg.Wait()
}

// downscale box-averages src by fx×fy into a float plane of size
// ceil(w/fx)×ceil(h/fy); the last row and column of boxes average only the
// pixels that exist.
func downscale(src plane, fx, fy, workers int) fplane {
	lw := (src.w + fx - 1) / fx
	lh := (src.h + fy - 1) / fy
	dst := newFplane(lw, lh)
	parallel(lh, workers, func(lo, hi int) {
		acc := make([]uint32, src.w)
		for j := lo; j < hi; j++ {
			y0 := j * fy
			y1 := min(y0+fy, src.h)
			clear(acc)
			for y := y0; y < y1; y++ {
				r := src.row(y)
				for x, v := range r {
					acc[x] += uint32(v)
				}
			}
			out := dst.row(j)
			rows := uint32(y1 - y0)
			for i := range out {
				x0 := i * fx
				x1 := min(x0+fx, src.w)
				var s uint32
				for _, v := range acc[x0:x1] {
					s += v
				}
				out[i] = float32(s) / float32(rows*uint32(x1-x0))
			}
		}
	})
	return dst
}

// edgeProfiles averages src's border rows and columns over the cells of
// a fx×fy downscale.
func edgeProfiles(src plane, fx, fy int) *edges {
	lw, lh := (src.w+fx-1)/fx, (src.h+fy-1)/fy
	e := &edges{left: make([]float32, lh), right: make([]float32, lh), top: make([]float32, lw), bottom: make([]float32, lw)}
	top, bottom := src.row(0), src.row(src.h-1)
	for i := 0; i < lw; i++ {
		x0, x1 := i*fx, min(i*fx+fx, src.w)
		var a, b float32
		for x := x0; x < x1; x++ {
			a += float32(top[x])
			b += float32(bottom[x])
		}
		e.top[i], e.bottom[i] = a/float32(x1-x0), b/float32(x1-x0)
	}
	for j := 0; j < lh; j++ {
		y0, y1 := j*fy, min(j*fy+fy, src.h)
		var a, b float32
		for y := y0; y < y1; y++ {
			r := src.row(y)
			a += float32(r[0])
			b += float32(r[src.w-1])
		}
		e.left[j], e.right[j] = a/float32(y1-y0), b/float32(y1-y0)
	}
	e.corners = [4]float32{float32(top[0]), float32(top[src.w-1]), float32(bottom[0]), float32(bottom[src.w-1])}
	return e
}

// toFloat copies an 8-bit plane into a float plane.
func toFloat(src plane, workers int) fplane {
	dst := newFplane(src.w, src.h)
	parallel(src.h, workers, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := dst.row(y)
			for x, v := range src.row(y) {
				out[x] = float32(v)
			}
		}
	})
	return dst
}

// edges holds what lies beyond a low-resolution plane's borders: the
// full-resolution edge pixels, repeated outwards as ImageMagick's "Edge"
// virtual pixels, averaged over each low-resolution cell. left and right
// have one value per row, top and bottom one per column; corners are the
// corner pixels (top-left, top-right, bottom-left, bottom-right). Without
// it the plane's own border cells are repeated.
type edges struct {
	left, right, top, bottom []float32
	corners                  [4]float32
}

// edgesOf returns the edges of p itself (its border samples).
func edgesOf(p fplane) *edges {
	e := &edges{left: make([]float32, p.h), right: make([]float32, p.h), top: append([]float32(nil), p.row(0)...), bottom: append([]float32(nil), p.row(p.h-1)...)}
	for y := 0; y < p.h; y++ {
		e.left[y], e.right[y] = p.pix[y*p.w], p.pix[y*p.w+p.w-1]
	}
	e.corners = [4]float32{e.top[0], e.top[p.w-1], e.bottom[0], e.bottom[p.w-1]}
	return e
}

// hblur convolves one row with k (symmetric, odd length), padding it with
// lo and hi.
func hblur(out, src []float32, lo, hi float32, k []float32, padded []float32) {
	r := len(k) / 2
	for i := 0; i < r; i++ {
		padded[i] = lo
		padded[r+len(src)+i] = hi
	}
	copy(padded[r:], src)
	// k is symmetric: pair the taps at equal distance from the centre.
	half := k[:r]
	mid := k[r]
	for x := range out {
		win := padded[x : x+2*r+1]
		s := win[r] * mid
		for j, w := range half {
			s += (win[j] + win[2*r-j]) * w
		}
		out[x] = s
	}
}

// convolve blurs p separably with kx along rows and ky along columns (both
// symmetric, as Gaussians and IMKernel are). The
// image continues beyond its borders as described by e (nil: p's own border
// samples repeat).
func convolve(p fplane, kx, ky []float64, e *edges, workers int) fplane {
	if e == nil {
		e = edgesOf(p)
	}
	tmp := newFplane(p.w, p.h)
	rx := len(kx) / 2
	wx := toF32(kx)
	parallel(p.h, workers, func(lo, hi int) {
		padded := make([]float32, p.w+2*rx)
		for y := lo; y < hi; y++ {
			hblur(tmp.row(y), p.row(y), e.left[y], e.right[y], wx, padded)
		}
	})
	// The rows beyond the top and bottom: the edge rows, blurred the same.
	padded := make([]float32, p.w+2*rx)
	above, below := make([]float32, p.w), make([]float32, p.w)
	hblur(above, e.top, e.corners[0], e.corners[1], wx, padded)
	hblur(below, e.bottom, e.corners[2], e.corners[3], wx, padded)
	dst := newFplane(p.w, p.h)
	ry := len(ky) / 2
	wy := toF32(ky)
	src := func(sy int) []float32 {
		switch {
		case sy < 0:
			return above
		case sy >= p.h:
			return below
		default:
			return tmp.row(sy)
		}
	}
	parallel(p.h, workers, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := dst.row(y)
			in := src(y)
			w := wy[ry]
			for x := range out {
				out[x] = in[x] * w
			}
			// ky is symmetric: pair the rows at equal distance from y.
			for k := 1; k <= ry; k++ {
				a, b := src(y-k), src(y+k)
				a, b = a[:len(out)], b[:len(out)]
				w := wy[ry-k]
				for x := range out {
					out[x] += (a[x] + b[x]) * w
				}
			}
		}
	})
	return dst
}

func toF32(k []float64) []float32 {
	out := make([]float32, len(k))
	for i, v := range k {
		out[i] = float32(v)
	}
	return out
}

// taps maps n output samples onto m source samples that are each f output
// samples wide, aligning sample centres and clamping at the edges. It
// returns, per output sample, the left source index and the weight of the
// source sample after it; the source must be padded by one sample on the
// right (repeating its last) so that index+1 is always valid.
func taps(n, m, f int) ([]int32, []float32) {
	idx := make([]int32, n)
	wt := make([]float32, n)
	for x := range idx {
		s := (float64(x)+0.5)/float64(f) - 0.5
		i0 := int(math.Floor(s))
		w := s - float64(i0)
		switch {
		case i0 < 0:
			i0, w = 0, 0
		case i0 >= m-1:
			i0, w = m-1, 0
		}
		idx[x], wt[x] = int32(i0), float32(w)
	}
	return idx, wt
}

// upscale interpolates the low-resolution plane src bilinearly onto dst,
// whose samples are 1/fx × 1/fy of src's, rounding to 8 bits. Every output
// is a convex combination of blurred 8-bit values, so it needs no clamping.
func upscale(dst plane, src fplane, fx, fy, workers int) {
	ix, wx := taps(dst.w, src.w, fx)
	iy, wy := taps(dst.h, src.h, fy)
	parallel(dst.h, workers, func(lo, hi int) {
		line := make([]float32, src.w+1)
		for y := lo; y < hi; y++ {
			a, b := src.row(int(iy[y])), src.row(min(int(iy[y])+1, src.h-1))
			t := wy[y]
			for i := range a {
				line[i] = a[i] + (b[i]-a[i])*t
			}
			line[src.w] = line[src.w-1]
			out := dst.row(y)
			out = out[:len(ix)]
			wx := wx[:len(out)]
			for x := range out {
				i := ix[x]
				l := line[i]
				out[x] = uint8(l + (line[i+1]-l)*wx[x] + 0.5)
			}
		}
	})
}

// store rounds a full-size float plane into dst.
func store(dst plane, src fplane, workers int) {
	parallel(dst.h, workers, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := dst.row(y)
			for x, v := range src.row(y) {
				out[x] = clamp8(v)
			}
		}
	})
}

func clamp8(v float32) uint8 {
	v += 0.5
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v)
}

// blurPlane blurs src into dst with a Gaussian of sigma image pixels.
// src and dst samples are subsampled by (sx,sy) and (dx,dy) image pixels. f
// is the working-copy factor in image pixels: with 1, src and dst must share
// one grid and the plane is convolved at full resolution with ImageMagick's
// kernel; otherwise src is box-averaged onto a grid of f×f image pixels
// (f a multiple of sx, sy, dx and dy), blurred there with a Gaussian whose
// width is reduced so that box, blur and bilinear interpolation together
// have variance sigma², and interpolated onto dst.
func blurPlane(dst, src plane, sigma float64, f, sx, sy, dx, dy, workers int) {
	if f == 1 || f < max(sx, sy, dx, dy) {
		f := convolve(toFloat(src, workers), IMKernel(sigma/float64(sx)), IMKernel(sigma/float64(sy)), nil, workers)
		store(dst, f, workers)
		return
	}
	low := downscale(src, f/sx, f/sy, workers)
	kx := lowKernel(sigma, f, f/sx, f/dx)
	ky := lowKernel(sigma, f, f/sy, f/dy)
	upscale(dst, convolve(low, kx, ky, edgeProfiles(src, f/sx, f/sy), workers), f/dx, f/dy, workers)
}

// lowKernel returns the Gaussian kernel to apply on the grid of f image
// pixels, given the box average from src (down > 1: variance f²/12) and the
// bilinear interpolation onto dst (up > 1: variance f²/6 minus the
// destination's own (f/up)²/6), all in image pixels.
func lowKernel(sigma float64, f, down, up int) []float64 {
	v := sigma * sigma
	if down > 1 {
		v -= float64(f*f) / 12
	}
	if up > 1 {
		d := float64(f / up)
		v -= (float64(f*f) - d*d) / 6
	}
	v /= float64(f * f)
	if v < 0 {
		v = 0
	}
	s := math.Sqrt(v)
	return Gaussian(s, int(math.Ceil(4*s)))
}
