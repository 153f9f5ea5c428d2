package blur

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
)

// This file reads a baseline JPEG at 1/8 scale: it entropy-decodes every
// block but keeps only its DC coefficient, which is the block's mean. That
// skips the inverse DCT, colour conversion and downscaling of a full
// decode; a Gaussian as wide as the overview blur loses nothing measurable
// to it (see TestDCMatchesFullDecode).

// errUnsupported marks JPEG variants decodeDC leaves to image/jpeg
// (progressive, arithmetic coding, 12-bit, CMYK, RGB, several scans).
var errUnsupported = errors.New("unsupported JPEG variant")

// dcComponent is one component at one sample per block.
type dcComponent struct {
	id, h, v, tq int
	low          fplane // block means, cropped to the component's size
	edges        *edges // the component's border pixels per block (see edges)
	w, hh        int    // the component's size in samples
	bw, bh       int    // blocks per row and column in the scan (with MCU padding)
	dcTable      *huffDecoder
	acTable      *huffDecoder
	pred         int32
}

// dcImage is a JPEG read at 1/8 scale.
type dcImage struct {
	w, h       int
	hmax, vmax int
	comps      []*dcComponent
}

// skipBits is the lookahead of huffDecoder.skip.
const skipBits = 12

// Fields of a huffDecoder.skip entry.
const (
	skipLen   = 31      // bits of code and value together
	skipAdv   = 31 << 5 // coefficients passed (run + 1), shifted by 5
	skipEnd   = 1 << 10 // end of block
	skipShift = 5
)

// huffDecoder decodes one Huffman table with a 9-bit lookahead.
type huffDecoder struct {
	// skip passes an AC coefficient, code and value bits, that fit in
	// skipBits: its fields are above; 0 when they do not fit.
	skip    [1 << skipBits]uint16
	lookup  [1 << 9]uint16 // symbol<<8 | length; 0 when the code is longer
	maxcode [18]int32      // largest code of each length, -1 when none
	valptr  [17]int32
	mincode [17]int32
	values  []byte
}

func newHuffDecoder(counts [16]byte, values []byte) (*huffDecoder, error) {
	d := &huffDecoder{values: values}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if code+n > 1<<l {
			return nil, errors.New("bad Huffman table")
		}
		d.valptr[l] = k
		d.mincode[l] = code
		if n == 0 {
			d.maxcode[l] = -1
		} else {
			d.maxcode[l] = code + n - 1
		}
		for i := int32(0); i < n; i++ {
			if e := skipEntry(l, values[k]); e != 0 {
				shift := uint(skipBits - l)
				base := int(code) << shift
				for j := 0; j < 1<<shift; j++ {
					d.skip[base+j] = e
				}
			}
			if l <= 9 {
				shift := uint(9 - l)
				base := int(code) << shift
				for j := 0; j < 1<<shift; j++ {
					d.lookup[base+j] = uint16(values[k])<<8 | uint16(l)
				}
			}
			code++
			k++
		}
		code <<= 1
	}
	d.maxcode[17] = 0x7fffffff
	return d, nil
}

// skipEntry is the skip entry of AC symbol rs with a code of l bits, 0
// when code and value take more than skipBits.
func skipEntry(l int, rs byte) uint16 {
	run, size := int(rs>>4), int(rs&15)
	total := l + size
	if total > skipBits {
		return 0
	}
	switch {
	case size > 0:
		return uint16(total | (run+1)<<skipShift)
	case run == 15: // sixteen zeros
		return uint16(total | 16<<skipShift)
	default: // end of block (other runs without a value are read as one)
		return uint16(total | skipEnd)
	}
}

// bitReader reads entropy-coded data, removing stuffed zero bytes and
// stopping at markers (after which it supplies zero bits).
type bitReader struct {
	data   []byte
	pos    int
	acc    uint64
	n      uint
	marker bool // a marker was reached
	eof    bool // the data ended without a marker
}

