package plan

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/hostrules"
)

func run(t *testing.T, deps Deps, args ...string) (string, int) {
	t.Helper()
	return cmdtest.Run(t, New(deps), args...)
}

func TestPlanHuman(t *testing.T) {
	out, code := run(t, Deps{}, cmdtest.HostVector(t, "every-flag"))
	if code != exitcode.OK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out,
		"host every-flag",
		"NixOS modules",
		"  gaming            modules.gaming = true",
		"  crashDiagnostics  core module, always imported",
		"laptopHardware    form factor: formFactor = \"laptop\" and no hardware.vendor",
		"nixos-hardware modules",
		"common-cpu-amd",
		"home modules (profile laptop)",
		"terminal  required by the home module base",
		"settings",
		`networking.hostName = "every-flag"`,
		`axios.system.timeZone = "Asia/Tokyo"`,
		`axios.hardware.gpuType = "amd"`,
		`virt = {"libvirt":{"enable":true}}`,
		"✓ valid host",
	)
}

func TestPlanInvalid(t *testing.T) {
	out, code := run(t, Deps{}, cmdtest.HostVector(t, "bad-requires"))
	if code != exitcode.Failed || !strings.Contains(out, "problems") || !strings.Contains(out, "AX301 modules.gaming") || !strings.Contains(out, "✗") {
		t.Errorf("code %d:\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "broken.toml")
	if err := os.WriteFile(bad, []byte("x = [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, Deps{}, "--json", bad)
	if code != exitcode.Failed {
		t.Errorf("syntax error: code %d", code)
	}
	var p Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil || len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != checkdir.CodeSyntax || len(p.NixOS) != 0 {
		t.Errorf("syntax error plan %+v (%v)", p, err)
	}
	out, code = run(t, Deps{}, bad)
	if code != exitcode.Failed || !strings.Contains(out, "AX001") || !strings.Contains(out, "not valid TOML, so there is nothing to plan") || strings.Contains(out, "NixOS modules") {
		t.Errorf("syntax error, human output (code %d):\n%s", code, out)
	}
}

func TestPlanJSON(t *testing.T) {
	out, code := run(t, Deps{}, "--json", cmdtest.HostVector(t, "system76-laptop"))
	if code != exitcode.OK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	var p Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Host != "system76-laptop" || !p.Valid || p.HomeProfile == "" || len(p.Settings) == 0 || p.Flags == nil {
		t.Errorf("plan %+v", p)
	}
	found := false
	for _, s := range p.Settings {
		if s.Option() == "hardware.laptop.enableSystem76" && s.Value == true && strings.Contains(s.Source, "vendor") {
			found = true
		}
	}
	if !found {
		t.Errorf("no vendor setting in %+v", p.Settings)
	}
	if hostrules.Names(p.NixOS)[0] != "crashDiagnostics" {
		t.Errorf("nixos %+v", p.NixOS)
	}
}

func TestPlanHostName(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(cmdtest.HostVector(t, "minimal"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hosts", "minimal.toml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, Deps{}, "--dir", dir, "minimal")
	if code != exitcode.OK || !strings.Contains(out, "host minimal") {
		t.Errorf("by name: code %d:\n%s", code, out)
	}
	out, code = run(t, Deps{}, "--dir", dir, "tower")
	if code != exitcode.Usage || !strings.Contains(out, `no host "tower"`) || !strings.Contains(out, "hosts: minimal") {
		t.Errorf("unknown host: code %d:\n%s", code, out)
	}
	if _, code := run(t, Deps{Resolver: cmdtest.NoConfig(t)}, "tower"); code != exitcode.Usage {
		t.Errorf("no config dir: code %d", code)
	}
	if out, code := run(t, Deps{}, filepath.Join(dir, "nope.toml")); code != exitcode.Usage || !strings.Contains(out, "no such file") {
		t.Errorf("missing file: code %d: %s", code, out)
	}
	if _, code := run(t, Deps{}); code != exitcode.Usage {
		t.Errorf("no argument: code %d", code)
	}
}

func TestPlanCompletion(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"tower.toml", "laptop.toml", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, "hosts", n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := New(Deps{})
	if err := cmd.Flags().Set("dir", dir); err != nil {
		t.Fatal(err)
	}
	names, _ := cmd.ValidArgsFunction(cmd, nil, "")
	if strings.Join(names, ",") != "laptop,tower" {
		t.Errorf("completion %q", names)
	}
	if names, _ := cmd.ValidArgsFunction(cmd, []string{"tower"}, ""); names != nil {
		t.Errorf("second argument completes %q", names)
	}
}

func TestPlanShowsDeployment(t *testing.T) {
	out, code := run(t, Deps{}, "--json", cmdtest.HostVector(t, "deploy"))
	if code != exitcode.OK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	var p Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Deploy == nil || p.Deploy.TargetHost != "deploy.example-tailnet.ts.net" || !p.Deploy.BuildOnTarget() || p.Deploy.ConfirmTimeout != 60 {
		t.Errorf("deploy = %+v", p.Deploy)
	}
	human, _ := run(t, Deps{}, cmdtest.HostVector(t, "deploy"))
	for _, want := range []string{"deployment", "deploy.example-tailnet.ts.net", "-p 2222", "60 s"} {
		if !strings.Contains(human, want) {
			t.Errorf("plan output lacks %q:\n%s", want, human)
		}
	}
	out, _ = run(t, Deps{}, "--json", cmdtest.HostVector(t, "minimal"))
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.Deploy != nil {
		t.Errorf("a host without [deploy] has deploy %+v (%v)", p.Deploy, err)
	}
}

// A named pipe as host file is refused at once, naming it (issue 11).
func TestPlanFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		out  string
		code int
	}
	done := make(chan result, 1)
	go func() {
		out, code := run(t, Deps{}, fifo)
		done <- result{out, code}
	}()
	select {
	case r := <-done:
		if r.code != exitcode.Failed || !strings.Contains(r.out, "AX001") || !strings.Contains(r.out, "is a named pipe (FIFO), not a regular file") {
			t.Errorf("code %d:\n%s", r.code, r.out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("plan did not return in 10 s: it opened the named pipe")
	}
}

func TestPlanExposure(t *testing.T) {
	out, code := run(t, Deps{}, "--exposure", cmdtest.HostVector(t, "laptop-intel"))
	if code != exitcode.OK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out,
		"loopback (lo: this machine only)",
		"tailnet (tailscale0: your tailnet's devices)",
		"  ssh ",
		"22/tcp",
		"other (LAN, public Wi-Fi: every other interface)",
		"  (nothing)",
		"✓ nothing answers beyond loopback and the tailnet",
	)
	if strings.Contains(out, "NixOS modules") {
		t.Errorf("--exposure prints the module plan too:\n%s", out)
	}
	host := filepath.Join(t.TempDir(), "open.toml")
	src := "hostname = \"open\"\ntimeZone = \"UTC\"\nformFactor = \"desktop\"\n[extraConfig.services.openssh]\nopenFirewall = true\n[extraConfig.networking.samba]\nlanInterfaces = [\"enp3s0\"]\n"
	if err := os.WriteFile(host, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, Deps{}, "--exposure", host)
	if code != exitcode.OK {
		t.Fatalf("code %d:\n%s", code, out)
	}
	cmdtest.ExpectOutput(t, out, "on every interface, asked by services.openssh.openFirewall", "on enp3s0, asked by networking.samba.lanInterfaces", "! 3 service(s) answer on other interfaces")
	out, _ = run(t, Deps{}, "--json", host)
	var p Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Exposure == nil || len(p.Exposure.Other) != 3 || p.Exposure.Other[0].Service != "samba" {
		t.Errorf("json exposure %+v", p.Exposure)
	}
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte(src+"[extraConfig.services.avahi]\nopenFirewall = \"yes\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, Deps{}, "--exposure", bad); code != exitcode.Usage || !strings.Contains(out, "services.avahi.openFirewall must be a bool") {
		t.Errorf("bad value: code %d: %s", code, out)
	}
}
