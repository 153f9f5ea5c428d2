package testutil

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/testrunenv"
)

// evalMemo keeps the answers of Nix evaluations between test runs, as
// CachedOutput keeps a tool's output: an evaluation is a function of the
// expression, the folder it runs in, the Nix program and the files it
// reads, so a second run on the same inputs reads the answer instead of
// evaluating again (the go command keeps test results the same way; a
// module evaluation costs tenths of a second of CPU, and the Nix process
// ≈70 ms to start).
//
// The key holds what an evaluation of the repository's Nix code can read:
//   - the expression, the folder, whether a failure is expected, and the
//     Nix program (path, size, modification time) with NIX_PATH;
//   - every file of the repository (outside .git): its name, and its bytes
//     unless it is Go source, so that an edit of Go code keeps the
//     answers. Nix reads Go source only to copy it into the store (the
//     axios package's src), and such answers are not kept (below);
//   - each path outside the repository that the expression names (an
//     absolute path, or a relative one climbing out of the folder): a
//     ContentFile by its name (the hash of its bytes), any other by its
//     type, size, modification time and inode, or its absence.
//
// An expression that names a test's own temporary file (not a
// ContentFile), or whose folder is outside the repository, is not kept,
// nor is an answer naming the Nix store (a file copied into the store is
// read by nix-instantiate alone) or one that failed for a reason other
// than the evaluation. In CI (CI=true, a fresh
// machine) and with AXIOS_NIX_MEMO=off every evaluation runs.
type evalMemo struct {
	cache string // the folder of the kept answers; "" keeps nothing
	root  string // the repository

	once  sync.Once
	state string // the hash of the repository's files; "" when unreadable
}

// MemoVar names the variable that turns the memo off ("off").
const MemoVar = "AXIOS_NIX_MEMO"

// nixMemo is the memo of this test binary.
var nixMemo = newEvalMemo()

func newEvalMemo() *evalMemo {
	if InCI() || os.Getenv(MemoVar) == "off" {
		return &evalMemo{}
	}
	return &evalMemo{cache: filepath.Join(testrunenv.CacheBase(), "axios-testrun-nixeval"), root: repoRoot}
}

// memoAnswer is a kept answer: the value (JSON text) of an evaluation
// that succeeded, or the error output of one that failed.
type memoAnswer struct {
	Value  json.RawMessage `json:"value,omitempty"`
	Stderr string          `json:"stderr"`
	Failed bool            `json:"failed"`
}

// evalOr is the pool's evalOr with the answers kept in m.
func (m *evalMemo) evalOr(p *replPool, nix, dir, expr string, mayFail bool) (out []byte, stderr string, err error) {
	key, ok := m.key(nix, dir, expr, mayFail)
	if ok {
		if a, hit := m.load(key); hit {
			if a.Failed {
				return nil, a.Stderr, errEvalFailed
			}
			return a.Value, a.Stderr, nil
		}
	}
	out, stderr, err = p.evalOr(nix, dir, expr, mayFail)
	if ok {
		m.save(key, out, stderr, err)
	}
	return out, stderr, err
}

