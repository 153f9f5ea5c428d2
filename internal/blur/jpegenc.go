package blur

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/bits"
	"sync"
)

// This file is a baseline JPEG encoder that encodes bands of MCU rows in
// parallel: every MCU row is its own restart interval, so bands are
// independent and are joined with RSTn markers. It writes the same
// quantisation and Huffman tables as image/jpeg (read once from its output),
// so the result equals image/jpeg's up to rounding, in a fraction of the
// time on several cores.

// zigzag[i] is the natural (row-major) index of the i-th coefficient in
// zig-zag order.
var zigzag = func() [64]int {
	var z [64]int
	i := 0
	for s := 0; s < 15; s++ { // anti-diagonals u+v = s
		for k := 0; k <= s; k++ {
			u := k // row index when s is odd, column when even
			if s%2 == 0 {
				u = s - k
			}
			v := s - u
			if u < 8 && v < 8 {
				z[i] = u*8 + v
				i++
			}
		}
	}
	return z
}()

// huffTable is one Huffman table as written in a DHT segment, with the
// derived code of every symbol.
type huffTable struct {
	class, id byte
	counts    [16]byte
	values    []byte
	code      [256]uint32 // code<<8 | length; length 0 means no code
}

// tables are the quantisation (natural order) and Huffman tables of one
// quality.
type tables struct {
	quant [2][64]float32 // reciprocals of the divisors, AAN scale factors included
	dqt   []byte         // DQT segment payloads as image/jpeg writes them
	dht   []byte
	huff  [4]*huffTable // DC0, AC0, DC1, AC1
}

var (
	tablesMu    sync.Mutex
	tablesCache = map[int]*tables{}
)

// aan are the scale factors of the AAN DCT's outputs.
var aan = [8]float64{1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.541196100, 0.275899379}

// tablesFor returns the tables image/jpeg uses for quality q, read from a
// tiny image it encodes.
func tablesFor(q int) (*tables, error) {
	tablesMu.Lock()
	defer tablesMu.Unlock()
	if t, ok := tablesCache[q]; ok {
		return t, nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420), &jpeg.Options{Quality: q}); err != nil {
		return nil, err
	}
	t := &tables{}
	data := buf.Bytes()
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xff {
			return nil, errors.New("reading reference tables: bad marker")
		}
		marker := data[p+1]
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		seg := data[p+4 : p+2+n]
		switch marker {
		case 0xdb: // DQT
			t.dqt = append(t.dqt, seg...)
			for s := seg; len(s) >= 65; s = s[65:] {
				id := s[0] & 15
				if id > 1 {
					return nil, errors.New("reading reference tables: unexpected DQT id")
				}
				for i := 0; i < 64; i++ {
					nat := zigzag[i]
					t.quant[id][nat] = float32(1 / (float64(s[1+i]) * aan[nat/8] * aan[nat%8] * 8))
				}
			}
		case 0xc4: // DHT
			t.dht = append(t.dht, seg...)
			for s := seg; len(s) >= 17; {
				h := &huffTable{class: s[0] >> 4, id: s[0] & 15}
				copy(h.counts[:], s[1:17])
				total := 0
				for _, c := range h.counts {
					total += int(c)
				}
				h.values = append([]byte(nil), s[17:17+total]...)
				code, k := uint32(0), 0
				for l := 1; l <= 16; l++ {
					for i := 0; i < int(h.counts[l-1]); i++ {
						h.code[h.values[k]] = code<<8 | uint32(l)
						code++
						k++
					}
					code <<= 1
				}
				t.huff[int(h.id)*2+int(h.class)] = h
				s = s[17+total:]
			}
		case 0xda: // SOS: tables are all read
			p = len(data)
			continue
		}
		p += 2 + n
	}
	for _, h := range t.huff {
		if h == nil {
			return nil, errors.New("reading reference tables: missing Huffman table")
		}
	}
	tablesCache[q] = t
	return t, nil
}

