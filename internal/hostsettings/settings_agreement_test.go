package hostsettings

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/testutil"
)

// settingsExpr evaluates lib/core's hostSettings on every vector without
// errors.
const settingsExpr = `
let
  core = import ./lib/core { };
  checked = import ./tests/nix/checked-vectors.nix;
in
builtins.listToAttrs (map (stem: {
  name = stem;
  value = core.hostSettings checked.${stem};
}) (builtins.filter (stem: checked.${stem}.errors == [ ]) (builtins.attrNames checked)))
`

// TestSettingsAgree requires the settings `axios plan` shows to be exactly
// the assignments lib/core's hostSettings gives mkSystem, on every valid
// vector (mkSystem stops at the assertions of an invalid host).
func TestSettingsAgree(t *testing.T) {
	dir, stems := hostfiletest.Vectors(t)
	var nix map[string][]struct {
		Path  []string `json:"path"`
		Value any      `json:"value"`
	}
	testutil.NixEval(t, testutil.RepoRoot(t), settingsExpr, &nix)
	valid := 0
	for _, stem := range stems {
		t.Run(stem, func(t *testing.T) {
			h, err := hostfile.ParseFile(filepath.Join(dir, stem+".toml"))
			if err != nil {
				t.Fatal(err)
			}
			_, inNix := nix[stem]
			if diag.HasErrors(hostrules.Validate(h, hostrules.Options{})) {
				if inNix {
					t.Fatalf("Nix calls %s valid, Go does not", stem)
				}
				return
			}
			if !inNix {
				t.Fatalf("Go calls %s valid, Nix does not", stem)
			}
			valid++
			got := Settings(h, hostrules.Select(h, hostrules.Options{}), hostrules.Options{})
			type pv struct {
				Path  []string `json:"path"`
				Value any      `json:"value"`
			}
			var goList []pv
			for _, s := range got {
				goList = append(goList, pv{s.Path, s.Value})
			}
			var a, b any
			ja, _ := json.Marshal(goList)
			jb, _ := json.Marshal(nix[stem])
			_ = json.Unmarshal(ja, &a)
			_ = json.Unmarshal(jb, &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("settings differ (which entries are active: docs/validation.md step 8)\n  Go: %s\n Nix: %s", ja, jb)
			}
		})
	}
	if valid < 5 {
		t.Errorf("only %d valid vectors compared; want at least 5", valid)
	}
}
