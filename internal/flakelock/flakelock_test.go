package flakelock

import (
	"testing"
)

// A configuration whose axios input brings home-manager, with
// home-manager's nixpkgs following axios's nixpkgs, and a root nixpkgs that
// follows axios's too.
const lockFollows = `{
  "nodes": {
    "axios": {
      "inputs": {"home-manager": "home-manager", "nixpkgs": "nixpkgs"},
      "locked": {"lastModified": 1764000000, "narHash": "sha256-A", "owner": "axios-nix", "repo": "axios", "rev": "0123456789abcdef0123456789abcdef01234567", "type": "github"},
      "original": {"owner": "axios-nix", "repo": "axios", "type": "github"}
    },
    "home-manager": {
      "inputs": {"nixpkgs": ["axios", "nixpkgs"]},
      "locked": {"lastModified": 1763900000, "narHash": "sha256-H", "owner": "nix-community", "repo": "home-manager", "rev": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "type": "github"},
      "original": {"owner": "nix-community", "repo": "home-manager", "type": "github"}
    },
    "nixpkgs": {
      "locked": {"lastModified": 1763800000, "narHash": "sha256-N", "owner": "NixOS", "repo": "nixpkgs", "rev": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "type": "github"},
      "original": {"owner": "NixOS", "ref": "nixos-unstable", "repo": "nixpkgs", "type": "github"}
    },
    "root": {"inputs": {"axios": "axios", "nixpkgs": ["axios", "nixpkgs"]}}
  },
  "root": "root",
  "version": 7
}`

func TestFollows(t *testing.T) {
	l, err := Parse([]byte(lockFollows))
	if err != nil {
		t.Fatal(err)
	}
	hmPkgs, ok, err := l.Input("home-manager", "nixpkgs")
	if err != nil || !ok || hmPkgs != "nixpkgs" {
		t.Errorf("home-manager nixpkgs = %q %v %v", hmPkgs, ok, err)
	}
	root, ok, err := l.Path("nixpkgs")
	if err != nil || !ok || root != "nixpkgs" {
		t.Errorf("root nixpkgs = %q %v %v", root, ok, err)
	}
	if _, ok, _ := l.Path("nope"); ok {
		t.Error("missing input found")
	}
	if got := l.Nodes["axios"].Describe(); got != "0123456 (2025-11-24)" {
		t.Errorf("describe %q", got)
	}
}

func TestChanges(t *testing.T) {
	old, _ := Parse([]byte(lockFollows))
	newer, _ := Parse([]byte(lockFollows))
	n := newer.Nodes["nixpkgs"]
	n.Locked = map[string]any{"narHash": "sha256-N2", "rev": "cccccccccccccccccccccccccccccccccccccccc", "lastModified": float64(1764500000)}
	newer.Nodes["nixpkgs"] = n
	delete(newer.Nodes, "home-manager")
	ch := Changes(old, newer)
	if len(ch) != 2 || ch[0].Node != "home-manager" || ch[0].After != "" || ch[1].Node != "nixpkgs" || ch[1].Before != "bbbbbbb (2025-11-22)" || ch[1].After != "ccccccc (2025-11-30)" {
		t.Errorf("%+v", ch)
	}
}

func TestBadLocks(t *testing.T) {
	for _, s := range []string{`{`, `{"nodes":{}}`} {
		if _, err := Parse([]byte(s)); err == nil {
			t.Errorf("Parse(%s) succeeded", s)
		}
	}
	l, _ := Parse([]byte(`{"nodes":{"root":{"inputs":{"a":["b"],"b":["a"]}}},"root":"root"}`))
	if _, _, err := l.Input("root", "a"); err == nil {
		t.Error("follows loop not detected")
	}
	l, _ = Parse([]byte(`{"nodes":{"root":{"inputs":{"a":["gone"]}}},"root":"root"}`))
	if _, _, err := l.Input("root", "a"); err == nil {
		t.Error("dangling follows not detected")
	}
}
