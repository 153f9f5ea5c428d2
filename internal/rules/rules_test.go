package rules

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios"
)

func TestDefault(t *testing.T) {
	r := Default()
	hn := r.Fields["hostname"]
	if hn == nil || hn.Type != TypeString || !hn.Required || hn.Pattern == "" {
		t.Fatalf("hostname field %+v", hn)
	}
	for _, ok := range []string{"a", "tower-1", "my_box", "A1"} {
		if !hn.MatchPattern(ok) {
			t.Errorf("hostname %q should match", ok)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a b", "a.b", strings.Repeat("a", 64), "a\nb"} {
		if hn.MatchPattern(bad) {
			t.Errorf("hostname %q should not match", bad)
		}
	}
	if (&Field{}).MatchPattern("anything") != true {
		t.Error("a field without pattern matches everything")
	}
	for _, ok := range []string{"alice", "_svc", "a-b_c9"} {
		if !r.MatchUser(ok) {
			t.Errorf("user %q should match", ok)
		}
	}
	for _, bad := range []string{"Alice", "9a", "", strings.Repeat("a", 33), "a.b"} {
		if r.MatchUser(bad) {
			t.Errorf("user %q should not match", bad)
		}
	}
	if r.SuggestDistance != 2 {
		t.Errorf("suggestDistance %d", r.SuggestDistance)
	}
	if f := r.Fields["hardware.hasSSD"]; !f.HasDefault || f.Default != false {
		t.Errorf("hasSSD default %+v", f)
	}
	if f := r.Fields["modules"]; f.Keys != "flags" || !f.HasDefault {
		t.Errorf("modules %+v", f)
	}
	if c := r.Codes["AX302"]; c.Severity != "warning" || c.Name == "" {
		t.Errorf("AX302 %+v", c)
	}
	if len(r.Rules) < 4 || r.Rules[0].Code == "" || len(r.Rules[0].If) == 0 {
		t.Errorf("rules %+v", r.Rules)
	}
	paths := r.FieldPaths()
	for i := 1; i < len(paths); i++ {
		if paths[i-1] >= paths[i] {
			t.Errorf("FieldPaths not sorted: %q", paths)
		}
	}
}

func TestParseErrors(t *testing.T) {
	base := string(axios.RulesTOML)
	cases := map[string]string{
		"unknown key":     base + "\nfoo = 1\n",
		"bad type":        strings.Replace(base, `type = "bool"`, `type = "boolean"`, 1),
		"bad items":       strings.Replace(base, `items = "string"`, `items = "text"`, 1),
		"bad enumFrom":    strings.Replace(base, `enumFrom = "profiles"`, `enumFrom = "colours"`, 1),
		"bad keys":        strings.Replace(base, `keys = "flags"`, `keys = "anything"`, 1),
		"bad pattern":     strings.Replace(base, `pattern = '^[[:alnum:]]`, `pattern = '^([[:alnum:]]`, 1),
		"bad userPattern": strings.Replace(base, `userPattern = '^`, `userPattern = '(^`, 1),
		"bad severity":    strings.Replace(base, `severity = "warning"`, `severity = "info"`, 1),
		"undeclared code": base + "\n[[rule]]\ncode = \"AX999\"\nfield = \"formFactor\"\n",
		"unknown field":   base + "\n[[rule]]\ncode = \"AX201\"\nfield = \"colour\"\n",
		"missing code":    strings.Replace(base, "[code.AX110]", "[code.AX110x]", 1),
		"syntax":          "[field\n",
		"bad enumCode":    strings.Replace(base, `enumCode = "AX112"`, `enumCode = "AX999"`, 1),
		"ifBetween order": strings.Replace(base, `["10de:0000", "10de:1dff"]`, `["10de:1dff", "10de:0000"]`, 1),
		"ifBetween size":  strings.Replace(base, `["10de:0000", "10de:1dff"]`, `["10de:0000"]`, 1),
		"ifBetween field": base + "\n[[rule]]\ncode = \"AX201\"\nfield = \"formFactor\"\nifBetween = { colour = [\"a\", \"b\"] }\n",
		"wildcard field":  base + "\n[[rule]]\ncode = \"AX201\"\nfield = \"users.*\"\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if src == base {
				t.Fatal("replacement did not apply")
			}
			if _, err := Parse([]byte(src)); err == nil || !strings.HasPrefix(err.Error(), "rules") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestTimeZonesAndRuleFields(t *testing.T) {
	r := Default()
	for _, z := range []string{"UTC", "Europe/Berlin", "US/Eastern", "Asia/Calcutta", "America/Argentina/Buenos_Aires"} {
		if !r.IsTimeZone(z) {
			t.Errorf("%s is not a time zone", z)
		}
	}
	for _, z := range []string{"", "Europe/Berln", "Mars/Olympus_Mons", "europe/berlin", "Factory", "# Generated"} {
		if r.IsTimeZone(z) {
			t.Errorf("%q is a time zone", z)
		}
	}
	if len(r.TimeZones) < 400 {
		t.Errorf("only %d time zones", len(r.TimeZones))
	}
	got := ParseNames([]byte("# comment\n\nb\n  a  \n"))
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("ParseNames = %q", got)
	}
	var between *Rule
	for i := range r.Rules {
		if len(r.Rules[i].IfBetween) > 0 {
			between = &r.Rules[i]
		}
	}
	if between == nil || between.IfBetween[0] != (Range{"hardware.gpuDeviceId", "10de:0000", "10de:1dff"}) {
		t.Fatalf("no ifBetween rule: %+v", between)
	}
	if f := between.Fields(); strings.Join(f, ",") != "hardware.gpu,modules.graphics,hardware.gpuDeviceId,hardware.nvidiaOpen" {
		t.Errorf("Fields() = %q", f)
	}
}

// TestCompileERE: a pattern is a POSIX ERE matched against the whole value
// (as builtins.match does); Perl-only syntax and a pattern that would
// escape the anchoring are refused.
func TestCompileERE(t *testing.T) {
	re, err := compileERE("[a-z]+|[0-9]+")
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]bool{"abc": true, "123": true, "abc123": false, "": false, "x\n": false} {
		if re(v) != want {
			t.Errorf("match %q = %v, want %v", v, !want, want)
		}
	}
	for _, bad := range []string{`\d+`, `(?:a)`, `a)|(b`, `[a-`, `(?i)a`} {
		if _, err := compileERE(bad); err == nil {
			t.Errorf("compileERE(%q) accepted a pattern Nix's POSIX ERE would not", bad)
		}
	}
}

