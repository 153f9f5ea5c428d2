package blur

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// TestTinyImages runs every path on images smaller than a block, a kernel
// or an MCU, where off-by-one errors would panic.
func TestTinyImages(t *testing.T) {
	dir := t.TempDir()
	for _, size := range [][2]int{{1, 1}, {3, 2}, {17, 9}, {1, 40}, {40, 1}} {
		src := testImage(size[0], size[1], 14)
		for _, ext := range []string{"png", "jpg"} {
			in := filepath.Join(dir, fmt.Sprintf("in%dx%d.%s", size[0], size[1], ext))
			if ext == "png" {
				writePNG(t, in, src)
			} else {
				writeJPEG(t, in, src)
			}
			for _, scale := range []int{0, 1, 4, 8} {
				for _, outExt := range []string{"jpg", "png"} {
					out := filepath.Join(dir, "out."+outExt)
					if err := File(in, out, Options{Scale: scale}, 90); err != nil {
						t.Fatalf("%s scale %d -> %s: %v", filepath.Base(in), scale, outExt, err)
					}
					img, err := Decode(out)
					if err != nil {
						t.Fatal(err)
					}
					if img.Bounds().Size() != (image.Point{size[0], size[1]}) {
						t.Errorf("%s scale %d -> %s: size %v", filepath.Base(in), scale, outExt, img.Bounds().Size())
					}
					os.Remove(out)
				}
			}
		}
	}
}
