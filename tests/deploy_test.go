package tests

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// colmenaHive and deployNodes are evaluated with stand-ins for colmena's
// makeHive and deploy-rs's activate.nixos (tests/nix/deploy-standins.nix)
// that throw on any shape those projects do not document.

type colmenaOut struct {
	Meta struct {
		Nixpkgs     string            `json:"nixpkgs"`
		NodeNixpkgs map[string]string `json:"nodeNixpkgs"`
		SpecialArgs []string          `json:"specialArgs"`
	} `json:"meta"`
	Nodes map[string]struct {
		Deployment map[string]any `json:"deployment"`
		Imports    int            `json:"imports"`
	} `json:"nodes"`
}

type deployNode struct {
	Hostname       string   `json:"hostname"`
	SSHUser        *string  `json:"sshUser"`
	SSHOpts        []string `json:"sshOpts"`
	ConfirmTimeout int      `json:"confirmTimeout"`
	RemoteBuild    bool     `json:"remoteBuild"`
	MagicRollback  bool     `json:"magicRollback"`
	AutoRollback   bool     `json:"autoRollback"`
	Profiles       map[string]struct {
		User string `json:"user"`
		Path struct {
			Activate string `json:"activate"`
			System   string `json:"system"`
			Modules  int    `json:"modules"`
		} `json:"path"`
	} `json:"profiles"`
}

type deployEval struct {
	Colmena colmenaOut            `json:"colmena"`
	Deploy  map[string]deployNode `json:"deploy"`
	Modules map[string]int        `json:"modules"`
}

func evalDeploy(t *testing.T, hostsDir string) deployEval {
	t.Helper()
	var out deployEval
	expr := `let
	  h = import ./tests/nix/lib-harness.nix;
	  s = import ./tests/nix/deploy-standins.nix;
	  dir = ` + hostsDir + `;
	in {
	  colmena = h.axiosLib.colmenaHive { inherit (s) colmena; hostsDir = dir; nixpkgs = ./tests/nix/fake-nixpkgs; };
	  deploy = s.checkNodes (h.axiosLib.deployNodes { inherit (s) deploy-rs; hostsDir = dir; });
	  modules = builtins.mapAttrs (_: ms: builtins.length ms) (h.hosts dir);
	}`
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &out)
	return out
}

func TestColmenaAndDeployRsFromMultiHost(t *testing.T) {
	t.Parallel()
	out := evalDeploy(t, "./examples/multi-host/hosts")

	// colmena: every host is a node with the modules mkHosts gives it.
	var nodes []string
	for name := range out.Colmena.Nodes {
		nodes = append(nodes, name)
	}
	slices.Sort(nodes)
	if want := []string{"desktop", "laptop", "server"}; !slices.Equal(nodes, want) {
		t.Fatalf("colmena nodes = %v, want %v (one per hosts/*.toml)", nodes, want)
	}
	for name, n := range out.Colmena.Nodes {
		if n.Imports == 0 || n.Imports != out.Modules[name] {
			t.Errorf("colmena node %s imports %d modules, mkHosts gives %d", name, n.Imports, out.Modules[name])
		}
		if out.Colmena.Meta.NodeNixpkgs[name] != "x86_64-linux" {
			t.Errorf("node %s nixpkgs system = %q", name, out.Colmena.Meta.NodeNixpkgs[name])
		}
	}
	wantServer := map[string]any{
		"targetHost":           "server.example-tailnet.ts.net",
		"targetUser":           "admin",
		"buildOnTarget":        false,
		"allowLocalDeployment": true,
	}
	if got := out.Colmena.Nodes["server"].Deployment; !reflect.DeepEqual(got, wantServer) {
		t.Errorf("server deployment = %v, want %v", got, wantServer)
	}
	// A host without [deploy] is not reached over SSH: colmena's null
	// targetHost means local deployment only.
	localOnly := map[string]any{"targetHost": nil, "allowLocalDeployment": true}
	for _, name := range []string{"desktop", "laptop"} {
		if d := out.Colmena.Nodes[name].Deployment; !reflect.DeepEqual(d, localOnly) {
			t.Errorf("%s deployment = %v, want local only %v", name, d, localOnly)
		}
	}
	for _, a := range []string{"inputs", "self", "nixosModules", "homeModules"} {
		if !slices.Contains(out.Colmena.Meta.SpecialArgs, a) {
			t.Errorf("colmena specialArgs %v lack %s (mkSystem passes it)", out.Colmena.Meta.SpecialArgs, a)
		}
	}

	// deploy-rs: only the host with [deploy].
	if _, ok := out.Deploy["server"]; !ok || len(out.Deploy) != 1 {
		t.Fatalf("deploy nodes = %v, want only server (desktop and laptop have no [deploy])", out.Deploy)
	}
	s := out.Deploy["server"]
	if s.Hostname != "server.example-tailnet.ts.net" || s.SSHUser == nil || *s.SSHUser != "admin" {
		t.Errorf("server node hostname/sshUser = %q/%v", s.Hostname, s.SSHUser)
	}
	if s.ConfirmTimeout != 60 || !s.MagicRollback || !s.AutoRollback || s.RemoteBuild {
		t.Errorf("server node = %+v, want confirmTimeout 60, magic and auto rollback, local build", s)
	}
	p := s.Profiles["system"]
	if p.User != "root" || p.Path.Activate != "nixos" || p.Path.Modules != out.Modules["server"] {
		t.Errorf("server system profile = %+v, want root activating the server's own configuration", p)
	}
}

