package optindex

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/axios-nix/axios/internal/editdist"
)

// Match is one search result; a lower Rank is a better match.
type Match struct {
	Option
	Rank int `json:"rank"` // 0 exact, 1 last part(s), 2 substring, 3 in order, 4 close spelling
}

// Search finds options for query: the exact name first, then names ending
// in the query, containing it, containing its letters in order, and names
// whose last part is spelt closely (a "did you mean"). Case is ignored;
// internal options match only exactly. limit <= 0 means no limit.
func (ix *Index) Search(query string, limit int) []Match {
	q := strings.ToLower(strings.TrimSpace(query))
	var out []Match
	for _, o := range ix.Options {
		name := strings.ToLower(o.Name)
		rank := -1
		switch {
		case q == "":
			rank = 2
		case name == q:
			rank = 0
		case o.Internal:
		case strings.HasSuffix(name, "."+q):
			rank = 1
		case strings.Contains(name, q):
			rank = 2
		case inOrder(name, q):
			rank = 3
		case closeSpelling(name, q):
			rank = 4
		}
		if rank < 0 || q == "" && o.Internal {
			continue
		}
		out = append(out, Match{Option: o, Rank: rank})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		if len(a.Name) != len(b.Name) {
			return len(a.Name) < len(b.Name)
		}
		return a.Name < b.Name
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// inOrder: every dot-separated part of q is in name, in order (so
// "fwupd.enable" finds services.fwupd.enable and "git.sign" finds
// programs.git.signing.key).
func inOrder(name, q string) bool {
	if !strings.Contains(q, ".") {
		return false
	}
	rest := name
	for _, part := range strings.Split(q, ".") {
		i := strings.Index(rest, part)
		if part == "" || i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

// closeSpelling: the last len(q's parts) parts of name are within a small
// edit distance of q.
func closeSpelling(name, q string) bool {
	qp := strings.Count(q, ".") + 1
	parts := strings.Split(name, ".")
	if len(parts) < qp || len(q) < 4 {
		return false
	}
	tail := strings.Join(parts[len(parts)-qp:], ".")
	limit := max(1, len(q)/4)
	if d := len(tail) - len(q); d > limit || -d > limit {
		return false
	}
	return editdist.Distance(tail, q) <= limit
}

var storeSource = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/nix/store/[0-9a-z]{32}-[^/]*/`) }) // compiled when first used, not at start-up

// ShortDeclaration shortens a declaring file: the store path of a flake
// input's source is left out ("nixos/modules/services/hardware/fwupd.nix").
func ShortDeclaration(d string) string {
	return storeSource().ReplaceAllString(d, "")
}
