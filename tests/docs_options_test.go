package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/testutil"
)

// The option tables of docs/*.md (a table whose first column is headed
// "option") are written by hand; TestDocsOptionTables keeps them true to
// the declarations in modules/ and home/.

// relativeOptionTables: pages whose option tables name options relative to
// one namespace (stated in the text above the table).
var relativeOptionTables = map[string]string{
	"ai.md":       "services.ai.",
	"gaming.md":   "gaming.",
	"pwa.md":      "axios.pwa.",
	"services.md": "selfHosted.immich.",
}

// docRow is one row of an option table.
type docRow struct {
	where         string   // docs/x.md:LINE
	names         []string // the options the first cell names
	typ, def      string   // the type and default cells ("" without that column)
	hasType, hasD bool
}

var (
	backticked  = regexp.MustCompile("`([^`]+)`")
	quotedWord  = regexp.MustCompile(`"([^"]*)"`)
	braces      = regexp.MustCompile(`^(.*)\{([^{}]+)\}(.*)$`)
	placeholder = regexp.MustCompile(`<[a-zA-Z]+>`)
	fence       = regexp.MustCompile("(?m)^ *```.*$")
)

// splitRow splits "| a | b |" into its cells; a | inside backticks or
// escaped as \| stays in its cell.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(strings.TrimSuffix(line, "|"), "|")
	var cells []string
	var b strings.Builder
	code := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			b.WriteByte('|')
			i++
		case c == '`':
			code = !code
			b.WriteByte(c)
		case c == '|' && !code:
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}

// rowNames lists the options a first cell names: `a.b.c`, `a.b.c` / `d`
// (d a sibling of c), `a.b.{c,d}`.
func rowNames(cell string) []string {
	var out []string
	for i, m := range backticked.FindAllStringSubmatch(cell, -1) {
		name := m[1]
		if i > 0 && !strings.Contains(name, ".") && len(out) > 0 {
			first := out[0]
			name = first[:strings.LastIndex(first, ".")+1] + name
		}
		if b := braces.FindStringSubmatch(name); b != nil {
			for _, alt := range strings.Split(b[2], ",") {
				out = append(out, b[1]+strings.TrimSpace(alt)+b[3])
			}
			continue
		}
		out = append(out, name)
	}
	return out
}

// optionTables reads the option tables of every page under docs/.
func optionTables(t *testing.T, root string) []docRow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []docRow
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(raw), "\n")
		for i := 0; i < len(lines); i++ {
			head := splitRow(lines[i])
			if !strings.HasPrefix(lines[i], "|") || head[0] != "option" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "|---") {
				continue
			}
			typeCol, defCol := slices.Index(head, "type"), slices.Index(head, "default")
			for i += 2; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
				cells := splitRow(lines[i])
				r := docRow{where: "docs/" + filepath.Base(f) + ":" + strconv.Itoa(i+1), names: rowNames(cells[0])}
				if typeCol > 0 && typeCol < len(cells) {
					r.typ, r.hasType = cells[typeCol], true
				}
				if defCol > 0 && defCol < len(cells) {
					r.def, r.hasD = cells[defCol], true
				}
				if p, ok := relativeOptionTables[filepath.Base(f)]; ok {
					for j, n := range r.names {
						if !strings.HasPrefix(n, p) {
							r.names[j] = p + n
						}
					}
				}
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// declaredOptions lists the options modules/ and home/ declare, by dotted
// path ("<name>" for attrsOf keys).
// A name may be declared twice: by a NixOS and a home-manager module (the
// NixOS and the home `secrets.enable`).
func declaredOptions(t *testing.T, root string) map[string][]nixopts.Decl {
	t.Helper()
	out := map[string][]nixopts.Decl{}
	add := func(d nixopts.Decl) {
		name := strings.Join(d.Path, ".")
		out[name] = append(out[name], d)
	}
	for _, m := range nixosModules(t, root) {
		for _, d := range m.Decls {
			add(d)
		}
	}
	for _, d := range homeDecls(t, root) {
		add(d)
	}
	return out
}

// firstValue is the value a default cell starts with: its first code span
// when it starts with one, else its first word.
func firstValue(cell string) string {
	if strings.HasPrefix(cell, "`") {
		if m := backticked.FindStringSubmatch(cell); m != nil {
			return m[1]
		}
	}
	if f := strings.Fields(cell); len(f) > 0 {
		return strings.Trim(f[0], ",;")
	}
	return ""
}

func sameNix(a, b string) bool {
	return strings.Join(strings.Fields(a), "") == strings.Join(strings.Fields(b), "")
}

