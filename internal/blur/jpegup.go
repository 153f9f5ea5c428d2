package blur

import (
	"math"
	"math/bits"
)

// This file encodes a component given at low resolution, as the blur
// computes it, without making the full-size plane. upscale interpolates
// the low samples bilinearly by a factor of 8, so every pixel of an 8×8
// block is a fixed linear combination of the 3×3 low samples around the
// block's own, and the DCT is linear too: the block's coefficients are
// those nine samples times precomputed weights. No full-size image is
// written, read, rounded or transformed.
//
// The weights have more structure. Along one axis the 8 pixels depend on
// three samples (a, b, c) through weights symmetric about the block's
// centre, so the transform's output at frequency u is g[u] times one of
// three features of (a, b, c): a weighted sum for u = 0, the slope a − c
// for odd u and the curvature a − 2b + c for even u ≥ 2. In two dimensions
// coefficient (v, u) is g[v]·g[u]·F[class v][class u], with F the 3×3
// features of the features; a class whose largest coefficient quantises
// to zero is skipped.

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

// upFactor is the interpolation factor upBlocks encodes.
const upFactor = 8

// upTransform is the transform of upscale's weights along one axis:
// p[u][i] is the weight of low sample i (block − 1, block, block + 1) in
// frequency u of the block's transform.
func upTransform() (p [8][3]float64) {
	var w [8][3]float64 // w[k][i]: weight of sample i in pixel k
	for k := 0; k < 8; k++ {
		// upscale's source position of pixel k, relative to sample block − 1.
		s := (float64(k)+0.5)/upFactor + 0.5
		i := int(s)
		frac := s - float64(i)
		w[k][i] += 1 - frac
		w[k][i+1] += frac
	}
	for u := 0; u < 8; u++ {
		for i := 0; i < 3; i++ {
			for k := 0; k < 8; k++ {
				p[u][i] += float64(aanMatrix[u][k]) * w[k][i]
			}
		}
	}
	return p
}

// upClass is the feature that frequency u depends on: 0 the weighted sum,
// 1 the slope, 2 the curvature.
func upClass(u int) int {
	switch {
	case u == 0:
		return 0
	case u%2 == 1:
		return 1
	default:
		return 2
	}
}

// upGains returns g (see the top of the file) and the weights of the sum
// feature.
func upGains() (g [8]float64, sum [3]float64) {
	p := upTransform()
	sum = p[0]
	g[0] = 1
	for u := 1; u < 8; u++ {
		if u%2 == 1 {
			g[u] = (p[u][0] - p[u][2]) / 2 // p[u] = g·(1, 0, −1)
		} else {
			g[u] = (p[u][0] - 2*p[u][1] + p[u][2]) / 6 // p[u] = g·(1, −2, 1)
		}
	}
	return g, sum
}

// upBlocks is a component that upscale would bring from low to full size
// by 8×8, quantised with q (reciprocals in natural order, AAN-scaled).
type upBlocks struct {
	low   fplane
	sum   [3]float32  // weights of the sum feature
	shift float32     // F[0][0] of a block of 128s (the level shift)
	r     [64]float32 // g[v]·g[u]·q, zig-zag order
	class [64]uint8   // 3·class v + class u, zig-zag order
	mask  [9]uint64   // zig-zag positions of each class
	maxR  [9]float32  // largest |r| of each class
}

func newUpBlocks(low fplane, q *[64]float32) *upBlocks {
	g, sum := upGains()
	s := &upBlocks{low: low}
	var s0 float64
	for i, w := range sum {
		s.sum[i] = float32(w)
		s0 += w
	}
	s.shift = float32(128 * s0 * s0)
	for i := 0; i < 64; i++ {
		nat := zigzag[i]
		v, u := nat/8, nat%8
		c := 3*upClass(v) + upClass(u)
		s.r[i] = float32(g[v] * g[u] * float64(q[nat]))
		s.class[i] = uint8(c)
		s.mask[c] |= 1 << i
		s.maxR[c] = max(s.maxR[c], float32(math.Abs(float64(s.r[i]))))
	}
	return s
}

func (s *upBlocks) block(zz *[64]int32, bx, by int) uint64 {
	// The features of the rows of the 3×3 samples around (bx, by), clamped
	// to the plane as upscale clamps.
	x0, x1, x2 := max(bx-1, 0), min(bx, s.low.w-1), min(bx+1, s.low.w-1)
	var h [3][3]float32 // h[row][feature]
	for j := 0; j < 3; j++ {
		row := s.low.row(min(max(by-1+j, 0), s.low.h-1))
		a, b, c := row[x0], row[x1], row[x2]
		h[j] = [3]float32{s.sum[0]*a + s.sum[1]*b + s.sum[2]*c, a - c, a - 2*b + c}
	}
	// Then the features of the columns of h.
	var f [9]float32
	for k := 0; k < 3; k++ {
		a, b, c := h[0][k], h[1][k], h[2][k]
		f[k] = s.sum[0]*a + s.sum[1]*b + s.sum[2]*c
		f[3+k] = a - c
		f[6+k] = a - 2*b + c
	}
	f[0] -= s.shift
	const magic = 12582912 // see quantise
	zz[0] = int32(float32(f[0]*s.r[0]+magic) - magic)
	nz := uint64(1)
	for c := 1; c < 9; c++ {
		if abs32(f[c])*s.maxR[c] >= 0.5 {
			nz |= s.mask[c]
		}
	}
	for m := nz &^ 1; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		zz[i] = int32(float32(f[s.class[i]]*s.r[i]+magic) - magic)
	}
	return nz
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
