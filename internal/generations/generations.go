// Package generations lists NixOS system generations from a Nix profile
// directory (normally /nix/var/nix/profiles): their number, date, store path,
// NixOS and kernel versions, specialisations, and which one is current.
package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultDir is where NixOS keeps its system profile.
const DefaultDir = "/nix/var/nix/profiles"

// DefaultProfile is the NixOS system profile's name.
const DefaultProfile = "system"

// Generation is one system generation.
type Generation struct {
	Number          int       `json:"number"`
	Date            time.Time `json:"date"`               // modification time of the generation link
	Link            string    `json:"link"`               // e.g. /nix/var/nix/profiles/system-42-link
	StorePath       string    `json:"storePath"`          // the link's target
	Current         bool      `json:"current"`            // the profile link points here
	NixOSVersion    string    `json:"nixosVersion"`       // from <gen>/nixos-version; "" if unknown
	KernelVersion   string    `json:"kernelVersion"`      // from <gen>/kernel-modules/lib/modules or the kernel link
	Specialisations []string  `json:"specialisations"`    // names under <gen>/specialisation, sorted
	Missing         bool      `json:"missing,omitempty"`  // the store path no longer exists
	Problems        []string  `json:"problems,omitempty"` // what could not be read
}

// Lister reads generations of one profile. The zero value reads the NixOS
// system profile under DefaultDir.
type Lister struct {
	Dir     string // profile directory; "" means DefaultDir
	Profile string // profile name; "" means DefaultProfile
}

func (l Lister) dir() string {
	if l.Dir == "" {
		return DefaultDir
	}
	return l.Dir
}

func (l Lister) profile() string {
	if l.Profile == "" {
		return DefaultProfile
	}
	return l.Profile
}

var validProfile = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`) })

// List returns the profile's generations, oldest first.
func (l Lister) List() ([]Generation, error) {
	dir, profile := l.dir(), l.profile()
	if !validProfile().MatchString(profile) {
		return nil, fmt.Errorf("profile name %q is invalid: use letters, digits, '.', '_', '+' or '-'", profile)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("profile directory %s does not exist: is this NixOS? (set the directory explicitly otherwise)", dir)
		}
		return nil, fmt.Errorf("reading profile directory %s: %w", dir, err)
	}
	linkName := regexp.MustCompile(`^` + regexp.QuoteMeta(profile) + `-([0-9]+)-link$`)
	current := l.currentTarget()
	var gens []Generation
	for _, e := range entries {
		m := linkName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue // too large to be a generation number
		}
		g, err := read(filepath.Join(dir, e.Name()), n)
		if err != nil {
			return nil, err
		}
		g.Current = current != "" && (current == e.Name() || current == g.StorePath)
		gens = append(gens, g)
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].Number < gens[j].Number })
	return gens, nil
}

// Get returns generation n.
func (l Lister) Get(n int) (Generation, error) {
	gens, err := l.List()
	if err != nil {
		return Generation{}, err
	}
	for _, g := range gens {
		if g.Number == n {
			return g, nil
		}
	}
	return Generation{}, fmt.Errorf("generation %d does not exist in %s (run `axios generations` to list them)", n, filepath.Join(l.dir(), l.profile()))
}

// Current returns the generation the profile link points to.
func (l Lister) Current() (Generation, error) {
	gens, err := l.List()
	if err != nil {
		return Generation{}, err
	}
	for _, g := range gens {
		if g.Current {
			return g, nil
		}
	}
	return Generation{}, fmt.Errorf("%s does not point at any generation", filepath.Join(l.dir(), l.profile()))
}

// currentTarget returns the profile link's target: a generation link name
// (relative, as Nix writes it) or a store path; "" when unreadable.
func (l Lister) currentTarget() string {
	target, err := os.Readlink(filepath.Join(l.dir(), l.profile()))
	if err != nil {
		return ""
	}
	if filepath.Dir(target) == "." || filepath.Dir(target) == l.dir() {
		return filepath.Base(target)
	}
	return target
}

// read describes the generation whose link is at link.
func read(link string, n int) (Generation, error) {
	g := Generation{Number: n, Link: link, Specialisations: []string{}}
	info, err := os.Lstat(link)
	if err != nil {
		return g, fmt.Errorf("reading generation link %s: %w", link, err)
	}
	g.Date = info.ModTime()
	target, err := os.Readlink(link)
	if err != nil {
		return g, fmt.Errorf("reading generation link %s: %w", link, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(link), target)
	}
	g.StorePath = target
	if _, err := os.Stat(target); err != nil {
		g.Missing = true
		g.Problems = append(g.Problems, fmt.Sprintf("store path %s is missing (garbage-collected?)", target))
		return g, nil
	}
	if b, err := os.ReadFile(filepath.Join(target, "nixos-version")); err == nil {
		g.NixOSVersion = strings.TrimSpace(string(b))
	} else {
		g.Problems = append(g.Problems, "no nixos-version file")
	}
	g.KernelVersion = kernelVersion(target)
	if g.KernelVersion == "" {
		g.Problems = append(g.Problems, "kernel version not found")
	}
	if entries, err := os.ReadDir(filepath.Join(target, "specialisation")); err == nil {
		for _, e := range entries {
			g.Specialisations = append(g.Specialisations, e.Name())
		}
		sort.Strings(g.Specialisations)
	}
	return g, nil
}

// kernelNameVersion matches a kernel store path name such as
// "…-linux-6.6.63" or "…-linux-6.12.1-rc2" and captures the version.
var kernelNameVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-linux-([0-9][^/]*)$`) })

// kernelVersion reads the version from <gen>/kernel-modules/lib/modules
// (the directory name there is the exact `uname -r`), falling back to the
// name of the store path the <gen>/kernel link points into.
func kernelVersion(gen string) string {
	if entries, err := os.ReadDir(filepath.Join(gen, "kernel-modules", "lib", "modules")); err == nil {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		if len(names) > 0 {
			return names[len(names)-1]
		}
	}
	target, err := os.Readlink(filepath.Join(gen, "kernel"))
	if err != nil {
		return ""
	}
	// The link points at <store path>/bzImage (or Image on ARM).
	if m := kernelNameVersion().FindStringSubmatch(filepath.Dir(target)); m != nil {
		return m[1]
	}
	return ""
}
