package testutil

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/fsutil"
)

// CachedRun runs the deterministic tool (a path, from RequireTool) with
// args, where the last argument is the file it writes, and keeps that
// file's bytes between test runs under the user's cache folder. The key is
// the tool (path, size and modification time of the program), the
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
	if err := cachedRun(filepath.Join(cacheBase(), "axios-testrun-results"), tool, args); err != nil {
		t.Fatal(err)
	}
}

func cachedRun(cache, tool string, args []string) error {
	out := args[len(args)-1]
	key, err := runKey(tool, args)
	if err != nil {
		return err
	}
	entry := filepath.Join(cache, key)
	if b, err := os.ReadFile(entry); err == nil {
		return os.WriteFile(out, b, 0o644)
	}
	if text, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %v\n%s", tool, args, err, text)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return fmt.Errorf("%s wrote no %s: %w", tool, out, err)
	}
	// Saved whole or not at all. A failure to save leaves the result
	// standing; only the next run pays again.
	if os.MkdirAll(cache, 0o755) == nil {
		fsutil.WriteFileAtomic(entry, b, 0o644)
	}
	return nil
}

// runKey hashes what decides the output of tool with args: the program
// file's identity, the arguments, where one that names a regular file
// counts by its content (not its name, which differs from run to run),
// and the output file's extension (a converter's format).
func runKey(tool string, args []string) (string, error) {
	h := sha256.New()
	fi, err := os.Stat(tool)
	if err != nil {
		return "", fmt.Errorf("CachedRun: %w", err)
	}
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", tool, fi.Size(), fi.ModTime().UnixNano())
	last := len(args) - 1
	for _, a := range args[:last] {
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
	fmt.Fprintf(h, "out\x00%s", filepath.Ext(args[last]))
	return hex.EncodeToString(h.Sum(nil)), nil
}