// key returns the memo key of an evaluation; ok is false when its answer
// is not kept.
func (m *evalMemo) key(nix, dir, expr string, mayFail bool) (key string, ok bool) {
	if m.cache == "" || m.root == "" || !within(m.root, dir) {
		return "", false
	}
	m.once.Do(func() {
		m.state = repoState(m.root)
		prune(m.cache)
		prune(contentFiles())
	})
	if m.state == "" {
		return "", false
	}
	prog, err := os.Stat(nix)
	if err != nil {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "axios nix memo 1\x00%s\x00%d\x00%d\x00%s\x00", nix, prog.Size(), prog.ModTime().UnixNano(), os.Getenv("NIX_PATH"))
	fmt.Fprintf(h, "%s\x00%t\x00%s\x00%d\x00%s\x00", m.state, mayFail, dir, len(expr), expr)
	tmp := filepath.Clean(os.TempDir())
	for _, p := range namedPaths(dir, expr) {
		switch {
		case within(m.root, p) || isContentFile(p):
			// counted in state, or named after its bytes
		case within(tmp, p):
			return "", false // a test's own file: its name changes from run to run
		default:
			fmt.Fprintf(h, "path\x00%s\x00%s\x00", p, statIdentity(p))
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// load reads the answer kept under key.
func (m *evalMemo) load(key string) (memoAnswer, bool) {
	entry := filepath.Join(m.cache, key[:2], key)
	b, err := os.ReadFile(entry)
	if err != nil {
		return memoAnswer{}, false
	}
	var a memoAnswer
	if json.Unmarshal(b, &a) != nil || !a.Failed && len(a.Value) == 0 {
		return memoAnswer{}, false
	}
	now := time.Now()
	os.Chtimes(entry, now, now) // in use: pruneMemo keeps it
	return a, true
}

// save keeps an answer that any later evaluation with the same key would
// give: a value, or a failure of the evaluation itself (not of starting
// Nix), neither naming the Nix store.
func (m *evalMemo) save(key string, out []byte, stderr string, err error) {
	var exit interface{ ExitCode() int }
	failed := err != nil
	if failed && !errors.Is(err, errEvalFailed) && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return
	}
	if namesStoredFile(string(out)) || namesStoredFile(stderr) {
		return
	}
	a := memoAnswer{Stderr: stderr, Failed: failed}
	if !failed {
		if !json.Valid(out) {
			return
		}
		a.Value = bytes.TrimSpace(out)
	}
	b, jerr := json.Marshal(a)
	if jerr != nil {
		return
	}
	dir := filepath.Join(m.cache, key[:2])
	if os.MkdirAll(dir, 0o755) == nil {
		fsutil.WriteFileAtomic(filepath.Join(dir, key), b, 0o644)
	}
}

// statIdentity is what says that the file at path changed, as make
// tells: its type, size, modification time and inode, or "absent".
func statIdentity(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	return fmt.Sprintf("%v %d %d %d", fi.Mode(), fi.Size(), fi.ModTime().UnixNano(), ino)
}

// storePath matches the name of a path in the Nix store (its hash is 32
// characters of Nix's base 32).
var storePath = regexp.MustCompile(`/nix/store/[0-9abcdfghijklmnpqrsvwxyz]{32}-[0-9A-Za-z+._?=-]*`)

// storeDir is where the Nix store's paths are (tests move it).
var storeDir = "/nix/store"

// namesStoredFile reports whether text names a path that exists in the
// Nix store: what nix-instantiate prints for a file it copied there (the
// stand-ins' made-up store paths do not exist).
func namesStoredFile(text string) bool {
	for _, p := range storePath.FindAllString(text, -1) {
		if _, err := os.Lstat(filepath.Join(storeDir, strings.TrimPrefix(p, "/nix/store/"))); err == nil {
			return true
		}
	}
	return false
}

// namedPaths returns the absolute paths expr names, and its relative
// paths that climb out of dir ("../x"), resolved against dir.
func namedPaths(dir, expr string) []string {
	var out []string
	isPathByte := func(c byte) bool {
		return c == '/' || c == '.' || c == '_' || c == '-' || c == '+' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for i := 0; i < len(expr); {
		if !isPathByte(expr[i]) || i > 0 && isPathByte(expr[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(expr) && isPathByte(expr[j]) {
			j++
		}
		word := expr[i:j]
		i = j
		switch {
		case strings.HasPrefix(word, "/"):
			out = append(out, filepath.Clean(word))
		case strings.Contains(word, "../") || word == "..":
			out = append(out, filepath.Join(dir, word))
		}
	}
	return out
}

// repoState hashes the repository's files as evalMemo describes: every
// name, and the bytes of each file that is not Go source; "" when a file
// cannot be read.
func repoState(root string) string {
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			fmt.Fprintf(h, "dir\x00%s\x00", rel)
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "link\x00%s\x00%s\x00", rel, target)
		case strings.HasSuffix(d.Name(), ".go"):
			fmt.Fprintf(h, "go\x00%s\x00", rel)
		default:
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "file\x00%s\x00%d\x00", rel, len(b))
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// contentFiles is the folder of ContentFile's files.
func contentFiles() string { return filepath.Join(testrunenv.CacheBase(), "axios-testrun-files") }

// ContentFile returns the path of a file named name holding data, in a
// folder under the user's cache folder named after the hash of data: the
// same bytes have the same path in every test run, so that an evaluation
// naming the file can be kept by the Nix memo (see evalMemo), and the file
// is written once. It is declared fixed (FixedFile).
func ContentFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	dir := filepath.Join(contentFiles(), hex.EncodeToString(sum[:16]))
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil && bytes.Equal(b, data) {
		now := time.Now()
		os.Chtimes(path, now, now) // in use: pruning keeps it
	} else {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// Renamed into place whole: a test binary running at the same
		// time reads the old bytes (the same) or the new.
		if err := fsutil.WriteFileAtomic(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	contentChecked.Store(path, true)
	FixedFile(path)
	return path
}

// contentChecked holds the content files whose bytes match their folder's
// name in this test binary.
var contentChecked sync.Map

// isContentFile reports whether path is a ContentFile whose bytes match
// the hash its folder is named after.
func isContentFile(path string) bool {
	if _, ok := contentChecked.Load(path); ok {
		return true
	}
	dir := filepath.Dir(path)
	if filepath.Dir(dir) != contentFiles() {
		return false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(b)
	if filepath.Base(dir) != hex.EncodeToString(sum[:16]) {
		return false
	}
	contentChecked.Store(path, true)
	return true
}

// memoAge is how long a kept answer or content file stays unused before
// pruning removes it.
const memoAge = 14 * 24 * time.Hour

// prune removes the files under dir unused (not modified) for memoAge, at
// most once a day: a file named "pruned" in dir records the last time.
func prune(dir string) {
	stamp := filepath.Join(dir, "pruned")
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return
	}
	if os.MkdirAll(dir, 0o755) != nil || os.WriteFile(stamp, nil, 0o644) != nil {
		return
	}
	old := time.Now().Add(-memoAge)
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == stamp {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.ModTime().Before(old) {
			os.Remove(path)
			os.Remove(filepath.Dir(path)) // only when empty
		}
		return nil
	})
}
