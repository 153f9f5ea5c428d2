package initform

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// modulesScreen builds the terminal form for a desktop with the usual
// modules ticked and moves it to the Modules screen.
func modulesScreen(t *testing.T) *form {
	t.Helper()
	hw, err := hwdetect.Detect(fixture(t, "amd-desktop"))
	if err != nil {
		t.Fatal(err)
	}
	mods := map[string]bool{}
	for _, f := range []string{"desktop", "development", "graphics", "networking", "system", "users", "services"} {
		mods[f] = true
	}
	a := generate.Answers{Modules: mods, HomeProfile: "workstation", FormFactor: "desktop", System: "x86_64-linux",
		Hostname: "tower", TimeZone: "UTC", User: generate.User{Name: "ada", FullName: "Ada"}}
	f := newForm(&a, hw, catalog.Default(), rules.Default(), false)
	f.form.Init()
	f.form.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for range 4 { // System, User, Password, Hardware
		f.form.NextGroup()
		f.form.Update(nil)
	}
	if v := f.form.View(); !strings.Contains(v, "Modules") {
		t.Fatalf("not on the Modules screen:\n%s", v)
	}
	return f
}

// The module list opens at its first option ("ai"), not scrolled to the
// first ticked one, and every option is one line.
func TestFormModulesOpenAtTheTop(t *testing.T) {
	f := modulesScreen(t)
	v := f.form.View()
	if !strings.Contains(v, "> • ai ") {
		t.Errorf("the list does not open at ai:\n%s", v)
	}
	for _, flag := range catalog.Default().Flags() {
		if !strings.Contains(v, " "+flag+" ") {
			t.Errorf("option %s is not visible:\n%s", flag, v)
		}
	}
}

// Un-ticking a module another needs says it will be turned on, while the
// box stays as the user left it.
func TestFormDependencyNoteIsFuture(t *testing.T) {
	f := modulesScreen(t)
	flags := catalog.Default().Flags()
	for _, fl := range flags {
		if fl == "networking" {
			break
		}
		f.form.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	f.form.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	v := f.form.View()
	if !strings.Contains(v, "• networking") {
		t.Fatalf("networking is still ticked:\n%s", v)
	}
	// The note the field shows for what is ticked now (huh recomputes it
	// from the bound selection asynchronously).
	note := dependencyNote(catalog.Default(), f.selectedNow())
	if !strings.Contains(note, "desktop needs networking: networking will be turned on") || strings.Contains(note, "turned networking on") {
		t.Errorf("dependency note %q", note)
	}
}

// driver runs the terminal form's model as the Bubble Tea runtime would:
// each message goes to Update, then every message the returned commands
// produce, in order. The cursor's blink command answers only after the
// blink interval (half a second) with a message that toggles the cursor;
// a test has no time to wait for it, so the driver drops it without
// running it. Every other command answers at once; one that does not
// answer within commandLimit fails the test (if a new version of huh
// adds a timer, it joins the blink in isTimer).
type driver struct {
	t *testing.T
	f *form
}

// newDriver builds the terminal form for a, sized 120×40 and initialised.
func newDriver(t *testing.T, a *generate.Answers) *driver {
	t.Helper()
	return newSizedDriver(t, a, 120, 40)
}

// newSizedDriver builds the terminal form for a on a terminal of the size
// given.
func newSizedDriver(t *testing.T, a *generate.Answers, width, height int) *driver {
	t.Helper()
	hw, err := hwdetect.Detect(fixture(t, "amd-desktop"))
	if err != nil {
		t.Fatal(err)
	}
	d := &driver{t: t, f: newForm(a, hw, catalog.Default(), rules.Default(), false)}
	d.run(d.f.form.Init())
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	return d
}

// testAnswers are pre-filled answers for a desktop with the usual modules.
func testAnswers() *generate.Answers {
	mods := map[string]bool{}
	for _, f := range []string{"desktop", "development", "graphics", "networking", "system", "users", "services"} {
		mods[f] = true
	}
	return &generate.Answers{Modules: mods, HomeProfile: "workstation", FormFactor: "desktop", System: "x86_64-linux",
		CPU: "amd", GPU: "amd", Hostname: "tower", TimeZone: "UTC", User: generate.User{Name: "ada", FullName: "Ada"}}
}

func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			d.t.Fatal("the form keeps sending itself messages")
		}
		msg := queue[0]
		queue = queue[1:]
		_, cmd := d.f.form.Update(msg)
		queue = append(queue, d.results(cmd)...)
	}
}

