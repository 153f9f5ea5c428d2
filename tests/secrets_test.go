package tests

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

func secretsCore(t *testing.T) string {
	return filepath.Join(testutil.RepoRoot(t), "lib", "core", "secrets.nix")
}

// TestSecretsDiscover evaluates the discovery on a fixture folder holding
// regular .age files, a symlink, a sub-folder, a bare ".age", a file with
// ".age" in the middle of its name and a README.
func TestSecretsDiscover(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testutil.RepoRoot(t), "tests", "fixtures", "secrets", "dir")
	want := map[string]string{
		"api-token":     filepath.Join(dir, "api-token.age"),
		"backup.key":    filepath.Join(dir, "backup.key.age"),
		"wifi-password": filepath.Join(dir, "wifi-password.age"),
	}
	for _, form := range []string{"path", "string"} {
		t.Run(form, func(t *testing.T) {
			t.Parallel()
			arg := dir // a Nix path literal
			if form == "string" {
				arg = fmt.Sprintf("%q", dir)
			}
			expr := fmt.Sprintf("builtins.mapAttrs (_: toString) ((import %s).discover %s)", secretsCore(t), arg)
			var got map[string]string
			testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("discover = %v, want %v", got, want)
			}
		})
	}
}

// TestSecretsFromEntries checks the name rule on readDir-shaped input.
func TestSecretsFromEntries(t *testing.T) {
	t.Parallel()
	expr := fmt.Sprintf(`(import %s).fromEntries {
		"a.age" = "regular"; "b.age" = "symlink"; "c.age" = "directory";
		".age" = "regular"; "d.age.age" = "regular"; "e.txt" = "regular"; "f.AGE" = "regular";
	}`, secretsCore(t))
	var got map[string]string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &got)
	want := map[string]string{"a": "a.age", "d.age": "d.age.age"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fromEntries = %v, want %v", got, want)
	}
}

// TestSecretsDiscoverBadInput checks the errors for a missing folder, a
// file and a relative string.
func TestSecretsDiscoverBadInput(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	cases := map[string]struct{ arg, want string }{
		"missing":  {filepath.Join(root, "tests", "fixtures", "secrets", "no-such-dir"), "does not exist"},
		"file":     {filepath.Join(root, "tests", "fixtures", "secrets", "dir", "README.md"), "is not a folder"},
		"relative": {`"secrets"`, "secrets.secretsDir must be a path"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expr := fmt.Sprintf("(import %s).discover %s", secretsCore(t), c.arg)
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
			if !strings.Contains(out, c.want) || !strings.Contains(out, "fix:") {
				t.Errorf("error does not say %q with a fix:\n%s", c.want, out)
			}
		})
	}
}
