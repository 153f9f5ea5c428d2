// Package optindex is the option index of a configuration: every NixOS,
// home-manager and axiOS option its own inputs declare (name, type,
// default, description, declaring files), built once with `axios options
// --update` and cached per nixpkgs revision under the user's cache folder.
// `axios check` looks option paths up in it; `axios options` searches it.
package optindex

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/flakelock"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/nixopts"
)

// Sources of an option.
const (
	SourceNixOS       = "nixos"
	SourceHomeManager = "home-manager"
	SourceAxios       = "axios"
	SourceOther       = "other" // another flake input's module (agenix, niri …)
)

// HomePrefix is where home-manager's NixOS module puts every user's
// home-manager options.
const HomePrefix = "home-manager.users.<name>."

// FormatVersion is the version of the cache file format.
const FormatVersion = 1

// MaxFileSize bounds an index file read from disk (a full NixOS plus
// home-manager index is about 30 MB).
const MaxFileSize = 256 << 20

// Option is one declared option.
type Option struct {
	Name         string   `json:"name"` // dotted; "<name>" and "*" are placeholders
	Type         string   `json:"type,omitempty"`
	Default      string   `json:"default,omitempty"` // as Nix code
	Description  string   `json:"description,omitempty"`
	Declarations []string `json:"declarations,omitempty"`
	Source       string   `json:"source"`
	Internal     bool     `json:"internal,omitempty"`
}

// File is the cache file's content.
type File struct {
	Version        int      `json:"version"`
	NixpkgsRev     string   `json:"nixpkgsRev,omitempty"`
	HomeManagerRev string   `json:"homeManagerRev,omitempty"`
	Host           string   `json:"host,omitempty"` // the configuration evaluated
	Options        []Option `json:"options"`
}

// Index is a loaded option index.
type Index struct {
	File
	Path  string // where it was read from, "" when built in memory
	paths *nixopts.Index
}

// New indexes options (sorted by name, duplicates by name dropped).
func New(f File) *Index {
	sort.SliceStable(f.Options, func(i, j int) bool { return f.Options[i].Name < f.Options[j].Name })
	out := f.Options[:0]
	for i, o := range f.Options {
		if i > 0 && o.Name == f.Options[i-1].Name {
			continue
		}
		out = append(out, o)
	}
	f.Options = out
	if f.Version == 0 {
		f.Version = FormatVersion
	}
	ix := &Index{File: f, paths: nixopts.NewIndex()}
	for _, o := range f.Options {
		ix.paths.Add(nixopts.SplitOptionPath(o.Name), nixopts.FreeformType(o.Type))
	}
	return ix
}

func toPath(path []string) nixopts.Path {
	p := make(nixopts.Path, len(path))
	for i, c := range path {
		p[i] = nixopts.Comp{Name: c}
	}
	return p
}

// Known reports whether path is an option, a prefix of options, or a value
// below a free-form option.
func (ix *Index) Known(path []string) bool { return ix.paths.Known(toPath(path)) }

// Children returns the names directly below path, for suggestions.
func (ix *Index) Children(path []string) []string { return ix.paths.Children(toPath(path)) }

// Len is the number of options.
func (ix *Index) Len() int { return len(ix.Options) }

// ReadTSV reads a "path<TAB>type" option list (the format of the lists in
// ../shared/data, "#" lines are comments) as options of source, each name
// prefixed with prefix.
func ReadTSV(r io.Reader, prefix, source string) ([]Option, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []Option
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, typ, ok := strings.Cut(text, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: want \"option<TAB>type\", got %q", line, text)
		}
		internal := strings.Contains(typ, "[internal]")
		typ = strings.TrimSpace(strings.NewReplacer(" [internal]", "", " [visible=false]", "").Replace(typ))
		out = append(out, Option{Name: prefix + name, Type: typ, Source: source, Internal: internal})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading options: %w", err)
	}
	return out, nil
}

// Load reads an index file.
func Load(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("option index %s is not a regular file", path)
	}
	var file File
	dec := json.NewDecoder(io.LimitReader(f, MaxFileSize))
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("option index %s is not valid (rebuild it with `axios options --update`): %w", path, err)
	}
	if file.Version != FormatVersion {
		return nil, fmt.Errorf("option index %s has format %d, this axios reads %d: rebuild it with `axios options --update`", path, file.Version, FormatVersion)
	}
	ix := New(file)
	ix.Path = path
	return ix, nil
}

// Save writes the index atomically (a temporary sibling, then rename).
func (ix *Index) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	data, err := json.Marshal(ix.File)
	if err != nil {
		return fmt.Errorf("encoding the option index: %w", err)
	}
	if err := fsutil.WriteFileAtomic(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the option index %s: %w", path, err)
	}
	// The names and types alone, for `axios check`: decoding the whole
	// JSON (descriptions and all) costs far more than checking a host.
	var b strings.Builder
	fmt.Fprintf(&b, "# axios option paths %d %s\n", FormatVersion, ix.NixpkgsRev)
	for _, o := range ix.Options {
		fmt.Fprintf(&b, "%s\t%s\n", o.Name, o.Type)
	}
	if err := fsutil.WriteFileAtomic(PathsFile(path), []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing the option paths %s: %w", PathsFile(path), err)
	}
	ix.Path = path
	return nil
}

