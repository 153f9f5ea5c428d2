// Package blur implements the Gaussian blur of the wallpaper overview: the
// equivalent of ImageMagick 6's `convert IN -filter Gaussian -blur 0xSIGMA
// OUT`, computed much faster by blurring a box-downscaled copy with an exact
// Gaussian kernel and interpolating it back to full size.
package blur

import (
	"fmt"
	"math"
)

// quantumScale is 1/QuantumRange of ImageMagick's Q16 build: a kernel tail
// value smaller than this cannot change a 16-bit sample.
const quantumScale = 1.0 / 65535.0

// OptimalWidth returns the kernel width ImageMagick 6 chooses for a blur
// with radius 0 (`-blur 0xSIGMA`): starting at 5 and growing by 2, the first
// width whose normalised outermost tap falls below 1/65535 (or
// MagickEpsilon), minus 2. For sigma 18 this is 137 (radius 68).
func OptimalWidth(sigma float64) int {
	sigma = math.Abs(sigma)
	if sigma <= 1e-12 {
		return 3
	}
	alpha := 1 / (2 * sigma * sigma)
	beta := 1 / (math.Sqrt(2*math.Pi) * sigma)
	for width := 5; ; width += 2 {
		half := (width - 1) / 2
		var sum float64
		for i := -half; i <= half; i++ {
			sum += math.Exp(-float64(i*i)*alpha) * beta
		}
		edge := math.Exp(-float64(half*half)*alpha) * beta / sum
		if edge < quantumScale || edge < 1e-12 {
			return width - 2
		}
	}
}

// IMKernel returns the normalised one-dimensional kernel ImageMagick 6 uses
// for `-blur 0xSIGMA` (its "Blur" morphology kernel): OptimalWidth(sigma)
// taps, each the sum of a Gaussian sampled three times per tap (sigma scaled
// by three), then normalised to sum 1.
func IMKernel(sigma float64) []float64 {
	width := OptimalWidth(sigma)
	k := make([]float64, width)
	sigma = math.Abs(sigma)
	if sigma <= 1e-12 {
		k[width/2] = 1
		return k
	}
	const rank = 3
	s := sigma * rank
	alpha := 1 / (2 * s * s)
	beta := 1 / (math.Sqrt(2*math.Pi) * s)
	v := (width*rank - 1) / 2
	for u := -v; u <= v; u++ {
		k[(u+v)/rank] += math.Exp(-float64(u*u)*alpha) * beta
	}
	normalize(k)
	return k
}

// Gaussian returns a normalised sampled Gaussian kernel with the given
// radius (2*radius+1 taps).
func Gaussian(sigma float64, radius int) []float64 {
	k := make([]float64, 2*radius+1)
	if sigma <= 1e-12 {
		k[radius] = 1
		return k
	}
	alpha := 1 / (2 * sigma * sigma)
	for i := -radius; i <= radius; i++ {
		k[i+radius] = math.Exp(-float64(i*i) * alpha)
	}
	normalize(k)
	return k
}

func normalize(k []float64) {
	var sum float64
	for _, v := range k {
		sum += v
	}
	for i := range k {
		k[i] /= sum
	}
}

// validSigma checks a user-supplied sigma.
func validSigma(sigma float64) error {
	if math.IsNaN(sigma) || math.IsInf(sigma, 0) || sigma < 0 || sigma > 500 {
		return fmt.Errorf("sigma %v is out of range: use a value from 0 to 500 (ImageMagick's -blur 0x18 is sigma 18)", sigma)
	}
	return nil
}
