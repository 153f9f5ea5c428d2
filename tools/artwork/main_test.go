package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestCommittedArtIsGenerated requires the committed files to be exactly
// what the program produces. When tools/artwork/artwork.sum records the
// current generator sources, PWA definitions, Go release and the committed
// files' hashes, the art is known to be the program's output and nothing is
// re-rendered. Otherwise every image is regenerated into a temporary folder:
// PNGs must match byte for byte, JPEGs byte for byte or — should a Go
// release change its JPEG encoder — the same size with pixels within 2/255.
func TestCommittedArtIsGenerated(t *testing.T) {
	root := testutil.RepoRoot(t)
	ids, _, err := loadDefs(filepath.Join(root, defaultDefs))
	if err != nil {
		t.Fatal(err)
	}
	names := outputNames(ids)
	for _, dir := range []string{wallpaperDir, iconDir} {
		committed := listDir(t, filepath.Join(root, dir))
		var want []string
		for _, n := range names {
			if filepath.Dir(n) == dir {
				want = append(want, filepath.Base(n))
			}
		}
		if strings.Join(committed, ",") != strings.Join(want, ",") {
			t.Errorf("%s holds %v, the program generates %v; run `go run ./tools/artwork -out .`", dir, committed, want)
		}
	}
	st, err := sumStatus(root)
	if err != nil {
		t.Fatal(err)
	}
	if st.upToDate() {
		return
	}
	t.Logf("re-rendering the art: %s", st.reason())
	regenerateAndCompare(t, root)
	if !st.inputsMatch || !st.outputsMatch {
		t.Errorf("%s is out of date (%s); run `go run ./tools/artwork -out .`", sumFile, st.reason())
	}
}

func regenerateAndCompare(t *testing.T, root string) {
	t.Helper()
	if testing.Short() {
		t.Skip("renders ten 4K images")
	}
	tmp := t.TempDir()
	files, err := generate(tmp, filepath.Join(root, defaultDefs))
	if err != nil {
		t.Fatal(err)
	}
	var wallBytes int64
	for _, rel := range files {
		want, err := os.ReadFile(filepath.Join(tmp, rel))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Errorf("%s is not committed: %v", rel, err)
			continue
		}
		if strings.HasSuffix(rel, ".jpg") {
			wallBytes += int64(len(got))
			checkSize(t, rel, got, wallWidth, wallHeight)
		} else {
			checkSize(t, rel, got, iconSize, iconSize)
		}
		if bytes.Equal(got, want) {
			continue
		}
		if strings.HasSuffix(rel, ".png") {
			t.Errorf("%s differs from the generated icon; run `go run ./tools/artwork -out .`", rel)
			continue
		}
		if d := maxPixelDiff(t, got, want); d > 2 {
			t.Errorf("%s differs from the generated wallpaper by up to %d/255 per channel", rel, d)
		}
	}
	if limit := int64(15 << 20); wallBytes > limit {
		t.Errorf("wallpapers take %d bytes, over the %d byte budget", wallBytes, limit)
	}
}