func (r *bitReader) fill() {
	// Fast path: eight bytes without 0xFF (no stuffing, no marker) supply
	// all the whole bytes that fit at once.
	if !r.marker && r.pos+8 <= len(r.data) {
		v := binary.BigEndian.Uint64(r.data[r.pos:])
		if x := ^v; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
			k := (64 - r.n) / 8
			r.acc |= v >> r.n
			r.n += 8 * k
			r.acc &= ^uint64(0) << (64 - r.n)
			r.pos += int(k)
			return
		}
	}
	for r.n <= 56 {
		var c byte
		if !r.marker && r.pos >= len(r.data) {
			r.eof = true
		}
		if !r.marker && r.pos < len(r.data) {
			c = r.data[r.pos]
			if c == 0xff {
				if r.pos+1 < len(r.data) && r.data[r.pos+1] == 0 {
					r.pos += 2
				} else {
					r.marker = true
					c = 0
				}
			} else {
				r.pos++
			}
		}
		r.acc |= uint64(c) << (56 - r.n)
		r.n += 8
	}
}

func (r *bitReader) bits(n uint) uint32 {
	if r.n < n {
		r.fill()
	}
	v := uint32(r.acc >> (64 - n))
	r.acc <<= n
	r.n -= n
	return v
}

func (r *bitReader) skip(n uint) {
	if r.n < n {
		r.fill()
	}
	r.acc <<= n
	r.n -= n
}

func (r *bitReader) decode(d *huffDecoder) (byte, error) {
	if r.n < 16 {
		r.fill()
	}
	e := d.lookup[r.acc>>(64-9)]
	if e != 0 {
		l := uint(e & 0xff)
		r.acc <<= l
		r.n -= l
		return byte(e >> 8), nil
	}
	for l := 10; l <= 16; l++ {
		code := int32(r.acc >> (64 - uint(l)))
		if code <= d.maxcode[l] {
			r.acc <<= uint(l)
			r.n -= uint(l)
			return d.values[d.valptr[l]+code-d.mincode[l]], nil
		}
	}
	return 0, errors.New("bad Huffman code")
}

// restart skips to after the next RSTn marker and resets the reader.
func (r *bitReader) restart() error {
	// Unread whole bytes still in the accumulator are part of the padding.
	for r.pos+1 < len(r.data) {
		if r.data[r.pos] == 0xff && r.data[r.pos+1] >= 0xd0 && r.data[r.pos+1] <= 0xd7 {
			r.pos += 2
			r.acc, r.n, r.marker = 0, 0, false
			return nil
		}
		r.pos++
	}
	return errors.New("missing restart marker")
}

