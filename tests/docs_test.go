package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestHostsDocIsComplete keeps docs/hosts.md true to lib/rules.toml and the
// catalog: every field, every code and every module flag is described.
func TestHostsDocIsComplete(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "hosts.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	var facts struct {
		Fields []string `json:"fields"`
		Codes  []string `json:"codes"`
		Flags  []string `json:"flags"`
	}
	testutil.NixEval(t, root, `let c = import ./lib/core { }; in {
		fields = builtins.attrNames c.rules.field;
		codes = builtins.attrNames c.rules.code;
		flags = c.catalogInfo.flags;
	}`, &facts)
	for _, f := range facts.Fields {
		if f == "users.*" {
			continue
		}
		name := strings.ReplaceAll(f, "*", "<name>")
		if !strings.Contains(text, "`"+name+"`") {
			t.Errorf("docs/hosts.md does not describe the field `%s`", name)
		}
	}
	for _, c := range facts.Codes {
		if !strings.Contains(text, "| "+c+" |") {
			t.Errorf("docs/hosts.md has no row for %s", c)
		}
	}
	for _, f := range facts.Flags {
		if !strings.Contains(text, "| `"+f+"` |") {
			t.Errorf("docs/hosts.md has no row for module flag %s", f)
		}
	}
}
