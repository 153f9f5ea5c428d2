package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// groupsCore is the absolute path of the pure group computation.
func groupsCore(t *testing.T) string {
	t.Helper()
	return filepath.Join(testutil.RepoRoot(t), "lib", "core", "groups.nix")
}

// evalGroups calls lib/core/groups.nix with the given Nix argument set.
func evalGroups(t *testing.T, args string) []string {
	t.Helper()
	var got []string
	testutil.NixEval(t, testutil.RepoRoot(t), fmt.Sprintf("import %s %s", groupsCore(t), args), &got)
	return got
}

func TestGroupsCombinations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args string
		want []string
	}{
		{"nothing on", `{ }`, []string{"wheel"}},
		{"desktop with graphics and printing",
			`{ facts = { desktop = true; graphics = true; printing = true; }; }`,
			[]string{"wheel", "video", "audio", "render", "lp"}},
		{"everything on, primary",
			`{ facts = { networkmanager = true; desktop = true; graphics = true; printing = true; scanner = true; libvirt = true; podman = true; plugdev = true; development = true; }; }`,
			[]string{"wheel", "networkmanager", "video", "audio", "render", "lp", "scanner", "libvirtd", "kvm", "podman", "plugdev", "adm", "dialout"}},
		{"everything on, secondary account loses admin groups",
			`{ primary = false; facts = { networkmanager = true; desktop = true; graphics = true; printing = true; scanner = true; libvirt = true; podman = true; plugdev = true; development = true; }; }`,
			[]string{"networkmanager", "video", "audio", "render", "lp", "scanner", "kvm", "plugdev", "dialout"}},
		{"secondary account may be given wheel explicitly",
			`{ primary = false; accountGroups = [ "wheel" ]; }`,
			[]string{"wheel"}},
		{"extra groups are appended and deduplicated",
			`{ facts = { graphics = true; }; extraGroups = [ "i2c" "video" ]; accountGroups = [ "dialout" "i2c" ]; }`,
			[]string{"wheel", "video", "render", "i2c", "dialout"}},
		{"autoGroups off keeps only the explicit groups",
			`{ autoGroups = false; facts = { desktop = true; libvirt = true; }; extraGroups = [ "i2c" ]; accountGroups = [ "dialout" ]; }`,
			[]string{"i2c", "dialout"}},
		{"a fact set to false contributes nothing",
			`{ facts = { libvirt = false; development = false; }; }`,
			[]string{"wheel"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := evalGroups(t, c.args); !reflect.DeepEqual(got, c.want) {
				t.Errorf("groups %s\n got  %q\n want %q", c.args, got, c.want)
			}
		})
	}
}

// TestGroupsEachFact checks what every fact contributes on its own.
func TestGroupsEachFact(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"networkmanager": {"networkmanager"},
		"desktop":        {"video", "audio"},
		"graphics":       {"video", "render"},
		"printing":       {"lp"},
		"scanner":        {"scanner"},
		"libvirt":        {"libvirtd", "kvm"},
		"podman":         {"podman"},
		"plugdev":        {"plugdev"},
		"development":    {"adm", "dialout"},
	}
	for fact, groups := range want {
		got := evalGroups(t, fmt.Sprintf("{ facts.%s = true; }", fact))
		if !reflect.DeepEqual(got, append([]string{"wheel"}, groups...)) {
			t.Errorf("fact %s: got %q, want wheel then %q", fact, got, groups)
		}
	}
}

// TestUsersModulePassesEveryFact keeps modules/users/accounts.nix and the
// pure function in step: the module must pass exactly the facts the
// function knows.
func TestUsersModulePassesEveryFact(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "modules", "users", "accounts.nix"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\n  facts = \{\n(.*?)\n  \};`).FindSubmatch(src)
	if block == nil {
		t.Fatal("modules/users/accounts.nix has no `facts = { … };` block")
	}
	var inModule []string
	for _, m := range regexp.MustCompile(`(?m)^\s+([a-z]+) = `).FindAllSubmatch(block[1], -1) {
		inModule = append(inModule, string(m[1]))
	}
	sort.Strings(inModule)

	var known []string
	for _, m := range regexp.MustCompile(`fact = "([a-z]+)";`).FindAllSubmatch(mustRead(t, groupsCore(t)), -1) {
		known = append(known, string(m[1]))
	}
	sort.Strings(known)
	if len(known) == 0 || !reflect.DeepEqual(inModule, known) {
		t.Errorf("users module passes facts %q, groups.nix knows %q", inModule, known)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGroupsBadInput checks that wrong arguments fail with a message naming
// the problem.
func TestGroupsBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ args, want string }{
		"unknown fact":       {`{ facts.grapics = true; }`, `unknown fact "grapics"; known facts: networkmanager, desktop, graphics`},
		"fact not a bool":    {`{ facts.desktop = "yes"; }`, `fact "desktop" must be true or false`},
		"extraGroups string": {`{ extraGroups = "video"; }`, `extraGroups must be a list of strings`},
		"accountGroups ints": {`{ accountGroups = [ 1 ]; }`, `accountGroups must be a list of strings`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expr := fmt.Sprintf("import %s %s", groupsCore(t), c.args)
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
			if !strings.Contains(out, c.want) {
				t.Errorf("error does not say %q:\n%s", c.want, out)
			}
		})
	}
}
