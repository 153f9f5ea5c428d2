package testutil

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/testrunenv"
)

// GoBuild builds the main packages pkgs of the module in dir (`go build
// FLAGS -o FOLDER/ PKGS`) and returns the folder, where each binary is
// named after its package's folder. The folder outlives the test run, under
// the user's cache folder, one per module folder, flags and packages: the
// go command leaves a binary alone when the build ID recorded in it matches
// its inputs, so a run after one that built the same code links nothing
// (linking axios and its helpers costs several CPU-seconds). The go
// command's scratch space is inside that folder, so a binary is renamed
// into place whole and a test run at the same time never executes a
// half-written file. Within one test process each folder is built once,
// and within one run of tools/testrun (which names the run in
// $AXIOS_TESTRUN_RUN) once for all its test binaries: the go command's
// check that nothing changed costs most of a CPU-second for axios.
func GoBuild(t testing.TB, dir string, flags []string, pkgs ...string) string {
	t.Helper()
	goTool := RequireTool(t, "go")
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.Join(append(append([]string{dir}, flags...), append([]string{"--"}, pkgs...)...), "\x00")
	goBuildsMu.Lock()
	b, ok := goBuilds[key]
	if !ok {
		b = &goBuildResult{}
		goBuilds[key] = b
	}
	goBuildsMu.Unlock()
	b.once.Do(func() {
		b.dir, b.err = goBuild(goTool, filepath.Join(testrunenv.CacheBase(), "axios-testbin"), key, dir, flags, pkgs)
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.dir
}

// AxiosPrograms builds axios and its helper programs (internal/helper) into
// one folder, as the flake's package installs them side by side, leaving
// out the symbol table and DWARF (-s -w) as that build does, and returns the
// folder. Every test that runs axios shares this one build (GoBuild).
func AxiosPrograms(t testing.TB) string {
	t.Helper()
	return GoBuild(t, RepoRoot(t), []string{"-ldflags=-s -w"},
		"./cmd/axios", "./cmd/axios-mcp", "./cmd/axios-init-form", "./cmd/axios-pwa", "./cmd/axios-wallpaper")
}

// builtRecord is what the file .built keeps of a build: its head
// (testrunenv.ModuleState), and each
// binary's identity (testrunenv.Identity), so that a binary replaced since
// is seen.
func builtRecord(head, out string, pkgs []string) (string, bool) {
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, p := range pkgs {
		fi, err := os.Stat(filepath.Join(out, filepath.Base(p)))
		if err != nil || !fi.Mode().IsRegular() {
			return "", false
		}
		b.WriteString(testrunenv.Identity(fi) + "\n")
	}
	return b.String(), true
}

// builtBefore reports whether the build kept in the file built had head
// (testrunenv.ModuleState) and left the binaries in out as they are.
func builtBefore(built, head, out string, pkgs []string) bool {
	b, err := os.ReadFile(built)
	if err != nil {
		return false
	}
	record, ok := builtRecord(head, out, pkgs)
	return ok && string(b) == record
}

type goBuildResult struct {
	once sync.Once
	dir  string
	err  error
}

var (
	goBuildsMu sync.Mutex
	goBuilds   = map[string]*goBuildResult{}
)

// goBuild builds into the folder of key under cache.
func goBuild(goTool, cache, key, dir string, flags, pkgs []string) (string, error) {
	sum := sha256.Sum256([]byte(key))
	out := filepath.Join(cache, hex.EncodeToString(sum[:8]))
	tmp := filepath.Join(out, ".tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", fmt.Errorf("go build: %w", err)
	}
	run := os.Getenv(testrunenv.RunVar)
	stamp := filepath.Join(out, ".testrun-run")
	if run != "" {
		if b, err := os.ReadFile(stamp); err == nil && string(b) == run {
			return out, nil // built earlier in this run
		}
	}
	// The files, the go command and its settings of the last build
	// (testrunenv.BuildKey, taken before it started), and the binaries
	// still there: nothing to ask the go command.
	built := filepath.Join(out, ".built")
	state := testrunenv.StateOf(dir, "gobuild", slices.Concat(flags, []string{"--"}, pkgs))
	if state.OK && builtBefore(built, state.Head, out, pkgs) {
		if run != "" {
			fsutil.WriteFileAtomic(stamp, []byte(run), 0o644)
		}
		return out, nil
	}
	// Until this build ends well nothing is kept: an interrupted or failed
	// build may have replaced some binaries.
	if err := os.Remove(built); err != nil && !os.IsNotExist(err) {
		return "", fmt.Errorf("go build: %w", err)
	}
	// -buildvcs=false: the key leaves out .git, so no stamp from it.
	args := append(append([]string{"build", "-buildvcs=false"}, flags...), "-o", out+string(filepath.Separator))
	cmd := exec.Command(goTool, append(args, pkgs...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTMPDIR="+tmp)
	if text, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s in %s: %v\n%s", strings.Join(pkgs, " "), dir, err, text)
	}
	if state.Unchanged() {
		if record, ok := builtRecord(state.Head, out, pkgs); ok {
			fsutil.WriteFileAtomic(built, []byte(record), 0o644)
		}
	}
	if run != "" {
		fsutil.WriteFileAtomic(stamp, []byte(run), 0o644) // else the next one checks again
	}
	return out, nil
}
