package generate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
)

// Change is one flag turned on because another module needs it.
type Change struct {
	Flag   string // the flag turned on
	For    string // the flag (or hardware entry) that needs it
	Reason string // one line for the user
}

// ConflictError reports a flag the user turned off that a chosen module needs.
type ConflictError struct {
	Flag, Requires string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("modules.%s needs modules.%s, which you turned off: enable %s too, or leave %s off", e.Flag, e.Requires, e.Requires, e.Flag)
}

// ResolveModules returns every flag's value (catalog defaults for flags not
// in chosen) with the flags that active modules require turned on, and the
// list of flags it turned on. A flag in off (turned off explicitly) that an
// active module requires is a *ConflictError. vendor and formFactor select
// hardware entries, whose requires count too.
func ResolveModules(cat *catalog.Catalog, chosen map[string]bool, off map[string]bool, vendor, formFactor string) (map[string]bool, []Change, error) {
	vals := map[string]bool{}
	for _, f := range cat.Flags() {
		vals[f] = cat.FlagDefault(f)
	}
	for f, v := range chosen {
		vals[f] = v
	}
	var changes []Change
	for {
		changed := false
		for _, e := range activeEntries(cat, vals, vendor, formFactor) {
			who := e.Flag
			if who == "" {
				who = e.Name
			}
			for _, r := range e.Requires {
				if vals[r] {
					continue
				}
				if off[r] {
					return nil, nil, &ConflictError{Flag: who, Requires: r}
				}
				vals[r] = true
				changed = true
				changes = append(changes, Change{Flag: r, For: who, Reason: fmt.Sprintf("%s needs %s: turned %s on", who, r, r)})
			}
		}
		if !changed {
			return vals, changes, nil
		}
	}
}

// activeEntries lists the NixOS entries that are active under vals, sorted by
// name (docs/validation.md, "Module dependencies").
func activeEntries(cat *catalog.Catalog, vals map[string]bool, vendor, formFactor string) []catalog.NixOSEntry {
	var out []catalog.NixOSEntry
	for _, e := range cat.NixOS {
		switch e.Kind {
		case catalog.Flagged, catalog.Core:
			if e.Flag != "" && vals[e.Flag] {
				out = append(out, e)
			}
		case catalog.Hardware:
			if vendor != "" && contains(e.Vendors, vendor) || vendor == "" && contains(e.FormFactors, formFactor) {
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseFlagList splits "gaming,ai" (and repeated flags) into flag names and
// checks each against the catalog, suggesting the closest flag on a typo.
func ParseFlagList(cat *catalog.Catalog, lists []string) ([]string, error) {
	var out []string
	for _, l := range lists {
		for _, f := range strings.Split(l, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if _, ok := cat.EntryForFlag(f); !ok {
				return nil, fmt.Errorf("%q is not an axiOS module flag; choose from %s", f, strings.Join(cat.Flags(), ", "))
			}
			out = append(out, f)
		}
	}
	return out, nil
}
