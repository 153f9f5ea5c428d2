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
// The values of evaluations that succeeded are kept, and the messages of
// evaluations expected to fail (NixEvalError) that failed in the
// evaluation (save says which). The key holds
// what an evaluation of the repository's Nix code can read:
//   - the expression, the folder, and whether a failure was expected;
//   - Nix: the program it resolves to (size, modification time, inode),
//     NIX_PATH, NIX_CONFIG and the other variables that place its
//     settings, and the identity of its nix.conf files (nixIdentity);
//   - every file of the repository (outside .git): its name, and its bytes
//     unless it is Go source, so that an edit of Go code keeps the
//     answers. Nix sees Go source only as part of a store path (the axios
//     package's src), so an answer naming a store path other than a
//     stand-in's made-up one is kept under a key that also holds the
//     bytes of every Go file;
//   - each path outside the repository that the expression names (an
//     absolute path, or a relative one leaving the folder): a ContentFile
//     by its name (the hash of its bytes), any other file by its type,
//     size, modification time and inode, or its absence.
//
// Not kept: an expression naming a test's own temporary file (not a
// ContentFile), a folder or a Nix file outside the repository (their
// content is more than their identity), a search-path lookup (<nixpkgs>)
// or a path from the home folder (~/), one evaluated in a folder outside
// the repository; a failure where success was expected, or one naming a
// failure of the system (Nix fails with status 1 for a full disk as for a
// wrong expression); and, once the repository's
// files changed during the run (names, sizes, times), anything more. A
// path written in a string with a space or a character outside
// [A-Za-z0-9._+-/] counts by its first part only. In CI (CI=true, a fresh
// machine) and with AXIOS_NIX_MEMO=off every evaluation runs.
type evalMemo struct {
	cache string // the folder of the kept answers; "" keeps nothing
	root  string // the repository

	once  sync.Once
	state string // the hash of the repository's files; "" when unreadable
	nixID string // what identifies Nix and its settings

	goOnce  sync.Once
	goState string // the hash of the repository's files with Go source; "" when unreadable

	mu    sync.Mutex
	print string // the repository's names, sizes and times when state was taken
	stale bool   // the repository changed during the run: nothing more is kept
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
// that succeeded, or the failure of one expected to fail, and what it
// printed on standard error.
type memoAnswer struct {
	Value  json.RawMessage `json:"value,omitempty"`
	Stderr string          `json:"stderr"`
	Failed bool            `json:"failed,omitempty"`
}

// answer is what evalOr returns for a: its value, or its failure (kept
// only under the key of an evaluation expected to fail).
func (a memoAnswer) answer() ([]byte, string, error) {
	if a.Failed {
		return nil, a.Stderr, errEvalFailed
	}
	return a.Value, a.Stderr, nil
}

// systemError matches the messages of failures of the system rather than
// of the expression.
var systemError = regexp.MustCompile(`(?i)no space left|disk quota|interrupted|out of memory|cannot allocate|too many open files|permission denied|resource temporarily unavailable|input/output error`)

// evalOr is the pool's evalOr with the answers kept in m.
func (m *evalMemo) evalOr(p *replPool, nix, dir, expr string, mayFail bool) (out []byte, stderr string, err error) {
	key, ok := m.key(nix, dir, expr, mayFail)
	if ok {
		if a, hit := m.load(key); hit {
			return a.answer()
		}
		if a, hit := m.load(m.withGo(key)); hit {
			return a.answer()
		}
	}
	out, stderr, err = p.evalOr(nix, dir, expr, mayFail)
	if ok {
		if namesStorePath(string(out)) || namesStorePath(stderr) {
			// A store path's hash covers every byte of its files, Go
			// source too: kept under a key that holds them all.
			key = m.withGo(key)
		}
		m.save(key, out, stderr, err, mayFail)
	}
	return out, stderr, err
}

// withGo is key for an answer naming a store path: key with the bytes of
// the repository's Go source as well ("" when they cannot be read).
func (m *evalMemo) withGo(key string) string {
	m.goOnce.Do(func() { m.goState = repoState(m.root, true) })
	if m.goState == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key + "\x00go source\x00" + m.goState))
	return hex.EncodeToString(sum[:])
}

