package upstreameval

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/axios-nix/axios/internal/nixopts"
)

// Definition is one NixOS definition of a host, as tests/upstream/eval.nix
// reports it.
type Definition struct {
	Loc        []string `json:"loc"`
	Declared   bool     `json:"declared"`   // some evaluated module declares the option
	Namespace  []string `json:"namespace"`  // deepest attribute set of declared options above it
	DeclaredBy []string `json:"declaredBy"` // files declaring options in Namespace (when it is below the top)
}

// HostResult is what eval.nix's `result` yields for one host.
type HostResult struct {
	HostName        string                       `json:"hostName"`
	Toplevel        string                       `json:"toplevel"`
	Warnings        []string                     `json:"warnings"`
	Users           []string                     `json:"users"`
	Homes           map[string]map[string]string `json:"homes"`
	HomeAssertions  map[string][]string          `json:"homeAssertions"`
	HomeWarnings    map[string][]string          `json:"homeWarnings"`
	NiriConfigBytes map[string]int               `json:"niriConfigBytes"`
	Audit           []Definition                 `json:"audit"`
}

// Finding kinds.
const (
	KindStray         = "stray"          // under a namespace an input declares, not declared by it
	KindUnknown       = "unknown-option" // a NixOS path neither the option list nor the allowlist explains
	KindRemoved       = "removed-option" // removed or renamed in current nixpkgs
	KindHomeThrows    = "home-throws"    // a home-manager value axiOS defines fails to evaluate
	KindHomeAssertion = "home-assertion" // a failed home-manager assertion
	KindToplevel      = "toplevel"       // the system did not evaluate to a toplevel
	KindEval          = "eval-error"     // nix-instantiate failed
)

// Finding is one reason a host fails.
type Finding struct {
	Kind    string `json:"kind"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// Auditor judges host results.
type Auditor struct {
	Known   *nixopts.Index    // NixOS option list + allowlist (NixOS lines)
	Removed *nixopts.Index    // tests/fixtures/options-removed.txt
	Cites   map[string]string // removed option -> citing file
	// StandIn are paths the NixOS stand-in (tests/upstream/nixos-base.nix)
	// itself defines; they are not the project's definitions.
	StandIn map[string]bool
}

// NewAuditor reads the NixOS option list, the allowlist and the list of
// removed options.
func NewAuditor(optionsTSV, allowlist, removed io.Reader) (*Auditor, error) {
	a := &Auditor{Known: nixopts.NewIndex(), Removed: nixopts.NewIndex(), Cites: map[string]string{},
		StandIn: map[string]bool{"services.gnome.gcr-ssh-agent.enable": true}}
	n, err := a.Known.LoadTSV(optionsTSV)
	if err != nil {
		return nil, fmt.Errorf("option list: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("option list: no option in it")
	}
	entries, err := nixopts.ParseAllowlist(allowlist)
	if err != nil {
		return nil, fmt.Errorf("allowlist: %w", err)
	}
	for _, e := range entries {
		if !e.Home {
			a.Known.Add(e.Path, e.Freeform)
		}
	}
	if removed != nil {
		rs, err := nixopts.ParseAllowlist(removed)
		if err != nil {
			return nil, fmt.Errorf("removed options: %w", err)
		}
		for _, e := range rs {
			a.Removed.Add(e.Path, false)
			a.Cites[strings.Join(e.Path, ".")] = e.Citation
		}
	}
	return a, nil
}

func toPath(loc []string) nixopts.Path {
	p := make(nixopts.Path, len(loc))
	for i, c := range loc {
		p[i] = nixopts.Comp{Name: c}
	}
	return p
}

// Check returns the findings for one host, sorted.
func (a *Auditor) Check(r HostResult) []Finding {
	var out []Finding
	if r.Toplevel != "toplevel-ok" {
		out = append(out, Finding{Kind: KindToplevel, Message: fmt.Sprintf("config.system.build.toplevel is %q, want \"toplevel-ok\"", r.Toplevel)})
	}
	seen := map[string]bool{}
	for _, d := range r.Audit {
		if d.Declared {
			continue
		}
		p := toPath(d.Loc)
		key := p.String()
		if seen[key] || a.StandIn[key] {
			continue
		}
		seen[key] = true
		real := realDeclarers(d.DeclaredBy)
		switch {
		case len(d.Namespace) > 1 && len(real) > 0:
			if len(real) > 3 {
				real = append(real[:3], "…")
			}
			by := " (declared in " + strings.Join(real, ", ") + ")"
			out = append(out, Finding{Kind: KindStray, Path: key, Message: fmt.Sprintf(
				"%s: no such option; %s is declared by a module%s that does not declare this — a real evaluation fails with \"The option `%s' does not exist\"",
				key, strings.Join(d.Namespace, "."), by, key)})
		case a.Removed.Covers(p):
			out = append(out, Finding{Kind: KindRemoved, Path: key, Message: fmt.Sprintf(
				"%s: removed or renamed in current nixpkgs (tests/fixtures/options-removed.txt)", key)})
		case !a.Known.Known(p):
			out = append(out, Finding{Kind: KindUnknown, Path: key, Message: fmt.Sprintf(
				"%s: not a NixOS option in the option list nor in tests/fixtures/options-allowlist.txt; fix the name, or confirm it in current nixpkgs and add an allowlist line citing the file",
				key)})
		}
	}
	for _, u := range sortedKeys(r.Homes) {
		for _, o := range sortedKeys(r.Homes[u]) {
			if v := r.Homes[u][o]; v != "ok" {
				out = append(out, Finding{Kind: KindHomeThrows, Path: "home-manager.users." + u + "." + o,
					Message: fmt.Sprintf("home-manager.users.%s.%s fails to evaluate", u, o)})
			}
		}
	}
	for _, u := range sortedKeys(r.HomeAssertions) {
		for _, m := range r.HomeAssertions[u] {
			out = append(out, Finding{Kind: KindHomeAssertion, Path: "home-manager.users." + u,
				Message: fmt.Sprintf("home-manager.users.%s: failed assertion: %s", u, strings.TrimSpace(m))})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// StandInFiles are the declaration files of the NixOS stand-in
// (tests/upstream/nixos-base.nix): a namespace only they declare is NixOS's,
// checked against the option list rather than as a stray.
var StandInFiles = map[string]bool{
	"tests/upstream/nixos-base.nix": true,
	"nixos option list (stand-in)":  true,
}

func realDeclarers(files []string) []string {
	var out []string
	for _, f := range files {
		if !StandInFiles[f] {
			out = append(out, f)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
