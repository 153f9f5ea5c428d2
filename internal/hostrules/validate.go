// Package hostrules is the Go interpreter of the axiOS host rules: it
// validates a parsed host (internal/hostfile) against lib/rules.toml and the
// module catalog exactly as docs/validation.md describes (the same page
// lib/core/validate.nix follows), selects its modules, and looks the option
// paths it sets up in an option index.
package hostrules

import (
	"slices"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/rules"
)

// Options selects the catalog and rules an interpretation uses. The zero
// value uses the embedded ones.
type Options struct {
	Catalog *catalog.Catalog
	Rules   *rules.Rules
	// OptionIndex, when set, has CheckFile and CheckBytes look the option
	// paths of extraConfig and the settings tables up (AX501).
	OptionIndex OptionIndex
}

// Resolve returns the catalog and rules in effect: the embedded ones for
// fields left nil.
func (o Options) Resolve() (*catalog.Catalog, *rules.Rules) {
	c, r := o.Catalog, o.Rules
	if c == nil {
		c = catalog.Default()
	}
	if r == nil {
		r = rules.Default()
	}
	return c, r
}

// interp holds the state of one validation or selection of a host.
type interp struct {
	h     *hostfile.Host
	cat   *catalog.Catalog
	rules *rules.Rules
	diags []diag.Diagnostic
	// has marks every field with a diagnostic so far.
	has map[string]bool
	// typeErr marks every field with AX102 or AX109: it counts as unset.
	typeErr map[string]bool
}

func newInterp(h *hostfile.Host, opts Options) *interp {
	c, r := opts.Resolve()
	if h.Values == nil {
		h.Values = map[string]any{}
	}
	return &interp{h: h, cat: c, rules: r, has: map[string]bool{}, typeErr: map[string]bool{}}
}

// Validate checks a host against the rules and the catalog, following
// docs/validation.md step by step. The result is sorted by field (byte
// order), then code; each diagnostic carries the file and, when known, the
// line of the offending key (or of its nearest written ancestor).
func Validate(h *hostfile.Host, opts Options) []diag.Diagnostic {
	in := newInterp(h, opts)
	in.validate()
	return in.diags
}

func (in *interp) validate() {
	in.walkTable("", "", in.h.Values)
	in.checkRequired()
	in.checkPrimaryUser()
	in.checkHostname()
	in.checkRules()
	sel := in.selectNixOS(false)
	in.checkRequires(sel)
	in.checkUnusedSettings(sel)
	in.checkNeeds()
	sort.SliceStable(in.diags, func(i, j int) bool {
		a, b := in.diags[i], in.diags[j]
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return a.Code < b.Code
	})
}

// vars are the values filled into a code's templates.
type vars struct {
	value, allowed, expected, suggestion, requires, flag string
}