// run sends what cmd produces.
func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	d.send(d.results(cmd)...)
}

// results runs cmd and returns the messages it produces, unpacking
// batches and sequences.
func (d *driver) results(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	if isTimer(name) {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(commandLimit):
		d.t.Fatalf("the form's command %s did not answer within %s", name, commandLimit)
	}
	if msg == nil {
		return nil
	}
	// tea.Batch and tea.Sequence both produce a list of commands.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, d.results(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// commandLimit is how long the driver waits for a command that is not a
// timer: generous, as a loaded machine may take a while to run any
// goroutine.
const commandLimit = 10 * time.Second

// isTimer reports whether the command function named name waits for a
// timer before it answers: the cursor blink (bubbles/cursor's BlinkCmd).
func isTimer(name string) bool {
	return strings.HasPrefix(name, "github.com/charmbracelet/bubbles/cursor.(*Model).BlinkCmd")
}

// key is a key press: "enter", "tab", "shift+tab", "up", "down", "space",
// "ctrl+u", or text typed.
func key(s string) tea.Msg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func (d *driver) keys(ks ...string) {
	d.t.Helper()
	for _, k := range ks {
		d.send(key(k))
	}
}

// focused returns the lines of the screen that belong to the focused
// field: the charm theme draws a thick bar left of it and of nothing else.
func (d *driver) focused() string {
	var lines []string
	for _, l := range strings.Split(d.f.form.View(), "\n") {
		if strings.Contains(l, "┃") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// Shift+Tab on the first field of a screen that shows an error: the form
// stays on the screen (huh refuses to leave it with an error) and the
// cursor stays on the field, where typing still goes.
func TestFormShiftTabOnAnErrorKeepsTheCursor(t *testing.T) {
	d := newDriver(t, testAnswers())
	d.keys("enter", "enter", "enter") // hostname, time zone, system: on to the User screen
	if !strings.Contains(d.focused(), "User name") {
		t.Fatalf("not on the user name:\n%s", d.f.form.View())
	}
	d.keys("ctrl+u", "Bad", "enter")
	if v := d.f.form.View(); !strings.Contains(v, `user name "Bad"`) || !strings.Contains(d.focused(), "User name") {
		t.Fatalf("no error on the user name, or the cursor left it:\n%s", v)
	}
	d.keys("shift+tab")
	v := d.f.form.View()
	if !strings.Contains(v, `user name "Bad"`) {
		t.Errorf("the error is gone although the name is still wrong:\n%s", v)
	}
	if !strings.Contains(d.focused(), "User name") {
		t.Errorf("Shift+Tab lost the cursor (no field is focused):\n%s", v)
	}
	// Typing still reaches the field, and a good name moves on.
	d.keys("ctrl+u", "ada", "enter")
	if !strings.Contains(d.focused(), "Full name") {
		t.Errorf("after fixing the name, Enter did not move to the full name:\n%s", d.f.form.View())
	}
	if a := d.f.a; a.User.Name != "ada" {
		t.Errorf("user name = %q, want ada", a.User.Name)
	}
}

// The same with the error on a later field: Shift+Tab moves up to the first
// field, and once more keeps the cursor there.
func TestFormShiftTabPastAnErrorKeepsTheCursor(t *testing.T) {
	d := newDriver(t, testAnswers())
	d.keys("enter", "enter", "enter", "enter") // on to the full name
	d.keys("ctrl+u", "enter")                  // an empty full name is refused
	if !strings.Contains(d.f.form.View(), "full name is empty") {
		t.Fatalf("no error for the empty full name:\n%s", d.f.form.View())
	}
	d.keys("shift+tab")
	if !strings.Contains(d.focused(), "User name") {
		t.Fatalf("Shift+Tab did not move to the user name:\n%s", d.f.form.View())
	}
	d.keys("shift+tab")
	if !strings.Contains(d.focused(), "User name") {
		t.Errorf("a second Shift+Tab lost the cursor:\n%s", d.f.form.View())
	}
	if !strings.Contains(d.f.form.View(), "full name is empty") {
		t.Errorf("the full name's error is gone:\n%s", d.f.form.View())
	}
}

// toHardware answers the System and User screens with Enter (the password
// is given, so there is no Password screen) and lands on Hardware.
func (d *driver) toHardware() {
	d.t.Helper()
	d.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter")
	if !strings.Contains(d.focused(), "Form factor") {
		d.t.Fatalf("not on the form factor:\n%s", d.f.form.View())
	}
}

// profileShown returns the home profile the Modules screen shows under its
// cursor.
func (d *driver) profileShown() string {
	v := d.f.form.View()
	_, after, ok := strings.Cut(v, "Home profile")
	if !ok {
		d.t.Fatalf("no home profile on the screen:\n%s", v)
	}
	for _, l := range strings.Split(after, "\n") {
		if _, opt, ok := strings.Cut(l, "> "); ok {
			return strings.Fields(opt)[0]
		}
	}
	d.t.Fatalf("no home profile under the cursor:\n%s", v)
	return ""
}

// newFormDriver is newDriver with a password already given (no Password
// screen).
func newFormDriver(t *testing.T, a *generate.Answers) *driver {
	a.User.HashedPassword = "$y$given"
	return newDriver(t, a)
}

// Changing the form factor changes the home profile it gives (laptop for a
// laptop), on the screen and in the answers.
func TestFormHomeProfileFollowsFormFactor(t *testing.T) {
	d := newFormDriver(t, testAnswers())
	d.toHardware()
	d.keys("down") // desktop → laptop
	if d.f.a.FormFactor != "laptop" {
		t.Fatalf("form factor = %q, want laptop", d.f.a.FormFactor)
	}
	d.keys("enter", "enter", "enter", "enter", "enter") // form factor, CPU, GPU, vendor, SSD
	if got := d.profileShown(); got != "laptop" {
		t.Errorf("the Modules screen shows home profile %q for a laptop, want laptop", got)
	}
	d.keys("enter") // the module list: on to the home profile
	if !strings.Contains(d.focused(), "Home profile") {
		t.Fatalf("not on the home profile:\n%s", d.f.form.View())
	}
	d.keys("enter")
	if d.f.a.HomeProfile != "laptop" {
		t.Errorf("home profile = %q after answering laptop, want laptop", d.f.a.HomeProfile)
	}
	// Back to a desktop: back to the workstation profile.
	d.keys("shift+tab", "shift+tab", "shift+tab") // Exposure → home profile → modules → Hardware
	for !strings.Contains(d.focused(), "Form factor") {
		d.keys("shift+tab")
		if !strings.Contains(d.f.form.View(), "Hardware") {
			t.Fatalf("did not get back to the form factor:\n%s", d.f.form.View())
		}
	}
	d.keys("up", "enter", "enter", "enter", "enter", "enter")
	if got := d.profileShown(); got != "workstation" || d.f.a.HomeProfile != "workstation" {
		t.Errorf("a desktop again shows %q (answer %q), want workstation", got, d.f.a.HomeProfile)
	}
}

// A home profile chosen in the form stays when the form factor changes.
func TestFormChosenHomeProfileStays(t *testing.T) {
	d := newFormDriver(t, testAnswers())
	d.toHardware()
	d.keys("enter", "enter", "enter", "enter", "enter", "enter") // keep desktop; to the home profile
	if !strings.Contains(d.focused(), "Home profile") {
		t.Fatalf("not on the home profile:\n%s", d.f.form.View())
	}
	d.keys("down") // workstation → laptop, on a desktop
	if d.f.a.HomeProfile != "laptop" {
		t.Fatalf("home profile = %q, want laptop", d.f.a.HomeProfile)
	}
	d.keys("shift+tab", "shift+tab")
	for !strings.Contains(d.focused(), "Form factor") {
		d.keys("shift+tab")
		if !strings.Contains(d.f.form.View(), "Hardware") {
			t.Fatalf("did not get back to the form factor:\n%s", d.f.form.View())
		}
	}
	d.keys("down", "up") // laptop and back to desktop
	d.keys("enter", "enter", "enter", "enter", "enter")
	if got := d.profileShown(); got != "laptop" || d.f.a.HomeProfile != "laptop" {
		t.Errorf("the chosen laptop profile became %q (answer %q)", got, d.f.a.HomeProfile)
	}
}

// A home profile given with --profile stays when the form factor changes,
// even the one the form factor would give.
func TestFormProfileFlagStays(t *testing.T) {
	a := testAnswers()
	a.HomeProfileChosen = true // --profile workstation
	d := newFormDriver(t, a)
	d.toHardware()
	d.keys("down", "enter", "enter", "enter", "enter", "enter")
	if got := d.profileShown(); got != "workstation" || d.f.a.HomeProfile != "workstation" {
		t.Errorf("--profile workstation became %q (answer %q) with a laptop", got, d.f.a.HomeProfile)
	}
}

// toModules answers every screen before Modules with Enter.
func (d *driver) toModules() {
	d.t.Helper()
	d.toHardware()
	d.keys("enter", "enter", "enter", "enter", "enter")
	if !strings.Contains(d.focused(), "Modules") {
		d.t.Fatalf("not on the module list:\n%s", d.f.form.View())
	}
}

// On a terminal too short for the whole screen too, the module list opens
// at its first option, ai, with the cursor on it; coming back to the list
// finds the cursor where it was left.
func TestFormModulesOpenAtTheTopOnASmallTerminal(t *testing.T) {
	d := newSizedDriver(t, newAnswersWithPassword(), 100, 20)
	d.toModules()
	if f := d.focused(); !strings.Contains(f, "> • ai ") || !strings.Contains(f, "✓ desktop ") {
		t.Fatalf("the list does not open at ai:\n%s", d.f.form.View())
	}
	flags := catalog.Default().Flags()
	for range len(flags) - 1 {
		d.keys("down")
	}
	d.keys("space") // tick the last one
	last := flags[len(flags)-1]
	d.keys("enter", "shift+tab") // to the home profile and back
	if f := d.focused(); !strings.Contains(f, "> ✓ "+last+" ") {
		t.Errorf("back on the list, the cursor is not on %s where it was left:\n%s", last, d.f.form.View())
	}
}

func newAnswersWithPassword() *generate.Answers {
	a := testAnswers()
	a.User.HashedPassword = "$y$given"
	return a
}

// Un-ticking a module another ticked module needs: the box shows it
// unticked, and the note under the title says it will be turned on when
// the configuration is written (not that it was turned on); ticking it again
// takes the note back.
func TestFormUntickedNeedAgreesWithTheNote(t *testing.T) {
	d := newFormDriver(t, testAnswers())
	d.toModules()
	for _, fl := range catalog.Default().Flags() {
		if fl == "networking" {
			break
		}
		d.keys("down")
	}
	d.keys("space")
	f := d.focused()
	if !strings.Contains(f, "> • networking ") {
		t.Fatalf("networking is not shown unticked under the cursor:\n%s", f)
	}
	if !strings.Contains(f, "desktop needs networking: networking will be turned on when the configuration is written") {
		t.Errorf("the screen does not say networking will be turned on:\n%s", f)
	}
	if strings.Contains(f, "turned networking on") {
		t.Errorf("the screen says networking was turned on while its box is unticked:\n%s", f)
	}
	if contains(d.f.selectedNow(), "networking") {
		t.Errorf("networking is in the ticked modules %v", d.f.selectedNow())
	}
	d.keys("space")
	if f := d.focused(); !strings.Contains(f, "> ✓ networking ") || strings.Contains(f, "will be turned on") {
		t.Errorf("ticked again, networking's box or the note is wrong:\n%s", f)
	}
}

// The terminal form shows the Virtualisation screen only with virt ticked
// and the Exposure screen only with networking ticked.
func TestFormAsksOnlyRelevantScreens(t *testing.T) {
	tick := func(d *driver, flags ...string) {
		for _, want := range flags {
			for i, fl := range catalog.Default().Flags() {
				if fl == want {
					d.keys("home")
					for range i {
						d.keys("down")
					}
					d.keys("space")
				}
			}
		}
	}
	// As pre-filled: networking on, virt off.
	d := newFormDriver(t, testAnswers())
	d.toModules()
	d.keys("enter", "enter") // the list, the home profile
	if f := d.focused(); !strings.Contains(f, "Open SSH beyond the tailnet?") {
		t.Errorf("with networking on and virt off, the next screen is not Exposure:\n%s", d.f.form.View())
	}
	// virt on, networking (and desktop, which needs it) off.
	d = newFormDriver(t, testAnswers())
	d.toModules()
	tick(d, "virt", "networking", "desktop")
	d.keys("enter", "enter")
	if f := d.focused(); !strings.Contains(f, "libvirt, QEMU/KVM and virt-manager") {
		t.Fatalf("with virt on, the next screen is not Virtualisation:\n%s", d.f.form.View())
	}
	d.keys("enter", "enter") // libvirt, containers
	if f := d.focused(); !strings.Contains(f, "Write the configuration?") {
		t.Errorf("with networking off, the screen after Virtualisation is not the last one:\n%s", d.f.form.View())
	}
}
