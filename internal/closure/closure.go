// Package closure compares two Nix store closures (for example the running
// system and a freshly built one): which packages were added, removed or
// changed version, and how the total size moved. The closures come from
// `nix path-info --recursive --json`, whose output Parse reads in both the
// list form of older Nix and the object form of Nix 2.19 and later.
package closure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Path is one store path of a closure.
type Path struct {
	Path    string // full store path, e.g. /nix/store/abc…-firefox-133.0
	NarSize int64  // bytes
}

// Closure is the set of store paths a store path depends on, itself included.
type Closure []Path

// Size is the sum of the NAR sizes of the paths.
func (c Closure) Size() int64 {
	var n int64
	for _, p := range c {
		n += p.NarSize
	}
	return n
}

// pathInfo is one entry of `nix path-info --json`.
type pathInfo struct {
	Path    string `json:"path"`
	NarSize *int64 `json:"narSize"`
	Valid   *bool  `json:"valid"`
}

// Parse reads the output of `nix path-info --recursive --json` (with or
// without --size/--closure-size): a JSON list of objects with "path" (Nix
// before 2.19) or an object keyed by store path (Nix 2.19 and later, where an
// invalid path maps to null). storeDir is prepended to keys that are bare
// store path names ("" means /nix/store).
func Parse(data []byte, storeDir string) (Closure, error) {
	if storeDir == "" {
		storeDir = "/nix/store"
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("nix path-info printed nothing: expected a JSON list or object")
	}
	var out Closure
	switch data[0] {
	case '[':
		var list []pathInfo
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("parsing nix path-info JSON list: %w", err)
		}
		for i, e := range list {
			if e.Path == "" {
				return nil, fmt.Errorf("parsing nix path-info JSON: entry %d has no \"path\"", i)
			}
			if e.Valid != nil && !*e.Valid {
				return nil, fmt.Errorf("store path %s is not valid (not built or garbage-collected)", e.Path)
			}
			out = append(out, Path{Path: e.Path, NarSize: size(e.NarSize)})
		}
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("parsing nix path-info JSON object: %w", err)
		}
		for key, raw := range m {
			p := key
			if !strings.HasPrefix(p, "/") {
				p = path.Join(storeDir, p)
			}
			if string(bytes.TrimSpace(raw)) == "null" {
				return nil, fmt.Errorf("store path %s is not valid (not built or garbage-collected)", p)
			}
			var e pathInfo
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("parsing nix path-info JSON for %s: %w", p, err)
			}
			out = append(out, Path{Path: p, NarSize: size(e.NarSize)})
		}
	default:
		return nil, fmt.Errorf("parsing nix path-info JSON: expected a list or an object, got %q", truncate(string(data), 40))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func size(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// SplitName splits a store path into its package name and version the way
// Nix does for derivation names: the version starts at the first "-" that is
// followed by a digit. "/nix/store/<hash>-firefox-133.0" → ("firefox",
// "133.0"); a name without such a dash has an empty version.
func SplitName(storePath string) (name, version string) {
	base := path.Base(storePath)
	if i := strings.IndexByte(base, '-'); i == 32 {
		base = base[i+1:] // drop the hash
	}
	for i := 0; i+1 < len(base); i++ {
		if base[i] == '-' && base[i+1] >= '0' && base[i+1] <= '9' {
			return base[:i], base[i+1:]
		}
	}
	return base, ""
}
