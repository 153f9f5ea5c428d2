package hostrules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/axios-nix/axios/internal/editdist"
	"github.com/axios-nix/axios/internal/rules"
)

// expectedName is the "expected" text of a schema type (docs/validation.md).
func expectedName(t string) string {
	switch t {
	case rules.TypeString:
		return "a string"
	case rules.TypeBool:
		return "true or false"
	case rules.TypeInt:
		return "an integer"
	case rules.TypeTable:
		return "a table"
	case rules.TypeList:
		return "a list"
	case rules.TypeModule:
		return "a path or module"
	}
	return t
}

// typeOK reports whether v has schema type t. A TOML float is never an int.
func typeOK(t string, v any) bool {
	switch t {
	case rules.TypeString:
		_, ok := v.(string)
		return ok
	case rules.TypeBool:
		_, ok := v.(bool)
		return ok
	case rules.TypeInt:
		_, ok := v.(int64)
		return ok
	case rules.TypeTable:
		_, ok := v.(map[string]any)
		return ok
	case rules.TypeList:
		_, ok := v.([]any)
		return ok
	case rules.TypeModule:
		// In the TOML form a module can only be a string (a path) or a
		// table; paths and functions exist only in the Nix form.
		switch v.(type) {
		case string, map[string]any:
			return true
		}
	}
	return false
}

// render renders a value for a message: strings in double quotes, bools and
// integers as written, anything else by its kind.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "unset"
	case string:
		return quoteJSON(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return "a float"
	case map[string]any:
		return "a table"
	case []any:
		return "a list"
	case time.Time, toml.LocalDateTime:
		return "a date-time"
	case toml.LocalDate:
		return "a date"
	case toml.LocalTime:
		return "a time"
	}
	return fmt.Sprintf("a %T", v)
}

// quoteJSON quotes s as JSON does (and as builtins.toJSON does in the Nix
// interpreter), without escaping HTML characters.
func quoteJSON(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
	}
	if plain {
		// Printable ASCII without quotes or backslashes: JSON writes it as is.
		return `"` + s + `"`
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// renderList renders values joined by ", ".
func renderList(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = render(v)
	}
	return strings.Join(parts, ", ")
}

// equal compares two host values. Numbers compare only within their kind (an
// int never equals a float), as in Nix for the values TOML can hold.
func equal(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case nil:
		return b == nil
	}
	return reflect.DeepEqual(a, b)
}

// sortedKeys returns the keys of a table in byte order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// join joins a dotted path and a key.
func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// suggest returns the best "did you mean" candidate for input, or "" when
// none is close enough (docs/validation.md, "Suggestions"): the candidate
// nearest to input, the first in byte order among equals, unless it is input
// itself or further than the limit.
func suggest(input string, candidates []string, suggestDistance int) string {
	if !sort.StringsAreSorted(candidates) {
		candidates = append([]string(nil), candidates...)
		sort.Strings(candidates)
	}
	limit := max(suggestDistance, len(input)/3)
	// Only a candidate nearer than the best so far can change the answer,
	// so each is measured only up to that bound.
	best, bestDist := "", limit+1
	m := editdist.NewMatcher(input)
	for _, c := range candidates {
		if d := m.Within(c, bestDist-1); d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist == 0 {
		return ""
	}
	return best
}

// suggestion renders a candidate as the {suggestion} placeholder.
func suggestion(candidate string) string {
	if candidate == "" {
		return ""
	}
	return " (did you mean " + quoteJSON(candidate) + "?)"
}

// Render renders a host value as messages show it (docs/validation.md,
// "Rendering"): strings in double quotes, bools and integers as written,
// anything else by its kind.
func Render(v any) string { return render(v) }

// Suggest is the "did you mean" candidate of docs/validation.md for input
// among candidates, or "" when none is close enough.
func Suggest(input string, candidates []string, suggestDistance int) string {
	return suggest(input, candidates, suggestDistance)
}
