package hostrules

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios"
	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/editdist"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/rules"
)

const validBase = hostfiletest.ValidBase

var mustParse = hostfiletest.Must

func keys(ds []diag.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Key())
	}
	return out
}

func find(t *testing.T, ds []diag.Diagnostic, key string) diag.Diagnostic {
	t.Helper()
	for _, d := range ds {
		if d.Key() == key {
			return d
		}
	}
	t.Fatalf("no %q in %v", key, keys(ds))
	return diag.Diagnostic{}
}

func TestValidateCodes(t *testing.T) {
	cases := []struct {
		name string
		src  string
		file string
		want []string
	}{
		{"valid minimal", validBase, "box.toml", []string{}},
		{"unknown top-level key", validBase + "hostnme = \"x\"\n", "", []string{"AX101 hostnme"}},
		{"unknown nested key", validBase + "[hardware]\ncpuu = \"amd\"\n", "", []string{"AX101 hardware.cpuu"}},
		{"unknown user key", validBase + "[users.al]\nmail = \"a\"\n", "", []string{"AX601 users.al", "AX101 users.al.mail"}},
		{"wrong type string", `hostname = 5` + "\ntimeZone = \"UTC\"\n", "", []string{"AX102 hostname"}},
		{"float is not bool", validBase + "[hardware]\nhasSSD = 1.0\n", "", []string{"AX102 hardware.hasSSD"}},
		{"table expected", validBase + "hardware = \"big\"\n", "", []string{"AX102 hardware"}},
		{"list items", validBase + "[users.al]\nextraGroups = [\"a\", 3]\n", "", []string{"AX601 users.al", "AX102 users.al.extraGroups"}},
		{"list expected", validBase + "[users.al]\nextraGroups = \"wheel\"\n", "", []string{"AX601 users.al", "AX102 users.al.extraGroups"}},
		{"user value not a table", validBase + "users.al = 3\n", "", []string{"AX108 users", "AX102 users.al"}},
		{"missing required", "", "", []string{"AX103 hostname", "AX103 timeZone"}},
		{"enum", validBase + "system = \"riscv64-linux\"\n", "", []string{"AX104 system"}},
		{"enumFrom profiles", validBase + "homeProfile = \"server\"\n", "", []string{"AX104 homeProfile"}},
		{"pattern", "hostname = \"-bad\"\ntimeZone = \"UTC\"\n", "", []string{"AX105 hostname"}},
		{"time zone not in the tz database", "hostname = \"a\"\ntimeZone = \"europe/berlin\"\n", "", []string{"AX112 timeZone"}},
		{"time zone link", "hostname = \"a\"\ntimeZone = \"Asia/Calcutta\"\n", "", []string{}},
		{"x86_64 CPU on aarch64", validBase + "system = \"aarch64-linux\"\n[hardware]\ncpu = \"amd\"\n", "", []string{"AX205 hardware.cpu"}},
		{"gaming on aarch64", validBase + "system = \"aarch64-linux\"\n[modules]\ngraphics = true\ngaming = true\n", "", []string{"AX205 modules.gaming"}},
		{"gaming not a bool on aarch64: one line", validBase + "system = \"aarch64-linux\"\n[modules]\ngaming = \"yes\"\n", "", []string{"AX102 modules.gaming"}},
		{"bad system skips the arch rule", validBase + "system = \"riscv64-linux\"\n[hardware]\ncpu = \"amd\"\n", "", []string{"AX104 system"}},
		{"pre-Turing NVIDIA, open default", validBase + "[hardware]\ngpu = \"nvidia\"\ngpuDeviceId = \"10de:1dff\"\n[modules]\ngraphics = true\n", "", []string{"AX206 hardware.nvidiaOpen"}},
		{"first id after the range", validBase + "[hardware]\ngpu = \"nvidia\"\ngpuDeviceId = \"10de:1e00\"\n[modules]\ngraphics = true\n", "", []string{}},
		{"another vendor's id", validBase + "[hardware]\ngpu = \"nvidia\"\ngpuDeviceId = \"8086:1b80\"\n[modules]\ngraphics = true\n", "", []string{}},
		{"nvidiaOpen not a bool skips the rule", validBase + "[hardware]\ngpu = \"nvidia\"\ngpuDeviceId = \"10de:1b80\"\nnvidiaOpen = 1\n[modules]\ngraphics = true\n", "", []string{"AX102 hardware.nvidiaOpen"}},
		{"unknown flag and not bool", validBase + "[modules]\ngamin = \"yes\"\n", "", []string{"AX102 modules.gamin", "AX106 modules.gamin"}},
		{"known flag not bool", validBase + "[modules]\ngaming = 1\n", "", []string{"AX102 modules.gaming"}},
		{"bad user name", validBase + "[users.Alice]\nfullName = 3\n", "", []string{"AX107 users.Alice"}},
		{"two primaries", validBase + "[users.a]\nprimary = true\nsshKeys = [\"k\"]\n[users.b]\nprimary = true\nsshKeys = [\"k\"]\n", "", []string{"AX108 users"}},
		{"two users no primary", validBase + "[users.a]\nsshKeys = [\"k\"]\n[users.b]\nsshKeys = [\"k\"]\n", "", []string{"AX108 users"}},
		{"only user implicitly primary", validBase + "[users.a]\nsshKeys = [\"k\"]\n", "", []string{}},
		{"only user primary=false", validBase + "[users.a]\nprimary = false\nsshKeys = [\"k\"]\n", "", []string{"AX108 users"}},
		{"primary not bool", validBase + "[users.a]\nprimary = \"yes\"\nsshKeys = [\"k\"]\n", "", []string{"AX108 users", "AX102 users.a.primary"}},
		{"user without a way to log in", validBase + "[users.a]\n", "", []string{"AX601 users.a"}},
		{"empty credentials count as unset", validBase + "[users.a]\nsshKeys = []\nhashedPasswordFile = \"\"\n", "", []string{"AX601 users.a", "AX105 users.a.hashedPasswordFile"}},
		{"hash file", validBase + "[users.a]\nhashedPasswordFile = \"/run/agenix/a\"\n", "", []string{}},
		{"yescrypt hash", validBase + "[users.a]\nhashedPassword = \"$y$j9T$hm3vV0ZJ4zVxQG6T1J7pP/$V7p0Wn7hYbHn0x3l7yq1rbbZ0j5sQJ8W0aQH2Xz3V8A\"\n", "", []string{}},
		{"sha512 hash with rounds", validBase + "[users.a]\nhashedPassword = \"$6$rounds=5000$salt$Xk1Yl3Zm5Nn7\"\n", "", []string{}},
		{"md5 hash is refused", validBase + "[users.a]\nhashedPassword = \"$1$salt$Xk1Yl3Zm5Nn7\"\n", "", []string{"AX105 users.a.hashedPassword"}},
		{"plain password is refused", validBase + "[users.a]\nhashedPassword = \"correct horse\"\n", "", []string{"AX105 users.a.hashedPassword"}},
		{"a key with a type error counts as unset", validBase + "[users.a]\nsshKeys = \"ssh-ed25519 AAAA\"\n", "", []string{"AX601 users.a", "AX102 users.a.sshKeys"}},
		{"users module off: no AX601", validBase + "[modules]\nusers = false\n[users.a]\n", "", []string{"AX302 users"}},
		{"empty users", validBase + "users = {}\n", "", []string{}},
		{"nix-only key", validBase + "hardwareConfigPath = \"./hw.nix\"\n", "", []string{"AX109 hardwareConfigPath"}},
		{"hostname mismatch", validBase, "other.toml", []string{"AX110 hostname"}},
		{"no mismatch for invalid hostname", "hostname = \"-x\"\ntimeZone = \"UTC\"\n", "other.toml", []string{"AX105 hostname"}},
		{"laptop without form factor", validBase + "[hardware]\nisLaptop = true\n", "", []string{"AX201 formFactor"}},
		{"desktop that is a laptop: one line", validBase + "formFactor = \"desktop\"\n[hardware]\nisLaptop = true\n", "", []string{"AX202 hardware.isLaptop"}},
		{"system76 desktop", validBase + "formFactor = \"desktop\"\n[hardware]\nvendor = \"system76\"\n", "", []string{"AX203 formFactor"}},
		{"msi laptop", validBase + "formFactor = \"laptop\"\n[hardware]\nvendor = \"msi\"\n", "", []string{"AX204 formFactor"}},
		{"rule skipped on invalid field", validBase + "formFactor = \"tablet\"\n[hardware]\nisLaptop = true\n", "", []string{"AX104 formFactor"}},
		{"requires", validBase + "[modules]\ngaming = true\n", "", []string{"AX301 modules.gaming"}},
		{"requires via default networking off", validBase + "[modules]\ndesktop = true\nai = true\nnetworking = false\n", "", []string{"AX301 modules.ai", "AX301 modules.desktop"}},
		{"requires skipped when required flag is bad", validBase + "[modules]\ngaming = true\ngraphics = \"on\"\n", "", []string{"AX102 modules.graphics"}},
		{"unused settings", validBase + "[virt]\nlibvirt.enable = true\n[selfHosted]\n", "", []string{"AX302 selfHosted", "AX302 virt"}},
		{"used settings", validBase + "[modules]\nvirt = true\nservices = true\n[virt]\n[selfHosted]\n", "", []string{}},
		{"settings wrong type", validBase + "virt = 1\n", "", []string{"AX102 virt"}},
		{"open tables are not looked into", validBase + "[extraConfig]\nanything.goes = 1\n", "", []string{}},
		{"dates render", validBase + "formFactor = 1979-05-27\n", "", []string{"AX102 formFactor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := mustParse(t, c.src, c.file)
			got := keys(Validate(h, Options{}))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestValidateMessages(t *testing.T) {
	src := validBase + `system = "x86_64-linx"
homeProfile = "laptp"
formFactor = 1.5
[hardware]
cpuu = "amd"
[modules]
gamng = true
[users.al]
extraGroups = ["wheel", 3]
`
	ds := Validate(mustParse(t, src, "box.toml"), Options{})
	checks := map[string][2]string{
		"AX104 system":               {`system = "x86_64-linx" is not allowed`, `use one of "x86_64-linux", "aarch64-linux" (did you mean "x86_64-linux"?)`},
		"AX104 homeProfile":          {`homeProfile = "laptp" is not allowed`, `use one of "laptop", "workstation" (did you mean "laptop"?)`},
		"AX102 formFactor":           {`formFactor must be a string, not a float`, `write formFactor as a string`},
		"AX101 hardware.cpuu":        {`unknown key hardware.cpuu`, `remove it (did you mean "cpu"?)`},
		"AX106 modules.gamng":        {`modules.gamng is not an axiOS module`, "remove it (did you mean \"gaming\"?); `axios modules` lists the flags"},
		"AX102 users.al.extraGroups": {`users.al.extraGroups must be a list of strings, not a list containing 3`, `write users.al.extraGroups as a list of strings`},
	}
	for key, want := range checks {
		d := find(t, ds, key)
		if d.Message != want[0] || d.Fix != want[1] {
			t.Errorf("%s:\n got %q / %q\nwant %q / %q", key, d.Message, d.Fix, want[0], want[1])
		}
		if d.Severity != diag.SeverityError || d.File != "box.toml" || d.Line == 0 {
			t.Errorf("%s: severity %q file %q line %d", key, d.Severity, d.File, d.Line)
		}
	}
	if diag.HasErrors(nil) || !diag.HasErrors(ds) {
		t.Error("HasErrors wrong")
	}
	warn := Validate(mustParse(t, validBase+"[virt]\n", "box.toml"), Options{})
	if len(warn) != 1 || warn[0].Severity != diag.SeverityWarning || diag.HasErrors(warn) {
		t.Errorf("AX302 should be a lone warning: %+v", warn)
	}
	if warn[0].Message != "[virt] is ignored because modules.virt is off" {
		t.Errorf("AX302 message %q", warn[0].Message)
	}
	rule := find(t, Validate(mustParse(t, validBase+"[hardware]\nisLaptop = true\n", ""), Options{}), "AX201 formFactor")
	if rule.Message != "hardware.isLaptop is true but formFactor is unset" || rule.Line != 4 {
		t.Errorf("AX201: %q at line %d (want the line of hardware.isLaptop, 4)", rule.Message, rule.Line)
	}
	req := find(t, Validate(mustParse(t, "", ""), Options{}), "AX103 timeZone")
	if req.Fix != "add timeZone (a string)" || req.Line != 0 {
		t.Errorf("AX103: %q line %d", req.Fix, req.Line)
	}
}

func TestValidateSorted(t *testing.T) {
	src := `timeZone = "x"
[modules]
gamin = 3
[hardware]
cpu = "arm"
`
	got := keys(Validate(mustParse(t, src, ""), Options{}))
	want := []string{"AX104 hardware.cpu", "AX103 hostname", "AX102 modules.gamin", "AX106 modules.gamin", "AX112 timeZone"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNixForm(t *testing.T) {
	h := hostfile.FromValues(map[string]any{
		"hostname":           "box",
		"timeZone":           "UTC",
		"hardwareConfigPath": "/etc/nixos/hardware-configuration.nix",
		"extraModules":       []any{map[string]any{}, "./x.nix", int64(3)},
	}, "", hostfile.FormNix)
	got := keys(Validate(h, Options{}))
	want := []string{"AX102 extraModules"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if ds := Validate(hostfile.FromValues(nil, "", hostfile.FormNix), Options{}); len(ds) != 2 {
		t.Errorf("empty Nix host: %v", keys(ds))
	}
}

func TestCustomCatalogAndRules(t *testing.T) {
	cat, err := catalog.Parse([]byte(`
[nixos.a]
kind = "flagged"
flag = "a"
default = true
path = "modules/a"
requires = ["b"]
description = "A"
[nixos.b]
kind = "flagged"
flag = "b"
path = "modules/b"
description = "B"
`))
	if err != nil {
		t.Fatal(err)
	}
	rl, err := rules.Parse([]byte(strings.Replace(string(axios.RulesTOML), "suggestDistance = 2", "suggestDistance = 0", 1)))
	if err != nil {
		t.Fatal(err)
	}
	ds := Validate(mustParse(t, validBase+"[modules]\nc = true\n", ""), Options{Catalog: cat, Rules: rl})
	got := keys(ds)
	want := []string{"AX301 modules.a", "AX106 modules.c"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if d := find(t, ds, "AX106 modules.c"); !strings.HasPrefix(d.Fix, "remove it;") {
		t.Errorf("no suggestion expected with one-letter input: %q", d.Fix)
	}
}

func TestSuggest(t *testing.T) {
	cases := []struct {
		in    string
		cands []string
		want  string
	}{
		{"gamng", []string{"gaming", "graphics"}, "gaming"},
		{"gaming", []string{"gaming"}, ""}, // distance 0: no suggestion
		{"xyz", []string{"gaming"}, ""},    // too far
		{"ab", []string{"ba", "aa"}, "aa"}, // tie: first in sorted order
		{"verylongkeynamx", []string{"verylongkeyname"}, "verylongkeyname"},
		{"abcdefghijkl", []string{"abcdefghwxyz"}, "abcdefghwxyz"}, // 4 <= 12/3
		{"abcdefghijk", []string{"abcdefghwxyz"}, ""},              // 4 > max(2, 11/3)
		{"x", nil, ""},
	}
	for _, c := range cases {
		if got := suggest(c.in, c.cands, 2); got != c.want {
			t.Errorf("suggest(%q, %q) = %q, want %q", c.in, c.cands, got, c.want)
		}
	}
}

func TestRender(t *testing.T) {
	cases := map[string]any{
		`"a\"b"`: "a\"b", "true": true, "42": int64(42), "a float": 1.5,
		"a table": map[string]any{}, "a list": []any{}, "unset": nil,
	}
	for want, v := range cases {
		if got := render(v); got != want {
			t.Errorf("render(%#v) = %q, want %q", v, got, want)
		}
	}
}

func TestRequiredNested(t *testing.T) {
	src := strings.Replace(string(axios.RulesTOML), "[field.\"hardware.cpu\"]\n", "[field.\"hardware.cpu\"]\nrequired = true\n", 1)
	src = strings.Replace(src, "[field.\"users.*.email\"]\n", "[field.\"users.*.email\"]\nrequired = true\n", 1)
	rl, err := rules.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		validBase:                    {"AX103 hardware.cpu"},
		validBase + "hardware = 3\n": {"AX102 hardware"},
		validBase + "[hardware]\ncpu = \"amd\"\n[users.a]\nsshKeys = [\"k\"]\n": {},
	}
	for host, want := range cases {
		got := keys(Validate(mustParse(t, host, ""), Options{Rules: rl}))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", host, got, want)
		}
	}
}

// TestSecretValueNotShown: a password typed where its hash belongs never
// appears in a message (terminal, CI log, evaluation error).
func TestSecretValueNotShown(t *testing.T) {
	for _, v := range []string{`"correct horse battery"`, `42`} {
		ds := Validate(mustParse(t, validBase+"[users.a]\nhashedPassword = "+v+"\n", ""), Options{})
		if len(ds) == 0 {
			t.Fatalf("%s: no diagnostic", v)
		}
		for _, d := range ds {
			text := d.Message + d.Fix
			if strings.Contains(text, "horse") || strings.Contains(text, "42") {
				t.Errorf("the value shows in %s: %s", d.Key(), text)
			}
			if d.Field == "users.a.hashedPassword" && !strings.Contains(d.Message, "(not shown)") {
				t.Errorf("%s: %s", d.Key(), d.Message)
			}
		}
	}
}

func TestRenderLikeNix(t *testing.T) {
	// builtins.toJSON escaping: control characters as \u00XX, <>& verbatim.
	if got := render("a<b>&\x01\"é"); got != `"a<b>&\u0001\"é"` {
		t.Errorf("render = %s", got)
	}
}

func TestTimeZoneSuggestion(t *testing.T) {
	ds := Validate(mustParse(t, "hostname = \"a\"\ntimeZone = \"Europe/Berln\"\n", ""), Options{})
	if len(ds) != 1 || ds[0].Code != "AX112" || ds[0].Message != `timeZone = "Europe/Berln" is not an IANA time zone` ||
		!strings.HasSuffix(ds[0].Fix, `(did you mean "Europe/Berlin"?)`) {
		t.Errorf("got %+v", ds)
	}
}

func TestDiagnosticLines(t *testing.T) {
	src := "hostname = \"box\"\ntimeZone = \"UTC\"\n\n[modules]\ngaming = true\n\n[hardware]\ncpu = \"arm\"\n"
	ds := Validate(mustParse(t, src, "box.toml"), Options{})
	if d := find(t, ds, "AX104 hardware.cpu"); d.Line != 8 || d.Column != 1 {
		t.Errorf("AX104 at %d:%d, want 8:1", d.Line, d.Column)
	}
	if d := find(t, ds, "AX301 modules.gaming"); d.Line != 5 {
		t.Errorf("AX301 at line %d, want 5", d.Line)
	}
	// A flag that is on only by default falls back to the modules table.
	ds = Validate(mustParse(t, src+"[modules.x]\n", "box.toml"), Options{})
	if d := find(t, ds, "AX106 modules.x"); d.Line != 9 {
		t.Errorf("AX106 at line %d, want 9", d.Line)
	}
}

// TestSuggestMatchesFullDistance compares suggest, which measures each
// candidate only up to the best distance so far, with the definition of
// docs/validation.md computed with the full edit distance, on the time
// zones and the flags for inputs near and far from them.
func TestSuggestMatchesFullDistance(t *testing.T) {
	_, r := Options{}.Resolve()
	c, _ := Options{}.Resolve()
	reference := func(input string, cands []string, dist int) string {
		sorted := append([]string(nil), cands...)
		sort.Strings(sorted)
		best, bestDist := "", -1
		for _, c := range sorted {
			if d := editdist.Distance(input, c); bestDist < 0 || d < bestDist {
				best, bestDist = c, d
			}
		}
		if bestDist <= 0 || bestDist > max(dist, len(input)/3) {
			return ""
		}
		return best
	}
	inputs := []string{"", "U", "UTC", "utc", "Europe/Berlin", "Europe/Berln", "Erope/Berlin", "europe/berlin",
		"America/New York", "Mars/Olympus Mons", "Asia/Kolkatta", "gamin", "gaming", "grafics", "virtt", "x"}
	for _, cands := range [][]string{r.TimeZones, c.Flags(), {"b", "a", "ab"}} {
		for _, in := range inputs {
			for _, dist := range []int{0, 2, 5} {
				if got, want := suggest(in, cands, dist), reference(in, cands, dist); got != want {
					t.Errorf("suggest(%q, distance %d) = %q, want %q", in, dist, got, want)
				}
			}
		}
	}
}