// key returns the memo key of an evaluation; ok is false when its answer
// is not kept.
func (m *evalMemo) key(nix, dir, expr string, mayFail bool) (key string, ok bool) {
	if m.cache == "" || m.root == "" || !testrunenv.Within(m.root, dir) {
		return "", false
	}
	m.once.Do(func() {
		m.print = repoPrint(m.root)
		m.state = repoState(m.root, false)
		m.nixID = nixIdentity(nix)
		prune(m.cache)
		prune(contentFiles())
	})
	m.mu.Lock()
	stale := m.stale
	m.mu.Unlock()
	if m.state == "" || m.nixID == "" || stale || strings.Contains(expr, "~/") || lookupPath.MatchString(expr) {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "axios nix memo 2\x00%s\x00%s\x00", m.nixID, nix)
	fmt.Fprintf(h, "%s\x00%t\x00%s\x00%d\x00%s\x00", m.state, mayFail, dir, len(expr), expr)
	tmp := filepath.Clean(os.TempDir())
	for _, p := range namedPaths(dir, expr) {
		switch {
		case testrunenv.Within(m.root, p) || isContentFile(p):
			// counted in state, or named after its bytes
		case testrunenv.Within(tmp, p):
			return "", false // a test's own file: its name changes from run to run
		default:
			id, ok := outsideIdentity(p)
			if !ok {
				return "", false
			}
			fmt.Fprintf(h, "path\x00%s\x00%s\x00", p, id)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// load reads the answer kept under key.
func (m *evalMemo) load(key string) (memoAnswer, bool) {
	if len(key) < 2 {
		return memoAnswer{}, false // withGo could not read the Go source
	}
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

// save keeps the value of an evaluation that succeeded, or the message of
// one expected to fail (NixEvalError) that failed in the evaluation itself
// and names no failure of the system (a full disk, an interrupted or
// out-of-memory process, too many open files, a refused permission: Nix
// fails with the same status for those), unless the repository changed
// since the key was made. A failure where success was expected is never
// kept: it is evaluated again, alone, and reported.
func (m *evalMemo) save(key string, out []byte, stderr string, err error, mayFail bool) {
	var exit interface{ ExitCode() int }
	failed := err != nil
	switch {
	case key == "":
		return
	case failed && (!mayFail || systemError.MatchString(stderr)):
		return
	case failed && !errors.Is(err, errEvalFailed) && !(errors.As(err, &exit) && exit.ExitCode() == 1):
		return
	case !failed && !json.Valid(out):
		return
	}
	if !m.unchanged() {
		return
	}
	a := memoAnswer{Stderr: stderr, Failed: failed}
	if !failed {
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

// unchanged reports whether the repository's files have the names, sizes
// and modification times they had when the key's hash of them was taken:
// an answer read from files edited since then must not be kept under it.
// Once they changed, nothing more is kept in this test binary.
func (m *evalMemo) unchanged() bool {
	now := repoPrint(m.root)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stale || now == "" || now != m.print {
		m.stale = true
		return false
	}
	return true
}

// nixIdentity identifies the Nix program and its settings: the program
// (the file it links to: on NixOS a store path, whose name carries a hash)
// by size, modification time and inode, NIX_PATH, NIX_CONFIG and
// NIX_CONF_DIR, and the identity of each configuration file Nix reads.
// "" when the program cannot be found.
func nixIdentity(nix string) string {
	real, err := filepath.EvalSymlinks(nix)
	if err != nil {
		return ""
	}
	id := statIdentity(real)
	if id == "absent" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%s\x00", real, id)
	for _, v := range []string{"NIX_PATH", "NIX_CONFIG", "NIX_CONF_DIR", "NIX_USER_CONF_FILES", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "HOME"} {
		fmt.Fprintf(&b, "%s=%s\x00", v, os.Getenv(v))
	}
	confDir := os.Getenv("NIX_CONF_DIR")
	if confDir == "" {
		confDir = "/etc/nix"
	}
	confs := []string{filepath.Join(confDir, "nix.conf")}
	if home, err := os.UserConfigDir(); err == nil {
		confs = append(confs, filepath.Join(home, "nix", "nix.conf"))
	}
	for _, c := range confs {
		fmt.Fprintf(&b, "%s\x00%s\x00", c, statIdentity(c))
	}
	return b.String()
}

// outsideIdentity is what counts of a path outside the repository that an
// expression names: its identity (statIdentity) when it is absent or a
// file Nix reads whole; ok is false for a folder or a Nix file, whose
// content (the files in it, the files it imports) its identity does not
// cover.
func outsideIdentity(path string) (id string, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent", true
	}
	if fi.IsDir() || strings.HasSuffix(path, ".nix") {
		return "", false
	}
	return statIdentity(path), true
}

// statIdentity is what says that the file at path changed, as make
// tells: its type, size, modification time and inode, or "absent".
func statIdentity(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	return fmt.Sprintf("%v %s", fi.Mode(), testrunenv.Identity(fi))
}

// storePath matches the name of a path in the Nix store (its hash is 32
// characters of Nix's base 32).
var storePath = regexp.MustCompile(`/nix/store/([0-9abcdfghijklmnpqrsvwxyz]{32})-`)

// namesStorePath reports whether text names a path in the Nix store other
// than a stand-in's made-up one (a hash of one repeated character): a
// store path of the repository's files depends on all of their bytes, Go
// source included, which the key does not hold.
func namesStorePath(text string) bool {
	for _, m := range storePath.FindAllStringSubmatch(text, -1) {
		if strings.Count(m[1], m[1][:1]) != len(m[1]) {
			return true
		}
	}
	return false
}

// lookupPath matches a search-path lookup (<nixpkgs>, <nixpkgs/lib>),
// whose file the key cannot name.
var lookupPath = regexp.MustCompile(`<[A-Za-z0-9._+-]+(/[A-Za-z0-9._+/-]*)?>`)

// namedPaths returns the paths expr names outside the repository's
// relative reach: every absolute path, and every relative one with a
// slash, resolved against dir ("./..", "../x"). A word of slashes alone
// ("//", the update operator) is not a path.
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
		case strings.Trim(word, "/") == "":
		case strings.HasPrefix(word, "/"):
			out = append(out, filepath.Clean(word))
		case strings.Contains(word, "/") || word == "..":
			out = append(out, filepath.Join(dir, word))
		}
	}
	return out
}

// repoState hashes the repository's files as evalMemo describes
// (testrunenv.HashTree): every name, and the bytes of each file that is
// not Go source (of every one with goSource); "" when a file cannot be
// read, or nothing says what it holds.
func repoState(root string, goSource bool) string {
	h := sha256.New()
	if err := testrunenv.HashTree(h, root, func(rel string) bool {
		return goSource || !strings.HasSuffix(rel, ".go")
	}); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// repoPrint lists the repository's names with their sizes and
// modification times: cheap to take again, and different after an edit.
func repoPrint(root string) string {
	h := sha256.New()
	err := testrunenv.WalkTree(root, func(rel string, d fs.DirEntry) error {
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%v\x00%d\x00%d\x00", rel, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
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
	now := time.Now()
	if b, err := os.ReadFile(path); err == nil && bytes.Equal(b, data) && os.Chtimes(path, now, now) == nil {
		// in use: pruning keeps it
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
