// Package catalog reads modules/catalog.toml, the one place where every axiOS
// NixOS and home-manager module is registered, into typed entries.
//
// The Nix library reads the same file with builtins.fromTOML
// (lib/core/catalog.nix); the Go command embeds it (axios.CatalogTOML) so
// `axios modules`, `axios plan`, `axios check` and `axios init` always see the
// catalog the flake was built from. docs/catalog.md describes the fields.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

// Kind is the kind of a catalog entry.
type Kind string

// Entry kinds. Core, Flagged and Hardware are NixOS kinds; Profile and Module
// are home-manager kinds.
const (
	Core     Kind = "core"     // always imported
	Flagged  Kind = "flagged"  // imported when modules.<flag> is true
	Hardware Kind = "hardware" // imported by hardware.vendor or formFactor
	Profile  Kind = "profile"  // home profile chosen by homeProfile
	Module   Kind = "module"   // home module added by a NixOS entry or a requires
)

// NixOSEntry is one [nixos.<name>] table: a NixOS module.
type NixOSEntry struct {
	Name        string `json:"name"`
	Kind        Kind   `json:"kind"`
	Path        string `json:"path"`
	Description string `json:"description"`
	// Flag is the name of the modules.<flag> switch ("" when none). For a core
	// entry the flag only turns Enable on; it never gates the import.
	Flag string `json:"flag,omitempty"`
	// Default is the flag's value when the host does not set it (false when
	// the catalog gives no default).
	Default bool `json:"default"`
	// HasDefault reports whether the catalog gives a default for the flag.
	HasDefault bool `json:"hasDefault"`
	// Enable is the option path set to true when the entry is active.
	Enable string `json:"enable,omitempty"`
	// Settings is the host key copied verbatim to the option of the same name
	// when the entry is active (e.g. "virt").
	Settings string `json:"settings,omitempty"`
	// HostKeys lists other host keys only this entry reads (mkSystem maps
	// them); like Settings they draw AX302 when the entry is inactive.
	HostKeys []string `json:"hostKeys,omitempty"`
	// Requires lists other flags that must be on when this entry is active.
	Requires []string `json:"requires"`
	// Home lists home entries added for every user when this entry is active.
	Home []string `json:"home"`
	// Imports lists flake-input modules imported with it ("input.attr.path").
	Imports []string `json:"imports"`
	// Vendors (hardware) lists the hardware.vendor values that select it.
	Vendors []string `json:"vendors,omitempty"`
	// FormFactors (hardware) lists the formFactor values that select it when
	// the host sets no vendor.
	FormFactors []string `json:"formFactors,omitempty"`
	// VendorSettings maps a vendor to the option paths set for it, with their
	// values (bool, string, int64 or float64).
	VendorSettings map[string]map[string]any `json:"vendorSettings,omitempty"`
	// FromHost maps an option path to the host field copied into it when the
	// entry is active and the host sets the field.
	FromHost map[string]string `json:"fromHost,omitempty"`
}

// HomeEntry is one [home.<name>] table: a home-manager module or profile.
type HomeEntry struct {
	Name        string   `json:"name"`
	Kind        Kind     `json:"kind"`
	Path        string   `json:"path"`
	Description string   `json:"description"`
	Requires    []string `json:"requires"` // other home entries, added with this one
	Imports     []string `json:"imports"`  // flake-input modules imported with it
}

// NixOSHardware is one [[nixosHardware]] entry: the nixos-hardware module
// added when every When field equals the host's value.
type NixOSHardware struct {
	// When maps a dotted host field ("hardware.cpu") to the value it must have.
	When   map[string]any `json:"when"`
	Module string         `json:"module"`
}

// Catalog is the parsed catalog.
type Catalog struct {
	NixOS         []NixOSEntry    `json:"nixos"`         // sorted by name
	Home          []HomeEntry     `json:"home"`          // sorted by name
	NixOSHardware []NixOSHardware `json:"nixosHardware"` // in file order

	flags    []string        // every module flag, sorted
	defaults map[string]bool // the default of every flag
	profiles []string        // home entries of kind profile, sorted
}