// TestSumDetectsChangedInputsAndOutputs plays the three ways committed art
// can stop being the program's output — an edited image, edited PWA
// definitions, another toolchain — on a small tree with a recorded sum.
func TestSumDetectsChangedInputsAndOutputs(t *testing.T) {
	repo := testutil.RepoRoot(t)
	root := t.TempDir()
	defs, err := os.ReadFile(filepath.Join(repo, defaultDefs))
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel string, data []byte) {
		t.Helper()
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(defaultDefs, defs)
	ids, _, err := loadDefs(filepath.Join(root, defaultDefs))
	if err != nil {
		t.Fatal(err)
	}
	names := outputNames(ids)
	for _, n := range names {
		write(n, []byte("art of "+n))
	}
	if err := writeSum(root, filepath.Join(root, defaultDefs), names); err != nil {
		t.Fatal(err)
	}
	st, err := sumStatus(root)
	if err != nil || !st.upToDate() {
		t.Fatalf("fresh sum: status %+v, %v; want up to date", st, err)
	}

	write(names[0], []byte("edited by hand"))
	if st, _ := sumStatus(root); st.outputsMatch || st.upToDate() {
		t.Errorf("an edited %s went unnoticed", names[0])
	}
	write(names[0], []byte("art of "+names[0]))

	write(defaultDefs, append(defs, ' '))
	if st, _ := sumStatus(root); st.inputsMatch || st.upToDate() {
		t.Error("edited PWA definitions went unnoticed")
	}
	write(defaultDefs, defs)

	raw, err := os.ReadFile(filepath.Join(root, sumFile))
	if err != nil {
		t.Fatal(err)
	}
	write(sumFile, bytes.Replace(raw, []byte("go "+runtime.Version()), []byte("go go1.0"), 1))
	if st, _ := sumStatus(root); st.goMatches || st.upToDate() || !st.inputsMatch || !st.outputsMatch {
		t.Errorf("another Go release: status %+v, want only goMatches false", st)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func checkSize(t *testing.T, rel string, data []byte, w, h int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", rel, err)
		return
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("%s is %d×%d, want %d×%d", rel, cfg.Width, cfg.Height, w, h)
	}
}

func maxPixelDiff(t *testing.T, a, b []byte) int {
	t.Helper()
	ia, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if ia.Bounds() != ib.Bounds() {
		return 255
	}
	worst := 0
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			r1, g1, b1, _ := ia.At(x, y).RGBA()
			r2, g2, b2, _ := ib.At(x, y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				if d < 0 {
					d = -d
				}
				if d > worst {
					worst = d
				}
			}
		}
	}
	return worst
}

func TestIconDrawsLabelAndTransparentCorners(t *testing.T) {
	img := renderIcon("gmail", "GM")
	if a := img.NRGBAAt(0, 0).A; a != 0 {
		t.Errorf("corner alpha = %d, want 0 (rounded tile)", a)
	}
	if c := img.NRGBAAt(64, 10); c.A != 255 || (c.R == 255 && c.G == 255 && c.B == 255) {
		t.Errorf("tile pixel = %v, want opaque colour", c)
	}
	// 'G' row 0 is ".###.", so its second column is set; the label is centred.
	scale, gap := 9, 9
	left := (iconSize - (2*glyphWidth*scale + gap)) / 2
	top := (iconSize - glyphHeight*scale) / 2
	if c := img.NRGBAAt(left+scale+1, top+1); c.R != 255 || c.G != 255 || c.B != 255 {
		t.Errorf("label pixel = %v, want white", c)
	}
	if c := img.NRGBAAt(left+1, top+1); c.R == 255 && c.G == 255 && c.B == 255 {
		t.Errorf("pixel outside the G glyph is white")
	}
	other := renderIcon("youtube", "YT")
	if img.NRGBAAt(64, 10) == other.NRGBAAt(64, 10) {
		t.Error("two PWAs got the same tile colour")
	}
}

func TestIconsEncodeDeterministically(t *testing.T) {
	var a, b bytes.Buffer
	if err := png.Encode(&a, renderIcon("teams", "MT")); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&b, renderIcon("teams", "MT")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same icon differ")
	}
}

func TestLoadDefsRejectsBadInput(t *testing.T) {
	cases := map[string]struct{ json, want string }{
		"bad id":        {`{"Bad_Id":{"name":"x","url":"u","icon":"Bad_Id","label":"X"}}`, "lower-case"},
		"icon mismatch": {`{"a":{"name":"x","url":"u","icon":"b","label":"X"}}`, `a.icon is "b"`},
		"long label":    {`{"a":{"name":"x","url":"u","icon":"a","label":"ABC"}}`, "1 or 2 characters"},
		"unknown glyph": {`{"a":{"name":"x","url":"u","icon":"a","label":"a!"}}`, "A-Z and 0-9"},
		"duplicate":     {`{"a":{"name":"x","url":"u","icon":"a","label":"XY"},"b":{"name":"y","url":"u","icon":"b","label":"XY"}}`, "already used"},
		"not json":      {`{`, "parsing"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "defs.json")
			if err := os.WriteFile(path, []byte(c.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := loadDefs(path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestRunRejectsStrayArguments(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run([]string{"extra"}, &out, &errb); err == nil {
		t.Error("run accepted a positional argument")
	}
}

func TestRandomIsStable(t *testing.T) {
	// splitmix64 reference values: a change here changes every wallpaper.
	s := rng(0)
	if got := s.next(); got != 0xe220a8397b1dcdaf {
		t.Errorf("first splitmix64 output = %#x", got)
	}
}
