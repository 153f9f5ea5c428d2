package initform

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/passwd"
	"github.com/axios-nix/axios/internal/rules"
)

var errAborted = errors.New("cancelled")

// detected renders a detection fact for a field description.
func detected(f hwdetect.Fact) string {
	if !f.Known() {
		return "not detected: " + f.Source
	}
	return "detected " + f.Value + " (" + f.Source + ")"
}

// enumOptions builds select options for an enum field of the rules, with a
// "none" option first when the field is optional.
func enumOptions(rl *rules.Rules, path string, noneLabel string) []huh.Option[string] {
	var opts []huh.Option[string]
	if noneLabel != "" {
		opts = append(opts, huh.NewOption(noneLabel, ""))
	}
	if f, ok := rl.Fields[path]; ok {
		for _, v := range f.Enum {
			s := fmt.Sprint(v)
			opts = append(opts, huh.NewOption(s, s))
		}
	}
	return opts
}

// askForm runs the terminal form: one screen per topic, pre-filled with a.
// With ACCESSIBLE set in the environment it asks line by line instead (for
// screen readers).
func askForm(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error {
	accessible := os.Getenv("ACCESSIBLE") != ""
	f := newForm(a, hw, cat, rl, accessible)
	if accessible {
		f.lineByLine(os.Stdin, os.Stdout)
	}
	return f.run()
}

// form is the init form and the values it binds besides the answers.
type form struct {
	form     *huh.Form
	a        *generate.Answers
	cat      *catalog.Catalog
	selected []string
	confirm  bool
	modules  topMultiSelect
	// In accessible (line by line) mode huh asks every group, hidden or
	// not, so the form runs in parts: the main questions, the
	// virtualisation questions only when virt is ticked, the exposure
	// question only when networking is, the confirmation.
	accessible bool
	in         io.Reader
	out        io.Writer
	mainGroups []*huh.Group
	virt, ok   *huh.Group
	exposure   *huh.Group
	// password and again are the primary user's password as typed (hidden)
	// twice. Only its hash leaves the form (Answers.User.HashedPassword).
	password, again string
}

// lineByLine switches the form to accessible mode reading in, writing out.
func (f *form) lineByLine(in io.Reader, out io.Writer) {
	f.accessible, f.in, f.out = true, in, out
}

func (f *form) runForm(groups ...*huh.Group) error {
	form := huh.NewForm(groups...).WithAccessible(true).WithInput(f.in).WithOutput(f.out)
	return form.Run()
}

func (f *form) run() error {
	var err error
	if f.accessible {
		err = f.runForm(f.mainGroups...)
		if err == nil && contains(f.selected, "virt") {
			err = f.runForm(f.virt)
		}
		if err == nil && contains(f.selected, "networking") {
			err = f.runForm(f.exposure)
		}
		if err == nil {
			err = f.runForm(f.ok)
		}
	} else {
		err = f.form.Run()
		// A form that ends without being completed (the program was told
		// to quit: SIGTERM, or a hang-up the helper turns into one) has
		// no answers, whatever the pre-filled confirmation says.
		if err == nil && f.form.State != huh.StateCompleted {
			err = huh.ErrUserAborted
		}
	}
	if err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return errAborted
		}
		return fmt.Errorf("the form failed: %w", err)
	}
	if !f.confirm {
		return errAborted
	}
	if f.password != "" && f.a.User.HashedPassword == "" {
		h, err := passwd.Hash([]byte(f.password))
		if err != nil {
			return fmt.Errorf("hashing the password: %w", err)
		}
		f.a.User.HashedPassword = h
	}
	f.password, f.again = "", ""
	mods := map[string]bool{}
	for _, flag := range f.cat.Flags() {
		mods[flag] = contains(f.selected, flag)
	}
	f.a.Modules = mods
	return nil
}

