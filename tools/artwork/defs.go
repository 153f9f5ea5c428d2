package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
)

// pwaDef is the part of a PWA definition (pkgs/pwa-apps/pwa-defs.json) the
// icon generator reads. The Nix package reads the same file.
type pwaDef struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Icon  string `json:"icon"`
	Label string `json:"label"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// loadDefs reads and checks the PWA definitions, returned sorted by id.
func loadDefs(path string) ([]string, map[string]pwaDef, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading PWA definitions: %w", err)
	}
	defs := map[string]pwaDef{}
	if err := json.Unmarshal(raw, &defs); err != nil {
		return nil, nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	ids := make([]string, 0, len(defs))
	labels := map[string]string{}
	for id, d := range defs {
		if !idPattern.MatchString(id) {
			return nil, nil, fmt.Errorf("%s: id %q must be lower-case letters, digits and dashes", path, id)
		}
		if d.Icon != id {
			return nil, nil, fmt.Errorf("%s: %s.icon is %q; built-in PWAs name their icon after their id, set it to %q", path, id, d.Icon, id)
		}
		if n := len([]rune(d.Label)); n < 1 || n > 2 {
			return nil, nil, fmt.Errorf("%s: %s.label %q must be 1 or 2 characters", path, id, d.Label)
		}
		for _, r := range d.Label {
			if _, ok := glyphs[r]; !ok {
				return nil, nil, fmt.Errorf("%s: %s.label %q uses %q; the icon font has A-Z and 0-9 only", path, id, d.Label, r)
			}
		}
		if other, dup := labels[d.Label]; dup {
			return nil, nil, fmt.Errorf("%s: %s.label %q is already used by %s; labels must be distinct", path, id, d.Label, other)
		}
		labels[d.Label] = id
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, defs, nil
}
