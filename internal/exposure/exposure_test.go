package exposure

import (
	"strings"
	"testing"

	"github.com/axios-nix/axios"
	"github.com/axios-nix/axios/internal/catalog"
)

func TestEmbeddedPortsParse(t *testing.T) {
	d, err := Parse(axios.PortsTOML, catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Services) < 10 {
		t.Errorf("%d services", len(d.Services))
	}
	for _, s := range d.Services {
		if len(s.Other) > 0 || len(s.OtherUpstream) > 0 {
			for _, o := range append(append([]string{}, s.Other...), s.OtherUpstream...) {
				// Nothing opens beyond loopback and the tailnet by default.
				ifs, err := interfaces(o, d.Defaults[o])
				if err != nil || len(ifs) != 0 {
					t.Errorf("service %s: %s defaults to %v (%v %v): a default must open nothing on other interfaces", s.ID, o, d.Defaults[o], ifs, err)
				}
			}
		}
	}
}

func TestParseRejectsBadData(t *testing.T) {
	cat := catalog.Default()
	for name, tc := range map[string]struct{ toml, want string }{
		"unknown module":  {"[service.x]\nmodule = \"nope\"\ndescription = \"x\"\ntcp = [1]\n", `"nope" is not a catalog NixOS entry`},
		"no ports":        {"[service.x]\nmodule = \"networking\"\ndescription = \"x\"\n", "opens no port"},
		"missing default": {"[service.x]\nmodule = \"networking\"\ndescription = \"x\"\ntcp = [1]\nother = [\"a.b\"]\n", "reads a.b, which has no"},
		"bad range":       {"[service.x]\nmodule = \"networking\"\ndescription = \"x\"\ntcpRanges = [[5, 1]]\n", "is not [from, to]"},
		"unknown field":   {"[service.x]\nmodule = \"networking\"\nport = 1\n", "ports:"},
		"no default":      {"[option.\"a\"]\n", `option "a" has no default`},
	} {
		_, err := Parse([]byte(tc.toml), cat)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	d, err := Parse([]byte(`
[service.a]
module = "networking"
description = "A"
when = { "a.enable" = true, "a.kind" = ["x", "y"] }
tcp = [1]
udpRanges = [[5, 6]]
loopback = true
tailnet = true
other = ["a.lan"]
otherUpstream = ["a.open"]

[option."a.enable"]
default = true
[option."a.kind"]
default = "x"
[option."a.lan"]
default = []
[option."a.open"]
default = false
`), catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]bool{"networking": true}
	r, err := Classify(d, map[string]any{}, active)
	if err != nil || len(r.Loopback) != 1 || len(r.Tailnet) != 1 || len(r.Other) != 0 {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	if got := r.Tailnet[0].Ports(); got != "1/tcp, 5-6/udp" {
		t.Errorf("ports %q", got)
	}
	r, _ = Classify(d, map[string]any{"a": map[string]any{"lan": []any{"eth0"}, "open": true}}, active)
	if len(r.Other) != 2 || r.Other[0].AskedBy != "a.lan" || r.Other[0].Interfaces[0] != "eth0" || r.Other[1].Interfaces[0] != "*" {
		t.Errorf("opted in: %+v", r.Other)
	}
	for _, tree := range []map[string]any{
		{"a": map[string]any{"enable": false, "open": true}},
		{"a": map[string]any{"kind": "z", "open": true}},
	} {
		if r, _ := Classify(d, tree, active); len(r.Loopback)+len(r.Tailnet)+len(r.Other) != 0 {
			t.Errorf("%v: inactive service listed: %+v", tree, r)
		}
	}
	if r, _ := Classify(d, map[string]any{"a": map[string]any{"open": true}}, map[string]bool{}); len(r.Other) != 0 {
		t.Errorf("inactive module listed: %+v", r)
	}
	if _, err := Classify(d, map[string]any{"a": map[string]any{"lan": "eth0"}}, active); err == nil || !strings.Contains(err.Error(), "a.lan must be a bool or a list") {
		t.Errorf("bad type: %v", err)
	}
}
