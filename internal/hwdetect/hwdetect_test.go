package hwdetect

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/rules"
)

func TestDetectFixtures(t *testing.T) {
	type want struct {
		system, cpu, gpu, vendor, tz, hostname string
		laptop, ssd, uefi, nixos               bool
		gpus                                   int
		gpuSource                              string // substring of the GPU fact's source
		gpuID, nvidiaOpen                      string
	}
	cases := map[string]want{
		"amd-desktop": {
			system: "x86_64-linux", cpu: "amd", gpu: "amd", vendor: "msi", tz: "America/New_York", hostname: "tower",
			laptop: false, ssd: true, uefi: true, nixos: true, gpus: 2, gpuSource: "0000:03:00.0", gpuID: "1002:744c",
		},
		"nvidia-intel-laptop": {
			system: "x86_64-linux", cpu: "intel", gpu: "nvidia", vendor: "", tz: "Europe/Berlin", hostname: "xps",
			laptop: true, ssd: true, uefi: true, nixos: false, gpus: 2, gpuSource: "preferred over 0000:00:02.0 Intel", gpuID: "10de:28e0",
		},
		"pascal-laptop": {
			system: "x86_64-linux", cpu: "intel", gpu: "nvidia", vendor: "", tz: "Europe/Berlin", hostname: "oldxps",
			laptop: true, ssd: true, uefi: true, nixos: false, gpus: 2, gpuSource: "0000:01:00.0", gpuID: "10de:1c20", nvidiaOpen: "false",
		},
		"vm-nogpu": {
			system: "x86_64-linux", cpu: "intel", gpu: "", vendor: "", tz: "Etc/UTC", hostname: "nixvm",
			laptop: false, ssd: false, uefi: true, nixos: false, gpus: 2, gpuSource: "only virtual or unsupported",
		},
		"bios-machine": {
			system: "x86_64-linux", cpu: "intel", gpu: "intel", vendor: "", tz: "Europe/London", hostname: "oldbox",
			laptop: false, ssd: true, uefi: false, nixos: true, gpus: 1, gpuSource: "integrated", gpuID: "8086:0412",
		},
		"system76-laptop": {
			system: "x86_64-linux", cpu: "amd", gpu: "amd", vendor: "system76", tz: "America/Denver", hostname: "pangolin",
			laptop: true, ssd: true, uefi: true, nixos: true, gpus: 1, gpuSource: "0000:c4:00.0", gpuID: "1002:15bf",
		},
		"msi-laptop": {
			system: "x86_64-linux", cpu: "amd", gpu: "nvidia", vendor: "", tz: "Asia/Tokyo", hostname: "stealth",
			laptop: true, ssd: true, uefi: true, nixos: false, gpus: 2, gpuSource: "0000:01:00.0", gpuID: "10de:2860",
		},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := Detect(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			check := func(field string, f Fact, want string) {
				t.Helper()
				if f.Value != want {
					t.Errorf("%s = %q (source %q), want %q", field, f.Value, f.Source, want)
				}
				if f.Source == "" {
					t.Errorf("%s has no source", field)
				}
			}
			b := func(v bool) string {
				if v {
					return "true"
				}
				return "false"
			}
			ff := "desktop"
			if w.laptop {
				ff = "laptop"
			}
			check("system", r.System, w.system)
			check("cpu", r.CPU, w.cpu)
			check("gpu", r.GPU, w.gpu)
			check("vendor", r.Vendor, w.vendor)
			check("timeZone", r.TimeZone, w.tz)
			check("hostname", r.Hostname, w.hostname)
			check("isLaptop", r.IsLaptop, b(w.laptop))
			check("formFactor", r.FormFactor, ff)
			check("hasSSD", r.HasSSD, b(w.ssd))
			check("uefi", r.UEFI, b(w.uefi))
			check("nixos", r.NixOS, b(w.nixos))
			check("gpuDeviceId", r.GPUDeviceID, w.gpuID)
			check("nvidiaOpen", r.NvidiaOpen, w.nvidiaOpen)
			if len(r.GPUs) != w.gpus {
				t.Errorf("found %d display devices %+v, want %d", len(r.GPUs), r.GPUs, w.gpus)
			}
			if !strings.Contains(r.GPU.Source, w.gpuSource) {
				t.Errorf("gpu source %q does not mention %q", r.GPU.Source, w.gpuSource)
			}
		})
	}
}

