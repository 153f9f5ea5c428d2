// Package doctor implements `axios doctor`: one line per check of this
// machine and its configuration (UEFI, Secure Boot, flakes, git, hardware
// file, home-manager following nixpkgs, /boot space, time zone, the host),
// each pass, warn or fail with the fix.
package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/flakelock"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/runner"
)

// Statuses of a check.
const (
	Pass = "pass"
	Warn = "warn"
	Fail = "fail"
	Skip = "skip" // does not apply here (e.g. Secure Boot on a BIOS machine)
)

// Result is one check's outcome.
type Result struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Machine is the system the checks look at. Root prefixes every absolute
// path (/sys, /etc, /boot, /var, /usr), so tests run against recorded trees.
type Machine struct {
	Root   string                                     // "" means "/"
	Runner runner.Runner                              // nil means runner.Exec{}
	Statfs func(path string) (free uint64, err error) // nil means syscall.Statfs
	// BootWarn and BootFail are the free-space thresholds of /boot in bytes
	// (0 means 100 MiB and 25 MiB).
	BootWarn, BootFail uint64
}

func (m Machine) path(p string) string {
	if m.Root == "" {
		return p
	}
	return filepath.Join(m.Root, p)
}

func (m Machine) runner() runner.Runner {
	if m.Runner == nil {
		return runner.Exec{}
	}
	return m.Runner
}

func res(id, title, status, msg, fix string) Result {
	return Result{ID: id, Title: title, Status: status, Message: msg, Fix: fix}
}

// EFI global variable GUID, the vendor of SecureBoot and SetupMode.
const efiGlobal = "8be4df61-93ca-11d2-aa0d-00e098032b8c"

// UEFI checks that the machine booted through UEFI.
func (m Machine) UEFI() Result {
	const id, title = "uefi", "UEFI boot"
	if info, err := os.Stat(m.path("/sys/firmware/efi")); err == nil && info.IsDir() {
		return res(id, title, Pass, "the machine booted through UEFI", "")
	}
	return res(id, title, Fail,
		"the machine booted in legacy BIOS mode; axiOS supports only UEFI (it boots with systemd-boot or Lanzaboote, and BIOS/GRUB setups are refused)",
		"switch the firmware to UEFI mode (disable CSM/legacy boot), create an EFI system partition mounted at /boot, and reinstall")
}

// efiVar reads the value byte of an EFI variable (after the 4 attribute
// bytes); ok is false when the variable is missing or too short.
func (m Machine) efiVar(name string) (byte, bool) {
	b, err := os.ReadFile(m.path("/sys/firmware/efi/efivars/" + name + "-" + efiGlobal))
	if err != nil || len(b) < 5 {
		return 0, false
	}
	return b[4], true
}

// SecureBoot reports the Secure Boot state and the Lanzaboote keys.
func (m Machine) SecureBoot() Result {
	const id, title = "secureboot", "Secure Boot and Lanzaboote keys"
	if _, err := os.Stat(m.path("/sys/firmware/efi")); err != nil {
		return res(id, title, Skip, "not a UEFI boot, so there is no Secure Boot", "")
	}
	sb, ok := m.efiVar("SecureBoot")
	if !ok {
		return res(id, title, Warn, "the SecureBoot EFI variable is unreadable (efivarfs not mounted?)", "mount efivarfs: `mount -t efivarfs efivarfs /sys/firmware/efi/efivars`")
	}
	setup, _ := m.efiVar("SetupMode")
	keys := m.lanzabooteKeys()
	switch {
	case sb == 1 && keys:
		return res(id, title, Pass, "Secure Boot is on and the Lanzaboote keys are in /var/lib/sbctl", "")
	case sb == 1:
		return res(id, title, Warn, "Secure Boot is on but /var/lib/sbctl holds no Lanzaboote keys, so axiOS cannot sign its boot files",
			"run `sudo sbctl create-keys`, set boot.lanzaboote.enableSecureBoot = true, `axios switch`, then `sudo sbctl enroll-keys --microsoft`")
	case keys && setup == 1:
		return res(id, title, Warn, "Lanzaboote keys exist and the firmware is in Setup Mode, but Secure Boot is off",
			"enroll the keys with `sudo sbctl enroll-keys --microsoft`, then turn Secure Boot on in the firmware settings")
	case keys:
		return res(id, title, Warn, "Lanzaboote keys exist in /var/lib/sbctl but Secure Boot is off",
			"turn Secure Boot on in the firmware settings (after `sudo sbctl enroll-keys --microsoft` if the keys are not enrolled yet)")
	default:
		return res(id, title, Pass, "Secure Boot is off (optional in axiOS)", "")
	}
}