// newForm builds the form: screens System, User, Hardware, Modules,
// Virtualisation (only with the virt module) and a final confirmation. In
// accessible (line by line) mode an empty line keeps the pre-filled value, so
// the text checks accept it there; the answers are checked again afterwards.
func newForm(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules, accessible bool) *form {
	fm := &form{a: a, cat: cat, confirm: true}
	check := func(c func(string) error) func(string) error {
		if !accessible {
			return c
		}
		return func(s string) error {
			if s == "" {
				return nil
			}
			return c(s)
		}
	}
	selected := &fm.selected
	for _, f := range cat.Flags() {
		if a.Modules[f] {
			*selected = append(*selected, f)
		}
	}
	var moduleOpts []huh.Option[string]
	for _, f := range cat.Flags() {
		label := f
		if e, ok := cat.EntryForFlag(f); ok {
			needs := ""
			if len(e.Requires) > 0 {
				needs = " (needs " + strings.Join(e.Requires, ", ") + ")"
			}
			// One line per option: a label that wraps makes the list
			// taller than huh computes, and it opens scrolled past the
			// first option (`axios modules` has the full descriptions).
			label = fmt.Sprintf("%-12s %s", f, clip(e.Description, moduleLabelWidth-13-len(needs))) + needs
		}
		moduleOpts = append(moduleOpts, huh.NewOption(label, f).Selected(a.Modules[f]))
	}
	var profileOpts []huh.Option[string]
	for _, p := range cat.Profiles() {
		desc := p
		if e, ok := cat.HomeEntry(p); ok {
			desc = fmt.Sprintf("%-12s %s", p, e.Description)
		}
		profileOpts = append(profileOpts, huh.NewOption(desc, p))
	}
	// Tall enough for every option, the title and a few lines of dependency
	// notes, so the list never scrolls.
	fm.modules = topMultiSelect{huh.NewMultiSelect[string]().Title("Modules").Options(moduleOpts...).Value(selected).Height(len(moduleOpts)+6).
		DescriptionFunc(func() string { return dependencyNote(cat, *selected) }, selected), new(bool)}
	keep := func(title, value string) string {
		if !accessible {
			return title
		}
		if value == "" {
			return title + " (Enter keeps: none)"
		}
		return title + " (Enter keeps " + value + ")"
	}
	follow := &profileFollows{a: a, cat: cat, opts: profileOpts,
		title: func() string { return keep("Home profile", a.HomeProfile) },
		sel:   huh.NewSelect[string]().Title(keep("Home profile", a.HomeProfile)).Options(profileOpts...).Value(&a.HomeProfile)}
	follow.formFactor, follow.profile = a.FormFactor, a.HomeProfile
	fm.mainGroups = []*huh.Group{
		screen(
			huh.NewInput().Title(keep("Hostname", a.Hostname)).Description(detected(hw.Hostname)).
				Value(&a.Hostname).Validate(check(func(s string) error { return checkHostname(rl, s) })),
			huh.NewInput().Title(keep("Time zone", a.TimeZone)).Description(detected(hw.TimeZone)+"\ne.g. Europe/Berlin, America/New_York, UTC").
				Value(&a.TimeZone).Validate(check(func(s string) error { return checkTimeZone(rl, s) })),
			huh.NewSelect[string]().Title(keep("Nix system", a.System)).Description(detected(hw.System)).
				Options(enumOptions(rl, "system", "")...).Value(&a.System),
		).Title("System").Description("The machine"),

		screen(
			huh.NewInput().Title(keep("User name", a.User.Name)).Description("the login name of the primary user").
				Value(&a.User.Name).Validate(check(func(s string) error { return checkUser(rl, s) })),
			huh.NewInput().Title(keep("Full name", a.User.FullName)).Description("also the git author name").
				Value(&a.User.FullName).Validate(check(checkFullName)),
			huh.NewInput().Title(keep("E-mail", a.User.Email)).Description("the git author e-mail; may be empty").
				Value(&a.User.Email).Validate(checkEmail),
			huh.NewConfirm().Title("Keep your services running after logout").
				Description("systemd lingering: your user services (such as the Google Drive sync timers) start at boot and outlive the session").
				Value(&a.User.Linger),
		).Title("User").Description("The primary user"),
	}
	// The password, unless --password-file gave it (left out of the form
	// rather than hidden: accessible mode asks hidden groups too). Hidden as
	// typed, in accessible mode as well: huh reads it from the terminal
	// without echo.
	if a.User.HashedPassword == "" {
		fm.mainGroups = append(fm.mainGroups, screen(
			huh.NewInput().Title("Password").
				Description("the primary user's login password; only its yescrypt hash is written (hashedPassword)").
				EchoMode(huh.EchoModePassword).Value(&fm.password).
				Validate(func(s string) error { return passwd.Check([]byte(s)) }),
			huh.NewInput().Title("Password again").EchoMode(huh.EchoModePassword).Value(&fm.again).
				Validate(func(s string) error {
					if s != fm.password {
						return errors.New("the two passwords differ; type the first one again (Ctrl-C starts over)")
					}
					return nil
				}),
		).Title("Password").Description("No account gets a default password"))
	}
	fm.mainGroups = append(fm.mainGroups,
		screen(
			&watched{huh.NewSelect[string]().Title(keep("Form factor", a.FormFactor)).Description(detected(hw.FormFactor)).
				Options(enumOptions(rl, "formFactor", "")...).Value(&a.FormFactor), follow.formFactorAnswered},
			huh.NewSelect[string]().Title(keep("CPU vendor", a.CPU)).Description(detected(hw.CPU)).
				Options(enumOptions(rl, "hardware.cpu", "none / other")...).Value(&a.CPU),
			huh.NewSelect[string]().Title(keep("GPU vendor", a.GPU)).Description(detected(hw.GPU)).
				Options(enumOptions(rl, "hardware.gpu", "none (virtual machine or other)")...).Value(&a.GPU),
			huh.NewSelect[string]().Title(keep("Machine vendor with dedicated support", a.Vendor)).Description(detected(hw.Vendor)).
				Options(enumOptions(rl, "hardware.vendor", "none (a generic machine)")...).Value(&a.Vendor).
				Validate(func(v string) error {
					if !fitsVendor(v, a.FormFactor) {
						return fmt.Errorf("%s support does not fit a %s: pick none, or change the form factor", v, a.FormFactor)
					}
					return nil
				}),
			huh.NewConfirm().Title("The system disk is an SSD").Description(detected(hw.HasSSD)).Value(&a.HasSSD),
		).Title("Hardware").Description("Pre-filled from detection (axios hardware shows the details)"),

		screen(
			fm.modules,
			&watched{follow.sel, follow.profileAnswered},
		).Title("Modules").Description("space toggles, enter continues; `axios modules` lists them"),
	)
	fm.virt = screen(
		huh.NewConfirm().Title("libvirt, QEMU/KVM and virt-manager").Value(&a.Virt.Libvirt),
		huh.NewConfirm().Title("Podman containers").Value(&a.Virt.Containers),
	).Title("Virtualisation").WithHideFunc(func() bool { return !contains(*selected, "virt") })
	fm.exposure = screen(
		huh.NewConfirm().Title("Open SSH beyond the tailnet?").
			Description("SSH answers on the tailnet; yes also opens TCP 22 on the LAN and any Wi-Fi you join").
			Affirmative("Every interface").Negative("Tailnet only").Value(&a.SSHEverywhere),
	).Title("Exposure").WithHideFunc(func() bool { return !contains(*selected, "networking") })
	fm.ok = screen(
		huh.NewConfirm().Title("Write the configuration?").Affirmative("Write").Negative("Cancel").Value(&fm.confirm),
	)
	fm.form = huh.NewForm(append(append([]*huh.Group(nil), fm.mainGroups...), fm.virt, fm.exposure, fm.ok)...)
	return fm
}

