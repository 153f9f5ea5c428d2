package hostrules_test

import (
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/optindex/optindextest"
)

func TestCheckOptionsSharedIndex(t *testing.T) {
	idx := optindextest.Shared(t)
	src := `hostname = "a"
timeZone = "UTC"

[modules]
virt = true

[extraConfig]
imports = []
services.fwupd.enabel = true
services.openssh.settings.PermitRootLogin = "no"
users.users.alice.isNormalUser = true
home-manager.users.alice.programs.git.enable = true
home-manager.users.alice.programs.gitt.enable = true
boot.kernel.sysctl."vm.swappiness" = 10
"services.fwupd.enable" = true
hardwre.bluetooth.enable = true

[virt]
libvirt.enable = true
libvirt.enabel = true
`
	h, err := hostfile.Parse([]byte(src), "hosts/a.toml")
	if err != nil {
		t.Fatal(err)
	}
	ds := hostrules.CheckOptions(h, idx, hostrules.Options{})
	got := map[string]diag.Diagnostic{}
	for _, d := range ds {
		if d.Code != hostrules.CodeUnknownOption || d.Severity != diag.SeverityWarning {
			t.Errorf("unexpected %+v", d)
		}
		got[d.Field] = d
	}
	want := map[string]string{
		"extraConfig.services.fwupd.enabel":                  `did you mean "services.fwupd.enable"?`,
		"extraConfig.home-manager.users.alice.programs.gitt": `did you mean "home-manager.users.alice.programs.git"?`,
		`extraConfig."services.fwupd.enable"`:                "",
		"extraConfig.hardwre":                                `did you mean "hardware"?`,
		"virt.libvirt.enabel":                                `did you mean "virt.libvirt.enable"?`,
	}
	for field, fix := range want {
		d, ok := got[field]
		if !ok {
			t.Errorf("no AX501 for %s; got %+v", field, ds)
			continue
		}
		if fix != "" && !strings.Contains(d.Fix, fix) {
			t.Errorf("%s: fix %q lacks %q", field, d.Fix, fix)
		}
		if d.Line == 0 {
			t.Errorf("%s has no line", field)
		}
	}
	if len(ds) != len(want) {
		t.Errorf("got %d diagnostics, want %d: %+v", len(ds), len(want), ds)
	}
	if d := got["extraConfig.services.fwupd.enabel"]; d.Line != 9 || d.Message != "no option services.fwupd.enabel in the option index" {
		t.Errorf("fwupd: %+v", d)
	}
}

func TestCheckOptionsModuleForm(t *testing.T) {
	idx := optindextest.Shared(t)
	src := "hostname = \"a\"\ntimeZone = \"UTC\"\n[extraConfig.options.my.thing]\ntype = 1\n[extraConfig.config]\nnetworking.firewal.enable = true\n"
	h, err := hostfile.Parse([]byte(src), "a.toml")
	if err != nil {
		t.Fatal(err)
	}
	ds := hostrules.CheckOptions(h, idx, hostrules.Options{})
	if len(ds) != 1 || ds[0].Field != "extraConfig.config.networking.firewal" || !strings.Contains(ds[0].Fix, `"networking.firewall"`) {
		t.Errorf("got %+v", ds)
	}
}
