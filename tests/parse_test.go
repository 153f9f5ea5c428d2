// Package tests holds repository-wide checks that belong to no Go package.
package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// parsed is Nix's normalised form (nix-instantiate --parse) of a .nix file,
// or the error Nix reported for it.
type parsed struct {
	out []byte
	err error
}

// nixParse parses every file in files with Nix and returns each file's
// normalised form. Files go to nix-instantiate in batches, one per CPU, run
// side by side: one process parses many files, and a separator file between
// them ("@@axios-parse-separator@@", a string literal that no file of ours
// parses to) splits the output. A batch that fails is parsed again file by
// file, so every file that does not parse gets its own error.
func nixParse(nix, dir string, files []string) (map[string]parsed, error) {
	const sepText = `"@@axios-parse-separator@@"`
	sep := filepath.Join(dir, "separator.nix")
	if err := os.WriteFile(sep, []byte(sepText+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("writing the parse separator: %w", err)
	}
	one := func(f string) parsed {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(nix, "--parse", f)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return parsed{err: fmt.Errorf("%v\n%s", err, stderr.Bytes())}
		}
		return parsed{out: stdout.Bytes()}
	}
	batches := runtime.NumCPU()
	size := (len(files) + batches - 1) / batches
	results := make(map[string]parsed, len(files))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for start := 0; start < len(files); start += size {
		batch := files[start:min(start+size, len(files))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"--parse"}
			for i, f := range batch {
				if i > 0 {
					args = append(args, sep)
				}
				args = append(args, f)
			}
			var stdout bytes.Buffer
			cmd := exec.Command(nix, args...)
			cmd.Stdout = &stdout
			err := cmd.Run()
			parts := bytes.Split(stdout.Bytes(), []byte("\n"+sepText+"\n"))
			got := map[string]parsed{}
			if err == nil && len(parts) == len(batch) {
				for i, f := range batch {
					out := parts[i]
					if i < len(batch)-1 {
						out = append(out, '\n')
					}
					got[f] = parsed{out: out}
				}
			} else {
				for _, f := range batch {
					got[f] = one(f)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for f, p := range got {
				results[f] = p
			}
		}()
	}
	wg.Wait()
	return results, nil
}

// repoNixFiles lists every .nix file under root (fuzz corpora and vendored
// code aside).
func repoNixFiles(t testing.TB, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "vendor" || d.Name() == "testdata" && strings.Contains(path, "fuzz")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".nix") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// repoParse is every .nix file of the repository parsed once, shared by the
// tests that need Nix's parse (TestEveryNixFileParses,
// TestOptionsParserAgreesWithNix).
var repoParse struct {
	once  sync.Once
	files []string
	res   map[string]parsed
}

func parsedRepo(t *testing.T) ([]string, map[string]parsed) {
	t.Helper()
	nix := testutil.RequireTool(t, "nix-instantiate")
	root := testutil.RepoRoot(t)
	repoParse.once.Do(func() {
		repoParse.files = repoNixFiles(t, root)
		// The separator lives in a folder that outlives this test.
		var err error
		if repoParse.res, err = nixParse(nix, runTempDir(t, "axios-parse-"), repoParse.files); err != nil {
			t.Fatal(err)
		}
	})
	if repoParse.res == nil {
		t.Fatal("parsing the repository's .nix files failed in an earlier test")
	}
	return repoParse.files, repoParse.res
}

// TestEveryNixFileParses runs nix-instantiate --parse on every .nix file.
func TestEveryNixFileParses(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	files, res := parsedRepo(t)
	if len(files) == 0 {
		t.Fatal("no .nix files found")
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		if p := res[f]; p.err != nil {
			t.Errorf("%s does not parse:\n%v", rel, p.err)
		}
	}
}

// TestNixParseBatchesSplitPerFile: the batched parse gives each file its own
// normalised form, the same as parsing it alone, and a file that does not
// parse is reported by name while its batch-mates still parse.
func TestNixParseBatchesSplitPerFile(t *testing.T) {
	t.Parallel()
	nix := testutil.RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var files []string
	for i := range 4 {
		files = append(files, write(fmt.Sprintf("f%d.nix", i), fmt.Sprintf("{ a%d = x: x + %d; b = \"s\\n\"; }", i, i)))
	}
	broken := write("broken.nix", "{ a = ; }")
	res, err := nixParse(nix, t.TempDir(), files)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		alone, err := exec.Command(nix, "--parse", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		if p := res[f]; p.err != nil || string(p.out) != string(alone) {
			t.Errorf("file %d: batched parse %q, %v; alone %q", i, p.out, p.err, alone)
		}
	}
	if res, err = nixParse(nix, t.TempDir(), append([]string{broken}, files...)); err != nil {
		t.Fatal(err)
	}
	if p := res[broken]; p.err == nil || !strings.Contains(p.err.Error(), "broken.nix") {
		t.Errorf("broken.nix: want an error naming the file, got %q, %v", p.out, p.err)
	}
	for _, f := range files {
		if p := res[f]; p.err != nil {
			t.Errorf("%s fails beside a broken file: %v", f, p.err)
		}
	}
}