// screen is huh.NewGroup with the first field kept focused when the form
// refuses to go back (see keepFocus).
func screen(fields ...huh.Field) *huh.Group {
	k := &keepFocus{Field: fields[0]}
	fields[0] = k
	k.group = huh.NewGroup(fields...)
	return k.group
}

// keepFocus is the first field of a screen. Shift+Tab on it blurs it and
// asks huh for the previous screen, which huh refuses while the screen
// shows an error, leaving no field focused: the cursor was gone and typing
// went nowhere. When that refusal is coming, keepFocus focuses the field
// again, so the cursor stays where the error is fixed.
type keepFocus struct {
	huh.Field
	group *huh.Group
	// back is set by a Shift+Tab (the key that leads to the Blur).
	back bool
}

// Update passes msg to the field and stays the field huh keeps (the
// wrapped field updates itself in place).
func (k *keepFocus) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.KeyMsg); ok {
		k.back = m.Type == tea.KeyShiftTab
	}
	_, cmd := k.Field.Update(msg)
	return k, cmd
}

// WithAccessible stays the field huh asks in accessible mode.
func (k *keepFocus) WithAccessible(on bool) huh.Field {
	k.Field.WithAccessible(on)
	return k
}

// Blur blurs the field (which checks its value), and focuses it again when
// the screen then has an error and the blur is on the way back.
func (k *keepFocus) Blur() tea.Cmd {
	cmd := k.Field.Blur()
	back := k.back
	k.back = false
	if back && len(k.group.Errors()) > 0 {
		return tea.Batch(cmd, k.Field.Focus())
	}
	return cmd
}