func (m Machine) lanzabooteKeys() bool {
	for _, f := range []string{"/var/lib/sbctl/keys/db/db.key", "/var/lib/sbctl/keys/db/db.pem"} {
		if _, err := os.Stat(m.path(f)); err != nil {
			return false
		}
	}
	return true
}

// NixOS checks that the machine runs NixOS (ID=nixos in /etc/os-release).
// It is the first check: on another system the rest says little.
func (m Machine) NixOS() Result {
	const id, title = "nixos", "NixOS"
	fix := "axiOS configures NixOS machines: install NixOS (https://nixos.org/download), then `axios init`; on this system `axios init --yes --dir DIR` and `axios check` still work"
	b, err := readHead(m.path("/etc/os-release"), 64<<10)
	if err != nil {
		return res(id, title, Fail, "not NixOS: /etc/os-release is missing or unreadable", fix)
	}
	vals := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok {
			vals[k] = strings.Trim(v, `"'`)
		}
	}
	name := vals["PRETTY_NAME"]
	if name == "" {
		name = vals["NAME"]
	}
	if vals["ID"] != "nixos" {
		if name == "" {
			name = "ID=" + vals["ID"]
		}
		return res(id, title, Fail, "not NixOS: this machine runs "+name, fix)
	}
	if name == "" {
		name = "NixOS"
	}
	return res(id, title, Pass, "this machine runs "+name, "")
}

// disabledFeature matches Nix's answer when an experimental feature is off:
// "experimental Nix feature 'nix-command' is disabled" (older Nix:
// "experimental feature 'flakes' is disabled"). It is compiled when first
// used, not at start-up.
var disabledFeature = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`experimental (?:Nix )?feature '([A-Za-z0-9-]+)' is disabled`)
})

// flakesFix is the NixOS setting that turns the features on.
const flakesFix = `set nix.settings.experimental-features = [ "nix-command" "flakes" ]; in the configuration (axiOS's system module does) and switch, or add "experimental-features = nix-command flakes" to /etc/nix/nix.conf`

