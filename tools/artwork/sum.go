package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	hexenc "encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// sumFile records what the committed art was generated from and what it is:
// the generator's own sources, the PWA definitions and the Go release (the
// JPEG encoder is Go's), then the hash of every file written. The test of
// the committed art re-renders everything only when a line no longer
// matches, so the ten 4K wallpapers are not drawn on every test run.
const sumFile = "tools/artwork/artwork.sum"

// sources are the generator's Go files, embedded so that the recorded hash
// is the hash of the code that actually ran.
//
//go:embed *.go
var sources embed.FS

// artSum is the parsed or computed content of sumFile.
type artSum struct {
	goVersion string
	inputs    map[string]string // path → sha256 of the generator's inputs
	outputs   map[string]string // path → sha256 of the generated files
}

func hashBytes(b []byte) string {
	h := sha256.Sum256(b)
	return hexenc.EncodeToString(h[:])
}

// inputSums hashes the generator's sources (test files excluded) and the
// PWA definitions at defsPath, recorded under defsRel.
func inputSums(defsPath, defsRel string) (map[string]string, error) {
	sums := map[string]string{}
	names, err := fs.Glob(sources, "*.go")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := sources.ReadFile(n)
		if err != nil {
			return nil, err
		}
		sums["tools/artwork/"+n] = hashBytes(b)
	}
	b, err := os.ReadFile(defsPath)
	if err != nil {
		return nil, fmt.Errorf("reading PWA definitions: %w", err)
	}
	sums[filepath.ToSlash(defsRel)] = hashBytes(b)
	return sums, nil
}

// outputSums hashes the files under root named by rels.
func outputSums(root string, rels []string) (map[string]string, error) {
	sums := map[string]string{}
	for _, rel := range rels {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return nil, err
		}
		sums[filepath.ToSlash(rel)] = hashBytes(b)
	}
	return sums, nil
}

// outputNames lists, without drawing anything, the files generate writes
// for the given PWA ids, sorted.
func outputNames(ids []string) []string {
	var files []string
	for _, id := range ids {
		files = append(files, filepath.Join(iconDir, id+".png"))
	}
	for _, d := range designs() {
		files = append(files, filepath.Join(wallpaperDir, d.name+".jpg"))
	}
	sort.Strings(files)
	return files
}

func (s artSum) encode() []byte {
	var b bytes.Buffer
	b.WriteString("# Written by `go run ./tools/artwork -out .`: what the art was generated\n")
	b.WriteString("# from (inputs, Go release) and what it is (outputs). Do not edit.\n")
	fmt.Fprintf(&b, "go %s\n", s.goVersion)
	for _, kind := range []struct {
		name string
		m    map[string]string
	}{{"input", s.inputs}, {"output", s.outputs}} {
		keys := make([]string, 0, len(kind.m))
		for k := range kind.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %s %s\n", kind.name, k, kind.m[k])
		}
	}
	return b.Bytes()
}

func parseSum(data []byte) (artSum, error) {
	s := artSum{inputs: map[string]string{}, outputs: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "go":
			s.goVersion = f[1]
		case len(f) == 3 && f[0] == "input":
			s.inputs[f[1]] = f[2]
		case len(f) == 3 && f[0] == "output":
			s.outputs[f[1]] = f[2]
		default:
			return s, fmt.Errorf("%s:%d: cannot read %q", sumFile, n, line)
		}
	}
	return s, sc.Err()
}

// writeSum records the sums of a finished generation under root.
func writeSum(root, defsPath string, files []string) error {
	in, err := inputSums(defsPath, defaultDefs)
	if err != nil {
		return err
	}
	out, err := outputSums(root, files)
	if err != nil {
		return err
	}
	s := artSum{goVersion: runtime.Version(), inputs: in, outputs: out}
	path := filepath.Join(root, sumFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	return writeFile(path, s.encode())
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// status compares the recorded sums with the tree under root.
type status struct {
	goMatches, inputsMatch, outputsMatch bool
	missing                              bool // no sum file yet
}

func (s status) upToDate() bool { return s.goMatches && s.inputsMatch && s.outputsMatch }

func (s status) reason() string {
	var r []string
	if s.missing {
		return sumFile + " does not exist"
	}
	if !s.goMatches {
		r = append(r, "recorded for another Go release")
	}
	if !s.inputsMatch {
		r = append(r, "the generator or the PWA definitions changed")
	}
	if !s.outputsMatch {
		r = append(r, "the committed images changed")
	}
	return strings.Join(r, "; ")
}

// sumStatus reads sumFile under root and checks each of its parts against
// the generator that is running, root's PWA definitions and root's images.
func sumStatus(root string) (status, error) {
	raw, err := os.ReadFile(filepath.Join(root, sumFile))
	if os.IsNotExist(err) {
		return status{missing: true}, nil
	}
	if err != nil {
		return status{}, err
	}
	rec, err := parseSum(raw)
	if err != nil {
		return status{}, err
	}
	defsPath := filepath.Join(root, defaultDefs)
	in, err := inputSums(defsPath, defaultDefs)
	if err != nil {
		return status{}, err
	}
	ids, _, err := loadDefs(defsPath)
	if err != nil {
		return status{}, err
	}
	st := status{goMatches: rec.goVersion == runtime.Version(), inputsMatch: sameMap(rec.inputs, in)}
	out, err := outputSums(root, outputNames(ids))
	st.outputsMatch = err == nil && sameMap(rec.outputs, out)
	return st, nil
}