func TestDeploySettingsReachBothEngines(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	dir := t.TempDir()
	for _, stem := range []string{"deploy", "bad-deploy", "minimal"} {
		raw, err := os.ReadFile(filepath.Join(root, "tests", "hosts", stem+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, stem+".toml"), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := evalDeploy(t, dir)
	d := out.Colmena.Nodes["deploy"].Deployment
	if d["buildOnTarget"] != true || d["targetUser"] != "admin" {
		t.Errorf("colmena deployment of deploy = %v, want buildOnTarget and targetUser admin", d)
	}
	if _, ok := out.Deploy["bad-deploy"]; ok {
		t.Error("a host with errors became a deploy-rs node")
	}
	if _, ok := out.Deploy["minimal"]; ok {
		t.Error("a host without [deploy] became a deploy-rs node")
	}
	n := out.Deploy["deploy"]
	if !n.RemoteBuild || !reflect.DeepEqual(n.SSHOpts, []string{"-p", "2222"}) || n.ConfirmTimeout != 60 {
		t.Errorf("deploy node = %+v, want remoteBuild, sshOpts [-p 2222], confirmTimeout 60", n)
	}
}

// The stand-ins must reject what colmena and deploy-rs would, or the tests
// above prove nothing.
func TestDeployStandInsRejectWrongShapes(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"uninitialized nixpkgs":       `s.colmena.lib.makeHive { meta.nixpkgs = { outputs = { }; }; }`,
		"undocumented deployment key": `(s.colmena.lib.makeHive { meta.nixpkgs = { path = "/p"; system = "x"; }; n = { deployment.sshOptions = [ ]; }; }).nodes.n`,
		"targetHost not a string":     `(s.colmena.lib.makeHive { meta.nixpkgs = { path = "/p"; system = "x"; }; n = { deployment.targetHost = 1; }; }).nodes.n`,
		"node without hostname":       `s.checkNodes { n = { profiles.system.path = 1; }; }`,
		"profile without path":        `s.checkNodes { n = { hostname = "h"; profiles.system.user = "root"; }; }`,
		"confirmTimeout too big":      `s.checkNodes { n = { hostname = "h"; confirmTimeout = 70000; profiles = { }; }; }`,
		"undocumented node key":       `s.checkNodes { n = { hostname = "h"; targetHost = "h"; profiles = { }; }; }`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), "let s = import ./tests/nix/deploy-standins.nix; in "+body)
			if !strings.Contains(out, "shape:") {
				t.Errorf("failed without naming the shape check:\n%s", out)
			}
		})
	}
}
