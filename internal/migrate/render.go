package migrate

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/axios-nix/axios/internal/generate"
)

// Top-level keys in the order docs/hosts.md shows them; tables follow.
var scalarOrder = []string{"hostname", "timeZone", "system", "formFactor", "homeProfile"}
var tableOrder = []string{"hardware", "modules", "virt", "secrets", "selfHosted", "deploy", "users", "extraConfig"}

// RenderTOML writes a host table as hosts/<name>.toml.
func RenderTOML(t map[string]any, from string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Converted from %s by `axios migrate` (docs/migrate.md).\n", oneLine(from))
	done := map[string]bool{}
	for _, k := range scalarOrder {
		if v, ok := t[k]; ok {
			fmt.Fprintf(&b, "%s = %s\n", generate.TOMLKey(k), tomlValue(v))
			done[k] = true
		}
	}
	for _, k := range sortedKeys(t) {
		if _, isTable := t[k].(map[string]any); !done[k] && !isTable {
			fmt.Fprintf(&b, "%s = %s\n", generate.TOMLKey(k), tomlValue(t[k]))
			done[k] = true
		}
	}
	order := append([]string{}, tableOrder...)
	for _, k := range sortedKeys(t) {
		if !done[k] && !contains(order, k) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		sub, ok := t[k].(map[string]any)
		if !ok || done[k] {
			continue
		}
		if k == "users" {
			for _, n := range sortedKeys(sub) {
				u, _ := sub[n].(map[string]any)
				fmt.Fprintf(&b, "\n[users.%s]\n", generate.TOMLKey(n))
				writeDotted(&b, nil, u)
			}
			continue
		}
		fmt.Fprintf(&b, "\n[%s]\n", generate.TOMLKey(k))
		writeDotted(&b, nil, sub)
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// writeDotted writes a table's leaves as dotted keys (services.fwupd.enable
// = true), the way a person writes extraConfig; an empty table is `k = {}`.
func writeDotted(b *strings.Builder, prefix []string, t map[string]any) {
	for _, k := range sortedKeys(t) {
		p := append(append([]string{}, prefix...), generate.TOMLKey(k))
		if sub, ok := t[k].(map[string]any); ok && len(sub) > 0 {
			writeDotted(b, p, sub)
			continue
		}
		fmt.Fprintf(b, "%s = %s\n", strings.Join(p, "."), tomlValue(t[k]))
	}
}

func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return generate.TOMLString(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = tomlValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, generate.TOMLKey(k)+" = "+tomlValue(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return `""`
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// renderer writes data values as Nix for a module file in moduleDir.
type renderer struct {
	moduleDir, configDir string
	notes                []string
}

var nixIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_'-]*$`) })
var nixKeywords = map[string]bool{"if": true, "then": true, "else": true, "assert": true, "with": true, "let": true, "in": true, "rec": true, "inherit": true, "or": true}

func nixKey(k string) string {
	if nixIdent().MatchString(k) && !nixKeywords[k] {
		return k
	}
	return generate.NixString(k)
}

var safePath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._+/-]+$`) })

// path renders an absolute path as a Nix path literal relative to the
// module's folder.
func (r *renderer) path(p string) string {
	rel, err := filepath.Rel(r.moduleDir, p)
	inside, ierr := filepath.Rel(r.configDir, p)
	if err != nil || ierr != nil || inside == ".." || strings.HasPrefix(inside, "../") {
		// Outside the configuration: kept absolute (the note says a flake
		// cannot read it).
		if safePath().MatchString(p) {
			return p
		}
		return "(/. + " + generate.NixString(p) + ")"
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		return "./."
	}
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	if safePath().MatchString(rel) && !strings.HasSuffix(rel, "/") {
		return rel
	}
	return "(./. + " + generate.NixString("/"+strings.TrimPrefix(rel, "./")) + ")"
}

func indent(n int) string { return strings.Repeat("  ", n) }

// value renders a data value; depth is the indentation of the line it
// starts on.
func (r *renderer) value(v any, depth int) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return generate.NixString(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	case []any:
		if len(x) == 0 {
			return "[ ]"
		}
		var b strings.Builder
		b.WriteString("[\n")
		for _, e := range x {
			s := r.value(e, depth+1)
			if needsParens(e) {
				s = "(" + s + ")"
			}
			b.WriteString(indent(depth+1) + s + "\n")
		}
		b.WriteString(indent(depth) + "]")
		return b.String()
	case map[string]any:
		if p, ok := pathMarker(x); ok {
			return r.path(p)
		}
		if isMarker(x) {
			r.notes = append(r.notes, "a value that could not be read is null here")
			return "null"
		}
		if isTyped(x) {
			return r.typed(x, depth)
		}
		if len(x) == 0 {
			return "{ }"
		}
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range sortedKeys(x) {
			b.WriteString(indent(depth+1) + nixKey(k) + " = " + r.value(x[k], depth+1) + ";\n")
		}
		b.WriteString(indent(depth) + "}")
		return b.String()
	}
	return "null"
}

func needsParens(v any) bool {
	m, ok := v.(map[string]any)
	return ok && isTyped(m)
}

// typed renders the module-system values eval.nix's lib makes as the lib
// calls that make them.
func (r *renderer) typed(x map[string]any, depth int) string {
	arg := func(v any) string {
		s := r.value(v, depth)
		if needsParens(v) || strings.HasPrefix(s, "lib.") {
			return "(" + s + ")"
		}
		return s
	}
	prio := num(x["priority"])
	switch x["_type"] {
	case "override":
		switch prio {
		case 1000:
			return "lib.mkDefault " + arg(x["content"])
		case 50:
			return "lib.mkForce " + arg(x["content"])
		case 1500:
			return "lib.mkOptionDefault " + arg(x["content"])
		}
		return fmt.Sprintf("lib.mkOverride %d %s", prio, arg(x["content"]))
	case "order":
		switch prio {
		case 500:
			return "lib.mkBefore " + arg(x["content"])
		case 1500:
			return "lib.mkAfter " + arg(x["content"])
		}
		return fmt.Sprintf("lib.mkOrder %d %s", prio, arg(x["content"]))
	case "if":
		return "lib.mkIf " + arg(x["condition"]) + " " + arg(x["content"])
	case "merge":
		return "lib.mkMerge " + r.value(x["contents"], depth)
	}
	// Another _type (an option declaration, say): plain data.
	plain := copyMap(x)
	delete(plain, "_type")
	r.notes = append(r.notes, fmt.Sprintf("a value of _type %v is written as plain data", x["_type"]))
	return r.value(plain, depth)
}

// num reads a JSON number as Decode leaves it.
func num(v any) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}

// renderModule writes hosts/<name>/migrated.nix.
func (c *converter) renderModule() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# What hosts/%s.toml cannot hold, from %s (converted by `axios migrate`,\n", c.name, oneLine(c.src.File))
	b.WriteString("# docs/migrate.md). Every .nix file in this folder is imported as a module.\n")
	b.WriteString("{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n{\n")
	for _, d := range c.defs {
		fmt.Fprintf(&b, "  %s = %s;\n", nixPath(d.path), d.text)
	}
	b.WriteString("}\n")
	if len(c.notes) > 0 {
		b.WriteString("\n# Not converted (kept here so nothing is lost; none of it is active):\n")
		for _, d := range c.notes {
			fmt.Fprintf(&b, "#\n# %s: %s\n", strings.Join(d.path, "."), oneLine(d.why))
			for _, l := range strings.Split(nixPath(d.path)+" = "+d.text+";", "\n") {
				b.WriteString("#   " + l + "\n")
			}
		}
	}
	return b.String()
}

func nixPath(p []string) string {
	parts := make([]string, len(p))
	for i, k := range p {
		parts[i] = nixKey(k)
	}
	return strings.Join(parts, ".")
}
