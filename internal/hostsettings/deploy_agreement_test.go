package hostsettings

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/testutil"
)

// deployExpr evaluates lib/core's deploySettings on every vector.
const deployExpr = `
let
  core = import ./lib/core { };
  dir = ./tests/hosts;
  files = builtins.filter (n: builtins.match ".*\\.toml" n != null) (builtins.attrNames (builtins.readDir dir));
  stem = n: builtins.substring 0 (builtins.stringLength n - 5) n;
in
builtins.listToAttrs (map (f: {
  name = stem f;
  value = core.deploySettings (core.checkHost {
    host = builtins.fromTOML (builtins.readFile (dir + "/${f}"));
    name = stem f;
    form = "toml";
  });
}) files)
`

// TestDeployAgrees requires the deployment settings `axios deploy` uses to
// be exactly what colmenaHive and deployNodes read, on every vector.
func TestDeployAgrees(t *testing.T) {
	dir, stems := hostfiletest.Vectors(t)
	var nix map[string]json.RawMessage
	testutil.NixEval(t, testutil.RepoRoot(t), deployExpr, &nix)
	withDeploy := 0
	for _, stem := range stems {
		h, err := hostfile.ParseFile(filepath.Join(dir, stem+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		got := Deploy(h, hostrules.Options{})
		if got != nil {
			withDeploy++
		}
		// Compare through JSON, with the Nix null user as "" (omitted).
		var a, b any
		ja, _ := json.Marshal(got)
		_ = json.Unmarshal(ja, &a)
		_ = json.Unmarshal(nix[stem], &b)
		if m, ok := b.(map[string]any); ok && m["targetUser"] == nil {
			delete(m, "targetUser")
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: Go %s, Nix %s", stem, ja, nix[stem])
		}
	}
	if withDeploy == 0 {
		t.Error("no vector has deployment settings")
	}
}

func TestDeployDefaults(t *testing.T) {
	h := hostfiletest.Must(t, hostfiletest.ValidBase+"[hardware]\ncpu = \"amd\"\n[deploy]\ntargetHost = \"box.tail\"\n", "")
	got := Deploy(h, hostrules.Options{})
	want := &DeploySettings{TargetHost: "box.tail", BuildOn: "local", SSHOpts: []string{}, ConfirmTimeout: 30}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Deploy = %+v, want %+v", got, want)
	}
	if Deploy(hostfiletest.Must(t, hostfiletest.ValidBase+"[hardware]\ncpu = \"amd\"\n", ""), hostrules.Options{}) != nil {
		t.Error("a host without [deploy] has deployment settings")
	}
	if Deploy(hostfiletest.Must(t, hostfiletest.ValidBase+"[hardware]\ncpu = \"amd\"\n[deploy]\n", ""), hostrules.Options{}) != nil {
		t.Error("a [deploy] without targetHost (an error) has deployment settings")
	}
}
