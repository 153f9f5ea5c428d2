package blur

import (
	"math"
	"math/bits"
)

// This file encodes a component given at low resolution, as the blur
// computes it, without making the full-size plane. upscale interpolates
// the low samples bilinearly by a factor f of 4 or 8, so every pixel of an
// 8×8 block is a fixed linear combination of the n×n low samples around
// the block (n = 8/f + 2), and the DCT is linear too: the block's
// coefficients are those samples times precomputed weights. No full-size
// image is written, read, rounded or transformed.
//
// The weights have more structure. Along one axis the interpolation
// weights are symmetric about the block's centre, so the transform at
// frequency 0 is one weighted sum of the samples, and every other
// frequency, which a constant does not reach, is a combination of a few
// "features" that vanish on a constant: for f = 8 the slope a − c (odd
// frequencies) or the curvature a − 2b + c (even ones); for f = 4 the
// differences a − d and b − c (odd) or a − b − c + d (even). In two
// dimensions coefficient (v, u) combines the features of features F[a][b]
// of the block, and a group of coefficients whose bound shows that it
// quantises to zero is skipped, which is most of them in a blurred image.

// aanMatrix is the one-dimensional transform of fdct as a matrix:
// fdct(outer(a, b)) = outer(aanMatrix·a, aanMatrix·b).
var aanMatrix = func() (m [8][8]float32) {
	for k := 0; k < 8; k++ {
		// Row 0 holds the unit vector e_k: the row pass leaves
		// aanMatrix·e_k in it, which the column pass scales by
		// aanMatrix[0][0] = 1.
		var b [64]float32
		b[k] = 1
		fdct(&b)
		for u := 0; u < 8; u++ {
			m[u][k] = b[u]
		}
	}
	return
}()

// maxTaps and maxFeat bound n and the number of features (f = 4).
const (
	maxTaps = 4
	maxFeat = 4
)

// upFactorOK reports whether upBlocks encodes an interpolation factor.
func upFactorOK(f int) bool { return f == 4 || f == 8 }

// upTransform is the transform of upscale's weights along one axis for
// factor f: p[u][i] is the weight of low sample i (from block·8/f − 1) in
// frequency u of the block's transform, for i < n.
func upTransform(f int) (p [8][maxTaps]float64, n int) {
	n = 8/f + 2
	var w [8][maxTaps]float64 // w[k][i]: weight of sample i in pixel k
	for k := 0; k < 8; k++ {
		// upscale's source position of pixel k, relative to sample i = 0.
		s := (float64(k)+0.5)/float64(f) + 0.5
		i := int(s)
		frac := s - float64(i)
		w[k][i] += 1 - frac
		w[k][i+1] += frac
	}
	for u := 0; u < 8; u++ {
		for i := 0; i < n; i++ {
			for k := 0; k < 8; k++ {
				p[u][i] += float64(aanMatrix[u][k]) * w[k][i]
			}
		}
	}
	return p, n
}

// upAxis is the structure of upTransform along one axis: nf features of
// the n samples (feature 0 is frequency 0's weighted sum), and frequency u
// as coef[u] times them.
type upAxis struct {
	n, nf int
	feat  [maxFeat][maxTaps]float64
	coef  [8][maxFeat]float64
	group [8]int // 0 for frequency 0, 1 odd, 2 even
}

func newUpAxis(f int) upAxis {
	p, n := upTransform(f)
	a := upAxis{n: n}
	a.feat[0] = p[0]
	// The features that vanish on a constant.
	if n == 3 {
		a.feat[1] = [maxTaps]float64{1, 0, -1}
		a.feat[2] = [maxTaps]float64{1, -2, 1}
		a.nf = 3
	} else {
		a.feat[1] = [maxTaps]float64{1, 0, 0, -1}
		a.feat[2] = [maxTaps]float64{0, 1, -1, 0}
		a.feat[3] = [maxTaps]float64{1, -1, -1, 1}
		a.nf = 4
	}
	a.coef[0][0] = 1
	for u := 1; u < 8; u++ {
		a.group[u] = 2 - u%2
		// The features are orthogonal to each other past the first, and
		// p[u] lies in their span: project.
		for k := 1; k < a.nf; k++ {
			var dot, norm float64
			for i := 0; i < n; i++ {
				dot += p[u][i] * a.feat[k][i]
				norm += a.feat[k][i] * a.feat[k][i]
			}
			if c := dot / norm; math.Abs(c) > 1e-9 {
				a.coef[u][k] = c
			}
		}
	}
	return a
}