// decodeDC reads a baseline JPEG at 1/8 scale.
func decodeDC(data []byte) (*dcImage, error) {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return nil, errors.New("not a JPEG file")
	}
	var (
		img     *dcImage
		quant   [4][64]int32 // natural order
		haveQ   [4]bool
		huff    [2][4]*huffDecoder
		restart int
		adobe   = -1
	)
	p := 2
	for {
		for p < len(data) && data[p] != 0xff {
			p++ // tolerate garbage between segments
		}
		for p < len(data) && data[p] == 0xff {
			p++
		}
		if p+2 >= len(data) {
			return nil, errors.New("truncated JPEG: no image data")
		}
		marker := data[p]
		p++
		if marker == 0xd8 || marker >= 0xd0 && marker <= 0xd7 || marker == 0x01 {
			continue
		}
		if marker == 0xd9 {
			return nil, errors.New("JPEG ends before its image data")
		}
		n := int(binary.BigEndian.Uint16(data[p:]))
		if n < 2 || p+n > len(data) {
			return nil, errors.New("truncated JPEG segment")
		}
		seg := data[p+2 : p+n]
		p += n
		switch {
		case marker == 0xdb: // DQT
			for len(seg) > 0 {
				prec, id := seg[0]>>4, int(seg[0]&3)
				size := 65
				if prec == 1 {
					size = 129
				}
				if len(seg) < size {
					return nil, errors.New("bad DQT segment")
				}
				for i := 0; i < 64; i++ {
					if prec == 1 {
						quant[id][zigzag[i]] = int32(binary.BigEndian.Uint16(seg[1+2*i:]))
					} else {
						quant[id][zigzag[i]] = int32(seg[1+i])
					}
				}
				haveQ[id] = true
				seg = seg[size:]
			}
		case marker == 0xc4: // DHT
			for len(seg) >= 17 {
				class, id := seg[0]>>4, seg[0]&15
				if class > 1 || id > 3 {
					return nil, errors.New("bad DHT segment")
				}
				var counts [16]byte
				copy(counts[:], seg[1:17])
				total := 0
				for _, c := range counts {
					total += int(c)
				}
				if len(seg) < 17+total {
					return nil, errors.New("bad DHT segment")
				}
				d, err := newHuffDecoder(counts, seg[17:17+total])
				if err != nil {
					return nil, err
				}
				huff[class][id] = d
				seg = seg[17+total:]
			}
		case marker == 0xdd: // DRI
			if len(seg) < 2 {
				return nil, errors.New("bad DRI segment")
			}
			restart = int(binary.BigEndian.Uint16(seg))
		case marker == 0xee: // APP14 Adobe: colour transform
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				adobe = int(seg[11])
			}
		case marker == 0xc0 || marker == 0xc1: // baseline / extended Huffman
			if img != nil {
				return nil, errUnsupported
			}
			if len(seg) < 6 || seg[0] != 8 {
				return nil, errUnsupported
			}
			img = &dcImage{h: int(binary.BigEndian.Uint16(seg[1:])), w: int(binary.BigEndian.Uint16(seg[3:]))}
			nc := int(seg[5])
			if nc != 1 && nc != 3 || len(seg) < 6+3*nc || img.w == 0 || img.h == 0 {
				return nil, errUnsupported
			}
			if img.w*img.h > MaxPixels {
				return nil, tooLarge(img.w, img.h)
			}
			for i := 0; i < nc; i++ {
				c := seg[6+3*i:]
				comp := &dcComponent{id: int(c[0]), h: int(c[1] >> 4), v: int(c[1] & 15), tq: int(c[2] & 3)}
				if comp.h < 1 || comp.h > 2 || comp.v < 1 || comp.v > 2 {
					return nil, errUnsupported
				}
				img.hmax, img.vmax = max(img.hmax, comp.h), max(img.vmax, comp.v)
				img.comps = append(img.comps, comp)
			}
			if nc == 3 && (adobe == 0 || img.comps[0].id == 'R' && img.comps[1].id == 'G' && img.comps[2].id == 'B') {
				return nil, errUnsupported // RGB, not YCbCr
			}
			if nc == 1 {
				img.hmax, img.vmax = 1, 1
				img.comps[0].h, img.comps[0].v = 1, 1
			}
		case marker >= 0xc2 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
			return nil, errUnsupported // progressive, lossless, arithmetic
		case marker == 0xda: // SOS
			if img == nil {
				return nil, errors.New("JPEG scan before its frame header")
			}
			if len(seg) < 1 || int(seg[0]) != len(img.comps) || len(seg) < 1+2*len(img.comps) {
				return nil, errUnsupported // non-interleaved scans
			}
			for i, comp := range img.comps {
				if int(seg[1+2*i]) != comp.id {
					return nil, errUnsupported
				}
				td, ta := seg[2+2*i]>>4, seg[2+2*i]&15
				if td > 3 || ta > 3 || huff[0][td] == nil || huff[1][ta] == nil || !haveQ[comp.tq] {
					return nil, errors.New("JPEG scan uses a missing table")
				}
				comp.dcTable, comp.acTable = huff[0][td], huff[1][ta]
			}
			if err := img.scan(data[p:], restart, quant); err != nil {
				return nil, err
			}
			return img, nil
		}
	}
}

