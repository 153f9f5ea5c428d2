package closure

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/ui"
)

// Change is one package whose presence or versions differ.
type Change struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`   // "added", "removed" or "updated"
	Before    []string `json:"before"` // versions in the old closure, sorted; [] when absent ("" is a path without a version)
	After     []string `json:"after"`  // versions in the new closure, the same way
	SizeDelta int64    `json:"sizeDelta"`
}

// Change kinds.
const (
	Added   = "added"
	Removed = "removed"
	Updated = "updated"
)

// Diff is the comparison of two closures.
type Diff struct {
	Old       string   `json:"old"` // the store paths compared
	New       string   `json:"new"`
	OldSize   int64    `json:"oldSize"` // bytes
	NewSize   int64    `json:"newSize"`
	SizeDelta int64    `json:"sizeDelta"`
	Changes   []Change `json:"changes"` // sorted by name
}

// Added, Removed and Updated count the changes of each kind.
func (d Diff) count(kind string) int {
	n := 0
	for _, c := range d.Changes {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

type group struct {
	versions map[string]bool
	size     int64
}

func groups(c Closure) map[string]*group {
	m := map[string]*group{}
	for _, p := range c {
		name, version := SplitName(p.Path)
		g := m[name]
		if g == nil {
			g = &group{versions: map[string]bool{}}
			m[name] = g
		}
		g.versions[version] = true
		g.size += p.NarSize
	}
	return m
}

func sortedVersions(g *group) []string {
	if g == nil {
		return []string{}
	}
	vs := make([]string, 0, len(g.versions))
	for v := range g.versions {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}

// Compare diffs two closures, grouping store paths by package name. A
// package counts as updated when its set of versions differs; packages whose
// versions are the same are not listed (a rebuild with the same version is
// not a change a user can act on), but their size still counts in the total.
func Compare(oldRoot string, oldC Closure, newRoot string, newC Closure) Diff {
	d := Diff{Old: oldRoot, New: newRoot, OldSize: oldC.Size(), NewSize: newC.Size(), Changes: []Change{}}
	d.SizeDelta = d.NewSize - d.OldSize
	og, ng := groups(oldC), groups(newC)
	names := map[string]bool{}
	for n := range og {
		names[n] = true
	}
	for n := range ng {
		names[n] = true
	}
	for name := range names {
		o, n := og[name], ng[name]
		c := Change{Name: name, Before: sortedVersions(o), After: sortedVersions(n)}
		switch {
		case o == nil:
			c.Kind, c.SizeDelta = Added, n.size
		case n == nil:
			c.Kind, c.SizeDelta = Removed, -o.size
		case strings.Join(c.Before, "\x00") != strings.Join(c.After, "\x00"):
			c.Kind, c.SizeDelta = Updated, n.size-o.size
		default:
			continue
		}
		d.Changes = append(d.Changes, c)
	}
	sort.Slice(d.Changes, func(i, j int) bool { return d.Changes[i].Name < d.Changes[j].Name })
	return d
}

// Empty reports whether the closures hold the same packages and versions.
func (d Diff) Empty() bool { return len(d.Changes) == 0 }

// Write renders the diff for people: one line per change, then a summary
// with the size delta. Colour only when w is a terminal (see ui).
func (d Diff) Write(w io.Writer) {
	p := ui.NewPainter(w)
	for _, c := range d.Changes {
		switch c.Kind {
		case Added:
			fmt.Fprintf(w, "  %s %s %s  %s\n", p.Paint(ui.Green, "+"), p.Paint(ui.Bold, c.Name), versions(c.After), p.Paint(ui.Dim, signedBytes(c.SizeDelta)))
		case Removed:
			fmt.Fprintf(w, "  %s %s %s  %s\n", p.Paint(ui.Red, "-"), p.Paint(ui.Bold, c.Name), versions(c.Before), p.Paint(ui.Dim, signedBytes(c.SizeDelta)))
		default:
			fmt.Fprintf(w, "  %s %s %s → %s  %s\n", p.Paint(ui.Yellow, "~"), p.Paint(ui.Bold, c.Name), versions(c.Before), versions(c.After), p.Paint(ui.Dim, signedBytes(c.SizeDelta)))
		}
	}
	if d.Empty() {
		fmt.Fprintln(w, "  no package changes")
	}
	fmt.Fprintf(w, "%d added, %d removed, %d updated; closure size %s → %s (%s)\n",
		d.count(Added), d.count(Removed), d.count(Updated),
		Bytes(d.OldSize), Bytes(d.NewSize), signedBytes(d.SizeDelta))
}

func versions(vs []string) string {
	var parts []string
	for _, v := range vs {
		if v == "" {
			v = "(no version)"
		}
		parts = append(parts, v)
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}

// Bytes formats a byte count with binary units: "512 B", "1.5 KiB", "3.2 GiB".
func Bytes(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprintf("%d B", n)
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v := float64(n)
	for _, u := range units {
		if v < 1024 {
			break
		}
		v /= 1024
		s = fmt.Sprintf("%.1f %s", v, u)
	}
	if neg {
		return "-" + s
	}
	return s
}

func signedBytes(n int64) string {
	if n >= 0 {
		return "+" + Bytes(n)
	}
	return Bytes(n)
}
