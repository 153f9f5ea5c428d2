package catalog

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	c := Default()
	if len(c.NixOS) < 10 || len(c.Home) < 5 || len(c.NixOSHardware) < 5 {
		t.Fatalf("catalog too small: %d nixos, %d home, %d nixosHardware", len(c.NixOS), len(c.Home), len(c.NixOSHardware))
	}
	for i := 1; i < len(c.NixOS); i++ {
		if c.NixOS[i-1].Name >= c.NixOS[i].Name {
			t.Errorf("NixOS not sorted at %s", c.NixOS[i].Name)
		}
	}
	if got := c.Profiles(); !reflect.DeepEqual(got, []string{"laptop", "workstation"}) {
		t.Errorf("profiles %q", got)
	}
	flags := c.Flags()
	for _, f := range []string{"system", "desktop", "gaming", "services"} {
		if !contains(flags, f) {
			t.Errorf("flag %s missing from %q", f, flags)
		}
	}
	if !c.FlagDefault("system") || c.FlagDefault("gaming") || c.FlagDefault("nope") {
		t.Error("FlagDefault wrong")
	}
	g, ok := c.EntryForFlag("gaming")
	if !ok || g.Kind != Flagged || !reflect.DeepEqual(g.Requires, []string{"graphics"}) || g.Enable != "gaming.enable" {
		t.Errorf("gaming entry %+v", g)
	}
	if _, ok := c.EntryForFlag(""); ok {
		t.Error("the empty flag names no entry")
	}
	hw, ok := c.NixOSEntry("desktopHardware")
	if !ok || hw.Kind != Hardware || hw.VendorSettings["msi"]["hardware.desktop.enableMsiSensors"] != true {
		t.Errorf("desktopHardware %+v", hw)
	}
	if _, ok := c.NixOSEntry("nope"); ok {
		t.Error("NixOSEntry(nope)")
	}
	if h, ok := c.HomeEntry("base"); !ok || h.Kind != Module || len(h.Requires) == 0 {
		t.Errorf("home base %+v", h)
	}
	if c.NixOSHardware[0].Module != "common-cpu-amd" || c.NixOSHardware[0].When["hardware.cpu"] != "amd" {
		t.Errorf("nixosHardware order: %+v", c.NixOSHardware[0])
	}
}

const okEntry = `
[nixos.a]
kind = "flagged"
flag = "a"
path = "modules/a"
description = "A"
`

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"unknown key":                       okEntry + "colour = 1\n",
		"bad kind":                          strings.Replace(okEntry, `"flagged"`, `"sometimes"`, 1),
		"flagged without flag":              strings.Replace(okEntry, `flag = "a"`, ``, 1),
		"no path":                           strings.Replace(okEntry, `path = "modules/a"`, ``, 1),
		"no description":                    strings.Replace(okEntry, `description = "A"`, ``, 1),
		"dangling requires":                 okEntry + "requires = [\"b\"]\n",
		"dangling home":                     okEntry + "home = [\"b\"]\n",
		"duplicate flag":                    okEntry + strings.Replace(okEntry, "nixos.a]", "nixos.b]", 1),
		"hardware without selectors":        "[nixos.h]\nkind = \"hardware\"\npath = \"p\"\ndescription = \"d\"\n",
		"hardware with a flag":              "[nixos.h]\nkind = \"hardware\"\nflag = \"h\"\nvendors = [\"v\"]\npath = \"p\"\ndescription = \"d\"\n",
		"vendorSettings for another vendor": "[nixos.h]\nkind = \"hardware\"\nvendors = [\"v\"]\npath = \"p\"\ndescription = \"d\"\n[nixos.h.vendorSettings.w]\n\"x.y\" = true\n",
		"vendorSettings table value":        "[nixos.h]\nkind = \"hardware\"\nvendors = [\"v\"]\npath = \"p\"\ndescription = \"d\"\n[nixos.h.vendorSettings.v]\n\"x.y\" = { a = 1 }\n",
		"vendors on a flagged entry":        okEntry + "vendors = [\"v\"]\n",
		"requires without flag":             "[nixos.c]\nkind = \"core\"\npath = \"p\"\ndescription = \"d\"\nrequires = []\ndefault = true\n",
		"home bad kind":                     "[home.x]\nkind = \"plugin\"\npath = \"p\"\ndescription = \"d\"\n",
		"home dangling":                     "[home.x]\nkind = \"module\"\npath = \"p\"\ndescription = \"d\"\nrequires = [\"y\"]\n",
		"home needs module kind":            okEntry + "home = [\"p\"]\n[home.p]\nkind = \"profile\"\npath = \"p\"\ndescription = \"d\"\n",
		"nixosHardware empty":               "[[nixosHardware]]\nmodule = \"m\"\n",
		"syntax":                            "[nixos.a\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(src)); err == nil || !strings.HasPrefix(err.Error(), "catalog") {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := Parse([]byte(okEntry)); err != nil {
		t.Errorf("a minimal entry: %v", err)
	}
}
