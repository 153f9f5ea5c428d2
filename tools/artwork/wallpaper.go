package main

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"
)

const (
	wallWidth  = 3840
	wallHeight = 2160
)

// rgb is a colour with channels in [0,1].
type rgb struct{ r, g, b float64 }

func hex(v uint32) rgb {
	return rgb{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}
}

func mix(a, b rgb, t float64) rgb {
	t = clamp01(t)
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

func scale(a rgb, k float64) rgb { return rgb{a.r * k, a.g * k, a.b * k} }

func clamp01(t float64) float64 { return math.Min(math.Max(t, 0), 1) }

func smoothstep(e0, e1, x float64) float64 {
	t := clamp01((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

// ramp interpolates along evenly spaced colour stops.
func ramp(stops []rgb, t float64) rgb {
	t = clamp01(t) * float64(len(stops)-1)
	i := int(t)
	if i >= len(stops)-1 {
		return stops[len(stops)-1]
	}
	return mix(stops[i], stops[i+1], t-float64(i))
}

// rng is splitmix64: tiny, fast and identical on every platform and Go
// version, so the art never changes unless this program does.
type rng uint64

func (s *rng) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// float returns a number in [0,1).
func (s *rng) float() float64 { return float64(s.next()>>11) / (1 << 53) }

// hash2 maps integer lattice coordinates to [0,1), deterministically.
func hash2(seed uint64, i, j int) float64 {
	s := rng(seed ^ uint64(int64(i))*0x632be59bd9b4e019 ^ uint64(int64(j))*0x8cb92ba72f3d8dd7)
	return s.float()
}

// design paints a wallpaper: paint receives x in [0, aspect] and y in [0,1]
// (top to bottom). supersample renders 2×2 samples per pixel for hard edges.
type design struct {
	name        string
	supersample bool
	paint       func(x, y float64) rgb
}

const aspect = float64(wallWidth) / wallHeight

// render draws a design at full resolution, rows in parallel.
func render(d design) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, wallWidth, wallHeight))
	rows := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for py := range rows {
				for px := 0; px < wallWidth; px++ {
					var c rgb
					if d.supersample {
						for s := 0; s < 4; s++ {
							sx := (float64(px) + 0.25 + 0.5*float64(s%2)) / wallHeight
							sy := (float64(py) + 0.25 + 0.5*float64(s/2)) / wallHeight
							p := d.paint(sx, sy)
							c = rgb{c.r + p.r/4, c.g + p.g/4, c.b + p.b/4}
						}
					} else {
						c = d.paint((float64(px)+0.5)/wallHeight, (float64(py)+0.5)/wallHeight)
					}
					img.SetRGBA(px, py, color.RGBA{R: to8(c.r), G: to8(c.g), B: to8(c.b), A: 255})
				}
			}
		}()
	}
	for py := 0; py < wallHeight; py++ {
		rows <- py
	}
	close(rows)
	wg.Wait()
	return img
}

// designs is the curated collection, in the order of their file names.
func designs() []design {
	return []design{
		{name: "01-aurora", paint: aurora()},
		{name: "02-dunes", supersample: true, paint: dunes()},
		{name: "03-rings", supersample: true, paint: rings()},
		{name: "04-mosaic", supersample: true, paint: mosaic()},
		{name: "05-cells", supersample: true, paint: cells()},
		{name: "06-honeycomb", supersample: true, paint: honeycomb()},
		{name: "07-halftone", supersample: true, paint: halftone()},
		{name: "08-ribbons", supersample: true, paint: ribbons()},
		{name: "09-bauhaus", supersample: true, paint: bauhaus()},
		{name: "10-horizon", supersample: true, paint: horizon()},
	}
}

// aurora: soft coloured glows and vertical curtains over a night sky.
func aurora() func(x, y float64) rgb {
	sky := []rgb{hex(0x0b1026), hex(0x141a3d), hex(0x1c1433)}
	type glow struct {
		x, y, r float64
		c       rgb
	}
	glows := []glow{
		{0.5, 0.35, 0.45, hex(0x1fd1a5)},
		{1.2, 0.25, 0.55, hex(0x3d7bff)},
		{1.45, 0.55, 0.35, hex(0xb54cff)},
	}
	return func(x, y float64) rgb {
		c := ramp(sky, y)
		curtain := 0.5 + 0.5*math.Sin(x*9+math.Sin(x*2.3)*2.5)
		for _, g := range glows {
			d := math.Hypot(x-g.x, (y-g.y)*1.6)
			k := math.Exp(-d*d/(g.r*g.r)) * (0.55 + 0.45*curtain) * (1 - y*0.6)
			c = rgb{c.r + g.c.r*k*0.8, c.g + g.c.g*k*0.8, c.b + g.c.b*k*0.8}
		}
		return c
	}
}

