package blur

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultQuality is the JPEG quality written when none is given; it is
// ImageMagick's default for a JPEG without a known quality.
const DefaultQuality = 92

// Format is an output file format.
type Format int

// Output formats.
const (
	JPEG Format = iota
	PNG
)

// FormatOf picks the output format from a file name's extension.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg":
		return JPEG, nil
	case ".png":
		return PNG, nil
	default:
		return 0, fmt.Errorf("%s: unsupported output extension %q: use .jpg, .jpeg or .png", path, filepath.Ext(path))
	}
}

// Decode reads a JPEG or PNG file (recognised by content).
func Decode(path string) (image.Image, error) {
	data, err := readInput(path)
	if err != nil {
		return nil, err
	}
	return decodeBytes(path, data)
}

// MaxFileBytes is the largest input file read (a 134-megapixel PNG with
// little compression fits).
const MaxFileBytes = 512 << 20

// maxFileBytes is MaxFileBytes, lowered by tests.
var maxFileBytes int64 = MaxFileBytes

// readInput reads the input image, at most MaxFileBytes: a device or pipe
// has no size to check beforehand (axios wallpaper blur /dev/zero …).
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening input: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if info, err := f.Stat(); err == nil {
		if info.IsDir() {
			return nil, fmt.Errorf("opening input: %s is a folder, not an image", path)
		}
		if info.Mode().IsRegular() && info.Size() <= maxFileBytes {
			buf.Grow(int(info.Size()) + bytes.MinRead) // one allocation, no regrowth
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFileBytes+1)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	data := buf.Bytes()
	if int64(len(data)) > maxFileBytes {
		return nil, fmt.Errorf("reading %s: more than %d MiB, too large for a wallpaper", path, maxFileBytes>>20)
	}
	return data, nil
}

// MaxPixels is the largest image accepted (134 megapixels; an 8K
// wallpaper has 33).
const MaxPixels = 1 << 27

func tooLarge(w, h int) error {
	return fmt.Errorf("image is %dx%d, more than the %d megapixels accepted", w, h, MaxPixels/1000000)
}

func decodeBytes(path string, data []byte) (image.Image, error) {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("decoding %s: %w", path, tooLarge(cfg.Width, cfg.Height))
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, fmt.Errorf("decoding %s: not a JPEG or PNG image", path)
		}
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	return img, nil
}

// Encode writes img to path in the format of its extension, through a
// temporary file renamed into place, so a reader never sees a partial file.
func Encode(path string, img image.Image, quality int) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return writeFile(path, quality, func(w io.Writer) error {
		if format == PNG {
			if _, ok := img.(*image.YCbCr); ok {
				img = toRGBA(img, 0)
			}
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			return enc.Encode(w, img)
		}
		return encodeJPEG(w, img, quality, 0)
	})
}

// writeFile writes path through a temporary file in its folder that
// replaces it only once complete.
func writeFile(path string, quality int, write func(io.Writer) error) (err error) {
	if quality < 1 || quality > 100 {
		return fmt.Errorf("JPEG quality %d is out of range: use 1 to 100", quality)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<16)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Close()
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// File blurs the image in the file in and writes it to out (JPEG or PNG by
// out's extension).
func File(in, out string, o Options, quality int) error {
	format, err := FormatOf(out)
	if err != nil {
		return err
	}
	if quality < 1 || quality > 100 {
		return fmt.Errorf("JPEG quality %d is out of range: use 1 to 100", quality)
	}
	data, err := readInput(in)
	if err != nil {
		return err
	}
	var blurred image.Image
	if useDC(o) && bytes.HasPrefix(data, []byte{0xff, 0xd8}) {
		// The 1/8-scale read; a JPEG it does not handle (progressive, CMYK …)
		// or cannot read takes the full decode below, which reports real
		// damage.
		if dc, err := decodeDC(data); err == nil {
			lows, err := dc.blurLow(o)
			if err != nil {
				return fmt.Errorf("blurring %s: %w", in, err)
			}
			if format == JPEG {
				// Encoded from the low-resolution blur, never made full size.
				return writeFile(out, quality, func(w io.Writer) error {
					return encodeLow(w, dc.w, dc.h, lows, quality, o.workers())
				})
			}
			blurred = upscaleAll(dc.w, dc.h, lows, o.workers())
		}
	}
	if blurred == nil {
		img, err := decodeBytes(in, data)
		if err != nil {
			return err
		}
		if blurred, err = Image(img, o); err != nil {
			return fmt.Errorf("blurring %s: %w", in, err)
		}
	}
	return Encode(out, blurred, quality)
}
