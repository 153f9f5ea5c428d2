package hostconfig

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

func TestSettings(t *testing.T) {
	src := `hostname = "box"
timeZone = "UTC"
[hardware]
vendor = "system76"
cpu = "amd"
gpu = "nvidia"
[modules]
graphics = true
users = true
[users.zed]
fullName = "Zed"
[users.amy]
primary = true
email = "a@x"
extraGroups = ["wheel"]
`
	h := mustParse(t, src, "")
	got := []string{}
	for _, s := range Settings(h, Select(h, Options{}), Options{}) {
		got = append(got, s.Option()+"="+render(s.Value)+" <"+s.Source+">")
	}
	want := []string{
		`networking.hostName="box" <hostname>`,
		`axios.hardware.gpuType="nvidia" <fromHost of graphics: hardware.gpu>`,
		`axios.hardware.cpu="amd" <fromHost of hardware: hardware.cpu>`,
		`hardware.laptop.enable=true <enable of laptopHardware>`,
		`hardware.laptop.enablePangolinQuirks=true <vendor settings of laptopHardware: hardware.vendor = "system76">`,
		`hardware.laptop.enableSystem76=true <vendor settings of laptopHardware: hardware.vendor = "system76">`,
		`axios.system.timeZone="UTC" <fromHost of system: timeZone>`,
		`axios.user=a table <primary user amy>`,
		`axios.users.accounts.amy=a table <user amy>`,
		`axios.users.accounts.zed=a table <user zed>`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s := Settings(h, Select(h, Options{}), Options{})
	primary := s[len(s)-3].Value.(map[string]any)
	if !reflect.DeepEqual(primary, map[string]any{"name": "amy", "email": "a@x"}) {
		t.Errorf("axios.user = %v", primary)
	}
	noUsers := mustParse(t, src+"[modules.x]\n", "")
	noUsers.Values["modules"].(map[string]any)["users"] = false
	for _, s := range Settings(noUsers, Select(noUsers, Options{}), Options{}) {
		if strings.HasPrefix(s.Option(), "axios.user") {
			t.Errorf("users module off, but %s is set", s.Option())
		}
	}
}
