// Package hwdetect finds out what a machine is made of by reading /proc, /sys
// and /etc directly — no lspci, lsblk or other external tools — so the same
// code runs against a recorded tree in tests.
//
// Every answer is a Fact: a value plus the file (and the content) it came
// from, so `axios hardware` can show its evidence and `axios init` can say why
// it pre-filled an answer.
//
// How each fact is decided:
//
//   - CPU: the vendor_id line of /proc/cpuinfo (GenuineIntel → intel,
//     AuthenticAMD → amd). The Nix system is x86_64-linux when a vendor_id
//     line exists, aarch64-linux when a "CPU architecture: 8" line does.
//   - GPU: every PCI device in /sys/bus/pci/devices whose class is 0x03xxxx
//     (display controller). Vendor 0x1002 is AMD, 0x10de NVIDIA, 0x8086
//     Intel; other display vendors (QEMU QXL/Bochs, virtio, VMware, Cirrus,
//     ASPEED BMCs …) are listed but never chosen. A GPU on PCI bus 0 is
//     counted as integrated: that is where Intel places its processor
//     graphics (0000:00:02.0), while plug-in and laptop discrete GPUs sit
//     behind a PCIe bridge on a non-zero bus. Discrete wins over integrated;
//     among equals NVIDIA wins over AMD over Intel, because NVIDIA makes no
//     x86 integrated GPU and AMD APU graphics (which may sit on a non-zero
//     bus) are paired only with NVIDIA or AMD discrete cards.
//   - GPU device id: the chosen GPU's vendor and device files, written
//     "vendor:device" as `lspci -nn` shows them (10de:2684).
//   - NVIDIA open modules: false when the chosen GPU is an NVIDIA one whose
//     device id lib/rules.toml lists as older than Turing (rule AX206),
//     which NVIDIA's open kernel modules do not drive; else unknown (the
//     default, true, applies).
//   - Laptop: a /sys/class/power_supply entry of type "Battery" whose scope
//     is not "Device" (a mouse or headset battery has scope Device), or a
//     DMI chassis type (/sys/class/dmi/id/chassis_type) of 8 portable,
//     9 laptop, 10 notebook, 11 hand held, 14 sub notebook, 30 tablet,
//     31 convertible or 32 detachable.
//   - SSD: any whole disk in /sys/block with queue/rotational = 0, ignoring
//     virtual and removable devices (loop, ram, zram, dm-, md, sr, fd, nbd,
//     removable = 1).
//   - UEFI: /sys/firmware/efi exists.
//   - Time zone: the /etc/localtime symlink target after ".../zoneinfo/"
//     (without posix/ or right/), else the first line of /etc/timezone.
//   - Hostname: /etc/hostname, else /proc/sys/kernel/hostname.
//   - Vendor: DMI board_vendor or sys_vendor: "Micro-Star" → msi, "System76"
//     → system76; dropped when the form factor does not fit (msi support is
//     for desktop boards, system76 support for laptops).
//   - NixOS: /etc/NIXOS exists.
package hwdetect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/axios-nix/axios/internal/rules"
)

// Fact is one detected value and where it came from. An empty Value means
// "not detected"; Source then says what was looked at.
type Fact struct {
	Value  string `json:"value"`
	Source string `json:"source"`
}

// Known reports whether the fact has a value.
func (f Fact) Known() bool { return f.Value != "" }

// Bool returns the value as a bool ("true" is true, anything else false).
func (f Fact) Bool() bool { return f.Value == "true" }

// GPU is one display controller found on the PCI bus.
type GPU struct {
	Address    string `json:"address"`    // PCI address, e.g. 0000:01:00.0
	Class      string `json:"class"`      // e.g. 0x030000
	VendorID   string `json:"vendorId"`   // e.g. 0x10de
	DeviceID   string `json:"deviceId"`   // e.g. 0x2684, empty when unreadable
	Vendor     string `json:"vendor"`     // amd, nvidia, intel, or empty (not a supported vendor)
	Name       string `json:"name"`       // a readable vendor name
	Integrated bool   `json:"integrated"` // on PCI bus 0
}

// Disk is one whole block device considered for the SSD answer.
type Disk struct {
	Name       string `json:"name"`
	Rotational bool   `json:"rotational"`
}

