// Command artwork generates the project's original artwork deterministically:
// the wallpaper collection (home/desktop/wallpapers/*.jpg) and the icons of
// the built-in PWAs (pkgs/pwa-apps/icons/<id>.png), and records in
// tools/artwork/artwork.sum what they were made from. Nothing is drawn from
// third-party images or fonts.
//
//	go run ./tools/artwork -out .          # regenerate in place (repo root)
//	go run ./tools/artwork -out /tmp/art   # write the same tree elsewhere
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/axios-nix/axios/internal/exitcode"
)

// Output locations, relative to -out (the repository root by default).
const (
	wallpaperDir = "home/desktop/wallpapers"
	iconDir      = "pkgs/pwa-apps/icons"
	defaultDefs  = "pkgs/pwa-apps/pwa-defs.json"
	jpegQuality  = 85
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "artwork:", err)
		var ee *exitcode.Error
		if errors.As(err, &ee) {
			os.Exit(ee.Code)
		}
		os.Exit(exitcode.Failed)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("artwork", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", ".", "root folder to write into (wallpapers go to OUT/"+wallpaperDir+", icons to OUT/"+iconDir+")")
	defs := fs.String("defs", defaultDefs, "PWA definitions (JSON) naming the icons to draw")
	if err := fs.Parse(args); err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	if fs.NArg() > 0 {
		return exitcode.New(exitcode.Usage, fmt.Errorf("unexpected argument %q; use -out DIR", fs.Arg(0)))
	}
	files, err := generate(*out, *defs)
	if err != nil {
		return err
	}
	if err := writeSum(*out, *defs, files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

// generate writes every wallpaper and icon under root and returns the
// written paths relative to root, sorted.
func generate(root, defsPath string) ([]string, error) {
	ids, defs, err := loadDefs(defsPath)
	if err != nil {
		return nil, exitcode.New(exitcode.Usage, err)
	}
	for _, dir := range []string{wallpaperDir, iconDir} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", dir, err)
		}
	}
	var files []string
	for _, id := range ids {
		rel := filepath.Join(iconDir, id+".png")
		if err := writePNG(filepath.Join(root, rel), renderIcon(id, defs[id].Label)); err != nil {
			return nil, err
		}
		files = append(files, rel)
	}
	ds := designs()
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		rel := filepath.Join(wallpaperDir, d.name+".jpg")
		files = append(files, rel)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writeJPEG(filepath.Join(root, rel), render(d))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return writeFile(path, buf.Bytes())
}

func writeJPEG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return writeFile(path, buf.Bytes())
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