// Flakes checks that the nix command and flakes are enabled.
func (m Machine) Flakes(ctx context.Context) Result {
	const id, title = "flakes", "flakes enabled"
	features := ""
	source := ""
	out, err := m.runner().Output(ctx, runner.Cmd{Name: "nix", Args: []string{"config", "show", "experimental-features"}})
	var serr error
	if err == nil {
		features, source = string(out), "`nix config show`"
	} else if out, serr = m.runner().Output(ctx, runner.Cmd{Name: "nix", Args: []string{"show-config"}}); serr == nil {
		// Nix before 2.20 has only `nix show-config`.
		features, source = confFeatures(out), "`nix show-config`"
	} else if f := disabledIn(err, serr); f != "" {
		// Nix answered, refusing the command: the feature is off.
		return res(id, title, Warn, "flakes not enabled: nix says experimental feature '"+f+"' is disabled (axios passes the features itself, but `nix` by hand needs them)", flakesFix)
	} else if b, ferr := os.ReadFile(m.path("/etc/nix/nix.conf")); ferr == nil {
		features, source = confFeatures(b), "/etc/nix/nix.conf"
	} else if errors.Is(err, exec.ErrNotFound) || strings.Contains(err.Error(), "command not found") {
		return res(id, title, Fail, "Nix is not installed: there is no nix on PATH", "install NixOS (https://nixos.org/download), or Nix (https://nixos.org/download/#nix-install-linux)")
	} else {
		return res(id, title, Warn, "cannot tell: `nix config show` failed ("+firstLine(err.Error())+") and /etc/nix/nix.conf is unreadable", "check that Nix is installed and works: `nix --version`")
	}
	have := map[string]bool{}
	for _, f := range strings.Fields(features) {
		have[f] = true
	}
	var missing []string
	for _, f := range []string{"nix-command", "flakes"} {
		if !have[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return res(id, title, Pass, "nix-command and flakes are enabled ("+source+")", "")
	}
	return res(id, title, Warn, "experimental features not enabled according to "+source+": "+strings.Join(missing, ", ")+" (axios passes them itself, but `nix` by hand needs them)",
		`set nix.settings.experimental-features = [ "nix-command" "flakes" ] (axiOS's system module does) and switch, or add "experimental-features = nix-command flakes" to /etc/nix/nix.conf`)
}

// disabledIn returns the experimental feature Nix said is disabled in any
// of errs, "" when none says so.
func disabledIn(errs ...error) string {
	for _, err := range errs {
		if err == nil {
			continue
		}
		if m := disabledFeature().FindStringSubmatch(err.Error()); m != nil {
			return m[1]
		}
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// confFeatures collects experimental-features and extra-experimental-features
// values from nix.conf text.
func confFeatures(b []byte) string {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "experimental-features", "extra-experimental-features":
			out = append(out, strings.Fields(v)...)
		}
	}
	return strings.Join(out, " ")
}

// BootSpace checks the free space on /boot.
func (m Machine) BootSpace() Result {
	const id, title = "boot-space", "free space in /boot"
	warn, fail := m.BootWarn, m.BootFail
	if warn == 0 {
		warn = 100 << 20
	}
	if fail == 0 {
		fail = 25 << 20
	}
	statfs := m.Statfs
	if statfs == nil {
		statfs = func(p string) (uint64, error) {
			var s syscall.Statfs_t
			if err := syscall.Statfs(p, &s); err != nil {
				return 0, err
			}
			return s.Bavail * uint64(s.Bsize), nil
		}
	}
	boot := m.path("/boot")
	if _, err := os.Stat(boot); err != nil {
		return res(id, title, Warn, "/boot does not exist", "mount the EFI system partition at /boot (see hardware.nix)")
	}
	free, err := statfs(boot)
	if err != nil {
		return res(id, title, Warn, "cannot read the free space of /boot: "+err.Error(), "")
	}
	msg := closure.Bytes(int64(free)) + " free in /boot"
	fix := "delete old generations (`sudo nix-collect-garbage --delete-older-than 14d`) then `axios switch` to rewrite the boot entries; or lower boot.loader.systemd-boot.configurationLimit"
	switch {
	case free < fail:
		return res(id, title, Fail, msg+"; the next kernel and initrd may not fit", fix)
	case free < warn:
		return res(id, title, Warn, fmt.Sprintf("%s (under %s)", msg, closure.Bytes(int64(warn))), fix)
	}
	return res(id, title, Pass, msg, "")
}

// TimeZone checks that tz names a zone in the system's zoneinfo database.
func (m Machine) TimeZone(tz string) Result {
	const id, title = "timezone", "time zone"
	if tz == "" {
		return res(id, title, Skip, "the host sets no timeZone", "")
	}
	// The host rules' time zone list (plain names, so no path escapes).
	if !rules.Default().IsTimeZone(tz) {
		return res(id, title, Fail, fmt.Sprintf("timeZone = %q is not an IANA time zone name", tz), "use an IANA name such as \"Europe/Berlin\" (`timedatectl list-timezones`)")
	}
	var dbs []string
	for _, d := range []string{"/etc/zoneinfo", "/usr/share/zoneinfo"} {
		if info, err := os.Stat(m.path(d)); err == nil && info.IsDir() {
			dbs = append(dbs, m.path(d))
		}
	}
	if len(dbs) == 0 {
		return res(id, title, Warn, "no zoneinfo database (/etc/zoneinfo or /usr/share/zoneinfo) to check timeZone = "+tz+" against", "install tzdata")
	}
	for _, db := range dbs {
		b, err := readHead(filepath.Join(db, filepath.FromSlash(tz)), 4)
		if err == nil && bytes.Equal(b, []byte("TZif")) {
			return res(id, title, Pass, tz+" is a known time zone", "")
		}
	}
	return res(id, title, Fail, fmt.Sprintf("timeZone = %q is not in the zoneinfo database", tz), "set timeZone to a name from `timedatectl list-timezones`, e.g. \"Europe/Berlin\"")
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		return nil, errors.New("not a file")
	}
	b := make([]byte, n)
	k, _ := f.Read(b)
	return b[:k], nil
}