// fill replaces the placeholders of a code's template; an unknown
// placeholder is kept as written.
func (v vars) fill(tmpl, field string) string {
	if strings.IndexByte(tmpl, '{') < 0 {
		return tmpl
	}
	var b strings.Builder
	b.Grow(len(tmpl) + len(field) + len(v.value) + len(v.allowed) + len(v.expected) + len(v.suggestion) + len(v.requires) + len(v.flag))
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		switch name {
		case "field":
			b.WriteString(field)
		case "value":
			b.WriteString(v.value)
		case "allowed":
			b.WriteString(v.allowed)
		case "expected":
			b.WriteString(v.expected)
		case "suggestion":
			b.WriteString(v.suggestion)
		case "requires":
			b.WriteString(v.requires)
		case "flag":
			b.WriteString(v.flag)
		default:
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

func (in *interp) report(code, field string, v vars) {
	in.reportAt(code, field, v, nil)
}

// reportAt is report with more places to try, in order, when field itself
// was never written (e.g. the if fields of a rule on an unset field).
func (in *interp) reportAt(code, field string, v vars, alt []string) {
	c := in.rules.Codes[code]
	fill := func(tmpl string) string { return v.fill(tmpl, field) }
	sev := c.Severity
	if sev == "" {
		sev = diag.SeverityError
	}
	d := diag.Diagnostic{
		Code: code, Severity: sev, Field: field,
		Message: fill(c.Message), Fix: fill(c.Fix),
		File: in.h.File,
	}
	if p, ok := in.position(field); ok {
		d.Line, d.Column = p.Line, p.Column
	} else {
		for _, f := range alt {
			if p, ok := in.position(f); ok {
				d.Line, d.Column = p.Line, p.Column
				break
			}
		}
	}
	in.diags = append(in.diags, d)
	in.has[field] = true
}

// position finds the place of field, or of its nearest recorded ancestor.
func (in *interp) position(field string) (hostfile.Position, bool) {
	for f := field; f != ""; {
		if p, ok := in.h.Position(f); ok {
			return p, true
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return hostfile.Position{}, false
}

// schemaFor returns the schema of key k below schema path sp (step 1). A
// quoted key with a dot ("hardware.cpu" = …) is one key, not a nested path:
// it never names a schema field exactly.
func (in *interp) schemaFor(sp, k string) *rules.Field {
	if !strings.Contains(k, ".") {
		if f, ok := in.rules.Fields[join(sp, k)]; ok {
			return f
		}
	}
	return in.rules.Fields[join(sp, "*")]
}

// children returns the last segment of every schema path directly below sp.
func (in *interp) children(sp string) []string { return in.rules.Children(sp) }

// walkTable is step 1 for every key of the table t at host path hp, whose
// schema path is sp.
func (in *interp) walkTable(hp, sp string, t map[string]any) {
	for _, k := range sortedKeys(t) {
		fp := join(hp, k)
		f := in.schemaFor(sp, k)
		if f == nil {
			if strings.Contains(k, ".") {
				fp = join(hp, `"`+k+`"`)
			}
			in.report("AX101", fp, vars{suggestion: suggestion(suggest(k, in.children(sp), in.rules.SuggestDistance))})
			continue
		}
		in.checkValue(fp, f, t[k])
	}
}

// checkValue is steps 1 (nixOnly), 2 and 3 for one value.
func (in *interp) checkValue(fp string, f *rules.Field, v any) {
	if f.NixOnly && in.h.Form == hostfile.FormTOML {
		in.report("AX109", fp, vars{value: render(v)})
		in.typeErr[fp] = true
		return
	}
	// A secret field's value never appears in a message.
	render := render
	if f.Secret {
		render = func(any) string { return hiddenValue }
	}
	if !typeOK(f.Type, v) {
		in.report("AX102", fp, vars{value: render(v), expected: expectedName(f.Type)})
		in.typeErr[fp] = true
		return
	}
	if isEnum(f) && !in.enumHas(f, v) {
		code := "AX104"
		if f.EnumCode != "" {
			code = f.EnumCode
		}
		// The allowed values and the suggestion are worked out only when
		// the code's text shows them (a time zone has hundreds).
		vs := vars{value: render(v)}
		if in.shows(code, "{allowed}") {
			allowed, _ := in.allowed(f)
			vs.allowed = renderList(allowed)
		}
		if s, ok := v.(string); ok && in.shows(code, "{suggestion}") {
			vs.suggestion = suggestion(suggest(s, in.enumNames(f), in.rules.SuggestDistance))
		}
		in.report(code, fp, vs)
	}
	if s, ok := v.(string); ok && f.Pattern != "" && !f.MatchPattern(s) {
		in.report("AX105", fp, vars{value: render(v), expected: f.Help})
	}
	if n, ok := v.(int64); ok && !f.InRange(n) {
		in.report("AX105", fp, vars{value: render(v), expected: f.Help})
	}
	switch x := v.(type) {
	case []any:
		if f.Items != "" {
			for _, e := range x {
				if !typeOK(f.Items, e) {
					in.report("AX102", fp, vars{value: "a list containing " + render(e), expected: "a list of " + f.Items + "s"})
					in.typeErr[fp] = true
					break
				}
			}
		}
	case map[string]any:
		switch {
		case f.Open:
		case f.Keys == "flags":
			in.checkFlags(fp, x)
		case f.Keys == "users":
			in.checkUsers(fp, f, x)
		default:
			in.walkTable(fp, f.Path, x)
		}
	}
}

// allowed returns the allowed values of an enum or enumFrom field.
func (in *interp) allowed(f *rules.Field) ([]any, bool) {
	var names []string
	switch f.EnumFrom {
	case "flags":
		names = in.cat.Flags()
	case "profiles":
		names = in.cat.Profiles()
	case "timeZones":
		names = in.rules.TimeZones
	default:
		if f.Enum != nil {
			return f.Enum, true
		}
		return nil, false
	}
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out, true
}

func containsValue(list []any, v any) bool {
	for _, x := range list {
		if equal(x, v) {
			return true
		}
	}
	return false
}

// isEnum reports whether a field has a list of allowed values.
func isEnum(f *rules.Field) bool {
	switch f.EnumFrom {
	case "flags", "profiles", "timeZones":
		return true
	}
	return f.Enum != nil
}

// enumHas reports whether v is one of the allowed values of an enum field
// (compared as equal compares them).
func (in *interp) enumHas(f *rules.Field, v any) bool {
	switch f.EnumFrom {
	case "timeZones":
		s, ok := v.(string)
		return ok && in.rules.IsTimeZone(s)
	case "flags", "profiles":
		s, ok := v.(string)
		return ok && slices.Contains(in.enumNames(f), s)
	}
	return containsValue(f.Enum, v)
}

// enumNames returns the allowed values of an enum field that are strings:
// the candidates of a suggestion.
func (in *interp) enumNames(f *rules.Field) []string {
	switch f.EnumFrom {
	case "flags":
		return in.cat.Flags()
	case "profiles":
		return in.cat.Profiles()
	case "timeZones":
		return in.rules.TimeZones
	}
	var out []string
	for _, a := range f.Enum {
		if s, ok := a.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// shows reports whether the message or fix of code has the placeholder.
func (in *interp) shows(code, placeholder string) bool {
	c := in.rules.Codes[code]
	return strings.Contains(c.Message, placeholder) || strings.Contains(c.Fix, placeholder)
}

// checkFlags is keys = "flags": every key a module flag, every value a bool.
func (in *interp) checkFlags(fp string, t map[string]any) {
	flags := in.cat.Flags()
	known := map[string]bool{}
	for _, f := range flags {
		known[f] = true
	}
	for _, k := range sortedKeys(t) {
		kp := join(fp, k)
		if !known[k] {
			in.report("AX106", kp, vars{flag: k, value: render(t[k]), suggestion: suggestion(suggest(k, flags, in.rules.SuggestDistance))})
		}
		if _, ok := t[k].(bool); !ok {
			in.report("AX102", kp, vars{value: render(t[k]), expected: expectedName(rules.TypeBool)})
			in.typeErr[kp] = true
		}
	}
}

// checkUsers is keys = "users": every key a valid user name, every value
// walked with the "<path>.*" schema.
func (in *interp) checkUsers(fp string, f *rules.Field, t map[string]any) {
	child := in.rules.Fields[join(f.Path, "*")]
	for _, k := range sortedKeys(t) {
		kp := join(fp, k)
		if !in.rules.MatchUser(k) {
			in.report("AX107", kp, vars{value: render(k)})
			continue
		}
		if in.rules.ReservedUser(k) {
			in.report("AX111", kp, vars{value: render(k)})
			continue
		}
		if child != nil {
			in.checkValue(kp, child, t[k])
		}
	}
}

// checkRequired is step 4: required schema paths without "*".
func (in *interp) checkRequired() {
	for _, path := range in.rules.FieldPaths() {
		f := in.rules.Fields[path]
		if !f.Required || strings.Contains(path, "*") {
			continue
		}
		if _, set := hostfile.Lookup(in.h.Values, path); !set && in.tablePresent(parentPath(path)) {
			in.report("AX103", path, vars{expected: expectedName(f.Type)})
		}
	}
}

// parentPath is the dotted path of the table holding path ("" at the top).
func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// tablePresent reports whether the table at path is there for step 4: set
// as a table, or unset with a table default while its own table is there.
// A required field below the top level is required only inside its table.
func (in *interp) tablePresent(path string) bool {
	if path == "" {
		return true
	}
	if v, set := hostfile.Lookup(in.h.Values, path); set {
		_, ok := v.(map[string]any)
		return ok
	}
	f, ok := in.rules.Fields[path]
	if !ok {
		return false
	}
	_, isTable := f.Default.(map[string]any)
	return isTable && in.tablePresent(parentPath(path))
}

// checkPrimaryUser is step 5.
func (in *interp) checkPrimaryUser() {
	users, ok := in.h.Values["users"].(map[string]any)
	if !ok || in.typeErr["users"] || len(users) == 0 {
		return
	}
	primaries := 0
	for _, u := range users {
		user, ok := u.(map[string]any)
		if !ok {
			continue
		}
		p, has := user["primary"]
		if b, isBool := p.(bool); isBool && b || !has && len(users) == 1 {
			primaries++
		}
	}
	if primaries != 1 {
		in.report("AX108", "users", vars{})
	}
}

// checkHostname is step 6.
func (in *interp) checkHostname() {
	hn, ok := in.h.Values["hostname"].(string)
	if in.h.Name == "" || !ok || in.has["hostname"] || hn == in.h.Name {
		return
	}
	in.report("AX110", "hostname", vars{value: render(hn), expected: in.h.Name})
}

// lookup returns the host's value of a dotted field; a field (or ancestor)
// with a type error counts as unset.
func (in *interp) lookup(field string) (any, bool) {
	var cur any = in.h.Values
	rest, end := field, 0
	for {
		seg, tail, more := strings.Cut(rest, ".")
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		end += len(seg)
		// field[:end] is the path so far: no new string per segment.
		cur, ok = t[seg]
		if !ok || in.typeErr[field[:end]] {
			return nil, false
		}
		if !more {
			return cur, true
		}
		rest, end = tail, end+1
	}
}

// value is lookup falling back to the field's schema default; for
// modules.<flag> (which has no schema entry of its own) it is the flag's
// value of step 8.
func (in *interp) value(field string) (any, bool) {
	if flag, ok := strings.CutPrefix(field, "modules."); ok && in.rules.Fields[field] == nil {
		if in.typeErr[field] || in.typeErr["modules"] {
			return nil, false
		}
		return in.flagValue(flag), true
	}
	if v, ok := in.lookup(field); ok {
		return v, true
	}
	if f, ok := in.rules.Fields[field]; ok && f.HasDefault {
		return f.Default, true
	}
	return nil, false
}

// between reports whether a field's value is a string from b.Low to
// b.High, inclusive, in byte order.
func (in *interp) between(b rules.Range) bool {
	v, ok := in.value(b.Field)
	s, isString := v.(string)
	return ok && isString && b.Low <= s && s <= b.High
}

func (in *interp) condHolds(c rules.Cond) bool {
	v, ok := in.value(c.Field)
	return ok && equal(v, c.Value)
}

// checkRules is step 7. "Already has a diagnostic" includes diagnostics of
// earlier rules.
func (in *interp) checkRules() {
	for _, r := range in.rules.Rules {
		skip := false
		for _, f := range r.Fields() {
			skip = skip || in.has[f]
		}
		if skip {
			continue
		}
		fire := true
		for _, c := range r.If {
			fire = fire && in.condHolds(c)
		}
		for _, b := range r.IfBetween {
			fire = fire && in.between(b)
		}
		if !fire {
			continue
		}
		broken := false
		for _, c := range r.Then {
			broken = broken || !in.condHolds(c)
		}
		if broken {
			v, _ := in.value(r.Field)
			in.reportAt(r.Code, r.Field, vars{value: render(v)}, r.Fields())
		}
	}
}

// flagValue is modules.<flag> when that is a bool, else the catalog default.
func (in *interp) flagValue(flag string) bool {
	if v, ok := in.lookup("modules." + flag); ok {
		if b, ok := v.(bool); ok {
			return b
		}
	}
	return in.cat.FlagDefault(flag)
}

// checkRequires is step 8. Only diagnostics of steps 1-7 cause a skip.
func (in *interp) checkRequires(sel Selection) {
	before := make(map[string]bool, len(in.has))
	for f := range in.has {
		before[f] = true
	}
	for _, e := range in.cat.NixOS {
		if e.Flag == "" || !sel.Active(e) {
			continue
		}
		for _, r := range e.Requires {
			if in.flagValue(r) {
				continue
			}
			if before["modules."+e.Flag] || before["modules."+r] {
				continue
			}
			in.report("AX301", "modules."+e.Flag, vars{flag: e.Flag, requires: r})
		}
	}
}

// checkUnusedSettings is step 9: the settings table and host keys of an
// inactive entry.
func (in *interp) checkUnusedSettings(sel Selection) {
	for _, e := range in.cat.NixOS {
		if e.Flag == "" || sel.Active(e) {
			continue
		}
		keys := e.HostKeys
		if e.Settings != "" {
			keys = append([]string{e.Settings}, keys...)
		}
		for _, k := range keys {
			v, ok := in.lookup(k)
			if !ok {
				continue
			}
			if _, isTable := v.(map[string]any); isTable {
				in.report("AX302", k, vars{flag: e.Flag})
			}
		}
	}
}

// hiddenValue stands for the value of a secret field in messages.
const hiddenValue = "(not shown)"

// checkNeeds is step 10: every table below a need's parent path sets one of
// its keys (a non-empty value without a type error) while the need's flag
// is on. A table with a diagnostic of its own is skipped.
func (in *interp) checkNeeds() {
	for _, n := range in.rules.Needs {
		if !in.flagValue(n.Flag) {
			continue
		}
		parent, ok := in.lookup(n.Parent())
		t, isTable := parent.(map[string]any)
		if !ok || !isTable {
			continue
		}
		for _, k := range sortedKeys(t) {
			fp := join(n.Parent(), k)
			if in.has[fp] {
				continue
			}
			if _, isTable := t[k].(map[string]any); !isTable {
				continue
			}
			satisfied := false
			for _, key := range n.AnyOf {
				if v, ok := in.lookup(join(fp, key)); ok && nonEmpty(v) {
					satisfied = true
				}
			}
			if !satisfied {
				in.report(n.Code, fp, vars{})
			}
		}
	}
}

// nonEmpty reports whether a value counts as set for a need: anything but
// an empty string or an empty list.
func nonEmpty(v any) bool {
	switch x := v.(type) {
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}