// TestDocsOptionTables: every row of an option table in docs/ names an
// option that axiOS declares (or, for an upstream option axiOS sets, one
// that nixpkgs or home-manager has); every option axiOS declares has a row
// (an option below an attrsOf key may be described by its parent's row);
// and where a declaration says its type or default literally, the row says
// the same: a bool is "bool", an enum lists exactly its values, nullOr
// mentions null, a literal default comes first in the default cell.
func TestDocsOptionTables(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	decls := declaredOptions(t, root)
	nixos, home := buildIndexes(t, root, nixosModules(t, root), readAllowlist(t, root))
	rows := optionTables(t, root)
	if len(rows) < 100 || len(decls) < 150 {
		t.Fatalf("read %d table rows and %d declarations; the parsers lost their way", len(rows), len(decls))
	}
	documented := map[string]bool{}
	for _, r := range rows {
		if len(r.names) == 0 {
			t.Errorf("%s: the first cell names no option in `code`", r.where)
		}
		for _, name := range r.names {
			documented[name] = true
			ds, ok := decls[name]
			if !ok {
				var path nixopts.Path
				for _, c := range nixopts.SplitOptionPath(name) {
					path = append(path, nixopts.Comp{Name: c, Dynamic: c == "<name>"})
				}
				if !nixos.Known(path) && !home.Known(path) {
					t.Errorf("%s: `%s` is neither declared by an axiOS module nor a NixOS or home-manager option (fix the name or remove the row)", r.where, name)
				}
				continue
			}
			var problems []string
			for _, d := range ds {
				if problems = rowProblems(r, name, d); len(problems) == 0 {
					break
				}
			}
			for _, p := range problems {
				t.Errorf("%s: %s", r.where, p)
			}
		}
	}
	// Named anywhere in docs/ in `code` (a placeholder such as <id> stands
	// for <name>) counts as documented: many options are described in prose.
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Fence lines (```) would pair with the code spans after them; a
		// stray backtick upsets the pairing only up to its paragraph's end.
		text := fence.ReplaceAllString(string(raw), "")
		for _, para := range strings.Split(text, "\n\n") {
			for _, m := range backticked.FindAllStringSubmatch(para, -1) {
				for _, n := range rowNames("`" + m[1] + "`") {
					if f := strings.Fields(n); len(f) > 0 {
						documented[placeholder.ReplaceAllString(f[0], "<name>")] = true
					}
				}
			}
		}
	}
	var missing []string
	for name, ds := range decls {
		if ds[0].Moved || documented[name] || documented[name+".<name>"] {
			continue
		}
		// An option below an attrsOf key may be described by its parent.
		covered := false
		for i := strings.Index(name, ".<name>"); i >= 0 && !covered; {
			parent := name[:i+len(".<name>")]
			covered = documented[parent] || documented[name[:i]]
			j := strings.Index(name[i+1:], ".<name>")
			if j < 0 {
				break
			}
			i += 1 + j
		}
		if !covered {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		t.Errorf("%s is declared (line %d) but docs/ never names it: add a row to the option table of its page", name, decls[name][0].Line)
	}
}

// rowProblems compares a row with one declaration of the option it names.
func rowProblems(r docRow, name string, d nixopts.Decl) []string {
	var out []string
	if r.hasType {
		switch d.Type {
		case "bool":
			if !strings.Contains(r.typ, "bool") {
				out = append(out, fmt.Sprintf("`%s` is a bool, the table says %q", name, r.typ))
			}
		case "enum":
			var listed []string
			for _, m := range quotedWord.FindAllStringSubmatch(r.typ, -1) {
				listed = append(listed, m[1])
			}
			want := slices.Clone(d.Enum)
			sort.Strings(listed)
			sort.Strings(want)
			if !slices.Equal(listed, want) {
				out = append(out, fmt.Sprintf("`%s` is one of %q, the table lists %q", name, d.Enum, listed))
			}
		}
		if d.Type != "" && d.Nullable != strings.Contains(r.typ, "null") {
			out = append(out, fmt.Sprintf("`%s` nullable = %v, the table's type is %q", name, d.Nullable, r.typ))
		}
	}
	if r.hasD && d.Default != "" && !sameNix(firstValue(r.def), d.Default) {
		out = append(out, fmt.Sprintf("`%s` defaults to %s, the table says %q", name, d.Default, r.def))
	}
	return out
}

func TestOptionTableParsing(t *testing.T) {
	t.Parallel()
	cells := splitRow("| `a.b` / `c` | `\"x\" \\| y` | `[ ]` (none) |")
	if len(cells) != 3 || cells[1] != "`\"x\" | y`" || firstValue(cells[2]) != "[ ]" {
		t.Errorf("cells %q", cells)
	}
	for cell, want := range map[string][]string{
		"`a.b.name` / `fullName` / `email`": {"a.b.name", "a.b.fullName", "a.b.email"},
		"`a.p.{x,y, z}`":                    {"a.p.x", "a.p.y", "a.p.z"},
		"`services.x.enable` (nixpkgs)":     {"services.x.enable"},
	} {
		if got := rowNames(cell); !slices.Equal(got, want) {
			t.Errorf("rowNames(%q) = %q, want %q", cell, got, want)
		}
	}
	if firstValue("true on desktops") != "true" || !sameNix("[]", "[ ]") || sameNix(`"a"`, "a") {
		t.Error("firstValue / sameNix")
	}
}
