package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exposure"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/testutil"
)

// exposureHosts: every TOML host the exposure tests read — the vectors, the
// examples and the exposure fixtures — relative to the repository root.
func exposureHosts(t *testing.T) []string {
	t.Helper()
	root := testutil.RepoRoot(t)
	var out []string
	for _, g := range []string{"tests/hosts/*.toml", "examples/*/hosts/*.toml", "tests/fixtures/exposure/*.toml"} {
		m, err := filepath.Glob(filepath.Join(root, g))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, _ := filepath.Rel(root, f)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	if len(out) < 20 {
		t.Fatalf("only %d hosts found", len(out))
	}
	return out
}

// nixExposure evaluates lib/core/exposure.nix's report on every valid host
// of files (TOML) and of nixFiles (Nix attribute sets).
func nixExposure(t *testing.T, files, nixFiles []string) map[string]json.RawMessage {
	t.Helper()
	var b strings.Builder
	b.WriteString("let core = import ./lib/core { }; r = c: if c.errors == [ ] then core.exposure.report c else null; in {\n")
	for _, f := range files {
		stem := strings.TrimSuffix(filepath.Base(f), ".toml")
		fmt.Fprintf(&b, "  %q = r (core.checkHost { host = builtins.fromTOML (builtins.readFile ./%s); name = %q; form = \"toml\"; });\n", f, f, stem)
	}
	for _, f := range nixFiles {
		fmt.Fprintf(&b, "  %q = r (core.checkHost { host = import ./%s; });\n", f, f)
	}
	b.WriteString("}")
	var out map[string]json.RawMessage
	testutil.NixEval(t, testutil.RepoRoot(t), b.String(), &out)
	return out
}

func normJSON(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExposureAgrees: `axios plan --exposure` (internal/exposure) and the
// Nix core (lib/core/exposure.nix) give the same report for every valid
// vector, example and exposure fixture.
func TestExposureAgrees(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	files := exposureHosts(t)
	nix := nixExposure(t, files, nil)
	compared := 0
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			h, err := hostfile.ParseFile(filepath.Join(root, f))
			if err != nil {
				t.Fatal(err)
			}
			valid := !diag.HasErrors(hostrules.Validate(h, hostrules.Options{}))
			if got := string(nix[f]) != "null"; got != valid {
				t.Fatalf("valid: Go %v, Nix %v", valid, got)
			}
			if !valid {
				return
			}
			compared++
			r, err := exposure.ForHost(h, exposure.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var n any
			if err := json.Unmarshal(nix[f], &n); err != nil {
				t.Fatal(err)
			}
			if g := normJSON(t, r); !reflect.DeepEqual(g, n) {
				gj, _ := json.Marshal(g)
				t.Errorf("reports differ\n  Go: %s\n Nix: %s", gj, nix[f])
			}
		})
	}
	if compared < 15 {
		t.Errorf("only %d valid hosts compared", compared)
	}
}

// summary reduces a report to what the fixtures' expected files list.
func summary(r *exposure.Report) map[string][]string {
	s := map[string][]string{"loopback": {}, "tailnet": {}, "other": {}}
	for _, e := range r.Loopback {
		name := e.Service
		if e.Service == "immich" || e.Service == "ollama" {
			name = fmt.Sprintf("%s %v", e.Service, e.TCP[0])
		}
		s["loopback"] = append(s["loopback"], name)
	}
	for _, e := range r.Tailnet {
		s["tailnet"] = append(s["tailnet"], e.Service)
	}
	for _, e := range r.Other {
		s["other"] = append(s["other"], e.Service+" "+e.AskedBy+" "+strings.Join(e.Interfaces, ","))
	}
	return s
}