// upTerm is one product of a coefficient: weight × F[index].
type upTerm struct {
	index  uint8
	weight float32
}

// upBlocks is a component that upscale would bring from low to full size
// by fx×fy, quantised with q (reciprocals in natural order, AAN-scaled).
type upBlocks struct {
	low    fplane
	fx, fy int
	nx, ny int
	fnx    int // features along x (F is fny × fnx)
	fny    int
	featX  [maxFeat][maxTaps]float32 // features of a row of samples
	featY  [maxFeat][maxTaps]float32
	shift  float32 // F[0][0] of a block of 128s (the level shift)
	terms  [64][maxFeat * maxFeat / 2]upTerm
	nterms [64]uint8
	// The nine groups (group of v, group of u): their zig-zag positions
	// and, for each F[a][b] they use, the largest |weight| among them, so
	// that Σ |F[a][b]|·weight bounds every quantised coefficient of the
	// group.
	mask   [9]uint64
	bound  [9][maxFeat]upTerm
	nbound [9]uint8
}

func newUpBlocks(low fplane, fx, fy int, q *[64]float32) *upBlocks {
	ax, ay := newUpAxis(fx), newUpAxis(fy)
	s := &upBlocks{low: low, fx: fx, fy: fy, nx: ax.n, ny: ay.n, fnx: ax.nf, fny: ay.nf}
	var sx, sy float64
	for i := 0; i < maxTaps; i++ {
		sx += ax.feat[0][i]
		sy += ay.feat[0][i]
		for k := 0; k < maxFeat; k++ {
			s.featX[k][i] = float32(ax.feat[k][i])
			s.featY[k][i] = float32(ay.feat[k][i])
		}
	}
	s.shift = float32(128 * sx * sy)
	for i := 0; i < 64; i++ {
		nat := zigzag[i]
		v, u := nat/8, nat%8
		g := 3*ay.group[v] + ax.group[u]
		s.mask[g] |= 1 << i
		for a := 0; a < ay.nf; a++ {
			for b := 0; b < ax.nf; b++ {
				w := ay.coef[v][a] * ax.coef[u][b] * float64(q[nat])
				if w == 0 {
					continue
				}
				k := uint8(a*ax.nf + b)
				s.terms[i][s.nterms[i]] = upTerm{k, float32(w)}
				s.nterms[i]++
				s.addBound(g, k, float32(math.Abs(w)))
			}
		}
	}
	return s
}

func (s *upBlocks) addBound(g int, k uint8, w float32) {
	for j := range s.bound[g][:s.nbound[g]] {
		if t := &s.bound[g][j]; t.index == k {
			t.weight = max(t.weight, w)
			return
		}
	}
	s.bound[g][s.nbound[g]] = upTerm{k, w}
	s.nbound[g]++
}

func (s *upBlocks) block(zz *[64]int32, bx, by int) uint64 {
	switch {
	case s.fx == 8 && s.fy == 8:
		return s.block8(zz, bx, by)
	case s.fx == 4 && s.fy == 4:
		return s.block4(zz, bx, by)
	}
	// The n×n samples around block (bx, by), clamped to the plane as
	// upscale clamps.
	var xs [maxTaps]int
	x0, y0 := 8*bx/s.fx-1, 8*by/s.fy-1
	for i := 0; i < s.nx; i++ {
		xs[i] = min(max(x0+i, 0), s.low.w-1)
	}
	// h[j][b]: feature b of row j; then F[a][b]: feature a of column b of h.
	var h [maxTaps][maxFeat]float32
	for j := 0; j < s.ny; j++ {
		row := s.low.row(min(max(y0+j, 0), s.low.h-1))
		var l [maxTaps]float32
		for i := 0; i < s.nx; i++ {
			l[i] = row[xs[i]]
		}
		for b := 0; b < s.fnx; b++ {
			fb := &s.featX[b]
			h[j][b] = fb[0]*l[0] + fb[1]*l[1] + fb[2]*l[2] + fb[3]*l[3]
		}
	}
	var f [maxFeat * maxFeat]float32
	for a := 0; a < s.fny; a++ {
		fy := &s.featY[a]
		for b := 0; b < s.fnx; b++ {
			f[a*s.fnx+b] = fy[0]*h[0][b] + fy[1]*h[1][b] + fy[2]*h[2][b] + fy[3]*h[3][b]
		}
	}
	f[0] -= s.shift

	const magic = 12582912 // see quantise
	zz[0] = int32(float32(f[0]*s.terms[0][0].weight+magic) - magic)
	nz := uint64(1)
	for g := 1; g < 9; g++ {
		var b float32
		for _, t := range s.bound[g][:s.nbound[g]] {
			b += abs32(f[t.index]) * t.weight
		}
		if b >= 0.5 {
			nz |= s.mask[g]
		}
	}
	for m := nz &^ 1; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		var v float32
		for _, t := range s.terms[i][:s.nterms[i]] {
			v += f[t.index] * t.weight
		}
		zz[i] = int32(float32(v+magic) - magic)
	}
	return nz
}

