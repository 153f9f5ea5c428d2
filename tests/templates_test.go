package tests

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmd/check"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/testutil"
)

// templateDirs are the flake's templates and the example folder each one is.
var templateDirs = map[string]string{
	"default":    "examples/minimal",
	"multi-host": "examples/multi-host",
}

type flakeTemplate struct {
	Path        string `json:"path"`
	Description string `json:"description"`
	WelcomeText string `json:"welcomeText"`
}

// TestTemplatesAreTheExamples: flake.nix's templates are the example
// folders themselves (not copies), so a template cannot drift from the
// example that checks.example-* builds and the tests check.
func TestTemplatesAreTheExamples(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var got map[string]flakeTemplate
	testutil.NixEval(t, root, "(import ./tests/nix/flake-harness.nix).templates", &got)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"default", "multi-host"}) {
		t.Fatalf("templates = %v, want default and multi-host", names)
	}
	for name, dir := range templateDirs {
		tpl := got[name]
		if tpl.Path != filepath.Join(root, dir) {
			t.Errorf("templates.%s.path = %s, want the example folder %s", name, tpl.Path, dir)
		}
		if strings.TrimSpace(tpl.Description) == "" || !strings.Contains(tpl.WelcomeText, "axios -- check") {
			t.Errorf("templates.%s: description %q, welcomeText %q", name, tpl.Description, tpl.WelcomeText)
		}
	}
	// #default is the one-host template, #multi-host has several.
	for name, want := range map[string]func(int) bool{
		"default":    func(n int) bool { return n == 1 },
		"multi-host": func(n int) bool { return n > 1 },
	} {
		hosts, _ := filepath.Glob(filepath.Join(root, templateDirs[name], "hosts", "*.toml"))
		if !want(len(hosts)) {
			t.Errorf("templates.%s has %d hosts", name, len(hosts))
		}
	}
}

// TestTemplatesWorkAfterInit copies each template the way `nix flake init
// -t` does (the folder's files into an empty directory) and checks the copy
// on its own: `axios check` passes on it, every .nix file parses, and
// mkHosts finds every host with its own hardware.nix — so no template file
// reaches outside its folder.
func TestTemplatesWorkAfterInit(t *testing.T) {
	t.Parallel()
	nix := testutil.RequireTool(t, "nix-instantiate")
	root := testutil.RepoRoot(t)
	for name, dir := range templateDirs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dst := t.TempDir()
			copyTree(t, filepath.Join(root, dir), dst)

			out, code := cmdtest.Run(t, check.New(check.Deps{}), dst)
			if code != exitcode.OK || !strings.Contains(out, "checked, no problems") {
				t.Errorf("axios check on the initialised template: exit %d\n%s", code, out)
			}

			var nixFiles []string
			_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".nix") {
					nixFiles = append(nixFiles, p)
				}
				return err
			})
			if len(nixFiles) < 2 {
				t.Fatalf("template has %d .nix files, want flake.nix and hardware files", len(nixFiles))
			}
			parses, err := nixParse(nix, t.TempDir(), nixFiles)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range nixFiles {
				if p := parses[f]; p.err != nil {
					t.Errorf("%s does not parse:\n%v", strings.TrimPrefix(f, dst+"/"), p.err)
				}
			}

			var hosts map[string][]moduleDesc
			testutil.NixEval(t, root, `(import ./tests/nix/lib-harness.nix).hosts `+dst+`/hosts`, &hosts)
			tomls, _ := filepath.Glob(filepath.Join(dst, "hosts", "*.toml"))
			if len(hosts) != len(tomls) || len(hosts) == 0 {
				t.Fatalf("mkHosts found %d hosts for %d host files", len(hosts), len(tomls))
			}
			for host, ms := range hosts {
				hw := dst + "/hosts/" + host + "/hardware.nix"
				found := false
				for _, n := range names(ms) {
					found = found || n == hw
				}
				if !found {
					t.Errorf("host %s: %s is not among its modules %v", host, hw, names(ms))
				}
			}
		})
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
