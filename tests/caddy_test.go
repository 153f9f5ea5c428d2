package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// caddyFixtures lists tests/fixtures/caddy/*.nix: each is an attribute set
// { routes; extraConfig; } with the expected Caddyfile beside it.
func caddyFixtures(t *testing.T) (dir string, names []string) {
	t.Helper()
	dir = filepath.Join(testutil.RepoRoot(t), "tests", "fixtures", "caddy")
	matches, err := filepath.Glob(filepath.Join(dir, "*.nix"))
	if err != nil {
		t.Fatal(err)
	}
	if len(matches) < 7 {
		t.Fatalf("expected at least 7 Caddy fixtures in %s, found %d", dir, len(matches))
	}
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".nix"))
	}
	return dir, names
}

func caddyCore(t *testing.T) string {
	return filepath.Join(testutil.RepoRoot(t), "lib", "core", "caddy.nix")
}

// renderFixture evaluates the pure renderer on one fixture with real Nix.
func renderFixture(t *testing.T, dir, name string) string {
	t.Helper()
	expr := fmt.Sprintf("(import %s).render (import %s)",
		caddyCore(t), filepath.Join(dir, name+".nix"))
	var text string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &text)
	return text
}

// TestCaddyRenderFixtures compares the rendered Caddyfile of every fixture
// with its expected file.
func TestCaddyRenderFixtures(t *testing.T) {
	t.Parallel()
	dir, names := caddyFixtures(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile(filepath.Join(dir, name+".Caddyfile"))
			if err != nil {
				t.Fatalf("reading expected output: %v", err)
			}
			got := renderFixture(t, dir, name)
			if got != string(want) {
				t.Errorf("rendered Caddyfile differs from %s.Caddyfile\n--- got ---\n%s--- want ---\n%s", name, got, want)
			}
		})
	}
}

// TestCaddyExpectedFilesAreValid checks the expected files with a real
// Caddy: `caddy fmt` must leave them unchanged (the renderer emits canonical
// formatting) and `caddy adapt` must accept them, except where a fixture
// uses directives newer than the Caddy that Debian ships (<name>.adapt-skip
// says which).
func TestCaddyExpectedFilesAreValid(t *testing.T) {
	t.Parallel()
	caddy := testutil.RequireTool(t, "caddy")
	dir, names := caddyFixtures(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".Caddyfile")
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				return // an empty registry renders nothing; nothing to check
			}
			// caddy's answers for a file are kept between runs
			// (testutil.CachedOutput): each costs a start of caddy.
			formatted, err := testutil.CachedOutput(t, caddy, "fmt", path)
			if err != nil {
				t.Fatalf("caddy fmt %s: %v", path, err)
			}
			if !bytes.Equal(bytes.TrimRight(formatted, "\n"), bytes.TrimRight(want, "\n")) {
				t.Errorf("caddy fmt changes %s.Caddyfile:\n%s", name, formatted)
			}
			if reason, err := os.ReadFile(filepath.Join(dir, name+".adapt-skip")); err == nil {
				t.Logf("not adapting: %s", strings.TrimSpace(string(reason)))
				return
			}
			if _, err := testutil.CachedOutput(t, caddy, "adapt", "--adapter", "caddyfile", "--config", path); err != nil {
				t.Errorf("caddy adapt rejects %s.Caddyfile: %v", name, err)
			}
		})
	}
}

// TestCaddyOrder checks the route order directly: domains sorted, priority
// first, path routes before a catch-all at equal priority, then route id.
func TestCaddyOrder(t *testing.T) {
	t.Parallel()
	dir, _ := caddyFixtures(t)
	type site struct {
		Domain string   `json:"domain"`
		IDs    []string `json:"ids"`
	}
	cases := map[string][]site{
		"ties": {{"host.tail1234ab.ts.net", []string{"alpha", "bravo", "charlie", "0-root"}}},
		"catch-all-first": {
			{"box.tail1234ab.ts.net", []string{"early", "slow"}},
			{"nas.tail1234ab.ts.net", []string{"zzz-api", "aaa-photos"}},
		},
		"several-domains": {
			{"Mid.tail1234ab.ts.net", []string{"d-metrics"}},
			{"alpha.tail1234ab.ts.net", []string{"b-docs", "c-home"}},
			{"zeta.tail1234ab.ts.net", []string{"e-api", "a-web"}},
		},
		"empty": {},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []site
			expr := fmt.Sprintf("(import %s).order (import %s).routes", caddyCore(t), filepath.Join(dir, name+".nix"))
			testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			if len(want) == 0 && len(got) == 0 {
				return
			}
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("order = %s, want %s", gotJSON, wantJSON)
			}
		})
	}
}