type rawNixOS struct {
	Kind           string                    `toml:"kind"`
	Path           string                    `toml:"path"`
	Description    string                    `toml:"description"`
	Flag           string                    `toml:"flag"`
	Default        *bool                     `toml:"default"`
	Enable         string                    `toml:"enable"`
	Settings       string                    `toml:"settings"`
	HostKeys       []string                  `toml:"hostKeys"`
	Requires       []string                  `toml:"requires"`
	Home           []string                  `toml:"home"`
	Imports        []string                  `toml:"imports"`
	Vendors        []string                  `toml:"vendors"`
	FormFactors    []string                  `toml:"formFactors"`
	VendorSettings map[string]map[string]any `toml:"vendorSettings"`
	FromHost       map[string]string         `toml:"fromHost"`
}

type rawHome struct {
	Kind        string   `toml:"kind"`
	Path        string   `toml:"path"`
	Description string   `toml:"description"`
	Requires    []string `toml:"requires"`
	Imports     []string `toml:"imports"`
}

type rawCatalog struct {
	NixOS         map[string]rawNixOS `toml:"nixos"`
	Home          map[string]rawHome  `toml:"home"`
	NixOSHardware []rawHardware       `toml:"nixosHardware"`
}

type rawHardware struct {
	When   map[string]any `toml:"when"`
	Module string         `toml:"module"`
}

// Parse parses and checks a catalog. Unknown keys, unknown kinds, missing
// fields and dangling references (requires, home) are errors.
func Parse(data []byte) (*Catalog, error) {
	raw, err := decode(data)
	if err != nil {
		return nil, err
	}
	return build(raw)
}

// decode decodes a catalog into its raw form.
func decode(data []byte) (*rawCatalog, error) {
	var raw rawCatalog
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("catalog:%d:%d: %s", row, col, de.Error())
		}
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return &raw, nil
}