// HomeManagerFollows checks in flake.lock that every home-manager uses the
// same nixpkgs as the configuration.
func HomeManagerFollows(dir string) Result {
	const id, title = "hm-follows", "home-manager follows nixpkgs"
	data, err := os.ReadFile(filepath.Join(dir, "flake.lock"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return res(id, title, Warn, "the configuration has no flake.lock yet", "run `nix flake lock` (or `axios update`) in "+dir)
		}
		return res(id, title, Warn, "cannot read flake.lock: "+err.Error(), "")
	}
	l, err := flakelock.Parse(data)
	if err != nil {
		return res(id, title, Fail, err.Error(), "restore flake.lock from git (`git checkout flake.lock`) or recreate it with `nix flake lock`")
	}
	pkgs, ok, err := l.Path("nixpkgs")
	via := "nixpkgs"
	if err == nil && !ok {
		pkgs, ok, err = l.Path("axios", "nixpkgs")
		via = "axios/nixpkgs"
	}
	if err != nil {
		return res(id, title, Fail, err.Error(), "recreate flake.lock with `nix flake lock`")
	}
	if !ok {
		return res(id, title, Skip, "flake.lock has no nixpkgs input (neither nixpkgs nor axios/nixpkgs)", "")
	}
	var hms []string
	for name, n := range l.Nodes {
		if repo, _ := n.Original["repo"].(string); repo == "home-manager" || name == "home-manager" || strings.HasPrefix(name, "home-manager_") {
			hms = append(hms, name)
		}
	}
	sort.Strings(hms)
	if len(hms) == 0 {
		return res(id, title, Skip, "flake.lock has no home-manager", "")
	}
	var bad []string
	for _, hm := range hms {
		got, ok, err := l.Input(hm, "nixpkgs")
		if err != nil {
			return res(id, title, Fail, err.Error(), "recreate flake.lock with `nix flake lock`")
		}
		if ok && got != pkgs {
			bad = append(bad, fmt.Sprintf("%s uses node %q", hm, got))
		}
	}
	if len(bad) == 0 {
		return res(id, title, Pass, "home-manager uses the same nixpkgs as the configuration ("+via+")", "")
	}
	return res(id, title, Fail, "home-manager is locked to a different nixpkgs than the configuration ("+via+" is node \""+pkgs+"\"; "+strings.Join(bad, ", ")+"), so the system and home builds use two nixpkgs",
		`in flake.nix make the inputs follow: inputs.axios.inputs.nixpkgs.follows = "nixpkgs" (and home-manager.inputs.nixpkgs.follows = "nixpkgs" for a direct home-manager input), then run `+"`nix flake lock`")
}

// Host results from one configuration check.
func hostChecks(rep *checkdir.Report, dir, host string, known []string) (git, hardware, valid Result, tz string) {
	git = res("git", "configuration tracked by git", Pass, "", "")
	var untracked []string
	var fix string
	for _, d := range rep.Diagnostics {
		if d.Code == checkdir.CodeUntracked {
			rel, err := filepath.Rel(dir, d.File)
			if err != nil {
				rel = d.File
			}
			untracked = append(untracked, rel)
			fix = d.Fix
		}
	}
	if len(untracked) > 0 {
		git.Status = Fail
		git.Message = "git does not track " + strings.Join(untracked, ", ") + ", so the flake cannot see it"
		if len(untracked) > 1 {
			fix = "run `git -C " + runner.Quote(dir) + " add " + strings.Join(quoteAll(untracked), " ") + "`"
		}
		git.Fix = fix
	}
	var hr *checkdir.HostReport
	for i := range rep.Hosts {
		if rep.Hosts[i].Name == host || strings.TrimSuffix(filepath.Base(rep.Hosts[i].File), ".toml") == host {
			hr = &rep.Hosts[i]
		}
	}
	if hr == nil {
		msg := fmt.Sprintf("there is no hosts/%s.toml for this machine", host)
		if len(known) > 0 {
			msg += " (hosts: " + strings.Join(known, ", ") + ")"
		}
		fix := "pass --host NAME, or create it with `axios init`"
		return git, res("hardware", "hardware file", Skip, msg, ""), res("host", "host "+host+" validates", Fail, msg, fix), ""
	}
	hardware = res("hardware", "hardware file", Pass, "hosts/"+host+"/hardware.nix is present", "")
	var errs, warns []diag.Diagnostic
	for _, d := range hr.Diagnostics {
		switch {
		case d.Code == checkdir.CodeNoHardware:
			hardware = res("hardware", "hardware file", Fail, d.Message, d.Fix)
		case d.Code == checkdir.CodePlaceholderHardware:
			// Only a warning for `axios check`, but this machine cannot
			// build its system until the file is real.
			hardware = res("hardware", "hardware file", Fail, d.Message, d.Fix)
		case d.Severity == diag.SeverityWarning:
			warns = append(warns, d)
		default:
			errs = append(errs, d)
		}
	}
	switch {
	case len(errs) > 0:
		d := errs[0]
		valid = res("host", "host "+host+" validates", Fail, fmt.Sprintf("%d error(s); first: %s %s: %s", len(errs), d.Code, d.Field, d.Message), d.Fix+" (`axios check` lists them all)")
	case len(warns) > 0:
		d := warns[0]
		valid = res("host", "host "+host+" validates", Warn, fmt.Sprintf("valid with %d warning(s); first: %s %s: %s", len(warns), d.Code, d.Field, d.Message), d.Fix)
	default:
		valid = res("host", "host "+host+" validates", Pass, "hosts/"+host+".toml follows the rules", "")
	}
	if h, err := hostfile.ParseFile(hr.File); err == nil {
		tz, _ = h.Values["timeZone"].(string)
	}
	return git, hardware, valid, tz
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = runner.Quote(v)
	}
	return out
}