// block8 is block for 8×8, the factor of every luma plane and of
// 4:2:0 chroma: three samples and three features per axis, one term per
// coefficient.
func (s *upBlocks) block8(zz *[64]int32, bx, by int) uint64 {
	x0, x1, x2 := max(bx-1, 0), min(bx, s.low.w-1), min(bx+1, s.low.w-1)
	w0, w1, w2 := s.featX[0][0], s.featX[0][1], s.featX[0][2]
	var h [3][3]float32 // h[row][feature]
	for j := 0; j < 3; j++ {
		row := s.low.row(min(max(by-1+j, 0), s.low.h-1))
		a, b, c := row[x0], row[x1], row[x2]
		h[j] = [3]float32{w0*a + w1*b + w2*c, a - c, a - 2*b + c}
	}
	w0, w1, w2 = s.featY[0][0], s.featY[0][1], s.featY[0][2]
	var f [9]float32
	for k := 0; k < 3; k++ {
		a, b, c := h[0][k], h[1][k], h[2][k]
		f[k] = w0*a + w1*b + w2*c
		f[3+k] = a - c
		f[6+k] = a - 2*b + c
	}
	f[0] -= s.shift
	const magic = 12582912 // see quantise
	zz[0] = int32(float32(f[0]*s.terms[0][0].weight+magic) - magic)
	nz := uint64(1)
	for g := 1; g < 9; g++ {
		if t := s.bound[g][0]; abs32(f[t.index])*t.weight >= 0.5 {
			nz |= s.mask[g]
		}
	}
	for m := nz &^ 1; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		t := s.terms[i][0]
		zz[i] = int32(float32(f[t.index]*t.weight+magic) - magic)
	}
	return nz
}

// block4 is block for 4×4, the chroma factor of 4:4:4: four samples and
// four features per axis.
func (s *upBlocks) block4(zz *[64]int32, bx, by int) uint64 {
	x0 := 2*bx - 1
	last := s.low.w - 1
	xa, xb, xc, xd := max(x0, 0), min(max(x0+1, 0), last), min(x0+2, last), min(x0+3, last)
	w0, w1 := s.featX[0][0], s.featX[0][1] // symmetric: w3 = w0, w2 = w1
	var h [4][4]float32                    // h[row][feature]
	for j := 0; j < 4; j++ {
		row := s.low.row(min(max(2*by-1+j, 0), s.low.h-1))
		a, b, c, d := row[xa], row[xb], row[xc], row[xd]
		h[j] = [4]float32{w0*(a+d) + w1*(b+c), a - d, b - c, a - b - c + d}
	}
	w0, w1 = s.featY[0][0], s.featY[0][1]
	var f [16]float32
	for k := 0; k < 4; k++ {
		a, b, c, d := h[0][k], h[1][k], h[2][k], h[3][k]
		f[k] = w0*(a+d) + w1*(b+c)
		f[4+k] = a - d
		f[8+k] = b - c
		f[12+k] = a - b - c + d
	}
	f[0] -= s.shift
	const magic = 12582912 // see quantise
	zz[0] = int32(float32(f[0]*s.terms[0][0].weight+magic) - magic)
	nz := uint64(1)
	for g := 1; g < 9; g++ {
		var b float32
		for _, t := range s.bound[g][:s.nbound[g]] {
			b += abs32(f[t.index&15]) * t.weight
		}
		if b >= 0.5 {
			nz |= s.mask[g]
		}
	}
	for m := nz &^ 1; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		var v float32
		for _, t := range s.terms[i][:s.nterms[i]] {
			v += f[t.index&15] * t.weight
		}
		zz[i] = int32(float32(v+magic) - magic)
	}
	return nz
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
