// Package hostsettings derives what mkSystem sets for a valid host: the
// option assignments of its active modules (lib/core/plan.nix, hostSettings)
// and its deployment settings (lib/core/deploy.nix); tests keep both in
// agreement with the Nix core on the vectors.
package hostsettings

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
)

// Setting is one option assignment mkSystem makes for a host.
type Setting struct {
	// Path is the option path, one element per attribute name.
	Path []string `json:"path"`
	// Value is the assigned value.
	Value any `json:"value"`
	// Source says where the value comes from ("hostname", "enable of
	// desktop", "fromHost of graphics: hardware.gpu" …).
	Source string `json:"source"`
}

// Option is the dotted option path.
func (s Setting) Option() string { return strings.Join(s.Path, ".") }

// Settings derives the options mkSystem sets for a host, in the order
// lib/core/plan.nix (hostSettings) produces them: networking.hostName; then,
// for every active NixOS entry by name, its enable option, its settings
// pass-through, its fromHost options and its vendor settings (each sorted by
// option); then the primary user (axios.user) and every account
// (axios.users.accounts.<name>) when the users module is selected. Values are
// the host's own values (not defaults); sel must come from Select on h.
func Settings(h *hostfile.Host, sel hostrules.Selection, opts hostrules.Options) []Setting {
	c, _ := opts.Resolve()
	out := []Setting{}
	if hn, ok := hostfile.Lookup(h.Values, "hostname"); ok {
		if s, ok := hn.(string); ok {
			out = append(out, Setting{[]string{"networking", "hostName"}, s, "hostname"})
		}
	}
	vendor, _ := hostfile.Lookup(h.Values, "hardware.vendor")
	for _, e := range c.NixOS {
		if !sel.Active(e) {
			continue
		}
		out = append(out, entrySettings(h, e, vendor)...)
	}
	if sel.Has("users") {
		out = append(out, userSettings(h)...)
	}
	return out
}

func entrySettings(h *hostfile.Host, e catalog.NixOSEntry, vendor any) []Setting {
	var out []Setting
	if e.Enable != "" {
		out = append(out, Setting{strings.Split(e.Enable, "."), true, "enable of " + e.Name})
	}
	if e.Settings != "" {
		if v, ok := hostfile.Lookup(h.Values, e.Settings); ok {
			if _, isTable := v.(map[string]any); isTable {
				out = append(out, Setting{[]string{e.Settings}, v, "settings of " + e.Name + ": [" + e.Settings + "]"})
			}
		}
	}
	for _, opt := range slices.Sorted(maps.Keys(e.FromHost)) {
		field := e.FromHost[opt]
		if v, ok := hostfile.Lookup(h.Values, field); ok {
			out = append(out, Setting{strings.Split(opt, "."), v, "fromHost of " + e.Name + ": " + field})
		}
	}
	if v, ok := vendor.(string); ok {
		opts := e.VendorSettings[v]
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, opt := range keys {
			out = append(out, Setting{strings.Split(opt, "."), opts[opt], "vendor settings of " + e.Name + ": hardware.vendor = " + hostrules.Render(v)})
		}
	}
	return out
}

// userSettings sets axios.user for the primary user (the first user marked
// primary, else the only user) and axios.users.accounts.<name> for each user.
func userSettings(h *hostfile.Host) []Setting {
	users, ok := h.Values["users"].(map[string]any)
	if !ok || len(users) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(users))
	var primaries []string
	for _, n := range names {
		if u, ok := users[n].(map[string]any); ok && u["primary"] == true {
			primaries = append(primaries, n)
		}
	}
	if len(primaries) == 0 && len(names) == 1 {
		primaries = names
	}
	var out []Setting
	if len(primaries) > 0 {
		n := primaries[0]
		v := pick(users[n], "fullName", "email")
		v["name"] = n
		out = append(out, Setting{[]string{"axios", "user"}, v, "primary user " + n})
	}
	for _, n := range names {
		out = append(out, Setting{[]string{"axios", "users", "accounts", n}, pick(users[n], "fullName", "email", "extraGroups", "isAdmin", "linger", "hashedPassword", "hashedPasswordFile", "sshKeys"), "user " + n})
	}
	return out
}

func pick(v any, keys ...string) map[string]any {
	out := map[string]any{}
	t, _ := v.(map[string]any)
	for _, k := range keys {
		if x, ok := t[k]; ok {
			out[k] = x
		}
	}
	return out
}