// build makes the typed catalog of a raw one and checks it.
func build(raw *rawCatalog) (*Catalog, error) {
	c := &Catalog{}
	for name, r := range raw.NixOS {
		e := NixOSEntry{
			Name: name, Kind: Kind(r.Kind), Path: r.Path, Description: r.Description,
			Flag: r.Flag, Enable: r.Enable, Settings: r.Settings, HostKeys: r.HostKeys,
			Requires: nonNil(r.Requires), Home: nonNil(r.Home), Imports: nonNil(r.Imports),
			Vendors: r.Vendors, FormFactors: r.FormFactors,
			VendorSettings: r.VendorSettings, FromHost: r.FromHost,
		}
		if r.Default != nil {
			e.Default, e.HasDefault = *r.Default, true
		}
		c.NixOS = append(c.NixOS, e)
	}
	sort.Slice(c.NixOS, func(i, j int) bool { return c.NixOS[i].Name < c.NixOS[j].Name })
	for name, r := range raw.Home {
		c.Home = append(c.Home, HomeEntry{
			Name: name, Kind: Kind(r.Kind), Path: r.Path, Description: r.Description,
			Requires: nonNil(r.Requires), Imports: nonNil(r.Imports),
		})
	}
	sort.Slice(c.Home, func(i, j int) bool { return c.Home[i].Name < c.Home[j].Name })
	for _, h := range raw.NixOSHardware {
		c.NixOSHardware = append(c.NixOSHardware, NixOSHardware{When: h.When, Module: h.Module})
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	c.index()
	return c, nil
}

// index lists the flags, their defaults and the profiles once, for the
// lookups every host makes.
func (c *Catalog) index() {
	c.defaults = map[string]bool{}
	for _, e := range c.NixOS {
		if e.Flag != "" {
			c.flags = append(c.flags, e.Flag)
			c.defaults[e.Flag] = e.Default
		}
	}
	sort.Strings(c.flags)
	for _, e := range c.Home {
		if e.Kind == Profile {
			c.profiles = append(c.profiles, e.Name)
		}
	}
}

func (c *Catalog) check() error {
	var errs []string
	flags := map[string]string{}
	for _, e := range c.NixOS {
		where := "nixos." + e.Name
		switch e.Kind {
		case Core, Flagged, Hardware:
		default:
			errs = append(errs, fmt.Sprintf("%s: kind %q is not core, flagged or hardware", where, e.Kind))
		}
		if e.Path == "" {
			errs = append(errs, where+": path is missing")
		}
		if e.Description == "" {
			errs = append(errs, where+": description is missing")
		}
		if e.Kind == Flagged && e.Flag == "" {
			errs = append(errs, where+": a flagged entry needs a flag")
		}
		if e.Kind == Hardware && e.Flag != "" {
			errs = append(errs, where+": a hardware entry has no flag")
		}
		if e.Kind == Hardware && len(e.Vendors)+len(e.FormFactors) == 0 {
			errs = append(errs, where+": a hardware entry needs vendors or formFactors")
		}
		if e.Kind != Hardware && len(e.Vendors)+len(e.FormFactors)+len(e.VendorSettings) > 0 {
			errs = append(errs, where+": vendors, formFactors and vendorSettings are for hardware entries")
		}
		if e.Flag == "" && (e.HasDefault || len(e.Requires) > 0) {
			errs = append(errs, where+": default and requires need a flag")
		}
		if e.Flag != "" {
			if other, dup := flags[e.Flag]; dup {
				errs = append(errs, fmt.Sprintf("%s: flag %q is also the flag of nixos.%s", where, e.Flag, other))
			}
			flags[e.Flag] = e.Name
		}
		for vendor, opts := range e.VendorSettings {
			if !contains(e.Vendors, vendor) {
				errs = append(errs, fmt.Sprintf("%s: vendorSettings.%s names a vendor not in vendors", where, vendor))
			}
			for opt, v := range opts {
				switch v.(type) {
				case bool, string, int64, float64:
				default:
					errs = append(errs, fmt.Sprintf("%s: vendorSettings.%s.%q must be a bool, string or number", where, vendor, opt))
				}
			}
		}
	}
	for _, e := range c.NixOS {
		for _, r := range e.Requires {
			if _, ok := flags[r]; !ok {
				errs = append(errs, fmt.Sprintf("nixos.%s: requires %q, which is no module flag", e.Name, r))
			}
		}
		for _, h := range e.Home {
			if he, ok := c.HomeEntry(h); !ok || he.Kind != Module {
				errs = append(errs, fmt.Sprintf("nixos.%s: home %q is no home entry of kind module", e.Name, h))
			}
		}
	}
	for _, e := range c.Home {
		where := "home." + e.Name
		if e.Kind != Profile && e.Kind != Module {
			errs = append(errs, fmt.Sprintf("%s: kind %q is not profile or module", where, e.Kind))
		}
		if e.Path == "" {
			errs = append(errs, where+": path is missing")
		}
		if e.Description == "" {
			errs = append(errs, where+": description is missing")
		}
		for _, r := range e.Requires {
			if _, ok := c.HomeEntry(r); !ok {
				errs = append(errs, fmt.Sprintf("%s: requires %q, which is no home entry", where, r))
			}
		}
	}
	for i, h := range c.NixOSHardware {
		if h.Module == "" || len(h.When) == 0 {
			errs = append(errs, fmt.Sprintf("nixosHardware[%d]: module and when are required", i))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("catalog: %s", strings.Join(errs, "; "))
	}
	return nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var defaultOnce sync.Once

//go:generate go test -run ^TestGenerated$ . -update

// Default returns the embedded catalog (modules/catalog.toml) as Parse
// returns it: go generate writes the checked catalog into catalog_gen.go as
// constant data (a test fails when it no longer matches the file, and when
// Default differs from Parse), so no TOML is decoded and only the index of
// flags and profiles is built, once.
func Default() *Catalog {
	defaultOnce.Do(generatedCatalog.index)
	return generatedCatalog
}

// NixOSEntry returns the NixOS entry called name.
func (c *Catalog) NixOSEntry(name string) (NixOSEntry, bool) {
	for _, e := range c.NixOS {
		if e.Name == name {
			return e, true
		}
	}
	return NixOSEntry{}, false
}

// HomeEntry returns the home entry called name.
func (c *Catalog) HomeEntry(name string) (HomeEntry, bool) {
	for _, e := range c.Home {
		if e.Name == name {
			return e, true
		}
	}
	return HomeEntry{}, false
}

// EntryForFlag returns the NixOS entry whose flag is flag.
func (c *Catalog) EntryForFlag(flag string) (NixOSEntry, bool) {
	for _, e := range c.NixOS {
		if e.Flag != "" && e.Flag == flag {
			return e, true
		}
	}
	return NixOSEntry{}, false
}

// Flags returns every module flag, sorted. The slice is shared: do not
// change its elements.
func (c *Catalog) Flags() []string { return slices.Clip(c.flags) }

// FlagDefault returns the catalog default of a flag (false when the flag has
// no default or does not exist).
func (c *Catalog) FlagDefault(flag string) bool { return c.defaults[flag] }

// Profiles returns the names of the home entries of kind profile, sorted.
// The slice is shared: do not change its elements.
func (c *Catalog) Profiles() []string { return slices.Clip(c.profiles) }