// fdct transforms a block in place with the AAN algorithm; outputs are
// scaled by 8·aan[u]·aan[v] (divided out with the quantiser).
func fdct(b *[64]float32) {
	for pass := 0; pass < 2; pass++ {
		step, stride := 1, 8 // rows, then columns
		if pass == 1 {
			step, stride = 8, 1
		}
		for r := 0; r < 8; r++ {
			o := r * stride
			d0, d1, d2, d3 := b[o], b[o+step], b[o+2*step], b[o+3*step]
			d4, d5, d6, d7 := b[o+4*step], b[o+5*step], b[o+6*step], b[o+7*step]
			t0, t7 := d0+d7, d0-d7
			t1, t6 := d1+d6, d1-d6
			t2, t5 := d2+d5, d2-d5
			t3, t4 := d3+d4, d3-d4
			// Even part.
			t10, t13 := t0+t3, t0-t3
			t11, t12 := t1+t2, t1-t2
			b[o] = t10 + t11
			b[o+4*step] = t10 - t11
			z1 := (t12 + t13) * 0.707106781
			b[o+2*step] = t13 + z1
			b[o+6*step] = t13 - z1
			// Odd part.
			t10 = t4 + t5
			t11 = t5 + t6
			t12 = t6 + t7
			z5 := (t10 - t12) * 0.382683433
			z2 := 0.541196100*t10 + z5
			z4 := 1.306562965*t12 + z5
			z3 := t11 * 0.707106781
			z11 := t7 + z3
			z13 := t7 - z3
			b[o+5*step] = z13 + z2
			b[o+3*step] = z13 - z2
			b[o+1*step] = z11 + z4
			b[o+7*step] = z11 - z4
		}
	}
}

// bitWriter writes entropy-coded data with 0xFF byte stuffing.
type bitWriter struct {
	buf   []byte
	acc   uint64 // the low nbits bits are pending output
	nbits uint
}

// emit appends the low n (at most 16) bits of bits.
func (w *bitWriter) emit(bits uint32, n uint) {
	w.acc = w.acc<<n | uint64(bits)&(1<<n-1)
	w.nbits += n
	if w.nbits >= 32 {
		w.flush32()
	}
}

// flush32 writes the oldest 32 pending bits.
func (w *bitWriter) flush32() {
	w.nbits -= 32
	v := uint32(w.acc >> w.nbits)
	// Has v a 0xFF byte? (a zero byte of ^v)
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 {
		w.buf = binary.BigEndian.AppendUint32(w.buf, v)
		return
	}
	for s := 24; s >= 0; s -= 8 {
		c := byte(v >> s)
		w.buf = append(w.buf, c)
		if c == 0xff {
			w.buf = append(w.buf, 0)
		}
	}
}

// pad fills the last byte with 1 bits and writes all pending bytes.
func (w *bitWriter) pad() {
	if r := w.nbits % 8; r != 0 {
		w.emit(0x7f, 8-r)
	}
	for w.nbits > 0 {
		w.nbits -= 8
		c := byte(w.acc >> w.nbits)
		w.buf = append(w.buf, c)
		if c == 0xff {
			w.buf = append(w.buf, 0)
		}
	}
	w.acc = 0
}

func (w *bitWriter) huff(h *huffTable, sym byte) {
	c := h.code[sym]
	w.emit(c>>8, uint(c&0xff))
}

// magnitude returns the JPEG size category and value bits of v.
func magnitude(v int32) (uint, uint32) {
	a := v
	if a < 0 {
		a = -a
		v--
	}
	n := uint(bits.Len32(uint32(a)))
	return n, uint32(v) & (1<<n - 1)
}

// quantise rounds the transformed block b (natural order) divided by the
// quantiser q into zz (zig-zag order) and returns the mask of its non-zero
// coefficients (bit i for zz[i]).
func quantise(zz *[64]int32, b, q *[64]float32) uint64 {
	// Adding and subtracting 1.5·2²³ rounds a float32 to the nearest
	// integer (|v| is far below 2²²).
	const magic = 12582912
	var nz uint64
	for i := 0; i < 64; i++ {
		nat := zigzag[i]
		r := float32(b[nat]*q[nat] + magic)
		v := int32(r - magic)
		zz[i] = v
		if v != 0 {
			nz |= 1 << i
		}
	}
	return nz
}

// block writes one quantised block (zig-zag order; nz has a bit set for
// every non-zero coefficient, and may have more) and returns its DC value,
// the next block's predictor.
func (w *bitWriter) block(zz *[64]int32, nz uint64, prev int32, dc, ac *huffTable) int32 {
	n, bits0 := magnitude(zz[0] - prev)
	w.huff(dc, byte(n))
	if n > 0 {
		w.emit(bits0, n)
	}
	last := 0
	for nz &^= 1; nz != 0; nz &= nz - 1 {
		i := bits.TrailingZeros64(nz)
		v := zz[i]
		if v == 0 {
			continue
		}
		run := i - last - 1
		for run > 15 {
			w.huff(ac, 0xf0)
			run -= 16
		}
		n, b := magnitude(v)
		w.huff(ac, byte(run<<4)|byte(n))
		w.emit(b, n)
		last = i
	}
	if last < 63 {
		w.huff(ac, 0x00) // end of block
	}
	return zz[0]
}