// TestEmbeddedPatternsCompile: patterns are compiled on first use, so every
// pattern of the embedded rules (and userPattern) is compiled here; one that
// parsed as POSIX but did not compile would otherwise panic in a user's
// check.
func TestEmbeddedPatternsCompile(t *testing.T) {
	r := Default()
	n := 0
	for path, f := range r.Fields {
		if f.Pattern == "" {
			continue
		}
		n++
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("field %s: pattern %q does not compile: %v", path, f.Pattern, p)
				}
			}()
			f.MatchPattern("")
		}()
	}
	if n == 0 {
		t.Fatal("the embedded rules have no field with a pattern")
	}
	if !r.MatchUser("alice") || r.MatchUser("Alice Smith") {
		t.Errorf("userPattern %q: alice must match, \"Alice Smith\" must not", r.UserPattern)
	}
}

// TestChildrenAndPaths checks the index Parse builds against the schema
// paths themselves: every path once in FieldPaths, sorted, and every
// non-"*" last part listed under its parent.
func TestChildrenAndPaths(t *testing.T) {
	r := Default()
	paths := r.FieldPaths()
	if len(paths) != len(r.Fields) || !sort.StringsAreSorted(paths) {
		t.Fatalf("FieldPaths: %d paths for %d fields, sorted %v", len(paths), len(r.Fields), sort.StringsAreSorted(paths))
	}
	want := map[string][]string{}
	for p := range r.Fields {
		parts := strings.Split(p, ".")
		if last := parts[len(parts)-1]; last != "*" {
			parent := strings.Join(parts[:len(parts)-1], ".")
			want[parent] = append(want[parent], last)
		}
	}
	for parent, names := range want {
		sort.Strings(names)
		if got := r.Children(parent); !slices.Equal(got, names) {
			t.Errorf("Children(%q) = %v, want %v", parent, got, names)
		}
	}
	if got := r.Children("hardware"); !slices.Contains(got, "cpu") {
		t.Errorf("Children(hardware) = %v, lacks cpu", got)
	}
	if got := r.Children("no.such"); len(got) != 0 {
		t.Errorf("Children(no.such) = %v", got)
	}
}
