package hostrules

import (
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
)

// CodeUnknownOption is an option path in extraConfig (or in a module's
// settings table such as [virt]) that the option index does not know. A
// warning: the index may be older or newer than the configuration's inputs,
// and only the evaluation has the last word.
const CodeUnknownOption = "AX501"

// OptionIndex is what CheckOptions needs of an option index
// (internal/optindex).
type OptionIndex interface {
	// Known reports whether path is an option, a prefix of options, or a
	// value below a free-form option.
	Known(path []string) bool
	// Children returns the names directly below path.
	Children(path []string) []string
}

// Keys of a module (extraConfig is imported as one) that are not option
// definitions.
var moduleKeys = map[string]bool{"imports": true, "disabledModules": true, "_file": true, "key": true}

// CheckOptions looks every option path the host sets in extraConfig and in
// the settings tables of the catalog ([virt], [secrets], [selfHosted]) up in
// idx and reports each unknown one (AX501) with a "did you mean" from the
// names next to it. A key that is unknown is not looked into further.
func CheckOptions(h *hostfile.Host, idx OptionIndex, opts Options) []diag.Diagnostic {
	c, r := opts.Resolve()
	in := &interp{h: h, cat: c, rules: r, has: map[string]bool{}, typeErr: map[string]bool{}}
	if x, ok := h.Values["extraConfig"].(map[string]any); ok {
		root := x
		_, hasConfig := x["config"].(map[string]any)
		_, hasOptions := x["options"]
		if hasConfig || hasOptions {
			// A module with explicit options and config: check config only.
			root = map[string]any{}
			if cfg, ok := x["config"].(map[string]any); ok {
				in.walkOptions(idx, "extraConfig.config", nil, cfg)
			}
		}
		in.walkOptions(idx, "extraConfig", nil, root)
	}
	for _, settings := range settingsKeys(c) {
		if t, ok := h.Values[settings].(map[string]any); ok {
			in.walkOptions(idx, settings, []string{settings}, t)
		}
	}
	return in.diags
}

// SetsOptions reports whether the host has a non-empty extraConfig or
// settings table for CheckOptions to look at.
func SetsOptions(h *hostfile.Host, opts Options) bool {
	c, _ := opts.Resolve()
	for _, k := range append([]string{"extraConfig"}, settingsKeys(c)...) {
		if t, ok := h.Values[k].(map[string]any); ok && len(t) > 0 {
			return true
		}
	}
	return false
}

// settingsKeys are the catalog's settings tables, each copied to the option
// of the same name.
func settingsKeys(c *catalog.Catalog) []string {
	var out []string
	for _, e := range c.NixOS {
		if e.Settings != "" && !strings.Contains(e.Settings, ".") {
			out = append(out, e.Settings)
		}
	}
	return out
}

func (in *interp) walkOptions(idx OptionIndex, hostPath string, optPath []string, t map[string]any) {
	for _, k := range sortedKeys(t) {
		if len(optPath) == 0 && moduleKeys[k] {
			continue
		}
		field := join(hostPath, tomlKey(k))
		p := append(append([]string(nil), optPath...), k)
		if !idx.Known(p) {
			sug := ""
			if s := suggest(k, idx.Children(optPath), in.rules.SuggestDistance); s != "" {
				sug = " (did you mean " + quoteJSON(strings.Join(append(append([]string(nil), optPath...), s), ".")) + "?)"
			}
			in.reportOption(field, strings.Join(p, "."), sug)
			continue
		}
		if sub, ok := t[k].(map[string]any); ok {
			in.walkOptions(idx, field, p, sub)
		}
	}
}

// tomlKey writes a key as a dotted path shows it: quoted when it holds a
// dot or is empty.
func tomlKey(k string) string {
	if k == "" || strings.ContainsAny(k, ". \"") {
		return quoteJSON(k)
	}
	return k
}

func (in *interp) reportOption(field, option, sug string) {
	d := diag.Diagnostic{
		Code: CodeUnknownOption, Severity: diag.SeverityWarning, Field: field,
		Message: "no option " + option + " in the option index",
		Fix:     "correct or remove it" + sug + "; `axios options " + option + "` searches the index, which may be older or newer than this configuration's inputs",
		File:    in.h.File,
	}
	if p, ok := in.position(field); ok {
		d.Line, d.Column = p.Line, p.Column
	}
	in.diags = append(in.diags, d)
}
