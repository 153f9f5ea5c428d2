// Package webmanifest reads a W3C web app manifest (manifest.json,
// *.webmanifest) and turns it into an axiOS PWA entry: id, name, start URL,
// freedesktop menu categories and the best icon. It only parses: fetching
// and writing belong to the command.
package webmanifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// MaxSize is the largest manifest accepted (real ones are a few KiB).
const MaxSize = 1 << 20

// Manifest is the part of a web app manifest axiOS reads.
type Manifest struct {
	Name       string   `json:"name"`
	ShortName  string   `json:"short_name"`
	StartURL   string   `json:"start_url"`
	Scope      string   `json:"scope"`
	ID         string   `json:"id"`
	Categories []string `json:"categories"`
	Icons      []Icon   `json:"icons"`
}

// Icon is one entry of the manifest's icons list.
type Icon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// Entry is what axiOS writes for one PWA (axios.pwa.extraApps.<id>).
type Entry struct {
	ID         string   `json:"-"`
	Name       string   `json:"name"`
	URL        string   `json:"url"`
	Categories []string `json:"categories"`
	// Icon is the base name of a PNG in the icon folder; ThemeIcon an icon
	// name of the icon theme. Either may be empty.
	Icon      string `json:"icon,omitempty"`
	ThemeIcon string `json:"themeIcon,omitempty"`
}

// Parse decodes a manifest, refusing what is too large, HTML, or nameless.
func Parse(data []byte) (*Manifest, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("the manifest is %d bytes, more than the %d a web app manifest can sensibly have", len(data), MaxSize)
	}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "<") {
		return nil, errors.New("this is an HTML page, not a manifest: give the address in the page's <link rel=\"manifest\" href=…>")
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("not a web app manifest (JSON): %w", err)
	}
	m.Name = clean(m.Name)
	m.ShortName = clean(m.ShortName)
	if m.Name == "" && m.ShortName == "" {
		return nil, errors.New("the manifest has neither name nor short_name")
	}
	return &m, nil
}

// clean drops control characters and surrounding space, and limits the
// length (names end up in desktop entries and launcher menus).
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return s
}

var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) }) // compiled when first used, not at start-up

// ValidID reports whether id can name a PWA (the desktop file and the
// pwa-<id> command).
func ValidID(id string) bool { return idRE().MatchString(id) && len(id) <= 64 }

// Slug turns a name into an id: lower case, runs of anything but letters
// and digits become one dash.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	s := b.String()
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	return s
}

// OpenURL is the absolute https address the PWA opens: start_url (else
// scope, else id, else base) resolved against base.
func (m *Manifest) OpenURL(base *url.URL) (string, error) {
	ref := m.StartURL
	field := "start_url"
	if ref == "" {
		ref, field = m.Scope, "scope"
	}
	if ref == "" {
		ref, field = m.ID, "id"
	}
	if ref == "" {
		if base == nil {
			return "", errors.New("the manifest names no start_url: pass --base-url with the site's address")
		}
		ref, field = base.String(), "--base-url"
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%s %q is not a URL: %w", field, ref, err)
	}
	if !u.IsAbs() {
		if base == nil {
			return "", fmt.Errorf("%s %q is relative: pass --base-url with the address the manifest was saved from (such as https://mail.proton.me/)", field, ref)
		}
		u = base.ResolveReference(u)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("%s %q must be an https:// address", field, u.String())
	}
	if strings.ContainsAny(u.String(), " \t\n\"") {
		return "", fmt.Errorf("%s %q contains spaces or quotes", field, u.String())
	}
	return u.String(), nil
}

// categoryMap maps the manifest categories of the W3C registry
// (w3c/manifest wiki "Categories") to freedesktop.org menu categories.
var categoryMap = map[string][]string{
	"books":           {"Office"},
	"business":        {"Office"},
	"education":       {"Education"},
	"entertainment":   {"AudioVideo"},
	"finance":         {"Office", "Finance"},
	"fitness":         {"Utility"},
	"food":            {"Utility"},
	"games":           {"Game"},
	"government":      {"Network"},
	"health":          {"Utility"},
	"kids":            {"Education"},
	"lifestyle":       {"Utility"},
	"magazines":       {"Network", "News"},
	"medical":         {"Utility"},
	"music":           {"AudioVideo", "Audio"},
	"navigation":      {"Utility", "Maps"},
	"news":            {"Network", "News"},
	"personalization": {"Settings"},
	"photo":           {"Graphics", "Photography"},
	"politics":        {"Network", "News"},
	"productivity":    {"Office"},
	"security":        {"System", "Security"},
	"shopping":        {"Network"},
	"social":          {"Network", "Chat"},
	"sports":          {"Network"},
	"travel":          {"Utility"},
	"utilities":       {"Utility"},
	"weather":         {"Utility"},
	"email":           {"Network", "Email"},
	"communication":   {"Network", "Chat"},
	"video":           {"AudioVideo", "Video"},
}

// DesktopCategories maps the manifest's categories; unknown ones are
// dropped and ["Network"] is used when none is left.
func (m *Manifest) DesktopCategories() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range m.Categories {
		for _, d := range categoryMap[strings.ToLower(strings.TrimSpace(c))] {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		return []string{"Network"}
	}
	return out
}

// BestIcon is the largest PNG icon meant for any use (not only "maskable"
// or "monochrome"); ok is false when there is none.
func (m *Manifest) BestIcon() (Icon, bool) {
	type cand struct {
		icon Icon
		size int
	}
	var cs []cand
	for _, ic := range m.Icons {
		if ic.Src == "" || strings.HasPrefix(ic.Src, "data:") {
			continue
		}
		isPNG := strings.EqualFold(ic.Type, "image/png") || ic.Type == "" && strings.HasSuffix(strings.ToLower(strings.SplitN(ic.Src, "?", 2)[0]), ".png")
		if !isPNG {
			continue
		}
		purpose := strings.Fields(strings.ToLower(ic.Purpose))
		if len(purpose) > 0 && !contains(purpose, "any") {
			continue
		}
		cs = append(cs, cand{ic, largest(ic.Sizes)})
	}
	if len(cs) == 0 {
		return Icon{}, false
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].size > cs[j].size })
	return cs[0].icon, true
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// largest reads "48x48 192x192" and returns the largest width.
func largest(sizes string) int {
	best := 0
	for _, s := range strings.Fields(strings.ToLower(sizes)) {
		w, _, ok := strings.Cut(s, "x")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(w); err == nil && n > best {
			best = n
		}
	}
	return best
}

// ThemeCandidates are the icon names to look for in the icon theme, in
// order: the id, then the slugs of the name and the short name.
func (m *Manifest) ThemeCandidates(id string) []string {
	var out []string
	for _, c := range []string{id, Slug(m.Name), Slug(m.ShortName)} {
		if c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
