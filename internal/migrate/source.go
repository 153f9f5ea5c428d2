package migrate

import (
	"errors"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/nixopts"
)

// maxCut bounds the work of cutting one value out of a file: how many `;`
// are tried as its end.
const maxCut = 400

// ValueSource returns the source text of the value of the binding that
// starts at line and column (1-based, as builtins.unsafeGetAttrPos gives
// them): `path = VALUE;` → VALUE, exactly as written.
func ValueSource(src []byte, line, col int) (string, error) {
	off, ok := offsetOf(src, line, col)
	if !ok {
		return "", errors.New("the position is not in the file")
	}
	text := string(src)
	eq := bindEquals(text, off)
	if eq < 0 {
		return "", errors.New("no `=` after the attribute name")
	}
	tries := 0
	for i := eq + 1; i < len(text) && tries < maxCut; i++ {
		if text[i] != ';' {
			continue
		}
		tries++
		candidate := strings.TrimSpace(text[eq+1 : i])
		if candidate == "" {
			continue
		}
		if _, err := nixopts.Parse("value", candidate); err == nil && !endsInComment(candidate) {
			return candidate, nil
		}
	}
	return "", errors.New("the end of the value was not found")
}

// endsInComment: the candidate's last line has a # comment, so the `;`
// found may be inside it.
func endsInComment(s string) bool {
	last := s[strings.LastIndexByte(s, '\n')+1:]
	return strings.Contains(last, "#") && !strings.ContainsAny(last, `"'`)
}

func offsetOf(src []byte, line, col int) (int, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	l := 1
	for i := 0; i < len(src); i++ {
		if l == line {
			off := i + col - 1
			return off, off < len(src)
		}
		if src[i] == '\n' {
			l++
		}
	}
	return 0, false
}

// bindEquals finds the `=` that ends the attribute path starting at off
// (identifiers, dots, quoted names, ${…}, spaces and comments); -1 when
// something else comes first.
func bindEquals(s string, off int) int {
	i := off
	for i < len(s) {
		c := s[i]
		switch {
		case c == '=':
			return i
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return -1
			}
			i += end + 4
		case c == '"':
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			depth := 0
			for i < len(s) {
				if s[i] == '{' {
					depth++
				} else if s[i] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
				i++
			}
			i++
		case c == '_' || c == '\'' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			i++
		default:
			return -1
		}
	}
	return -1
}

// moduleArgs are the names a NixOS module file of hosts/<name>/ has: its
// arguments (migrated.nix takes config, lib and pkgs; options and
// modulesPath come with `...`) and Nix's own.
var moduleArgs = map[string]bool{
	"config": true, "lib": true, "pkgs": true, "true": true, "false": true, "null": true,
	"builtins": true, "import": true, "map": true, "toString": true, "throw": true, "abort": true,
	"derivation": true, "baseNameOf": true, "dirOf": true, "isNull": true, "removeAttrs": true,
	"fetchTarball": true, "placeholder": true, "scopedImport": true, "__curPos": true,
}

// FreeNames lists the names a value's source uses that neither it binds nor
// a module in hosts/<name>/ has (let-bindings and arguments of the original
// file, say), sorted. A value under `with` may use any name; nil then.
func FreeNames(src string) []string {
	n, err := nixopts.Parse("value", src)
	if err != nil {
		return nil
	}
	f := &freeWalk{free: map[string]bool{}}
	f.walk(n, map[string]bool{})
	if f.with {
		return nil
	}
	var out []string
	for k := range f.free {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type freeWalk struct {
	free map[string]bool
	with bool
}

func bindNames(binds []nixopts.Bind) []string {
	var out []string
	for _, b := range binds {
		if len(b.Path) > 0 && !b.Path[0].Dynamic {
			out = append(out, b.Path[0].Name)
		}
	}
	return out
}

func extend(sc map[string]bool, names ...string) map[string]bool {
	out := make(map[string]bool, len(sc)+len(names))
	for k := range sc {
		out[k] = true
	}
	for _, n := range names {
		out[n] = true
	}
	return out
}

func (f *freeWalk) walk(n *nixopts.Node, sc map[string]bool) {
	if n == nil {
		return
	}
	switch n.Kind {
	case nixopts.KVar:
		if !sc[n.Name] && !moduleArgs[n.Name] {
			f.free[n.Name] = true
		}
		return
	case nixopts.KLet:
		inner := extend(sc, bindNames(n.Binds)...)
		f.binds(n.Binds, inner)
		f.walk(n.Body, inner)
		return
	case nixopts.KAttrs:
		inner := sc
		if n.Rec {
			inner = extend(sc, bindNames(n.Binds)...)
		}
		f.binds(n.Binds, inner)
		return
	case nixopts.KLambda:
		names := []string{}
		if n.Name != "" {
			names = append(names, n.Name)
		}
		for _, fm := range n.Formals {
			names = append(names, fm.Name)
		}
		inner := extend(sc, names...)
		for _, fm := range n.Formals {
			f.walk(fm.Default, inner)
		}
		f.walk(n.Body, inner)
		return
	case nixopts.KWith:
		f.with = true
	}
	for _, k := range n.Kids {
		f.walk(k, sc)
	}
	for _, k := range n.Path {
		if k.Dynamic {
			f.walk(k.Expr, sc)
		}
	}
	f.walk(n.Body, sc)
	f.binds(n.Binds, sc)
}

func (f *freeWalk) binds(binds []nixopts.Bind, sc map[string]bool) {
	for _, b := range binds {
		if b.Inherit {
			if b.From != nil {
				f.walk(b.From, sc)
			} else if name, ok := b.StaticName(); ok && !sc[name] && !moduleArgs[name] {
				f.free[name] = true
			}
			continue
		}
		for _, k := range b.Path {
			if k.Dynamic {
				f.walk(k.Expr, sc)
			}
		}
		f.walk(b.Value, sc)
	}
}