// TestExposureFixtures: the reports of tests/fixtures/exposure match their
// hand-written expectations — a laptop with the default modules and the
// desktop answers on loopback and the tailnet only; each opt-in opens
// exactly its service, where the host said; turned-off services open
// nothing, even with their LAN options set.
func TestExposureFixtures(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "tests", "fixtures", "exposure", "*.toml"))
	if len(files) < 3 {
		t.Fatalf("fixtures: %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			h, err := hostfile.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := exposure.ForHost(h, exposure.Options{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(strings.TrimSuffix(f, ".toml") + ".expected.json")
			if err != nil {
				t.Fatal(err)
			}
			var want map[string][]string
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if got := summary(r); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

// TestExposureOnlyWhatTheHostAsks is the rule of docs/security.md, on every
// vector and example (and the Nix-form example, through the Nix core): a
// port opens on "other" interfaces only because the host file itself sets
// the option named in askedBy; a laptop with the default modules opens
// nothing there.
func TestExposureOnlyWhatTheHostAsks(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	files := exposureHosts(t)
	nixHosts, _ := filepath.Glob(filepath.Join(root, "examples", "*", "host.nix"))
	var nixFiles []string
	for _, f := range nixHosts {
		rel, _ := filepath.Rel(root, f)
		nixFiles = append(nixFiles, filepath.ToSlash(rel))
	}
	if len(nixFiles) == 0 {
		t.Fatal("no Nix-form example")
	}
	reports := nixExposure(t, files, nixFiles)
	// The host's own values, as mkSystem sees them (Nix core).
	var b strings.Builder
	b.WriteString("let core = import ./lib/core { }; v = c: if c.errors == [ ] then core.exposure.hostTree c else null; in {\n")
	for _, f := range files {
		fmt.Fprintf(&b, "  %q = v (core.checkHost { host = builtins.fromTOML (builtins.readFile ./%s); name = %q; form = \"toml\"; });\n", f, f, strings.TrimSuffix(filepath.Base(f), ".toml"))
	}
	for _, f := range nixFiles {
		fmt.Fprintf(&b, "  %q = v (core.checkHost { host = import ./%s; });\n", f, f)
	}
	b.WriteString("}")
	var trees map[string]map[string]any
	testutil.NixEval(t, root, b.String(), &trees)

	laptops := 0
	for _, f := range append(files, nixFiles...) {
		if string(reports[f]) == "null" {
			continue
		}
		var r exposure.Report
		if err := json.Unmarshal(reports[f], &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range r.Other {
			v, ok := lookupPath(trees[f], e.AskedBy)
			if !ok || v == false || v == nil {
				t.Errorf("%s: %s opens %s on other interfaces (%v), but the host does not set %s", f, e.Service, e.Ports(), e.Interfaces, e.AskedBy)
			}
		}
		if strings.Contains(f, "laptop") && len(r.Other) > 0 && !strings.Contains(f, "fixtures/exposure/opted") {
			// Every laptop among the vectors and examples keeps the defaults.
			t.Errorf("%s: a laptop opens %v on other interfaces", f, r.Other)
		}
		if strings.Contains(f, "laptop") {
			laptops++
			if len(r.Tailnet) == 0 {
				t.Errorf("%s: nothing on the tailnet either — is networking active?", f)
			}
		}
	}
	if laptops < 3 {
		t.Errorf("only %d laptop hosts checked", laptops)
	}
}

func lookupPath(tree map[string]any, path string) (any, bool) {
	var cur any = tree
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// TestExposureModulesOpenWhatTheReportSays evaluates the real networking,
// services, gaming and ai modules (tests/fixtures/modules/eval.nix, with the
// option values mkSystem derives from each host) and requires their
// firewall — ports on the tailnet interface, on named LAN interfaces, on
// every interface, and the nixpkgs openFirewall options they leave on — to
// be exactly what the exposure report lists, for every valid vector,
// example and fixture.
func TestExposureModulesOpenWhatTheReportSays(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	files := exposureHosts(t)
	var b strings.Builder
	// (one core for every host: a core of its own per host cost 25 ms each)
	b.WriteString("let core = import ./lib/core { }; e = f: n: let c = core.checkHost { host = builtins.fromTOML (builtins.readFile (./. + \"/${f}\")); name = n; form = \"toml\"; }; in if c.errors == [ ] then import ./tests/nix/exposure-modules.nix { file = f; name = n; } else null; in {\n")
	for _, f := range files {
		fmt.Fprintf(&b, "  %q = e %q %q;\n", f, f, strings.TrimSuffix(filepath.Base(f), ".toml"))
	}
	b.WriteString("}")
	var got map[string]*struct {
		Modules any `json:"modules"`
		Report  any `json:"report"`
	}
	testutil.NixEval(t, root, b.String(), &got)
	n := 0
	for _, f := range files {
		g := got[f]
		if g == nil {
			continue
		}
		n++
		if !reflect.DeepEqual(g.Modules, g.Report) {
			mj, _ := json.Marshal(g.Modules)
			rj, _ := json.Marshal(g.Report)
			t.Errorf("%s: the modules open\n  %s\nthe report says\n  %s", f, mj, rj)
		}
	}
	if n < 15 {
		t.Errorf("only %d hosts evaluated", n)
	}
}
