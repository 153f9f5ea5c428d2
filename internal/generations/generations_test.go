package generations

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

type fakeGen struct {
	n              int
	version        string
	modules        string // kernel-modules/lib/modules/<modules>
	kernelStore    string // store dir the kernel link points into
	specialisation []string
	date           time.Time
	gone           bool // store path deleted
}

// fakeProfile builds profiles/ and store/ under a temp dir the way NixOS
// lays them out: system-N-link -> store path, system -> system-N-link.
func fakeProfile(t *testing.T, gens []fakeGen, current int) string {
	t.Helper()
	root := t.TempDir()
	profiles := filepath.Join(root, "profiles")
	store := filepath.Join(root, "store")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(profiles, 0o755))
	for _, g := range gens {
		sp := filepath.Join(store, "hash"+string(rune('a'+g.n))+"-nixos-system-host-"+g.version)
		must(os.MkdirAll(sp, 0o755))
		if g.version != "" {
			must(os.WriteFile(filepath.Join(sp, "nixos-version"), []byte(g.version+"\n"), 0o644))
		}
		if g.modules != "" {
			km := filepath.Join(store, "kmods-"+g.modules)
			must(os.MkdirAll(filepath.Join(km, "lib", "modules", g.modules), 0o755))
			must(os.Symlink(km, filepath.Join(sp, "kernel-modules")))
		}
		if g.kernelStore != "" {
			k := filepath.Join(store, g.kernelStore)
			must(os.MkdirAll(k, 0o755))
			must(os.WriteFile(filepath.Join(k, "bzImage"), nil, 0o644))
			must(os.Symlink(filepath.Join(k, "bzImage"), filepath.Join(sp, "kernel")))
		}
		for _, s := range g.specialisation {
			must(os.MkdirAll(filepath.Join(sp, "specialisation", s), 0o755))
		}
		link := filepath.Join(profiles, "system-"+itoa(g.n)+"-link")
		must(os.Symlink(sp, link))
		if !g.date.IsZero() {
			must(lchtimes(t, link, g.date))
		}
		if g.gone {
			must(os.RemoveAll(sp))
		}
	}
	if current > 0 {
		must(os.Symlink("system-"+itoa(current)+"-link", filepath.Join(profiles, "system")))
	}
	// Noise that must be ignored.
	must(os.Symlink("/nowhere", filepath.Join(profiles, "per-user")))
	must(os.Symlink("/nowhere", filepath.Join(profiles, "system-x-link")))
	must(os.Symlink("/nowhere", filepath.Join(profiles, "other-3-link")))
	return profiles
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestList(t *testing.T) {
	d1 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d2 := d1.Add(48 * time.Hour)
	d10 := d2.Add(24 * time.Hour)
	dir := fakeProfile(t, []fakeGen{
		{n: 10, version: "25.11.20260301.abcdef0 (Xantusia)", modules: "6.12.7", specialisation: []string{"gaming", "battery"}, date: d10},
		{n: 1, version: "25.05.20260101.1234567 (Warbler)", kernelStore: "zzz-linux-6.6.63", date: d1},
		{n: 2, version: "25.05.20260105.89abcde (Warbler)", modules: "6.6.70", kernelStore: "yyy-linux-6.6.1", date: d2},
	}, 2)
	gens, err := Lister{Dir: dir}.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != 3 {
		t.Fatalf("got %d generations, want 3: %+v", len(gens), gens)
	}
	want := []struct {
		n        int
		version  string
		kernel   string
		current  bool
		date     time.Time
		specs    string
		problems int
	}{
		{1, "25.05.20260101.1234567 (Warbler)", "6.6.63", false, d1, "", 0},
		{2, "25.05.20260105.89abcde (Warbler)", "6.6.70", true, d2, "", 0},
		{10, "25.11.20260301.abcdef0 (Xantusia)", "6.12.7", false, d10, "battery,gaming", 0},
	}
	for i, w := range want {
		g := gens[i]
		if g.Number != w.n || g.NixOSVersion != w.version || g.KernelVersion != w.kernel || g.Current != w.current ||
			!g.Date.Equal(w.date) || strings.Join(g.Specialisations, ",") != w.specs || len(g.Problems) != w.problems {
			t.Errorf("generation %d: got %+v, want %+v", w.n, g, w)
		}
		if !strings.Contains(g.StorePath, "nixos-system-host-") || g.Link != filepath.Join(dir, "system-"+itoa(w.n)+"-link") {
			t.Errorf("generation %d: store path %q link %q", w.n, g.StorePath, g.Link)
		}
	}
	cur, err := Lister{Dir: dir}.Current()
	if err != nil || cur.Number != 2 {
		t.Errorf("Current: %v, %v", cur.Number, err)
	}
	g, err := Lister{Dir: dir}.Get(10)
	if err != nil || g.Number != 10 {
		t.Errorf("Get(10): %v, %v", g.Number, err)
	}
	if _, err := (Lister{Dir: dir}).Get(7); err == nil || !strings.Contains(err.Error(), "generation 7 does not exist") {
		t.Errorf("Get(7): %v", err)
	}
}

func TestCurrentByStorePath(t *testing.T) {
	dir := fakeProfile(t, []fakeGen{{n: 1, version: "a"}, {n: 2, version: "b"}}, 0)
	// Some tools point the profile straight at the store path.
	target, err := os.Readlink(filepath.Join(dir, "system-1-link"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "system")); err != nil {
		t.Fatal(err)
	}
	cur, err := Lister{Dir: dir}.Current()
	if err != nil || cur.Number != 1 {
		t.Errorf("Current: %d, %v", cur.Number, err)
	}
}

func TestMissingAndIncomplete(t *testing.T) {
	dir := fakeProfile(t, []fakeGen{
		{n: 3, version: "x", gone: true},
		{n: 4},
	}, 4)
	gens, err := Lister{Dir: dir}.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != 2 || !gens[0].Missing || gens[1].Missing {
		t.Fatalf("got %+v", gens)
	}
	if !strings.Contains(strings.Join(gens[0].Problems, ";"), "missing") {
		t.Errorf("missing generation problems: %v", gens[0].Problems)
	}
	p := strings.Join(gens[1].Problems, ";")
	if gens[1].KernelVersion != "" || !strings.Contains(p, "nixos-version") || !strings.Contains(p, "kernel") {
		t.Errorf("incomplete generation: %+v", gens[1])
	}
	if !gens[1].Current {
		t.Error("generation 4 should be current")
	}
	if _, err := (Lister{Dir: t.TempDir()}).Current(); err == nil || !strings.Contains(err.Error(), "does not point at any generation") {
		t.Errorf("Current in empty dir: %v", err)
	}
}

func TestErrors(t *testing.T) {
	_, err := Lister{Dir: filepath.Join(t.TempDir(), "nope")}.List()
	if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing dir: %v", err)
	}
	_, err = Lister{Dir: t.TempDir(), Profile: "../etc"}.List()
	if err == nil || !strings.Contains(err.Error(), "profile name") {
		t.Errorf("bad profile: %v", err)
	}
}
