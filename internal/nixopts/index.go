package nixopts

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Index is a set of known option paths. "<name>" and "*" components match
// any attribute name; below an option whose type is free-form (an attribute
// set of plain values, JSON/TOML/YAML/INI values, an open submodule) any
// path is a value.
type Index struct {
	root *trie
}

type trie struct {
	children map[string]*trie
	wildcard *trie
	option   bool
	freeform bool
}

func newTrie() *trie { return &trie{children: map[string]*trie{}} }

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{root: newTrie()} }

// Add records an option path.
func (ix *Index) Add(path []string, freeform bool) {
	t := ix.root
	for _, c := range path {
		if c == "<name>" || c == "*" {
			if t.wildcard == nil {
				t.wildcard = newTrie()
			}
			t = t.wildcard
			continue
		}
		next := t.children[c]
		if next == nil {
			next = newTrie()
			t.children[c] = next
		}
		t = next
	}
	t.option = true
	t.freeform = t.freeform || freeform
}

// FreeformType reports whether an option type, as the NixOS and
// home-manager manuals print it, lets any attribute path below the option
// be a value.
func FreeformType(typ string) bool {
	typ = strings.TrimSpace(typ)
	for strings.HasPrefix(typ, "null or ") {
		typ = strings.TrimPrefix(strings.TrimPrefix(typ, "null or "), "(")
	}
	switch {
	case strings.HasPrefix(typ, "open submodule"):
		return true
	case strings.Contains(typ, "submodule"):
		return false
	case strings.HasPrefix(typ, "attribute set"), strings.HasPrefix(typ, "lazy attribute set"),
		strings.HasPrefix(typ, "JSON value"), strings.HasPrefix(typ, "YAML value"),
		strings.HasPrefix(typ, "TOML value"), strings.HasPrefix(typ, "INI"),
		strings.HasPrefix(typ, "Lua value"), strings.HasPrefix(typ, "Nix value"),
		strings.HasPrefix(typ, "anything"), strings.HasPrefix(typ, "unspecified value"),
		strings.HasPrefix(typ, "raw value"), strings.HasPrefix(typ, "KDL"),
		strings.HasPrefix(typ, "section of an INI"), strings.HasPrefix(typ, "systemd option"),
		strings.HasPrefix(typ, "nixpkgs config"):
		return true
	}
	return false
}

// SplitOptionPath splits a.b."c.d".e into its components.
func SplitOptionPath(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
		case c == '.' && !quoted:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(out, b.String())
}

// LoadTSV adds the options of a "path<TAB>type" file (lines starting with #
// are comments). It returns how many options it read.
func (ix *Index) LoadTSV(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, typ, ok := strings.Cut(text, "\t")
		if !ok {
			return n, fmt.Errorf("line %d: want \"option<TAB>type\", got %q", line, text)
		}
		ix.Add(SplitOptionPath(name), FreeformType(typ))
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("reading options: %w", err)
	}
	return n, nil
}

// Known reports whether the definition path names an option, a prefix of
// options (an attribute set of definitions), or a value below a free-form
// option.
func (ix *Index) Known(p Path) bool {
	return ix.root.match(p, 0, false)
}

// Covers reports whether an option of the index is the path itself or a
// prefix of it (used for lists of removed options: defining anything at or
// below one is an error).
func (ix *Index) Covers(p Path) bool {
	return ix.root.covers(p, 0)
}

func (t *trie) covers(p Path, i int) bool {
	if t.option {
		return true
	}
	if i == len(p) {
		return false
	}
	if c := p[i]; !c.Dynamic {
		if next := t.children[c.Name]; next != nil && next.covers(p, i+1) {
			return true
		}
	}
	return t.wildcard != nil && t.wildcard.covers(p, i+1)
}

func (t *trie) match(p Path, i int, free bool) bool {
	free = free || (t.option && t.freeform)
	if i == len(p) {
		return true
	}
	c := p[i]
	if !c.Dynamic {
		if next := t.children[c.Name]; next != nil && next.match(p, i+1, free) {
			return true
		}
	}
	if t.wildcard != nil && t.wildcard.match(p, i+1, free) {
		return true
	}
	return free
}

// AllowEntry is one line of an allowlist: an option newer than the option
// list, or one declared by a flake input's module, with the source file
// where it was confirmed.
type AllowEntry struct {
	Path     []string
	Home     bool // a home-manager option ("home:" prefix)
	Freeform bool // the path ended in ".*"
	Citation string
	Line     int
}

// ParseAllowlist reads "option  citation" lines. An option may start with
// "home:" (a home-manager option) and end with ".*" (free-form below it).
// The citation is the source file where the option was confirmed: a
// nixpkgs path such as nixos/modules/system/boot/resolved.nix, or
// owner/repo:path for a flake input.
func ParseAllowlist(r io.Reader) ([]AllowEntry, error) {
	var out []AllowEntry
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want \"<option> <source file>\" (two fields), got %q", line, text)
		}
		opt, cite := fields[0], fields[1]
		if !strings.HasSuffix(cite, ".nix") {
			return nil, fmt.Errorf("line %d: citation %q must name the .nix file declaring %s (e.g. nixos/modules/system/boot/resolved.nix)", line, cite, opt)
		}
		e := AllowEntry{Citation: cite, Line: line}
		if rest, ok := strings.CutPrefix(opt, "home:"); ok {
			e.Home, opt = true, rest
		}
		if rest, ok := strings.CutSuffix(opt, ".*"); ok {
			e.Freeform, opt = true, rest
		}
		e.Path = SplitOptionPath(opt)
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading allowlist: %w", err)
	}
	return out, nil
}

// Children returns the names of the options and option prefixes directly
// below p (a "<name>" placeholder is not a name), sorted; for "did you
// mean" suggestions.
func (ix *Index) Children(p Path) []string {
	seen := map[string]bool{}
	var walk func(t *trie, i int)
	walk = func(t *trie, i int) {
		if i == len(p) {
			for name := range t.children {
				seen[name] = true
			}
			return
		}
		if c := p[i]; !c.Dynamic {
			if next := t.children[c.Name]; next != nil {
				walk(next, i+1)
			}
		}
		if t.wildcard != nil {
			walk(t.wildcard, i+1)
		}
	}
	walk(ix.root, 0)
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
