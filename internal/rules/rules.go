// Package rules reads lib/rules.toml: the host schema, the violation codes
// and the consistency rules that both interpreters (lib/core/validate.nix and
// internal/hostrules) apply. docs/validation.md describes the semantics.
package rules

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/axios-nix/axios"
)

// Field types a schema entry may declare.
const (
	TypeString = "string"
	TypeBool   = "bool"
	TypeInt    = "int"
	TypeTable  = "table"
	TypeList   = "list"
	TypeModule = "module"
)

// Field is one [field."<path>"] schema entry.
type Field struct {
	Path       string // dotted schema path; "*" matches any key
	Type       string
	Required   bool
	Default    any // nil when HasDefault is false
	HasDefault bool
	Enum       []any  // allowed values, in file order
	EnumFrom   string // "flags", "profiles" or "timeZones"
	EnumCode   string // code for a value not allowed: AX104 unless set
	Pattern    string // POSIX ERE the whole value must match
	Items      string // element type of a list
	Min, Max   *int64 // (int) inclusive bounds, nil when unbounded
	Open       bool   // free-form table
	Keys       string // "flags" or "users"
	NixOnly    bool
	Secret     bool // messages never show the value
	Help       string

	match func(string) bool // nil: no pattern
}

// InRange reports whether n lies within the field's min and max.
func (f *Field) InRange(n int64) bool {
	return (f.Min == nil || n >= *f.Min) && (f.Max == nil || n <= *f.Max)
}

// MatchPattern reports whether s matches the field's pattern as a whole. A
// field without a pattern matches everything.
func (f *Field) MatchPattern(s string) bool {
	if f.match == nil {
		return true
	}
	return f.match(s)
}

// Code is one [code.<CODE>] entry.
type Code struct {
	Code     string // "AX101"
	Name     string // "unknown-key"
	Severity string // "error" or "warning"
	Message  string // template
	Fix      string // template
}

// Cond is one field = value pair of a rule's if or then table.
type Cond struct {
	Field string
	Value any
}

// Range is one field of a rule's ifBetween table: the field's value is a
// string from Low to High, inclusive, in byte order.
type Range struct {
	Field     string
	Low, High string
}

// Rule is one [[rule]] entry.
type Rule struct {
	Code      string
	Field     string
	If        []Cond  // sorted by field
	IfBetween []Range // sorted by field
	Then      []Cond  // sorted by field

	fields []string // Fields, listed once when the rules are built
}

// Fields returns every field the rule names: its if, ifBetween and then
// fields, in that order. The slice may be shared: do not change it.
func (r Rule) Fields() []string {
	if r.fields != nil {
		return r.fields
	}
	out := []string{}
	for _, c := range r.If {
		out = append(out, c.Field)
	}
	for _, b := range r.IfBetween {
		out = append(out, b.Field)
	}
	for _, c := range r.Then {
		out = append(out, c.Field)
	}
	return out
}

// Need is one [[need]] entry: every table below Each (a path ending in
// ".*") must set one of AnyOf while the module flag Flag is on.
type Need struct {
	Code  string
	Each  string   // "users.*"
	AnyOf []string // keys of each table
	Flag  string
}

// Parent is Each without its ".*": the path of the table whose values are
// checked.
func (n Need) Parent() string { return strings.TrimSuffix(n.Each, ".*") }

// Rules is the parsed rules file.
type Rules struct {
	SuggestDistance int
	UserPattern     string
	ReservedUsers   []string          // system accounts a host may not declare
	Fields          map[string]*Field // by schema path
	Codes           map[string]Code
	Rules           []Rule // in file order
	Needs           []Need // in file order
	// TimeZones are the names of lib/timezones.txt (enumFrom = "timeZones"),
	// sorted.
	TimeZones []string

	userMatch func(string) bool
	paths     []string            // schema paths, sorted
	children  map[string][]string // last parts below each schema path, sorted
}

// IsTimeZone reports whether name is in lib/timezones.txt (a binary search
// of the sorted names: no set of 600 names is built at start-up).
func (r *Rules) IsTimeZone(name string) bool {
	_, ok := slices.BinarySearch(r.TimeZones, name)
	return ok
}

// InBetween reports whether value lies in the ifBetween range of field in a
// rule with the given code, e.g. InBetween("AX206", "hardware.gpuDeviceId",
// "10de:1b80"): a pre-Turing NVIDIA GPU. Init uses it to write what the rule
// would otherwise warn about, from the same table.
func (r *Rules) InBetween(code, field, value string) bool {
	for _, rule := range r.Rules {
		if rule.Code != code {
			continue
		}
		for _, b := range rule.IfBetween {
			if b.Field == field && b.Low <= value && value <= b.High {
				return true
			}
		}
	}
	return false
}

