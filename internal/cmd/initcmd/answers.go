package initcmd

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// Flags holds every answer given on the command line. A string left empty
// means "not given"; Set records which flags were given at all.
type Flags struct {
	Hostname, User, FullName, Email, TimeZone       string
	FormFactor, CPU, GPU, Vendor, Profile           string
	System, AxiosURL                                string
	SSD, Libvirt, Containers, Linger, SSHEverywhere bool
	Enable, Disable                                 []string
	Set                                             map[string]bool
}

// Env is what init reads from the process environment (replaceable in tests).
type Env struct {
	Getenv func(string) string
	// LookupUser returns the full name (GECOS, up to the first comma) of a
	// user, or "".
	FullName func(name string) string
	Now      func() time.Time
}

// defaultEnv reads the real environment. With a detection root other than
// "/", full names come from <root>/etc/passwd.
func defaultEnv(root string) Env {
	return Env{
		Getenv: os.Getenv,
		FullName: func(name string) string {
			if root != "" && root != "/" {
				return gecosFromFile(filepath.Join(root, "etc/passwd"), name)
			}
			if u, err := user.Lookup(name); err == nil {
				return gecosName(u.Name)
			}
			return gecosFromFile("/etc/passwd", name)
		},
		Now: time.Now,
	}
}

func gecosName(g string) string {
	g, _, _ = strings.Cut(g, ",")
	return strings.TrimSpace(g)
}

func gecosFromFile(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		parts := strings.Split(s.Text(), ":")
		if len(parts) >= 5 && parts[0] == name {
			return gecosName(parts[4])
		}
	}
	return ""
}

// Note is a line init prints about how it chose an answer.
type Note struct {
	Warning bool
	Text    string
}

// defaultModules are the modules a new workstation gets (the original
// generator turned desktop, development and graphics on, next to the
// catalog's defaults); graphics only when there is a GPU to drive.
func defaultModules(cat *catalog.Catalog, gpu string) map[string]bool {
	m := map[string]bool{}
	for _, f := range cat.Flags() {
		m[f] = cat.FlagDefault(f)
	}
	for _, f := range []string{"desktop", "development"} {
		if _, ok := cat.EntryForFlag(f); ok {
			m[f] = true
		}
	}
	if _, ok := cat.EntryForFlag("graphics"); ok && gpu != "" {
		m["graphics"] = true
	}
	return m
}