// scan decodes the entropy-coded data of an interleaved scan.
func (img *dcImage) scan(data []byte, restart int, quant [4][64]int32) error {
	mcuW := (img.w + 8*img.hmax - 1) / (8 * img.hmax)
	mcuH := (img.h + 8*img.vmax - 1) / (8 * img.vmax)
	single := len(img.comps) == 1
	if single {
		// A one-component scan is not interleaved: one block per MCU.
		mcuW, mcuH = (img.w+7)/8, (img.h+7)/8
	}
	for _, c := range img.comps {
		c.bw, c.bh = mcuW*c.h, mcuH*c.v

		c.w = (img.w*c.h + img.hmax - 1) / img.hmax
		c.hh = (img.h*c.v + img.vmax - 1) / img.vmax
		cw, ch := (c.w+7)/8, (c.hh+7)/8
		c.low = newFplane(cw, ch) // the blocks that cover the image
		c.edges = &edges{left: make([]float32, ch), right: make([]float32, ch), top: make([]float32, cw), bottom: make([]float32, cw)}
	}
	var coef [64]int32
	var px [64]float32
	r := &bitReader{data: data}
	total := mcuW * mcuH
	for m := 0; m < total; m++ {
		if restart > 0 && m > 0 && m%restart == 0 {
			if err := r.restart(); err != nil {
				return fmt.Errorf("decoding JPEG: %w", err)
			}
			for _, c := range img.comps {
				c.pred = 0
			}
		}
		mx, my := m%mcuW, m/mcuW
		if mx == 0 && r.eof {
			return errors.New("decoding JPEG: the image data is truncated")
		}
		for _, c := range img.comps {
			qt := &quant[c.tq]
			q := float32(qt[0]) / 8
			cw, ch := (c.w+7)/8, (c.hh+7)/8
			for by := 0; by < c.v; by++ {
				for bx := 0; bx < c.h; bx++ {
					bxa, bya := mx*c.h+bx, my*c.v+by
					// Border blocks are decoded in full for the edge pixels.
					border := bxa < cw && bya < ch && (bxa == 0 || bya == 0 || bxa == cw-1 || bya == ch-1)
					s, err := r.decode(c.dcTable)
					if err != nil {
						return fmt.Errorf("decoding JPEG: %w", err)
					}
					if s > 11 {
						return errors.New("decoding JPEG: bad DC size")
					}
					var diff int32
					if s > 0 {
						v := int32(r.bits(uint(s)))
						if v < 1<<(s-1) {
							v += -1<<s + 1
						}
						diff = v
					}
					c.pred += diff
					if bxa < cw && bya < ch { // not MCU padding
						c.low.pix[bya*cw+bxa] = float32(c.pred)*q + 128
					}
					if border {
						coef = [64]int32{}
						coef[0] = c.pred * qt[0]
					}
					for k := 1; k < 64; {
						if !border {
							// Skip the coefficient through one lookup when it fits.
							if r.n < 16 {
								r.fill()
							}
							if e := c.acTable.skip[r.acc>>(64-skipBits)]; e != 0 {
								l := uint(e & skipLen)
								r.acc <<= l
								r.n -= l
								if e&skipEnd != 0 {
									break
								}
								k += int(e&skipAdv) >> skipShift
								continue
							}
						}
						rs, err := r.decode(c.acTable)
						if err != nil {
							return fmt.Errorf("decoding JPEG: %w", err)
						}
						run, size := int(rs>>4), uint(rs&15)
						if size == 0 {
							if run != 15 {
								break // end of block
							}
							k += 16
							continue
						}
						k += run
						if border && k < 64 {
							v := int32(r.bits(size))
							if v < 1<<(size-1) {
								v += -1<<size + 1
							}
							coef[zigzag[k]] = v * qt[zigzag[k]]
						} else {
							r.skip(size)
						}
						k++
					}
					if border {
						var cols, rows uint8
						if bxa == 0 {
							cols |= 1
						}
						if bxa == cw-1 {
							cols |= 1 << (min(8, c.w-8*bxa) - 1)
						}
						if bya == 0 {
							rows |= 1
						}
						if bya == ch-1 {
							rows |= 1 << (min(8, c.hh-8*bya) - 1)
						}
						idctLines(&px, &coef, cols, rows)
						c.edges.record(&px, bxa, bya, cw, ch, c.w, c.hh)
					}
				}
			}
		}
	}
	if r.eof {
		return errors.New("decoding JPEG: the image data is truncated")
	}
	return nil
}

