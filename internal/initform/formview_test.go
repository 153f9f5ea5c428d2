package initform

import (
	"strings"
	"testing"

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