// loadBlock copies the 8×8 block at (x, y) of p, minus 128, repeating the
// last column and row beyond the edges.
func loadBlock(b *[64]float32, p plane, x, y int) {
	for j := 0; j < 8; j++ {
		row := p.row(min(y+j, p.h-1))
		if x+8 <= p.w {
			r := row[x : x+8]
			for i, v := range r {
				b[j*8+i] = float32(v) - 128
			}
			continue
		}
		for i := 0; i < 8; i++ {
			b[j*8+i] = float32(row[min(x+i, p.w-1)]) - 128
		}
	}
}

// encodeJPEG writes img as a baseline JPEG: *image.Gray as one component,
// *image.YCbCr 4:2:0 or 4:4:4 as is, anything else converted to 4:2:0.
func encodeJPEG(w io.Writer, img image.Image, quality, workers int) error {
	t, err := tablesFor(quality)
	if err != nil {
		return fmt.Errorf("preparing JPEG tables: %w", err)
	}
	b := img.Bounds()
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return fmt.Errorf("image is too large for JPEG (%dx%d; at most 65535 per side)", b.Dx(), b.Dy())
	}
	var comps []plane
	hs := 1 // luma sampling factor (1 or 2), both directions
	switch m := img.(type) {
	case *image.Gray:
		comps = []plane{{b.Dx(), b.Dy(), m.Stride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):]}}
	case *image.YCbCr:
		if (m.SubsampleRatio == image.YCbCrSubsampleRatio420 || m.SubsampleRatio == image.YCbCrSubsampleRatio444) && b.Min.X%2 == 0 && b.Min.Y%2 == 0 {
			s := 1
			if m.SubsampleRatio == image.YCbCrSubsampleRatio420 {
				s, hs = 2, 2
			}
			cw, ch := chromaSize(b, s, s)
			co := m.COffset(b.Min.X, b.Min.Y)
			comps = []plane{
				{b.Dx(), b.Dy(), m.YStride, m.Y[m.YOffset(b.Min.X, b.Min.Y):]},
				{cw, ch, m.CStride, m.Cb[co:]},
				{cw, ch, m.CStride, m.Cr[co:]},
			}
		}
	}
	if comps == nil {
		return encodeJPEG(w, to420(img, workers), quality, workers)
	}

	srcs := make([]blockSource, len(comps))
	for i, p := range comps {
		srcs[i] = planeBlocks{p, &t.quant[min(i, 1)]}
	}
	return encodeBlocks(w, t, b.Dx(), b.Dy(), hs, srcs, workers)
}

// blockSource supplies the quantised blocks of one component.
type blockSource interface {
	// block writes the quantised coefficients (zig-zag order) of block
	// (bx, by), counted in blocks from the component's top left corner, and
	// returns a mask with a bit set at least for each non-zero coefficient. Blocks beyond the component's edge (MCU padding)
	// may hold anything a decoder crops away.
	block(zz *[64]int32, bx, by int) uint64
}

// planeBlocks transforms and quantises the blocks of an 8-bit plane with
// the quantiser q (reciprocals in natural order, AAN-scaled, see
// tables.quant).
type planeBlocks struct {
	p plane
	q *[64]float32
}

func (s planeBlocks) block(zz *[64]int32, bx, by int) uint64 {
	var b [64]float32
	loadBlock(&b, s.p, 8*bx, 8*by)
	fdct(&b)
	return quantise(zz, &b, s.q)
}