// ParseNames parses a name list such as lib/timezones.txt: one name a line;
// empty lines and lines starting with "#" are skipped. The result is sorted.
func ParseNames(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

// MatchUser reports whether name is a valid user name (userPattern).
func (r *Rules) MatchUser(name string) bool { return r.userMatch(name) }

// ReservedUser reports whether name is a system account (reservedUsers).
func (r *Rules) ReservedUser(name string) bool {
	for _, u := range r.ReservedUsers {
		if u == name {
			return true
		}
	}
	return false
}

// FieldPaths returns every schema path, sorted. The slice is shared: do not
// change it.
func (r *Rules) FieldPaths() []string { return r.paths }

// Children returns the last part of every schema path directly below the
// schema path parent ("" for the top level), except "*", sorted. The slice
// is shared: do not change it.
func (r *Rules) Children(parent string) []string { return r.children[parent] }

type rawField struct {
	Type     string `toml:"type"`
	Required bool   `toml:"required"`
	Default  any    `toml:"default"`
	Enum     []any  `toml:"enum"`
	EnumFrom string `toml:"enumFrom"`
	EnumCode string `toml:"enumCode"`
	Pattern  string `toml:"pattern"`
	Items    string `toml:"items"`
	Min      *int64 `toml:"min"`
	Max      *int64 `toml:"max"`
	Open     bool   `toml:"open"`
	Keys     string `toml:"keys"`
	NixOnly  bool   `toml:"nixOnly"`
	Secret   bool   `toml:"secret"`
	Help     string `toml:"help"`
}

type rawRules struct {
	SuggestDistance int                 `toml:"suggestDistance"`
	UserPattern     string              `toml:"userPattern"`
	ReservedUsers   []string            `toml:"reservedUsers"`
	Field           map[string]rawField `toml:"field"`
	Code            map[string]rawCode  `toml:"code"`
	Rule            []rawRule           `toml:"rule"`
	Need            []rawNeed           `toml:"need"`
}

type rawCode struct {
	Name     string `toml:"name"`
	Severity string `toml:"severity"`
	Message  string `toml:"message"`
	Fix      string `toml:"fix"`
}

type rawRule struct {
	Code      string              `toml:"code"`
	Field     string              `toml:"field"`
	If        map[string]any      `toml:"if"`
	IfBetween map[string][]string `toml:"ifBetween"`
	Then      map[string]any      `toml:"then"`
}

type rawNeed struct {
	Code  string   `toml:"code"`
	Each  string   `toml:"each"`
	AnyOf []string `toml:"anyOf"`
	Flag  string   `toml:"flag"`
}

// compileERE checks a POSIX extended regular expression that must match a
// whole value, as builtins.match does in Nix, and returns its matcher.
// The pattern is parsed with POSIX syntax at once (which refuses Perl-only
// forms such as \d or (?:…) that Nix would not accept); it is compiled,
// anchored, once and only when first used, so a command that matches no
// pattern (or a few) does not compile them all at start-up.
func compileERE(p string) (func(string) bool, error) {
	if _, err := syntax.Parse(p, syntax.POSIX); err != nil {
		return nil, err
	}
	re := sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:` + p + `)$`) })
	return func(s string) bool { return re().MatchString(s) }, nil
}

// generatedMatcher returns the matcher go generate built for a pattern of
// the embedded rules (checked as compileERE checks it when it was built),
// which compiles nothing at run time.
func generatedMatcher(p string) (func(string) bool, error) {
	d := generatedDFA(p)
	if d == nil {
		return nil, fmt.Errorf("pattern %q has no generated matcher: run `go generate ./internal/rules`", p)
	}
	return d.match, nil
}

// Parse parses and checks a rules file.
func Parse(data []byte) (*Rules, error) {
	raw, err := decode(data)
	if err != nil {
		return nil, err
	}
	return build(raw, ParseNames(axios.TimeZonesTXT))
}

// decode decodes a rules file into its raw form.
func decode(data []byte) (*rawRules, error) {
	var raw rawRules
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("rules:%d:%d: %s", row, col, de.Error())
		}
		return nil, fmt.Errorf("rules: %w", err)
	}
	return &raw, nil
}

// build checks the raw rules and makes them ready for use: patterns
// compiled (compileERE), schema paths sorted and indexed by parent. zones
// are the time zone names, sorted.
func build(raw *rawRules, zones []string) (*Rules, error) {
	r := &Rules{
		SuggestDistance: raw.SuggestDistance,
		UserPattern:     raw.UserPattern,
		ReservedUsers:   raw.ReservedUsers,
		Fields:          map[string]*Field{},
		Codes:           map[string]Code{},
		TimeZones:       zones,
	}
	if !slices.IsSorted(zones) {
		r.TimeZones = slices.Sorted(slices.Values(zones))
	}
	var errs []string
	um, err := compileERE(raw.UserPattern)
	if err != nil {
		errs = append(errs, fmt.Sprintf("userPattern: %v", err))
	}
	r.userMatch = um
	for path, f := range raw.Field {
		fd := &Field{
			Path: path, Type: f.Type, Required: f.Required, Default: f.Default,
			HasDefault: f.Default != nil, Enum: f.Enum, EnumFrom: f.EnumFrom, EnumCode: f.EnumCode,
			Pattern: f.Pattern, Items: f.Items, Min: f.Min, Max: f.Max,
			Open: f.Open, Keys: f.Keys, NixOnly: f.NixOnly, Secret: f.Secret, Help: f.Help,
		}
		if (f.Min != nil || f.Max != nil) && f.Type != TypeInt {
			errs = append(errs, fmt.Sprintf("field.%q: min and max apply to type int only", path))
		}
		if !validType(f.Type) {
			errs = append(errs, fmt.Sprintf("field.%q: type %q is unknown", path, f.Type))
		}
		if f.Items != "" && !validType(f.Items) {
			errs = append(errs, fmt.Sprintf("field.%q: items %q is unknown", path, f.Items))
		}
		if f.EnumFrom != "" && f.EnumFrom != "flags" && f.EnumFrom != "profiles" && f.EnumFrom != "timeZones" {
			errs = append(errs, fmt.Sprintf("field.%q: enumFrom %q is not flags, profiles or timeZones", path, f.EnumFrom))
		}
		if f.Keys != "" && f.Keys != "flags" && f.Keys != "users" {
			errs = append(errs, fmt.Sprintf("field.%q: keys %q is not flags or users", path, f.Keys))
		}
		if f.Pattern != "" {
			fm, err := compileERE(f.Pattern)
			if err != nil {
				errs = append(errs, fmt.Sprintf("field.%q: pattern: %v", path, err))
			}
			fd.match = fm
		}
		r.Fields[path] = fd
	}
	for code, c := range raw.Code {
		if c.Severity != "error" && c.Severity != "warning" {
			errs = append(errs, fmt.Sprintf("code.%s: severity %q is not error or warning", code, c.Severity))
		}
		r.Codes[code] = Code{Code: code, Name: c.Name, Severity: c.Severity, Message: c.Message, Fix: c.Fix}
	}
	for path, f := range r.Fields {
		if code := f.EnumCode; code != "" {
			if _, ok := r.Codes[code]; !ok {
				errs = append(errs, fmt.Sprintf("field.%q: enumCode %q is not declared", path, code))
			}
		}
	}
	for i, rr := range raw.Rule {
		if _, ok := r.Codes[rr.Code]; !ok {
			errs = append(errs, fmt.Sprintf("rule[%d]: code %q is not declared", i, rr.Code))
		}
		rule := Rule{Code: rr.Code, Field: rr.Field, If: conds(rr.If), Then: conds(rr.Then)}
		for field, lh := range rr.IfBetween {
			if len(lh) != 2 || lh[0] > lh[1] {
				errs = append(errs, fmt.Sprintf("rule[%d]: ifBetween.%q must be [low, high] with low <= high", i, field))
				continue
			}
			rule.IfBetween = append(rule.IfBetween, Range{Field: field, Low: lh[0], High: lh[1]})
		}
		sort.Slice(rule.IfBetween, func(a, b int) bool { return rule.IfBetween[a].Field < rule.IfBetween[b].Field })
		for _, field := range append([]string{rr.Field}, rule.Fields()...) {
			if !r.ruleField(field) {
				errs = append(errs, fmt.Sprintf("rule[%d]: field %q is not in the schema", i, field))
			}
		}
		rule.fields = rule.Fields()
		r.Rules = append(r.Rules, rule)
	}
	for i, n := range raw.Need {
		if _, ok := r.Codes[n.Code]; !ok {
			errs = append(errs, fmt.Sprintf("need[%d]: code %q is not declared", i, n.Code))
		}
		if _, ok := r.Fields[n.Each]; !ok || !strings.HasSuffix(n.Each, ".*") {
			errs = append(errs, fmt.Sprintf("need[%d]: each %q is not a schema path ending in \".*\"", i, n.Each))
		}
		if len(n.AnyOf) == 0 {
			errs = append(errs, fmt.Sprintf("need[%d]: anyOf is empty", i))
		}
		for _, k := range n.AnyOf {
			if _, ok := r.Fields[n.Each+"."+k]; !ok {
				errs = append(errs, fmt.Sprintf("need[%d]: %q is not in the schema", i, n.Each+"."+k))
			}
		}
		if n.Flag == "" {
			errs = append(errs, fmt.Sprintf("need[%d]: flag is missing", i))
		}
		r.Needs = append(r.Needs, Need{Code: n.Code, Each: n.Each, AnyOf: n.AnyOf, Flag: n.Flag})
	}
	for _, code := range []string{"AX101", "AX102", "AX103", "AX104", "AX105", "AX106", "AX107", "AX108", "AX109", "AX110", "AX301", "AX302"} {
		if _, ok := r.Codes[code]; !ok {
			errs = append(errs, fmt.Sprintf("code.%s is missing", code))
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("rules: %s", strings.Join(errs, "; "))
	}
	r.index()
	return r, nil
}

// index lists the schema paths, sorted, and the children of each.
func (r *Rules) index() {
	r.paths = make([]string, 0, len(r.Fields))
	r.children = map[string][]string{}
	for p := range r.Fields {
		r.paths = append(r.paths, p)
		parent, last := "", p
		if i := strings.LastIndexByte(p, '.'); i >= 0 {
			parent, last = p[:i], p[i+1:]
		}
		if last != "*" {
			r.children[parent] = append(r.children[parent], last)
		}
	}
	sort.Strings(r.paths)
	for _, c := range r.children {
		sort.Strings(c)
	}
}

// ruleField reports whether a rule may name field: a schema path without
// "*", or modules.<flag> below a keys = "flags" table (the flag is checked
// against the catalog by the interpreters, which use its default).
func (r *Rules) ruleField(field string) bool {
	if f, ok := r.Fields[field]; ok && !strings.Contains(field, "*") && f != nil {
		return true
	}
	i := strings.LastIndexByte(field, '.')
	if i < 0 {
		return false
	}
	parent, ok := r.Fields[field[:i]]
	return ok && parent.Keys == "flags"
}

func validType(t string) bool {
	switch t {
	case TypeString, TypeBool, TypeInt, TypeTable, TypeList, TypeModule:
		return true
	}
	return false
}

func conds(m map[string]any) []Cond {
	out := make([]Cond, 0, len(m))
	for k, v := range m {
		out = append(out, Cond{Field: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

var (
	defaultOnce  sync.Once
	defaultRules *Rules
	defaultErr   error
)

//go:generate go test -run ^TestGenerated$ . -update

// Default returns the embedded rules (lib/rules.toml and lib/timezones.txt)
// as Parse builds them, assembled once from rules_gen.go: go generate
// writes there what Parse returns (the fields and codes as slices, sorted)
// as constant data, and a test fails when it no longer matches the files.
// So no TOML is decoded, nothing of the rules is built when the program
// starts, and no pattern is compiled (each has a generated matcher). It
// panics when a pattern has no matcher: a build defect caught by the tests.
func Default() *Rules {
	defaultOnce.Do(func() {
		defaultRules, defaultErr = assemble(generatedRules, generatedFields, generatedCodes, generatedTimeZones)
	})
	if defaultErr != nil {
		panic("embedded lib/rules.toml is invalid: " + defaultErr.Error())
	}
	return defaultRules
}

// assemble completes the rules go generate wrote (r without its maps, its
// fields and codes sorted, the time zones sorted) into what Parse returns:
// the maps of fields and codes, the generated matchers, each rule's
// fields and the index of schema paths. The fields are not copied: Default
// hands out pointers into the generated slice.
func assemble(r *Rules, fields []Field, codes []Code, zones []string) (*Rules, error) {
	r.TimeZones = zones
	r.Fields = make(map[string]*Field, len(fields))
	for i := range fields {
		f := &fields[i]
		if f.Pattern != "" {
			m, err := generatedMatcher(f.Pattern)
			if err != nil {
				return nil, fmt.Errorf("field.%q: %w", f.Path, err)
			}
			f.match = m
		}
		r.Fields[f.Path] = f
	}
	r.Codes = make(map[string]Code, len(codes))
	for _, c := range codes {
		r.Codes[c.Code] = c
	}
	um, err := generatedMatcher(r.UserPattern)
	if err != nil {
		return nil, fmt.Errorf("userPattern: %w", err)
	}
	r.userMatch = um
	for i := range r.Rules {
		r.Rules[i].fields = r.Rules[i].Fields()
	}
	r.index()
	return r, nil
}
