package main

import (
	"hash/fnv"
	"image"
	"image/color"
	"math"
)

const iconSize = 128

// iconColour picks the tile colour of a PWA from its id: a hue from an FNV
// hash, at fixed saturation and lightness so white text stays readable.
func iconColour(id string) (float64, float64, float64) {
	h := fnv.New32a()
	h.Write([]byte(id))
	hue := float64(h.Sum32()%360) / 360
	return hsl(hue, 0.58, 0.42)
}

// hsl converts a colour from HSL (all in [0,1]) to RGB in [0,1].
func hsl(h, s, l float64) (float64, float64, float64) {
	q := l * (1 + s)
	if l >= 0.5 {
		q = l + s - l*s
	}
	p := 2*l - q
	f := func(t float64) float64 {
		t -= math.Floor(t)
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	return f(h + 1.0/3), f(h), f(h - 1.0/3)
}

// roundedCoverage is the fraction of pixel (x, y) inside a square of side
// iconSize-2*margin with corner radius r, sampled 4×4.
func roundedCoverage(x, y int, margin, r float64) float64 {
	lo, hi := margin, float64(iconSize)-margin
	in := 0
	for sy := 0; sy < 4; sy++ {
		for sx := 0; sx < 4; sx++ {
			px := float64(x) + (float64(sx)+0.5)/4
			py := float64(y) + (float64(sy)+0.5)/4
			cx := math.Min(math.Max(px, lo+r), hi-r)
			cy := math.Min(math.Max(py, lo+r), hi-r)
			if px >= lo && px <= hi && py >= lo && py <= hi && math.Hypot(px-cx, py-cy) <= r {
				in++
			}
		}
	}
	return float64(in) / 16
}

// renderIcon draws a PWA icon: a rounded tile in the id's colour with a soft
// vertical gradient, and the label in the bitmap font, centred, in white.
func renderIcon(id, label string) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, iconSize, iconSize))
	r0, g0, b0 := iconColour(id)
	runes := []rune(label)
	scale := 9
	if len(runes) == 1 {
		scale = 12
	}
	gap := scale
	textW := len(runes)*glyphWidth*scale + (len(runes)-1)*gap
	textH := glyphHeight * scale
	left := (iconSize - textW) / 2
	top := (iconSize - textH) / 2
	for y := 0; y < iconSize; y++ {
		shade := 1.12 - 0.24*float64(y)/float64(iconSize-1)
		for x := 0; x < iconSize; x++ {
			cov := roundedCoverage(x, y, 4, 26)
			if cov == 0 {
				continue
			}
			r, g, b := r0*shade, g0*shade, b0*shade
			if inText(runes, x-left, y-top, scale, gap) {
				r, g, b = 1, 1, 1
			}
			img.SetNRGBA(x, y, color.NRGBA{R: to8(r), G: to8(g), B: to8(b), A: to8(cov)})
		}
	}
	return img
}

// inText reports whether (x, y), relative to the text's top-left corner, is
// on a set pixel of the scaled label.
func inText(runes []rune, x, y, scale, gap int) bool {
	if x < 0 || y < 0 {
		return false
	}
	cell := glyphWidth*scale + gap
	i := x / cell
	if i >= len(runes) {
		return false
	}
	return glyphSet(runes[i], (x%cell)/scale, y/scale)
}

func to8(v float64) uint8 {
	return uint8(math.Round(math.Min(math.Max(v, 0), 1) * 255))
}
