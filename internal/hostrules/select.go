package hostrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/hostfile"
)

// Selected is one selected module and the reason it was selected.
type Selected struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Selection is the module selection of a host (docs/validation.md, "Module
// selection"), computed for every host, valid or not.
type Selection struct {
	// NixOS lists the catalog's NixOS entries to import, sorted by name.
	NixOS []Selected `json:"nixos"`
	// Home lists the home entries every user gets, sorted by name.
	Home []Selected `json:"home"`
	// NixOSHardware lists nixos-hardware modules, in catalog order.
	NixOSHardware []Selected `json:"nixosHardware"`
	// HomeProfile is the profile in effect ("" when homeProfile names none).
	HomeProfile string `json:"homeProfile"`
	// Flags is the value of every module flag: the host's bool, else the
	// catalog default.
	Flags map[string]bool `json:"flags"`
}

// Names returns the names of a list of selected modules.
func Names(list []Selected) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Name
	}
	return out
}

// Has reports whether the NixOS entry called name is selected.
func (s Selection) Has(name string) bool {
	for _, x := range s.NixOS {
		if x.Name == name {
			return true
		}
	}
	return false
}

// Active reports whether a NixOS entry is active: imported, and its flag (if
// it has one) on. For entries with a flag, and for hardware entries, this is
// exactly the definition of docs/validation.md step 8; a core entry without
// a flag is always active.
func (s Selection) Active(e catalog.NixOSEntry) bool {
	if !s.Has(e.Name) {
		return false
	}
	return e.Flag == "" || s.Flags[e.Flag]
}

// Select computes the module selection of a host. A field with a type error
// counts as unset; an unknown flag is ignored.
func Select(h *hostfile.Host, opts Options) Selection {
	in := newInterp(h, opts)
	in.walkTable("", "", h.Values)
	return in.selectModules()
}

func (in *interp) selectModules() Selection {
	sel := in.selectNixOS(true)
	sel.Home, sel.NixOSHardware = []Selected{}, []Selected{}

	home := map[string]string{}
	var queue []string
	add := func(name, reason string) {
		if _, ok := home[name]; !ok {
			home[name] = reason
			queue = append(queue, name)
		}
	}
	if p, ok := in.value("homeProfile"); ok {
		if name, ok := p.(string); ok {
			if e, ok := in.cat.HomeEntry(name); ok && e.Kind == catalog.Profile {
				sel.HomeProfile = name
				if _, set := in.lookup("homeProfile"); set {
					add(name, fmt.Sprintf("home profile: homeProfile = %s", render(name)))
				} else {
					add(name, fmt.Sprintf("home profile: homeProfile defaults to %s", render(name)))
				}
			}
		}
	}
	for _, s := range sel.NixOS {
		e, _ := in.cat.NixOSEntry(s.Name)
		for _, hm := range e.Home {
			add(hm, "added by the NixOS module "+e.Name)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if e, ok := in.cat.HomeEntry(name); ok {
			for _, r := range e.Requires {
				add(r, "required by the home module "+name)
			}
		}
	}
	for name, reason := range home {
		sel.Home = append(sel.Home, Selected{name, reason})
	}
	sort.Slice(sel.Home, func(i, j int) bool { return sel.Home[i].Name < sel.Home[j].Name })

	for _, hw := range in.cat.NixOSHardware {
		fields := make([]string, 0, len(hw.When))
		for f := range hw.When {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		match := true
		var why []string
		for _, f := range fields {
			v, ok := in.value(f)
			if !ok || !equal(v, hw.When[f]) {
				match = false
				break
			}
			why = append(why, fmt.Sprintf("%s = %s", f, render(v)))
		}
		if match {
			sel.NixOSHardware = append(sel.NixOSHardware, Selected{hw.Module, strings.Join(why, ", ")})
		}
	}
	return sel
}

// selectNixOS computes the flags and the NixOS entries of the selection.
// Without reasons every entry's Reason is empty: validation reads only which
// entries are active (a folder of hosts is checked without formatting a
// reason per module and host).
func (in *interp) selectNixOS(reasons bool) Selection {
	sel := Selection{Flags: map[string]bool{}, NixOS: []Selected{}}
	for _, f := range in.cat.Flags() {
		sel.Flags[f] = in.flagValue(f)
	}
	vendor, hasVendor := in.value("hardware.vendor")
	form, hasForm := in.value("formFactor")
	add := func(name string, reason func() string) {
		r := ""
		if reasons {
			r = reason()
		}
		sel.NixOS = append(sel.NixOS, Selected{name, r})
	}
	for _, e := range in.cat.NixOS {
		switch e.Kind {
		case catalog.Core:
			add(e.Name, func() string { return "core module, always imported" })
		case catalog.Flagged:
			if !sel.Flags[e.Flag] {
				continue
			}
			if _, set := in.lookup("modules." + e.Flag); set {
				add(e.Name, func() string { return fmt.Sprintf("modules.%s = true", e.Flag) })
			} else {
				add(e.Name, func() string { return fmt.Sprintf("modules.%s is on by default", e.Flag) })
			}
		case catalog.Hardware:
			if hasVendor {
				if v, ok := vendor.(string); ok && contains(e.Vendors, v) {
					add(e.Name, func() string { return fmt.Sprintf("vendor: hardware.vendor = %s", render(v)) })
				}
			} else if f, ok := form.(string); ok && hasForm && contains(e.FormFactors, f) {
				add(e.Name, func() string { return fmt.Sprintf("form factor: formFactor = %s and no hardware.vendor", render(f)) })
			}
		}
	}
	return sel
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
