package hostrules

import (
	"reflect"
	"strings"
	"testing"
)

func TestSelectReasons(t *testing.T) {
	src := validBase + `formFactor = "desktop"
homeProfile = "workstation"
[hardware]
vendor = "msi"
cpu = "intel"
hasSSD = true
[modules]
desktop = true
networking = true
`
	sel := Select(mustParse(t, src, ""), Options{})
	reasons := map[string]string{}
	for _, s := range append(append(sel.Home, sel.NixOSHardware...), sel.NixOS...) {
		reasons[s.Name] = s.Reason // NixOS last: "desktop" names both kinds
	}
	want := map[string]string{
		"hardware":         "core module, always imported",
		"desktop":          "modules.desktop = true",
		"system":           "modules.system is on by default",
		"desktopHardware":  `vendor: hardware.vendor = "msi"`,
		"workstation":      `home profile: homeProfile = "workstation"`,
		"browser":          "added by the NixOS module desktop",
		"terminal":         "required by the home module base",
		"common-cpu-intel": `hardware.cpu = "intel"`,
		"common-pc-ssd":    "hardware.hasSSD = true",
	}
	for name, r := range want {
		if reasons[name] != r {
			t.Errorf("%s: reason %q, want %q", name, reasons[name], r)
		}
	}
	if sel.HomeProfile != "workstation" || !sel.Flags["desktop"] || sel.Flags["gaming"] {
		t.Errorf("profile %q flags %v", sel.HomeProfile, sel.Flags)
	}
	form := Select(mustParse(t, validBase+"formFactor = \"laptop\"\n", ""), Options{})
	if !strings.HasPrefix(reasonOf(form.NixOS, "laptopHardware"), "form factor") {
		t.Errorf("laptopHardware: %+v", form.NixOS)
	}
	def := Select(mustParse(t, validBase, ""), Options{})
	if reasonOf(def.Home, "workstation") != `home profile: homeProfile defaults to "workstation"` {
		t.Errorf("default profile: %+v", def.Home)
	}
}

func reasonOf(list []Selected, name string) string {
	for _, s := range list {
		if s.Name == name {
			return s.Reason
		}
	}
	return ""
}

func TestSelectInvalidHosts(t *testing.T) {
	cases := []struct {
		name          string
		src           string
		nixos, hw     []string
		home          []string
		homeProfileIs string
	}{
		{
			name:  "type errors count as unset",
			src:   "modules = 3\nhardware = { isLaptop = \"yes\", cpu = 7 }\nformFactor = \"laptop\"\nhomeProfile = 1\n",
			nixos: []string{"crashDiagnostics", "hardware", "laptopHardware", "networking", "services", "system", "users"},
			hw:    []string{}, home: []string{"base", "security", "terminal", "workstation"}, homeProfileIs: "workstation",
		},
		{
			name:  "a bad vendor is still a vendor",
			src:   "formFactor = \"desktop\"\n[hardware]\nvendor = \"dell\"\n",
			nixos: []string{"crashDiagnostics", "hardware", "networking", "services", "system", "users"},
			hw:    []string{}, home: []string{"base", "security", "terminal", "workstation"}, homeProfileIs: "workstation",
		},
		{
			name:  "unknown profile and unknown flags are ignored",
			src:   "homeProfile = \"server\"\n[modules]\nsystem = false\nusers = false\nnetworking = false\nfoo = true\nsecrets = true\n",
			nixos: []string{"crashDiagnostics", "hardware", "secrets", "services"},
			hw:    []string{}, home: []string{"secrets"}, homeProfileIs: "",
		},
		{
			name:  "type error on a vendor falls back to the form factor",
			src:   "formFactor = \"laptop\"\n[hardware]\nvendor = 3\nisLaptop = true\n",
			nixos: []string{"crashDiagnostics", "hardware", "laptopHardware", "networking", "services", "system", "users"},
			hw:    []string{"common-pc-laptop"}, home: []string{"base", "security", "terminal", "workstation"}, homeProfileIs: "workstation",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sel := Select(mustParse(t, c.src, ""), Options{})
			if got := Names(sel.NixOS); !reflect.DeepEqual(got, c.nixos) {
				t.Errorf("nixos %q, want %q", got, c.nixos)
			}
			if got := Names(sel.NixOSHardware); !reflect.DeepEqual(got, c.hw) {
				t.Errorf("nixosHardware %q, want %q", got, c.hw)
			}
			if got := Names(sel.Home); !reflect.DeepEqual(got, c.home) {
				t.Errorf("home %q, want %q", got, c.home)
			}
			if sel.HomeProfile != c.homeProfileIs {
				t.Errorf("profile %q, want %q", sel.HomeProfile, c.homeProfileIs)
			}
		})
	}
}