// idctCos[x][u] is C(u)/2·cos((2x+1)uπ/16), C(0) = 1/√2, else 1.
var idctCos = func() (t [8][8]float32) {
	for x := 0; x < 8; x++ {
		for u := 0; u < 8; u++ {
			c := 0.5
			if u == 0 {
				c = 0.5 / math.Sqrt2
			}
			t[x][u] = float32(c * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16))
		}
	}
	return
}()

// idctLines inverts the DCT of one dequantised block (natural order) into
// the pixels of the columns and rows whose bits are set in cols and rows,
// level-shifted and clamped as a decoder writes them; other pixels are
// left alone.
func idctLines(px *[64]float32, coef *[64]int32, cols, rows uint8) {
	var c [64]float32
	for i, v := range coef {
		c[i] = float32(v)
	}
	put := func(i int, s float32) {
		s = float32(math.Round(float64(s + 128)))
		px[i] = min(max(s, 0), 255)
	}
	for x := 0; x < 8; x++ {
		if cols&(1<<x) == 0 {
			continue
		}
		var t [8]float32 // along u first, for each v
		for v := 0; v < 8; v++ {
			var s float32
			for u := 0; u < 8; u++ {
				s += idctCos[x][u] * c[v*8+u]
			}
			t[v] = s
		}
		for y := 0; y < 8; y++ {
			var s float32
			for v := 0; v < 8; v++ {
				s += idctCos[y][v] * t[v]
			}
			put(y*8+x, s)
		}
	}
	for y := 0; y < 8; y++ {
		if rows&(1<<y) == 0 {
			continue
		}
		var t [8]float32 // along v first, for each u
		for u := 0; u < 8; u++ {
			var s float32
			for v := 0; v < 8; v++ {
				s += idctCos[y][v] * c[v*8+u]
			}
			t[u] = s
		}
		for x := 0; x < 8; x++ {
			var s float32
			for u := 0; u < 8; u++ {
				s += idctCos[x][u] * t[u]
			}
			put(y*8+x, s)
		}
	}
}

// record stores the edge pixels of border block (bx, by) of a component of
// w×h samples and cw×ch blocks.
func (e *edges) record(px *[64]float32, bx, by, cw, ch, w, h int) {
	nx, ny := min(8, w-8*bx), min(8, h-8*by) // samples of the block inside the image
	if bx == 0 || bx == cw-1 {
		var l, r float32
		for y := 0; y < ny; y++ {
			l += px[y*8]
			r += px[y*8+nx-1]
		}
		if bx == 0 {
			e.left[by] = l / float32(ny)
		}
		if bx == cw-1 {
			e.right[by] = r / float32(ny)
		}
	}
	if by == 0 || by == ch-1 {
		var t, b float32
		for x := 0; x < nx; x++ {
			t += px[x]
			b += px[(ny-1)*8+x]
		}
		if by == 0 {
			e.top[bx] = t / float32(nx)
		}
		if by == ch-1 {
			e.bottom[bx] = b / float32(nx)
		}
	}
	if by == 0 && bx == 0 {
		e.corners[0] = px[0]
	}
	if by == 0 && bx == cw-1 {
		e.corners[1] = px[nx-1]
	}
	if by == ch-1 && bx == 0 {
		e.corners[2] = px[(ny-1)*8]
	}
	if by == ch-1 && bx == cw-1 {
		e.corners[3] = px[(ny-1)*8+nx-1]
	}
}