// watched is a field that calls after when its value may have changed: after
// each message in the terminal form, after the answer in accessible mode.
type watched struct {
	huh.Field
	after func()
}

// Update passes msg to the field and stays the field huh keeps.
func (w *watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := w.Field.Update(msg)
	w.after()
	return w, cmd
}

// WithAccessible stays the field huh asks in accessible mode.
func (w *watched) WithAccessible(on bool) huh.Field {
	w.Field.WithAccessible(on)
	return w
}

// RunAccessible asks the field's question line by line.
func (w *watched) RunAccessible(out io.Writer, in io.Reader) error {
	err := w.Field.RunAccessible(out, in)
	w.after()
	return err
}

// profileFollows keeps the home profile the one the form factor gives
// (generate.HomeProfileFor) while the form factor changes, until the profile is
// chosen: by --profile, in the form, or by being another than the form
// factor gives.
type profileFollows struct {
	a     *generate.Answers
	cat   *catalog.Catalog
	sel   *huh.Select[string]
	opts  []huh.Option[string]
	title func() string
	// formFactor is the form factor last seen, profile the home profile
	// last set or seen.
	formFactor, profile string
}

// formFactorAnswered follows a changed form factor with the home profile,
// on the screen (cursor and the title that says what Enter keeps) and in
// the answers.
func (p *profileFollows) formFactorAnswered() {
	was := p.formFactor
	if p.a.FormFactor == was {
		return
	}
	p.formFactor = p.a.FormFactor
	if p.a.HomeProfileChosen || p.a.HomeProfile != generate.HomeProfileFor(p.cat, was) {
		return
	}
	p.a.HomeProfile = generate.HomeProfileFor(p.cat, p.a.FormFactor)
	p.sel.Options(p.opts...) // moves the cursor to the profile
	p.sel.Title(p.title())
	p.profile = p.a.HomeProfile
}

// profileAnswered marks a home profile changed in the form as chosen.
func (p *profileFollows) profileAnswered() {
	if p.a.HomeProfile != p.profile {
		p.a.HomeProfileChosen = true
		p.profile = p.a.HomeProfile
	}
}

// topMultiSelect is a multi-select that opens at its first option: huh
// puts the cursor (and scrolls the list) to the first ticked option, which
// hid every option above it ("ai" above "desktop"). Coming back to the list
// later finds the cursor where it was left.
type topMultiSelect struct {
	*huh.MultiSelect[string]
	opened *bool
}

// Focus focuses the field, the first time at the top of the list.
func (m topMultiSelect) Focus() tea.Cmd {
	cmd := m.MultiSelect.Focus()
	if !*m.opened {
		*m.opened = true
		m.MultiSelect.Update(tea.KeyMsg{Type: tea.KeyHome})
	}
	return cmd
}

// selectedNow returns the flags ticked in the module list now.
func (f *form) selectedNow() []string {
	if f.modules.MultiSelect == nil {
		return nil
	}
	v, _ := f.modules.GetValue().([]string)
	return v
}

// moduleLabelWidth is the widest a module option's label gets.
const moduleLabelWidth = 72

// clip shortens s to at most n runes, ending it with "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if n < 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// dependencyNote says which modules will be turned on because a selected
// module needs them.
func dependencyNote(cat *catalog.Catalog, selected []string) string {
	chosen := map[string]bool{}
	for _, f := range cat.Flags() {
		chosen[f] = contains(selected, f)
	}
	_, changes, err := generate.ResolveModules(cat, chosen, nil, "", "")
	if err != nil || len(changes) == 0 {
		return "Modules marked (needs …) turn on what they need."
	}
	// Said before anything is written, and the box stays as the user left
	// it: "will be", not "turned … on".
	var lines []string
	for _, c := range changes {
		lines = append(lines, fmt.Sprintf("%s needs %s: %s will be turned on when the configuration is written", c.For, c.Flag, c.Flag))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