// encodeBlocks writes a baseline JPEG of width×height pixels from one
// (gray) or three (YCbCr, luma sampled hs×hs, chroma 1×1) components,
// encoding bands of MCU rows in parallel: every MCU row is its own restart
// interval.
func encodeBlocks(w io.Writer, t *tables, width, height, hs int, srcs []blockSource, workers int) error {
	if width >= 1<<16 || height >= 1<<16 {
		return fmt.Errorf("image is too large for JPEG (%dx%d; at most 65535 per side)", width, height)
	}
	if len(srcs) == 1 {
		hs = 1
	}
	mcu := 8 * hs
	mcuCols := (width + mcu - 1) / mcu
	mcuRows := (height + mcu - 1) / mcu

	rows := make([][]byte, mcuRows)
	parallel(mcuRows, workers, func(lo, hi int) {
		var zz [64]int32
		var buf []byte
		for r := lo; r < hi; r++ {
			if cap(buf) < 16<<10 {
				buf = make([]byte, 0, 256<<10)
			}
			bw := bitWriter{buf: buf}
			var prev [3]int32
			for c := 0; c < mcuCols; c++ {
				for by := 0; by < hs; by++ {
					for bx := 0; bx < hs; bx++ {
						nz := srcs[0].block(&zz, c*hs+bx, r*hs+by)
						prev[0] = bw.block(&zz, nz, prev[0], t.huff[0], t.huff[1])
					}
				}
				for k := 1; k < len(srcs); k++ {
					nz := srcs[k].block(&zz, c, r)
					prev[k] = bw.block(&zz, nz, prev[k], t.huff[2], t.huff[3])
				}
			}
			bw.pad()
			if r < mcuRows-1 {
				bw.buf = append(bw.buf, 0xff, 0xd0+byte(r%8))
			}
			// Rows of one band share a buffer; each keeps its slice of it.
			rows[r] = bw.buf
			buf = bw.buf[len(bw.buf):]
		}
	})

	var hdr bytes.Buffer
	seg := func(marker byte, payload []byte) {
		hdr.Write([]byte{0xff, marker, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)})
		hdr.Write(payload)
	}
	hdr.Write([]byte{0xff, 0xd8})
	seg(0xe0, []byte{'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})
	seg(0xdb, t.dqt)
	sof := []byte{8, byte(height >> 8), byte(height), byte(width >> 8), byte(width), byte(len(srcs))}
	if len(srcs) == 1 {
		sof = append(sof, 1, 0x11, 0)
	} else {
		sof = append(sof, 1, byte(hs<<4|hs), 0, 2, 0x11, 1, 3, 0x11, 1)
	}
	seg(0xc0, sof)
	seg(0xc4, t.dht)
	seg(0xdd, []byte{byte(mcuCols >> 8), byte(mcuCols)})
	if len(srcs) == 1 {
		seg(0xda, []byte{1, 1, 0x00, 0, 63, 0})
	} else {
		seg(0xda, []byte{3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0})
	}
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := w.Write(r); err != nil {
			return err
		}
	}
	_, err := w.Write([]byte{0xff, 0xd9})
	return err
}

// to420 converts any image to YCbCr 4:2:0 (chroma averaged over 2×2).
func to420(img image.Image, workers int) *image.YCbCr {
	src := toRGBA(img, workers)
	b := src.Bounds()
	out := image.NewYCbCr(image.Rect(0, 0, b.Dx(), b.Dy()), image.YCbCrSubsampleRatio420)
	cw := out.CStride
	ch := len(out.Cb) / cw
	parallel(ch, workers, func(lo, hi int) {
		for cy := lo; cy < hi; cy++ {
			for cx := 0; cx < cw; cx++ {
				var sb, sr, n int32
				for dy := 0; dy < 2; dy++ {
					y := 2*cy + dy
					if y >= b.Dy() {
						continue
					}
					for dx := 0; dx < 2; dx++ {
						x := 2*cx + dx
						if x >= b.Dx() {
							continue
						}
						o := src.PixOffset(b.Min.X+x, b.Min.Y+y)
						p := src.Pix[o : o+3 : o+3]
						r, g, bb := int32(p[0]), int32(p[1]), int32(p[2])
						// BT.601 full range, as JFIF defines.
						yy := (19595*r + 38470*g + 7471*bb + 1<<15) >> 16
						out.Y[y*out.YStride+x] = uint8(yy)
						sb += -11056*r - 21712*g + 32768*bb
						sr += 32768*r - 27440*g - 5328*bb
						n++
					}
				}
				out.Cb[cy*cw+cx] = clampInt((sb/n + 128<<16 + 1<<15) >> 16)
				out.Cr[cy*cw+cx] = clampInt((sr/n + 128<<16 + 1<<15) >> 16)
			}
		}
	})
	return out
}

func clampInt(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
