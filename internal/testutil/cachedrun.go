package testutil

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/testrunenv"
)

// CachedRun runs the deterministic tool (a path, from RequireTool) with
// args, where the last argument is the file it writes, and keeps that
// file's bytes between test runs under the user's cache folder. The key is
// the tool (path, size, modification time and inode of the program), the
// arguments, the bytes of every argument that names an existing file and
// the output's extension, so a run with the same program on the same input
// files copies the file instead of running the tool again. For reference results the tests
// compare against (ImageMagick's exact blur costs more CPU than the code
// under test).
func CachedRun(t testing.TB, tool string, args ...string) {
	t.Helper()
	if len(args) == 0 {
		t.Fatal("CachedRun: no output argument")
	}
	if err := cachedRun(resultsCache(), tool, args); err != nil {
		t.Fatal(err)
	}
}

// resultsCache is the folder of the kept results.
func resultsCache() string { return filepath.Join(testrunenv.CacheBase(), "axios-testrun-results") }

func cachedRun(cache, tool string, args []string) error {
	out := args[len(args)-1]
	key, err := runKey(tool, args[:len(args)-1], "out\x00"+filepath.Ext(out))
	if err != nil {
		return err
	}
	b, kept, err := keep(cache, key, func() ([]byte, error) {
		if text, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s %v: %v\n%s", tool, args, err, text)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return nil, fmt.Errorf("%s wrote no %s: %w", tool, out, err)
		}
		return b, nil
	})
	if err != nil || !kept {
		return err // the tool wrote out itself
	}
	return os.WriteFile(out, b, 0o644)
}

// CachedOutput runs the deterministic tool (a path, from RequireTool) with
// args and returns what it printed on standard output, kept between test
// runs as CachedRun keeps a file: a run of the same program with the same
// arguments on the same input files reads the kept output. Only a run that
// succeeds is kept; a failure is an error carrying the tool's standard
// error, and runs again next time. For checks of committed files by an
// outside tool (caddy fmt and adapt of the expected Caddyfiles).
func CachedOutput(t testing.TB, tool string, args ...string) ([]byte, error) {
	t.Helper()
	out, err := cachedOutput(resultsCache(), tool, args)
	if errors.Is(err, errNoKey) {
		t.Fatal(err)
	}
	return out, err
}

// errNoKey marks a tool that cannot be hashed (it is missing).
var errNoKey = errors.New("no cache key")

func cachedOutput(cache, tool string, args []string) ([]byte, error) {
	key, err := runKey(tool, args, "stdout")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNoKey, err)
	}
	b, _, err := keep(cache, key, func() ([]byte, error) {
		cmd := exec.Command(tool, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s %v: %w\n%s", tool, args, err, stderr.Bytes())
		}
		return out, nil
	})
	return b, err
}

// keep returns the bytes kept in cache under key (kept is true), or makes
// them and keeps them when that succeeds. They are saved whole or not at
// all; a failure to save leaves the result standing, and only the next run
// pays again.
func keep(cache, key string, produce func() ([]byte, error)) (b []byte, kept bool, err error) {
	entry := filepath.Join(cache, key)
	if b, err := os.ReadFile(entry); err == nil {
		return b, true, nil
	}
	if b, err = produce(); err != nil {
		return nil, false, err
	}
	if os.MkdirAll(cache, 0o755) == nil {
		fsutil.WriteFileAtomic(entry, b, 0o644)
	}
	return b, false, nil
}

// runKey hashes what decides the output of tool with args: the program
// file's identity, the arguments, where one that names a regular file
// counts by its content (not its name, which differs from run to run),
// and what is kept (for CachedRun the output file's extension: a
// converter's format).
func runKey(tool string, args []string, kept string) (string, error) {
	h := sha256.New()
	fi, err := os.Stat(tool)
	if err != nil {
		return "", fmt.Errorf("CachedRun: %w", err)
	}
	fmt.Fprintf(h, "%s\x00%s\x00", tool, testrunenv.Identity(fi))
	for _, a := range args {
		if st, err := os.Stat(a); err != nil || !st.Mode().IsRegular() {
			fmt.Fprintf(h, "arg\x00%d\x00%s\x00", len(a), a)
			continue
		}
		b, err := os.ReadFile(a)
		if err != nil {
			return "", fmt.Errorf("CachedRun: %w", err)
		}
		fmt.Fprintf(h, "file\x00%d\x00", len(b))
		h.Write(b)
	}
	io.WriteString(h, kept)
	return hex.EncodeToString(h.Sum(nil)), nil
}