// dunes: layered sine hills fading into a warm sky.
func dunes() func(x, y float64) rgb {
	sky := []rgb{hex(0xf7c59f), hex(0xf2a07b), hex(0xd8737f)}
	layers := []rgb{hex(0xb5656f), hex(0x8f4f6e), hex(0x683d68), hex(0x432c5a), hex(0x241c3f)}
	return func(x, y float64) rgb {
		c := ramp(sky, y/0.6)
		for i, lc := range layers {
			fi := float64(i)
			base := 0.42 + fi*0.12
			h := base + 0.05*math.Sin(x*(2.1+fi*0.7)+fi*1.9) + 0.025*math.Sin(x*(5.3+fi)+fi*0.4)
			if y > h {
				c = mix(lc, scale(lc, 0.8), (y-h)*3)
			}
		}
		return c
	}
}

// rings: soft concentric rings around an off-centre point.
func rings() func(x, y float64) rgb {
	pal := []rgb{hex(0x0f2b3d), hex(0x1d4e5f), hex(0x2f7a78), hex(0x6fb59a), hex(0xe6d8ad)}
	return func(x, y float64) rgb {
		d := math.Hypot(x-0.55, y-0.62)
		band := math.Floor(d * 9)
		t := 1 - clamp01(band/12)
		c := ramp(pal, t)
		edge := d*9 - band
		return scale(c, 0.92+0.08*smoothstep(0, 0.08, edge))
	}
}

// mosaic: a triangle grid coloured along a diagonal gradient with jitter.
func mosaic() func(x, y float64) rgb {
	pal := []rgb{hex(0x20124d), hex(0x5a189a), hex(0x9d4edd), hex(0xff6d00), hex(0xffb703)}
	const cell = 0.125
	return func(x, y float64) rgb {
		i := int(math.Floor(x / cell))
		j := int(math.Floor(y / cell))
		fx, fy := x/cell-float64(i), y/cell-float64(j)
		tri := 0
		if fx+fy > 1 {
			tri = 1
		}
		n := hash2(7, i*2+tri, j)
		t := (float64(i)*cell+float64(j)*cell*0.8)/(aspect+0.8) + (n-0.5)*0.18
		return ramp(pal, t)
	}
}

// cells: Voronoi cells with soft shading towards their borders.
func cells() func(x, y float64) rgb {
	pal := []rgb{hex(0x03045e), hex(0x0077b6), hex(0x00b4d8), hex(0x90e0ef), hex(0xcaf0f8)}
	s := rng(42)
	type seed struct{ x, y, t float64 }
	seeds := make([]seed, 48)
	for i := range seeds {
		seeds[i] = seed{s.float() * aspect, s.float(), s.float()}
	}
	return func(x, y float64) rgb {
		best, second := math.MaxFloat64, math.MaxFloat64
		var bt float64
		for _, p := range seeds {
			d := math.Hypot(x-p.x, y-p.y)
			if d < best {
				second, best, bt = best, d, p.t
			} else if d < second {
				second = d
			}
		}
		c := ramp(pal, bt*0.75+y*0.25)
		return scale(c, 0.7+0.3*smoothstep(0, 0.04, second-best))
	}
}

