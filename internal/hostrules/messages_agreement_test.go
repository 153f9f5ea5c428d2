package hostrules

import (
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/testutil"
)

// messagesExpr gives every diagnostic of every vector from lib/core.
const messagesExpr = `
builtins.mapAttrs (_: r: map (d: { inherit (d) code field severity message fix; }) r.diagnostics)
  (import ./tests/nix/checked-vectors.nix)
`

// TestMessagesAgree requires `axios check` to print the very message, fix
// and severity that the NixOS assertion gives, on every vector.
func TestMessagesAgree(t *testing.T) {
	dir, stems := vectorStems(t)
	var nix map[string][]struct{ Code, Field, Severity, Message, Fix string }
	testutil.NixEval(t, testutil.RepoRoot(t), messagesExpr, &nix)
	compared := 0
	for _, stem := range stems {
		h, err := hostfile.ParseFile(filepath.Join(dir, stem+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		got := Validate(h, Options{})
		want := nix[stem]
		if len(got) != len(want) {
			t.Errorf("%s: Go has %d diagnostics, Nix %d", stem, len(got), len(want))
			continue
		}
		for i, d := range got {
			w := want[i]
			if d.Code != w.Code || d.Field != w.Field || d.Severity != w.Severity || d.Message != w.Message || d.Fix != w.Fix {
				t.Errorf("%s %s %s:\n  Go: %s | %s | %s\n Nix: %s | %s | %s", stem, d.Code, d.Field, d.Severity, d.Message, d.Fix, w.Severity, w.Message, w.Fix)
			}
			compared++
		}
	}
	if compared < 30 {
		t.Errorf("only %d diagnostics compared", compared)
	}
}