// useDC reports whether a blur with these options may start from the 1/8
// scale read: the automatic scale with a sigma of at least 16, or scale 8.
func useDC(o Options) bool {
	return o.Scale == 8 || o.Scale == 0 && o.sigma() >= 16
}

// lowComponent is one blurred component of the output at low resolution:
// upscale by fx×fy brings low to the output plane of w×h samples.
type lowComponent struct {
	low    fplane
	w, h   int
	fx, fy int
}

// blurLow blurs a 1/8-scale read at its own resolution. The output is
// YCbCr 4:2:0 for colour (Y, Cb, Cr) and Gray for one component.
func (img *dcImage) blurLow(o Options) ([]lowComponent, error) {
	sigma := o.sigma()
	if err := validSigma(sigma); err != nil {
		return nil, err
	}
	workers := o.workers()
	r := image.Rect(0, 0, img.w, img.h)
	cw, ch := chromaSize(r, 2, 2)
	out := make([]lowComponent, len(img.comps))
	for i, c := range img.comps {
		w, h, dx, dy := img.w, img.h, 1, 1
		if i > 0 {
			w, h, dx, dy = cw, ch, 2, 2
		}
		fx, fy := 8*img.hmax/c.h, 8*img.vmax/c.v
		kx := lowKernel(sigma, fx, fx, fx/dx)
		ky := lowKernel(sigma, fy, fy, fy/dy)
		out[i] = lowComponent{convolve(c.low, kx, ky, c.edges, workers), w, h, fx / dx, fy / dy}
	}
	return out, nil
}

// blur blurs a 1/8-scale read into a full-size image: YCbCr 4:2:0 for
// colour, Gray for one component.
func (img *dcImage) blur(o Options) (image.Image, error) {
	lows, err := img.blurLow(o)
	if err != nil {
		return nil, err
	}
	return upscaleAll(img.w, img.h, lows, o.workers()), nil
}

// upscaleAll interpolates blurred low-resolution components to a w×h
// image.
func upscaleAll(w, h int, lows []lowComponent, workers int) image.Image {
	r := image.Rect(0, 0, w, h)
	if len(lows) == 1 {
		g := image.NewGray(r)
		upscale(plane{w, h, g.Stride, g.Pix}, lows[0].low, lows[0].fx, lows[0].fy, workers)
		return g
	}
	y := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	pix := [][]uint8{y.Y, y.Cb, y.Cr}
	for i, c := range lows {
		stride := y.CStride
		if i == 0 {
			stride = y.YStride
		}
		upscale(plane{c.w, c.h, stride, pix[i]}, c.low, c.fx, c.fy, workers)
	}
	return y
}

// encodeLow writes the w×h image that upscaleAll would make from lows as
// a JPEG, transforming blocks straight from the low samples when upBlocks
// handles their factors.
func encodeLow(wr io.Writer, w, h int, lows []lowComponent, quality, workers int) error {
	for _, c := range lows {
		if !upFactorOK(c.fx) || !upFactorOK(c.fy) {
			return encodeJPEG(wr, upscaleAll(w, h, lows, workers), quality, workers)
		}
	}
	t, err := tablesFor(quality)
	if err != nil {
		return fmt.Errorf("preparing JPEG tables: %w", err)
	}
	srcs := make([]blockSource, len(lows))
	for i, c := range lows {
		srcs[i] = newUpBlocks(c.low, c.fx, c.fy, &t.quant[min(i, 1)])
	}
	return encodeBlocks(wr, t, w, h, 2, srcs, workers)
}