// TestCaddyOrderIsTotal renders every permutation of priorities for three
// routes on one domain and checks the order against the rule written out in
// Go, so the Nix comparator is tested beyond the fixtures.
func TestCaddyOrderIsTotal(t *testing.T) {
	t.Parallel()
	type route struct {
		id       string
		path     string // "" = catch-all
		priority int
	}
	base := []route{{"a", "", 0}, {"b", "/b/*", 0}, {"c", "/c/*", 0}}
	prios := []int{100, 500, 1000}
	var exprs []string
	var wants [][]string
	for _, pa := range prios {
		for _, pb := range prios {
			for _, pc := range prios {
				rs := []route{base[0], base[1], base[2]}
				rs[0].priority, rs[1].priority, rs[2].priority = pa, pb, pc
				var fields []string
				for _, r := range rs {
					path := "null"
					if r.path != "" {
						path = fmt.Sprintf("%q", r.path)
					}
					fields = append(fields, fmt.Sprintf(`%s = { domain = "d"; target = "http://127.0.0.1:1"; path = %s; priority = %d; };`, r.id, path, r.priority))
				}
				exprs = append(exprs, "{ "+strings.Join(fields, " ")+" }")
				// Expected order from the documented rule.
				sorted := append([]route(nil), rs...)
				for i := 1; i < len(sorted); i++ {
					for j := i; j > 0 && caddyBefore(sorted[j].priority, sorted[j].path == "", sorted[j].id,
						sorted[j-1].priority, sorted[j-1].path == "", sorted[j-1].id); j-- {
						sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
					}
				}
				var ids []string
				for _, r := range sorted {
					ids = append(ids, r.id)
				}
				wants = append(wants, ids)
			}
		}
	}
	expr := fmt.Sprintf("let c = import %s; in map (rs: (builtins.head (c.order rs)).ids) [ %s ]",
		caddyCore(t), strings.Join(exprs, " "))
	var got [][]string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
	if len(got) != len(wants) {
		t.Fatalf("got %d orders, want %d", len(got), len(wants))
	}
	for i := range wants {
		if strings.Join(got[i], ",") != strings.Join(wants[i], ",") {
			t.Errorf("case %d (%s): order %v, want %v", i, exprs[i], got[i], wants[i])
		}
	}
}

func caddyBefore(pa int, catchAllA bool, idA string, pb int, catchAllB bool, idB string) bool {
	if pa != pb {
		return pa < pb
	}
	if catchAllA != catchAllB {
		return catchAllB
	}
	return idA < idB
}

// TestCaddyConflicts checks that two routes for the same domain and path
// are reported, and distinct ones are not.
func TestCaddyConflicts(t *testing.T) {
	t.Parallel()
	dir, _ := caddyFixtures(t)
	expr := fmt.Sprintf(`(import %s).conflicts {
		x = { domain = "a"; target = "http://127.0.0.1:1"; };
		y = { domain = "a"; target = "http://127.0.0.1:2"; };
		p = { domain = "a"; path = "/p/*"; target = "http://127.0.0.1:3"; };
		q = { domain = "b"; path = "/p/*"; target = "http://127.0.0.1:4"; };
	}`, caddyCore(t))
	var got []string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
	if len(got) != 1 || !strings.Contains(got[0], "x, y") || !strings.Contains(got[0], "a (catch-all)") {
		t.Errorf("conflicts = %q, want one message naming x, y and the catch-all of a", got)
	}
	var none []string
	testutil.NixEval(t, testutil.RepoRoot(t), fmt.Sprintf("(import %s).conflicts (import %s).routes",
		caddyCore(t), filepath.Join(dir, "several-domains.nix")), &none)
	if len(none) != 0 {
		t.Errorf("several-domains has no conflicts, got %q", none)
	}
}

// TestCaddyBadInput checks that bad routes fail with a message naming the
// field and a fix, not a Nix stack trace.
func TestCaddyBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ routes, extra, want string }{
		"missing domain":   {`{ r = { target = "http://127.0.0.1:1"; }; }`, `""`, "selfHosted.caddy.routes.r.domain must be a non-empty string"},
		"missing target":   {`{ r = { domain = "a"; }; }`, `""`, "selfHosted.caddy.routes.r.target must be a non-empty string"},
		"typo field":       {`{ r = { domain = "a"; target = "t"; priorty = 1; }; }`, `""`, "selfHosted.caddy.routes.r.priorty is not a route field"},
		"bad path":         {`{ r = { domain = "a"; target = "t"; path = "api/*"; }; }`, `""`, "selfHosted.caddy.routes.r.path = \"api/*\" is not a Caddy path matcher"},
		"string priority":  {`{ r = { domain = "a"; target = "t"; priority = "1"; }; }`, `""`, "selfHosted.caddy.routes.r.priority must be an integer"},
		"space in target":  {`{ r = { domain = "a"; target = "http://x y"; }; }`, `""`, "selfHosted.caddy.routes.r.target must not contain whitespace"},
		"unbalanced extra": {`{ r = { domain = "a"; target = "t"; extraConfig = "header_up {"; }; }`, `""`, "selfHosted.caddy.routes.r.extraConfig has unbalanced braces"},
		"unbalanced site":  {`{ }`, `"}"`, "selfHosted.caddy.extraConfig has unbalanced braces"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expr := fmt.Sprintf("(import %s).render { routes = %s; extraConfig = %s; }", caddyCore(t), c.routes, c.extra)
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
			if !strings.Contains(out, c.want) || !strings.Contains(out, "fix:") {
				t.Errorf("error does not say %q with a fix:\n%s", c.want, out)
			}
		})
	}
}