func TestPeripheralBatteryIsNotALaptop(t *testing.T) {
	r, err := Detect(filepath.Join("testdata", "amd-desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if r.IsLaptop.Bool() || !strings.Contains(r.IsLaptop.Source, "chassis_type: 3") {
		t.Errorf("isLaptop = %+v; the mouse battery (scope Device) must not count", r.IsLaptop)
	}
}

func TestIgnoredDisks(t *testing.T) {
	r, err := Detect(filepath.Join("testdata", "vm-nogpu"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range r.Disks {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "vda" {
		t.Errorf("disks = %v, want only vda (dm-0, loop0 and removable sr0 ignored)", names)
	}
}

func TestChooseGPU(t *testing.T) {
	intelIGPU := GPU{Address: "0000:00:02.0", Vendor: "intel", Name: "Intel", Integrated: true}
	intelArc := GPU{Address: "0000:03:00.0", Vendor: "intel", Name: "Intel"}
	amdAPU := GPU{Address: "0000:05:00.0", Vendor: "amd", Name: "AMD"}
	amdCard := GPU{Address: "0000:03:00.0", Vendor: "amd", Name: "AMD"}
	nvidia := GPU{Address: "0000:01:00.0", Vendor: "nvidia", Name: "NVIDIA"}
	qxl := GPU{Address: "0000:00:01.0", Name: "QEMU (QXL)", Integrated: true}
	cases := []struct {
		name string
		gpus []GPU
		want string
	}{
		{"none", nil, ""},
		{"virtual only", []GPU{qxl}, ""},
		{"intel igpu only", []GPU{intelIGPU}, "intel"},
		{"amd card beats intel igpu", []GPU{intelIGPU, amdCard}, "amd"},
		{"nvidia beats intel igpu", []GPU{intelIGPU, nvidia}, "nvidia"},
		{"nvidia beats amd apu", []GPU{amdAPU, nvidia}, "nvidia"},
		{"arc beats igpu", []GPU{intelIGPU, intelArc}, "intel"},
		{"virtual next to real", []GPU{qxl, amdCard}, "amd"},
	}
	for _, c := range cases {
		if got := chooseGPU(c.gpus).Value; got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestZoneFromLink(t *testing.T) {
	cases := map[string]string{
		"/usr/share/zoneinfo/Europe/Berlin":                            "Europe/Berlin",
		"../usr/share/zoneinfo/Etc/UTC":                                "Etc/UTC",
		"/etc/zoneinfo/posix/Asia/Tokyo":                               "Asia/Tokyo",
		"/usr/share/zoneinfo/right/UTC":                                "UTC",
		"/nix/store/abc-tzdata/share/zoneinfo/America/Argentina/Salta": "America/Argentina/Salta",
		"/etc/somewhere/else":                                          "",
	}
	for in, want := range cases {
		if got := ZoneFromLink(in); got != want {
			t.Errorf("ZoneFromLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectBadRoot(t *testing.T) {
	if _, err := Detect(filepath.Join("testdata", "does-not-exist")); err == nil {
		t.Fatal("expected an error for a missing root")
	}
	r, err := Detect(t.TempDir()) // empty tree: nothing known, nothing panics
	if err != nil {
		t.Fatal(err)
	}
	if r.CPU.Known() || r.GPU.Known() || r.TimeZone.Known() || r.Hostname.Known() || r.IsLaptop.Bool() {
		t.Errorf("empty root detected something: %+v", r)
	}
}

func TestGPUID(t *testing.T) {
	for _, c := range []struct {
		g    GPU
		want string
	}{
		{GPU{VendorID: "0x10de", DeviceID: "0x1b80"}, "10de:1b80"},
		{GPU{VendorID: "0x10de", DeviceID: ""}, ""},
		{GPU{VendorID: "10de", DeviceID: "0x1b80"}, ""},
		{GPU{VendorID: "0x10de", DeviceID: "0x1b80x"}, ""},
	} {
		if got := c.g.ID(); got != c.want {
			t.Errorf("%+v.ID() = %q, want %q", c.g, got, c.want)
		}
	}
	if id, open := gpuID(nil); id.Known() || open.Known() {
		t.Errorf("no GPU: %+v %+v", id, open)
	}
	// The boundary of the pre-Turing range (lib/rules.toml, AX206).
	for dev, want := range map[string]string{"0x1dff": "false", "0x1e00": "", "0x1e02": "", "0x0fc6": "false"} {
		_, open := gpuID(&GPU{VendorID: "0x10de", DeviceID: dev, Vendor: "nvidia"})
		if open.Value != want || open.Source == "" {
			t.Errorf("device %s: nvidiaOpen %+v, want %q", dev, open, want)
		}
	}
	if _, open := gpuID(&GPU{VendorID: "0x1002", DeviceID: "0x1b80", Vendor: "amd"}); open.Known() {
		t.Errorf("an AMD GPU got nvidiaOpen %+v", open)
	}
}

// TestGPUVendorsAreTheRules: the vendors detection can name are exactly the
// hardware.gpu values of lib/rules.toml, each with its PCI vendor id.
func TestGPUVendorsAreTheRules(t *testing.T) {
	var named []string
	for _, v := range gpuVendors {
		if v.vendor != "" {
			named = append(named, v.vendor)
		}
	}
	var allowed []string
	for _, v := range rules.Default().Fields["hardware.gpu"].Enum {
		allowed = append(allowed, fmt.Sprint(v))
	}
	sort.Strings(named)
	sort.Strings(allowed)
	if !slices.Equal(named, allowed) || len(allowed) == 0 {
		t.Errorf("hwdetect names GPU vendors %v, lib/rules.toml allows hardware.gpu %v", named, allowed)
	}
	for vendor, want := range map[string]string{"nvidia": "10de", "amd": "1002", "intel": "8086"} {
		if got, ok := PCIVendorID(vendor); !ok || got != want {
			t.Errorf("PCIVendorID(%q) = %q, %v; want %q", vendor, got, ok, want)
		}
	}
	for _, bad := range []string{"", "virtio", "NVIDIA"} {
		if got, ok := PCIVendorID(bad); ok {
			t.Errorf("PCIVendorID(%q) = %q, want none", bad, got)
		}
	}
}