// Report is everything detected on one machine.
type Report struct {
	Root   string `json:"root"`
	System Fact   `json:"system"`
	CPU    Fact   `json:"cpu"`
	GPU    Fact   `json:"gpu"`
	GPUs   []GPU  `json:"gpus"`
	// GPUDeviceID is the chosen GPU's "vendor:device" id (hardware.gpuDeviceId).
	GPUDeviceID Fact `json:"gpuDeviceId"`
	// NvidiaOpen is "false" for a pre-Turing NVIDIA GPU (hardware.nvidiaOpen).
	NvidiaOpen Fact   `json:"nvidiaOpen"`
	IsLaptop   Fact   `json:"isLaptop"`
	FormFactor Fact   `json:"formFactor"`
	HasSSD     Fact   `json:"hasSSD"`
	Disks      []Disk `json:"disks"`
	UEFI       Fact   `json:"uefi"`
	TimeZone   Fact   `json:"timeZone"`
	Hostname   Fact   `json:"hostname"`
	Vendor     Fact   `json:"vendor"`
	NixOS      Fact   `json:"nixos"`
}

// Detect reads the machine rooted at root ("/" for this machine; a recorded
// tree in tests). It fails only when root itself is unusable; a missing file
// leaves its fact unknown.
func Detect(root string) (*Report, error) {
	if root == "" {
		root = "/"
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("hardware root %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("hardware root %s is not a directory", root)
	}
	d := detector{root: root}
	r := &Report{Root: root}
	r.CPU, r.System = d.cpu()
	r.GPUs = d.gpus()
	r.GPU = chooseGPU(r.GPUs)
	r.GPUDeviceID, r.NvidiaOpen = gpuID(pickGPU(r.GPUs))
	r.IsLaptop = d.laptop()
	if r.IsLaptop.Bool() {
		r.FormFactor = Fact{"laptop", "a laptop (see isLaptop)"}
	} else {
		r.FormFactor = Fact{"desktop", "no system battery and no laptop chassis type"}
	}
	r.Disks = d.disks()
	r.HasSSD = ssdFact(r.Disks)
	r.UEFI = d.uefi()
	r.TimeZone = d.timeZone()
	r.Hostname = d.hostname()
	r.Vendor = vendorFor(d.vendor(), r.IsLaptop.Bool())
	r.NixOS = d.nixos()
	// Empty lists, not null, in JSON.
	if r.GPUs == nil {
		r.GPUs = []GPU{}
	}
	if r.Disks == nil {
		r.Disks = []Disk{}
	}
	return r, nil
}

type detector struct{ root string }

// path maps an absolute machine path into the root.
func (d detector) path(p string) string { return filepath.Join(d.root, p) }

// read returns the trimmed content of a file in the root, or "" and false.
func (d detector) read(p string) (string, bool) {
	b, err := os.ReadFile(d.path(p))
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

func (d detector) exists(p string) bool {
	_, err := os.Lstat(d.path(p))
	return err == nil
}

func (d detector) cpu() (cpu, system Fact) {
	const file = "/proc/cpuinfo"
	b, err := os.ReadFile(d.path(file))
	if err != nil {
		return Fact{Source: file + " not readable"}, Fact{Source: file + " not readable"}
	}
	cpu = Fact{Source: file + ": no vendor_id line"}
	system = Fact{Source: file + ": neither vendor_id nor \"CPU architecture: 8\""}
	for _, line := range strings.Split(string(b), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch key {
		case "vendor_id":
			system = Fact{"x86_64-linux", file + ": vendor_id " + value}
			switch value {
			case "GenuineIntel":
				cpu = Fact{"intel", file + ": vendor_id GenuineIntel"}
			case "AuthenticAMD":
				cpu = Fact{"amd", file + ": vendor_id AuthenticAMD"}
			default:
				cpu = Fact{Source: file + ": vendor_id " + value + " is not AMD or Intel"}
			}
			return cpu, system
		case "CPU architecture":
			if value == "8" {
				system = Fact{"aarch64-linux", file + ": CPU architecture 8"}
				cpu = Fact{Source: file + ": an ARM CPU (only amd and intel are CPU vendors here)"}
				return cpu, system
			}
		}
	}
	return cpu, system
}

// gpuVendors names the display controllers by PCI vendor id. vendor is the
// hardware.gpu value of lib/rules.toml (a test keeps the two lists equal),
// empty for a device no vendor driver applies to; of two GPUs on the same
// kind of bus the higher rank is the one the configuration is for.
var gpuVendors = map[string]struct {
	vendor, name string
	rank         int
}{
	"0x10de": {"nvidia", "NVIDIA", 3},
	"0x1002": {"amd", "AMD", 2},
	"0x8086": {"intel", "Intel", 1},
	"0x1af4": {"", "virtio", 0},
	"0x1b36": {"", "QEMU (QXL)", 0},
	"0x1234": {"", "QEMU (Bochs)", 0},
	"0x15ad": {"", "VMware", 0},
	"0x80ee": {"", "VirtualBox", 0},
	"0x1013": {"", "Cirrus Logic", 0},
	"0x1a03": {"", "ASPEED", 0},
	"0x1414": {"", "Microsoft Hyper-V", 0},
}

// PCIVendorID returns the PCI vendor id, lowercase hex without "0x" as
// `lspci -nn` and hardware.gpuDeviceId write it, of a hardware.gpu value
// ("nvidia" gives "10de"); false for a value that names no vendor.
func PCIVendorID(vendor string) (string, bool) {
	if vendor == "" {
		return "", false
	}
	for id, v := range gpuVendors {
		if v.vendor == vendor {
			return strings.TrimPrefix(id, "0x"), true
		}
	}
	return "", false
}

// rank orders the GPU vendors for pickGPU; 0 for any other device.
func rank(vendor string) int {
	if id, ok := PCIVendorID(vendor); ok {
		return gpuVendors["0x"+id].rank
	}
	return 0
}

func (d detector) gpus() []GPU {
	const dir = "/sys/bus/pci/devices"
	entries, err := os.ReadDir(d.path(dir))
	if err != nil {
		return nil
	}
	var out []GPU
	for _, e := range entries {
		base := dir + "/" + e.Name()
		class, ok := d.read(base + "/class")
		if !ok || !strings.HasPrefix(strings.ToLower(class), "0x03") {
			continue
		}
		vendorID, _ := d.read(base + "/vendor")
		vendorID = strings.ToLower(vendorID)
		deviceID, _ := d.read(base + "/device")
		g := GPU{
			Address:    e.Name(),
			Class:      strings.ToLower(class),
			VendorID:   vendorID,
			DeviceID:   strings.ToLower(deviceID),
			Integrated: pciBus(e.Name()) == 0,
		}
		if v, ok := gpuVendors[vendorID]; ok {
			g.Vendor, g.Name = v.vendor, v.name
		} else {
			g.Name = "unknown vendor " + vendorID
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

// pciBus returns the bus number of a PCI address "dddd:bb:dd.f", or -1.
func pciBus(addr string) int {
	parts := strings.Split(addr, ":")
	if len(parts) != 3 {
		return -1
	}
	n, err := strconv.ParseUint(parts[1], 16, 8)
	if err != nil {
		return -1
	}
	return int(n)
}

// pickGPU returns the GPU the configuration is for, or nil.
func pickGPU(gpus []GPU) *GPU {
	var best *GPU
	better := func(a, b *GPU) bool { // a better than b
		if a.Integrated != b.Integrated {
			return !a.Integrated
		}
		return rank(a.Vendor) > rank(b.Vendor)
	}
	for i := range gpus {
		g := &gpus[i]
		if g.Vendor == "" {
			continue
		}
		if best == nil || better(g, best) {
			best = g
		}
	}
	return best
}

func chooseGPU(gpus []GPU) Fact {
	best := pickGPU(gpus)
	if best == nil {
		if len(gpus) == 0 {
			return Fact{Source: "/sys/bus/pci/devices: no display controller (class 0x03xxxx)"}
		}
		names := make([]string, 0, len(gpus))
		for _, g := range gpus {
			names = append(names, g.Address+" "+g.Name)
		}
		return Fact{Source: "/sys/bus/pci/devices: only virtual or unsupported display devices (" + strings.Join(names, ", ") + ")"}
	}
	kind := "discrete"
	if best.Integrated {
		kind = "integrated"
	}
	src := fmt.Sprintf("/sys/bus/pci/devices/%s: class %s vendor %s (%s %s)", best.Address, best.Class, best.VendorID, best.Name, kind)
	var others []string
	for _, g := range gpus {
		if g.Address != best.Address {
			others = append(others, g.Address+" "+g.Name)
		}
	}
	if len(others) > 0 {
		src += "; preferred over " + strings.Join(others, ", ")
	}
	return Fact{best.Vendor, src}
}

// ID returns the "vendor:device" id of a GPU as `lspci -nn` shows it,
// or "" when either id is unreadable.
func (g GPU) ID() string {
	v, okV := strings.CutPrefix(g.VendorID, "0x")
	d, okD := strings.CutPrefix(g.DeviceID, "0x")
	if !okV || !okD || len(v) != 4 || len(d) != 4 {
		return ""
	}
	return v + ":" + d
}

// gpuID returns the device id fact of the chosen GPU and, for NVIDIA, the
// open kernel modules fact.
func gpuID(g *GPU) (id, open Fact) {
	if g == nil {
		return Fact{Source: "no GPU chosen"}, Fact{Source: "no NVIDIA GPU"}
	}
	if g.ID() == "" {
		return Fact{Source: "the chosen GPU's vendor and device ids are unreadable"}, Fact{Source: "no NVIDIA device id"}
	}
	base := "/sys/bus/pci/devices/" + g.Address
	id = Fact{g.ID(), base + "/vendor and " + base + "/device"}
	if g.Vendor != "nvidia" {
		return id, Fact{Source: "not an NVIDIA GPU"}
	}
	if rules.Default().InBetween("AX206", "hardware.gpuDeviceId", id.Value) {
		return id, Fact{"false", "device " + id.Value + " is older than Turing: NVIDIA's open kernel modules do not drive it (lib/rules.toml, AX206)"}
	}
	return id, Fact{Source: "device " + id.Value + " is Turing or newer: the open kernel modules (the default) apply"}
}

// Laptop chassis types from the SMBIOS specification (System Enclosure).
var laptopChassis = map[int]string{
	8:  "portable",
	9:  "laptop",
	10: "notebook",
	11: "hand held",
	14: "sub notebook",
	30: "tablet",
	31: "convertible",
	32: "detachable",
}

func (d detector) laptop() Fact {
	const psDir = "/sys/class/power_supply"
	entries, _ := os.ReadDir(d.path(psDir))
	for _, e := range entries {
		base := psDir + "/" + e.Name()
		typ, _ := d.read(base + "/type")
		if typ != "Battery" {
			continue
		}
		if scope, _ := d.read(base + "/scope"); scope == "Device" {
			continue // a peripheral's battery (mouse, headset)
		}
		return Fact{"true", base + ": type Battery (a system battery)"}
	}
	const chassisFile = "/sys/class/dmi/id/chassis_type"
	chassis, ok := d.read(chassisFile)
	if ok {
		if n, err := strconv.Atoi(chassis); err == nil {
			if name, ok := laptopChassis[n]; ok {
				return Fact{"true", fmt.Sprintf("%s: %d (%s)", chassisFile, n, name)}
			}
			return Fact{"false", fmt.Sprintf("no system battery in %s; %s: %d (not a laptop type)", psDir, chassisFile, n)}
		}
	}
	return Fact{"false", "no system battery in " + psDir + " and no laptop chassis type"}
}

func ignoredDisk(name string) bool {
	for _, p := range []string{"loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (d detector) disks() []Disk {
	const dir = "/sys/block"
	entries, err := os.ReadDir(d.path(dir))
	if err != nil {
		return nil
	}
	var out []Disk
	for _, e := range entries {
		name := e.Name()
		if ignoredDisk(name) {
			continue
		}
		if removable, _ := d.read(dir + "/" + name + "/removable"); removable == "1" {
			continue
		}
		rot, ok := d.read(dir + "/" + name + "/queue/rotational")
		if !ok {
			continue
		}
		out = append(out, Disk{Name: name, Rotational: rot != "0"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func ssdFact(disks []Disk) Fact {
	if len(disks) == 0 {
		return Fact{"false", "/sys/block: no physical disk found"}
	}
	var rotating []string
	for _, dk := range disks {
		if !dk.Rotational {
			return Fact{"true", "/sys/block/" + dk.Name + "/queue/rotational: 0"}
		}
		rotating = append(rotating, dk.Name)
	}
	return Fact{"false", "/sys/block: every disk is rotational (" + strings.Join(rotating, ", ") + ")"}
}

func (d detector) uefi() Fact {
	if info, err := os.Stat(d.path("/sys/firmware/efi")); err == nil && info.IsDir() {
		return Fact{"true", "/sys/firmware/efi exists"}
	}
	return Fact{"false", "/sys/firmware/efi does not exist (legacy BIOS boot)"}
}

// ZoneFromLink extracts an IANA zone from a /etc/localtime link target such
// as /usr/share/zoneinfo/Europe/Berlin or /etc/zoneinfo/posix/Etc/UTC.
func ZoneFromLink(target string) string {
	i := strings.LastIndex(target, "zoneinfo/")
	if i < 0 {
		return ""
	}
	zone := target[i+len("zoneinfo/"):]
	for _, p := range []string{"posix/", "right/"} {
		zone = strings.TrimPrefix(zone, p)
	}
	return strings.Trim(zone, "/")
}

func (d detector) timeZone() Fact {
	const link = "/etc/localtime"
	target, err := os.Readlink(d.path(link))
	if err == nil {
		if zone := ZoneFromLink(target); zone != "" {
			return Fact{zone, link + " -> " + target}
		}
	}
	if tz, ok := d.read("/etc/timezone"); ok && tz != "" {
		tz = strings.TrimSpace(strings.SplitN(tz, "\n", 2)[0])
		return Fact{tz, "/etc/timezone"}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Fact{Source: link + " missing and no /etc/timezone"}
		}
		return Fact{Source: link + " is not a symlink and no /etc/timezone"}
	}
	return Fact{Source: link + " -> " + target + " (no zoneinfo/ in the path)"}
}

func (d detector) hostname() Fact {
	for _, f := range []string{"/etc/hostname", "/proc/sys/kernel/hostname"} {
		if h, ok := d.read(f); ok && h != "" {
			return Fact{strings.TrimSpace(strings.SplitN(h, "\n", 2)[0]), f}
		}
	}
	return Fact{Source: "/etc/hostname and /proc/sys/kernel/hostname missing or empty"}
}

func (d detector) vendor() Fact {
	var seen []string
	for _, f := range []string{"/sys/class/dmi/id/board_vendor", "/sys/class/dmi/id/sys_vendor"} {
		v, ok := d.read(f)
		if !ok {
			continue
		}
		seen = append(seen, f+": "+v)
		lower := strings.ToLower(v)
		switch {
		case strings.Contains(lower, "micro-star"):
			return Fact{"msi", f + ": " + v}
		case strings.Contains(lower, "system76"):
			return Fact{"system76", f + ": " + v}
		}
	}
	if len(seen) == 0 {
		return Fact{Source: "no DMI vendor information (/sys/class/dmi/id)"}
	}
	return Fact{Source: strings.Join(seen, "; ") + " (no dedicated support)"}
}

// vendorFor drops a vendor hint whose axiOS module does not fit the form
// factor: the msi module is for MSI desktop boards, the system76 module for
// System76 laptops (rules AX203, AX204).
func vendorFor(v Fact, laptop bool) Fact {
	switch {
	case v.Value == "msi" && laptop:
		return Fact{Source: v.Source + " (an MSI laptop: the msi support is for desktop boards, so no vendor)"}
	case v.Value == "system76" && !laptop:
		return Fact{Source: v.Source + " (a System76 desktop: the system76 support is for laptops, so no vendor)"}
	}
	return v
}

func (d detector) nixos() Fact {
	if d.exists("/etc/NIXOS") {
		return Fact{"true", "/etc/NIXOS exists"}
	}
	return Fact{"false", "/etc/NIXOS does not exist (not NixOS)"}
}