// PathsFile is the names-and-types sidecar of an index file.
func PathsFile(index string) string { return strings.TrimSuffix(index, ".json") + ".paths" }

// LoadPaths reads only the option names and types of an index (its
// sidecar written by Save, else the index itself): enough for Known and
// Children, and fast.
func LoadPaths(path string) (*Index, error) {
	f, err := os.Open(PathsFile(path))
	if err != nil {
		return Load(path)
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, MaxFileSize))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	file := File{Version: FormatVersion}
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			var v int
			var rev string
			if n, _ := fmt.Sscanf(line, "# axios option paths %d %s", &v, &rev); n < 1 || v != FormatVersion {
				return Load(path)
			}
			file.NixpkgsRev = rev
			continue
		}
		name, typ, _ := strings.Cut(line, "\t")
		if name != "" {
			file.Options = append(file.Options, Option{Name: name, Type: typ})
		}
	}
	if err := sc.Err(); err != nil {
		return Load(path)
	}
	ix := New(file)
	ix.Path = path
	return ix, nil
}

// CacheDir is $XDG_CACHE_HOME/axios, else ~/.cache/axios.
func CacheDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "axios"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("neither XDG_CACHE_HOME nor HOME is set: no cache folder for the option index")
	}
	return filepath.Join(home, ".cache", "axios"), nil
}

// CacheFile is the index file of a nixpkgs revision in dir.
func CacheFile(dir, nixpkgsRev string) string {
	if nixpkgsRev == "" {
		nixpkgsRev = "unlocked"
	}
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, nixpkgsRev)
	return filepath.Join(dir, "options-"+safe+".json")
}

// Find returns the index for nixpkgsRev in dir, else the newest other index
// there (exact is then false), else nil.
func Find(dir, nixpkgsRev string) (path string, exact bool) {
	want := CacheFile(dir, nixpkgsRev)
	if info, err := os.Stat(want); err == nil && info.Mode().IsRegular() {
		return want, true
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "options-*.json"))
	var newest string
	var newestTime int64
	for _, m := range matches {
		info, err := os.Stat(m)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if t := info.ModTime().UnixNano(); newest == "" || t > newestTime {
			newest, newestTime = m, t
		}
	}
	return newest, false
}

// LockedRevs returns the locked revisions of nixpkgs and home-manager in the
// configuration directory's flake.lock (its own inputs, else axios's), ""
// for what is not locked.
func LockedRevs(configDir string) (nixpkgs, homeManager string) {
	data, err := os.ReadFile(filepath.Join(configDir, "flake.lock"))
	if err != nil {
		return "", ""
	}
	lock, err := flakelock.Parse(data)
	if err != nil {
		return "", ""
	}
	rev := func(input string) string {
		for _, path := range [][]string{{input}, {"axios", input}} {
			node, ok, err := lock.Path(path...)
			if err != nil || !ok {
				continue
			}
			if r, _ := lock.Nodes[node].Locked["rev"].(string); r != "" {
				return r
			}
			if h, _ := lock.Nodes[node].Locked["narHash"].(string); h != "" {
				return h
			}
		}
		return ""
	}
	return rev("nixpkgs"), rev("home-manager")
}

// NoIndexNote is what `axios check` says once when a host sets option paths
// and there is no index to check them against.
const NoIndexNote = "extraConfig and the [virt], [secrets] and [selfHosted] tables are not checked against option names: there is no option index yet (`axios options --update` builds one from this configuration's own nixpkgs and home-manager)"

// ForConfig loads the cached index for the configuration in configDir (""
// when there is none): the one built for its locked nixpkgs, else the newest
// other one, with a note saying so. (nil, "", nil) means no index.
func ForConfig(configDir string, getenv func(string) string) (*Index, string, error) {
	return forConfig(configDir, getenv, Load)
}

// ForConfigPaths is ForConfig reading only names and types (LoadPaths).
func ForConfigPaths(configDir string, getenv func(string) string) (*Index, string, error) {
	return forConfig(configDir, getenv, LoadPaths)
}

func forConfig(configDir string, getenv func(string) string, load func(string) (*Index, error)) (*Index, string, error) {
	cache, err := CacheDir(getenv)
	if err != nil {
		return nil, "", nil
	}
	rev := ""
	if configDir != "" {
		rev, _ = LockedRevs(configDir)
	}
	path, exact := Find(cache, rev)
	if path == "" {
		return nil, "", nil
	}
	ix, err := load(path)
	if err != nil {
		return nil, "", err
	}
	note := ""
	if !exact && rev != "" {
		note = fmt.Sprintf("the option index %s was built for nixpkgs %s, this configuration locks %s: names may differ (`axios options --update` rebuilds it)", path, short(ix.NixpkgsRev), short(rev))
	}
	return ix, note, nil
}

func short(rev string) string {
	if rev == "" {
		return "(unknown)"
	}
	if len(rev) > 12 && !strings.HasPrefix(rev, "sha256") {
		return rev[:12]
	}
	return rev
}