// currentUser is the user the configuration is for: $SUDO_USER under sudo,
// else $USER, else the account running axios.
func currentUser(env Env) string {
	if u := env.Getenv("SUDO_USER"); u != "" && u != "root" {
		return u
	}
	if u := env.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

var hostnameSanitize = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9_-]+`) }) // compiled when first used, not at start-up

// Defaults builds the answers from detection and the environment, then
// applies the command-line flags. It returns notes about derived values.
// rootUserNote warns that no everyday user was found: init runs as root (or
// another system account) without sudo and without --user, so the host gets
// no [users] table.
const rootUserNote = "no everyday user found (axios runs as a system account): the host gets no [users] table; add one, or pass --user with your account name"

func Defaults(hw *hwdetect.Report, fl Flags, env Env, cat *catalog.Catalog, rl *rules.Rules) (generate.Answers, []Note, error) {
	a, notes := detected(hw, env)
	notes = append(notes, applyFlags(&a, fl, rl)...)
	a.HomeProfile = generate.HomeProfileFor(cat, a.FormFactor)
	if fl.Set["profile"] {
		a.HomeProfile, a.HomeProfileChosen = fl.Profile, true
	}
	var note *Note
	a.User, note = defaultUser(fl, env, rl)
	if note != nil {
		notes = append(notes, *note)
	}
	mods, off, err := chosenModules(cat, a.GPU, fl)
	if err != nil {
		return a, notes, err
	}
	a.Modules = mods
	if err := resolve(&a, cat, off, &notes); err != nil {
		return a, notes, err
	}
	if hw.UEFI.Known() && !hw.UEFI.Bool() && a.Modules["system"] {
		notes = append(notes, Note{true, "this machine booted without UEFI (" + hw.UEFI.Source + "); the axiOS system module boots UEFI machines only (systemd-boot), so install in UEFI mode with an EFI system partition at /boot"})
	}
	return a, notes, nil
}

// detected builds the answers from hardware detection alone: the short host
// name made valid, UTC when no time zone was found.
func detected(hw *hwdetect.Report, env Env) (generate.Answers, []Note) {
	var notes []Note
	a := generate.Answers{
		System:      orDefault(hw.System.Value, "x86_64-linux"),
		FormFactor:  orDefault(hw.FormFactor.Value, "desktop"),
		CPU:         hw.CPU.Value,
		GPU:         hw.GPU.Value,
		GPUDeviceID: hw.GPUDeviceID.Value,
		Vendor:      hw.Vendor.Value,
		HasSSD:      hw.HasSSD.Bool(),
		TimeZone:    hw.TimeZone.Value,
		Hostname:    hw.Hostname.Value,
		AxiosURL:    generate.DefaultAxiosURL,
		Virt:        generate.Virt{Libvirt: true, Containers: true},
		Date:        env.Now().Format("2006-01-02"),
		HomeProfile: "",
	}
	// Hostname: the short name, made valid.
	if h, _, _ := strings.Cut(a.Hostname, "."); h != "" {
		a.Hostname = strings.Trim(hostnameSanitize().ReplaceAllString(h, "-"), "-_")
	}
	if a.Hostname == "" {
		a.Hostname = "nixos"
	}
	if a.TimeZone == "" {
		a.TimeZone = "UTC"
		notes = append(notes, Note{true, "time zone not detected; using UTC (set --timezone)"})
	}
	return a, notes
}

// applyFlags replaces detected machine answers with the flags given; a
// detected time zone the rules do not know and a detected vendor that does
// not fit the form factor are dropped with a note.
func applyFlags(a *generate.Answers, fl Flags, rl *rules.Rules) []Note {
	var notes []Note
	set := func(name string) bool { return fl.Set[name] }
	if set("hostname") {
		a.Hostname = fl.Hostname
	}
	if set("system") {
		a.System = fl.System
	}
	if set("timezone") {
		a.TimeZone = fl.TimeZone
	} else if err := generate.CheckTimeZone(rl, a.TimeZone); err != nil {
		notes = append(notes, Note{true, fmt.Sprintf("detected %v; using UTC (set --timezone)", err)})
		a.TimeZone = "UTC"
	}
	if set("form-factor") {
		a.FormFactor = fl.FormFactor
	}
	if set("cpu") {
		a.CPU = none(fl.CPU)
	}
	if set("gpu") {
		a.GPU = none(fl.GPU)
	}
	if set("vendor") {
		a.Vendor = none(fl.Vendor)
	} else if !generate.FitsVendor(a.Vendor, a.FormFactor) {
		notes = append(notes, Note{false, fmt.Sprintf("detected vendor %s does not support a %s; leaving hardware.vendor unset", a.Vendor, a.FormFactor)})
		a.Vendor = ""
	}
	if set("ssd") {
		a.HasSSD = fl.SSD
	}
	if set("axios-url") {
		a.AxiosURL = fl.AxiosURL
	}
	if set("libvirt") {
		a.Virt.Libvirt = fl.Libvirt
	}
	if set("containers") {
		a.Virt.Containers = fl.Containers
	}
	if set("ssh-everywhere") {
		a.SSHEverywhere = fl.SSHEverywhere
	}
	return notes
}

// defaultUser is the primary user: the account running init unless --user
// names one, with its full name from the passwd entry; no user (and a note)
// when init runs as a system account.
func defaultUser(fl Flags, env Env, rl *rules.Rules) (generate.User, *Note) {
	set := func(name string) bool { return fl.Set[name] }
	var u generate.User
	var note *Note
	u.Name = currentUser(env)
	if set("user") {
		u.Name = fl.User
	}
	if !set("user") && rl.ReservedUser(u.Name) {
		// root (without sudo) is no everyday account: NixOS manages it, and
		// the host rules reject it (AX111). Leave the user out instead.
		u.Name = ""
		note = &Note{true, rootUserNote}
	}
	if u.Name != "" && env.FullName != nil {
		u.FullName = env.FullName(u.Name)
	}
	if u.FullName == "" && u.Name != "" {
		u.FullName = u.Name
	}
	if set("full-name") {
		u.FullName = fl.FullName
	}
	if set("email") {
		u.Email = fl.Email
	}
	if set("linger") {
		u.Linger = fl.Linger
	}
	return u, note
}

// chosenModules is the module flags: the catalog defaults for the GPU, then
// --enable and --disable; off lists the flags the user turned off.
func chosenModules(cat *catalog.Catalog, gpu string, fl Flags) (mods, off map[string]bool, err error) {
	mods = defaultModules(cat, gpu)
	enable, err := generate.ParseFlagList(cat, fl.Enable)
	if err != nil {
		return nil, nil, fmt.Errorf("--enable: %w", err)
	}
	disable, err := generate.ParseFlagList(cat, fl.Disable)
	if err != nil {
		return nil, nil, fmt.Errorf("--disable: %w", err)
	}
	off = map[string]bool{}
	for _, f := range disable {
		mods[f] = false
		off[f] = true
	}
	for _, f := range enable {
		if off[f] {
			return nil, nil, fmt.Errorf("module %s is both in --enable and --disable; keep it in one", f)
		}
		mods[f] = true
	}
	return mods, off, nil
}

// resolve turns on the flags chosen modules need and records a note for
// each.
func resolve(a *generate.Answers, cat *catalog.Catalog, off map[string]bool, notes *[]Note) error {
	vals, changes, err := generate.ResolveModules(cat, a.Modules, off, a.Vendor, a.FormFactor)
	if err != nil {
		return err
	}
	for _, c := range changes {
		*notes = append(*notes, Note{false, c.Reason})
	}
	a.Modules = vals
	return nil
}

func none(s string) string {
	if s == "none" {
		return ""
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// CheckAnswers runs the checks of answers that are no host rule (the full
// name, the axios URL), with the flag that sets each field in the message.
// What the host rules check (hostname, user name, e-mail, time zone) is left
// to the validation of the whole host, which reports it with its code and
// exit status 1, as ` + "`axios check`" + ` would (docs/init.md, "Exit status").
func CheckAnswers(a generate.Answers, rl *rules.Rules) error {
	checks := []struct {
		flag string
		err  error
	}{
		{"--full-name", generate.CheckFullNameIfUser(a.User.Name, a.User.FullName)},
		{"--axios-url", generate.CheckText("axios URL", a.AxiosURL)},
	}
	var errs []error
	for _, c := range checks {
		if c.err != nil {
			errs = append(errs, fmt.Errorf("%w (set it with %s)", c.err, c.flag))
		}
	}
	return errors.Join(errs...)
}
