package tests

import (
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// listedPackage is one line of `go list` over internal/cmd/...: a package,
// everything it links (Deps) and what its tests import.
type listedPackage struct {
	path    string
	imports []string
}

// commandOf returns the command a package belongs to ("check" for
// .../internal/cmd/check and .../internal/cmd/check/sub), or "" when the
// package is not under internal/cmd/.
func commandOf(path string) string {
	const marker = "/internal/cmd/"
	i := strings.Index(path, marker)
	if i < 0 {
		return ""
	}
	rest := path[i+len(marker):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// crossCommandImports lists "A imports B" for every package of one command
// that links, or whose tests import, a package of another command.
func crossCommandImports(pkgs []listedPackage) []string {
	var bad []string
	for _, p := range pkgs {
		own := commandOf(p.path)
		if own == "" {
			continue
		}
		for _, imp := range p.imports {
			if other := commandOf(imp); other != "" && other != own {
				bad = append(bad, p.path+" imports "+imp)
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// TestCommandPackagesIndependent keeps the rule of docs/contributing.md: no
// command package imports another command package, directly, through another
// package or in its tests. Shared output goes through internal/report.
func TestCommandPackagesIndependent(t *testing.T) {
	t.Parallel()
	goTool := testutil.RequireTool(t, "go")
	cmd := exec.Command(goTool, "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}} {{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "./internal/cmd/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./internal/cmd/...: %v", err)
	}
	var pkgs []listedPackage
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(l)
		pkgs = append(pkgs, listedPackage{path: f[0], imports: f[1:]})
	}
	commands := map[string]bool{}
	for _, p := range pkgs {
		commands[commandOf(p.path)] = true
	}
	for _, want := range []string{"check", "doctor", "plan", "rebuild", "update"} {
		if !commands[want] {
			t.Fatalf("go list found no internal/cmd/%s; listed %v", want, commands)
		}
	}
	for _, b := range crossCommandImports(pkgs) {
		t.Errorf("%s: a command package must not import another one; move what they share to a package of its own (as internal/report)", b)
	}
}

func TestCrossCommandImportsFound(t *testing.T) {
	t.Parallel()
	const m = "example.org/x/internal/"
	got := crossCommandImports([]listedPackage{
		{path: m + "cmd/plan", imports: []string{"fmt", m + "report", m + "cmd/check"}},
		{path: m + "cmd/initcmd", imports: []string{m + "cmd/initcmd/form"}},
		{path: m + "cmd/initcmd/form", imports: []string{m + "cmd/mcp/tools"}},
		{path: m + "cli", imports: []string{m + "cmd/check", m + "cmd/plan"}},
	})
	want := []string{m + "cmd/initcmd/form imports " + m + "cmd/mcp/tools", m + "cmd/plan imports " + m + "cmd/check"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
}
