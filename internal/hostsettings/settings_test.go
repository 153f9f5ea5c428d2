package hostsettings

import (
	"reflect"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/hostrules"
)

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
	h := hostfiletest.Must(t, src, "")
	got := []string{}
	for _, s := range Settings(h, hostrules.Select(h, hostrules.Options{}), hostrules.Options{}) {
		got = append(got, s.Option()+"="+hostrules.Render(s.Value)+" <"+s.Source+">")
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
	s := Settings(h, hostrules.Select(h, hostrules.Options{}), hostrules.Options{})
	primary := s[len(s)-3].Value.(map[string]any)
	if !reflect.DeepEqual(primary, map[string]any{"name": "amy", "email": "a@x"}) {
		t.Errorf("axios.user = %v", primary)
	}
	noUsers := hostfiletest.Must(t, src+"[modules.x]\n", "")
	noUsers.Values["modules"].(map[string]any)["users"] = false
	for _, s := range Settings(noUsers, hostrules.Select(noUsers, hostrules.Options{}), hostrules.Options{}) {
		if strings.HasPrefix(s.Option(), "axios.user") {
			t.Errorf("users module off, but %s is set", s.Option())
		}
	}
}