// honeycomb: hexagons with thin gaps over a two-colour gradient.
func honeycomb() func(x, y float64) rgb {
	a, b := hex(0x1b262c), hex(0x0f4c75)
	hi := hex(0x3282b8)
	const r = 0.07
	w := math.Sqrt(3) * r
	return func(x, y float64) rgb {
		// axial coordinates of the nearest hexagon centre (pointy-top)
		q := (math.Sqrt(3)/3*x - y/3) / r
		rr := (2.0 / 3 * y) / r
		cx, cz := q, rr
		cy := -cx - cz
		rx, ry, rz := math.Round(cx), math.Round(cy), math.Round(cz)
		dx, dy, dz := math.Abs(rx-cx), math.Abs(ry-cy), math.Abs(rz-cz)
		// Cube rounding: fix the coordinate that moved most (y is unused).
		if dx > dy && dx > dz {
			rx = -ry - rz
		} else if dy <= dz {
			rz = -rx - ry
		}
		hx := w * (rx + rz/2)
		hy := 1.5 * r * rz
		// distance to the hexagon border
		px, py := math.Abs(x-hx), math.Abs(y-hy)
		edge := math.Max(px, (px+math.Sqrt(3)*py)/2) / (w / 2)
		n := hash2(11, int(rx), int(rz))
		base := mix(a, b, hy*0.8+n*0.35)
		if n > 0.88 {
			base = mix(base, hi, 0.6)
		}
		return mix(base, scale(a, 0.6), smoothstep(0.9, 0.96, edge))
	}
}

// halftone: a dot grid whose dots grow along a radial gradient.
func halftone() func(x, y float64) rgb {
	bg := hex(0x101418)
	pal := []rgb{hex(0xf25f5c), hex(0xffe066), hex(0x70c1b3)}
	const pitch = 0.03
	return func(x, y float64) rgb {
		i, j := math.Floor(x/pitch), math.Floor(y/pitch)
		cx, cy := (i+0.5)*pitch, (j+0.5)*pitch
		g := clamp01(1 - math.Hypot(cx-0.4*aspect, cy-0.45)/1.3)
		rad := pitch * 0.48 * g
		if math.Hypot(x-cx, y-cy) < rad {
			return ramp(pal, cx/aspect)
		}
		return bg
	}
}

// ribbons: wavy horizontal bands in a pastel palette.
func ribbons() func(x, y float64) rgb {
	pal := []rgb{hex(0xfde2e4), hex(0xfad2e1), hex(0xe2ece9), hex(0xbee1e6), hex(0xcddafd), hex(0xdfe7fd)}
	return func(x, y float64) rgb {
		v := y*7 + 0.35*math.Sin(x*2.4) + 0.2*math.Sin(x*5.1+y*3)
		k := int(math.Floor(v))
		f := v - float64(k)
		c := pal[((k%len(pal))+len(pal))%len(pal)]
		return scale(c, 0.94+0.06*smoothstep(0, 0.15, f))
	}
}

// bauhaus: a flat composition of circles and bars.
func bauhaus() func(x, y float64) rgb {
	bg := hex(0xf1e9da)
	red, blue, yellow, ink := hex(0xd1495b), hex(0x00798c), hex(0xedae49), hex(0x30343f)
	return func(x, y float64) rgb {
		c := bg
		if math.Hypot(x-1.25, y-0.45) < 0.3 {
			c = yellow
		}
		if x > 0.35 && x < 0.62 && y > 0.18 {
			c = blue
		}
		if math.Hypot(x-0.62, y-0.72) < 0.2 {
			c = red
		}
		if y > 0.86 && y < 0.9 && x > 0.2 && x < 1.6 {
			c = ink
		}
		if d := math.Hypot(x-1.45, y-0.8); d < 0.09 && d > 0.06 {
			c = ink
		}
		return c
	}
}

// horizon: a retro sunset with a striped sun over a dark plane.
func horizon() func(x, y float64) rgb {
	sky := []rgb{hex(0x2b1055), hex(0x7597de), hex(0xf9c784)}
	sunTop, sunBottom := hex(0xffe29a), hex(0xff5e62)
	ground := []rgb{hex(0x2a1a4a), hex(0x0d0221)}
	return func(x, y float64) rgb {
		const horizonY = 0.66
		if y > horizonY {
			c := ramp(ground, (y-horizonY)/(1-horizonY))
			// perspective grid lines
			depth := 0.08 / (y - horizonY + 0.02)
			if math.Abs(depth-math.Round(depth)) < 0.04*(y-horizonY+0.1)*3 {
				c = mix(c, hex(0xff5e62), 0.45)
			}
			return c
		}
		c := ramp(sky, y/horizonY)
		d := math.Hypot(x-aspect/2, y-0.5)
		if d < 0.28 {
			t := (y - 0.22) / 0.44
			stripe := y > 0.45 && math.Mod((y-0.45)*40, 2) < 0.35+t*0.9
			if !stripe {
				c = mix(sunTop, sunBottom, t)
			}
		}
		return c
	}
}
