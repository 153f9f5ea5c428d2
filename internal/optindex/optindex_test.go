package optindex

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

func sample() *Index {
	return New(File{NixpkgsRev: "abc", Options: []Option{
		{Name: "services.fwupd.enable", Type: "boolean", Default: "false", Source: SourceNixOS},
		{Name: "services.fwupd.package", Type: "package", Source: SourceNixOS},
		{Name: "services.openssh.settings", Type: "open submodule of attribute set of (atomic value)", Source: SourceNixOS},
		{Name: "users.users.<name>.isNormalUser", Type: "boolean", Source: SourceNixOS},
		{Name: HomePrefix + "programs.git.enable", Type: "boolean", Source: SourceHomeManager},
		{Name: HomePrefix + "programs.git.signing.key", Type: "null or string", Source: SourceHomeManager},
		{Name: "axios.hardware.nvidiaOpen", Type: "boolean", Source: SourceAxios},
		{Name: "system.build.toplevel", Type: "package", Source: SourceNixOS, Internal: true},
		{Name: "services.fwupd.enable", Type: "boolean", Source: SourceNixOS}, // duplicate
	}})
}

func TestKnownAndChildren(t *testing.T) {
	ix := sample()
	if ix.Len() != 8 {
		t.Errorf("Len = %d, want 8 (duplicate dropped)", ix.Len())
	}
	for p, want := range map[string]bool{
		"services.fwupd.enable":                           true,
		"services.fwupd":                                  true,
		"services.fwupd.enabel":                           false,
		"services.openssh.settings.PermitRootLogin":       true, // free-form
		"users.users.alice.isNormalUser":                  true,
		"users.users.alice.isNormalUsr":                   false,
		"home-manager.users.bob.programs.git.signing.key": true,
		"home-manager.users.bob.programs.gitt.enable":     false,
	} {
		if got := ix.Known(strings.Split(p, ".")); got != want {
			t.Errorf("Known(%s) = %v, want %v", p, got, want)
		}
	}
	if got := strings.Join(ix.Children([]string{"services", "fwupd"}), ","); got != "enable,package" {
		t.Errorf("Children = %q", got)
	}
}

func TestSearch(t *testing.T) {
	ix := sample()
	names := func(ms []Match) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{
		"services.fwupd.enable": "services.fwupd.enable",
		"fwupd":                 "services.fwupd.enable,services.fwupd.package",
		"FWUPD.Enable":          "services.fwupd.enable",
		"git.key":               HomePrefix + "programs.git.signing.key",
		"nvidiaOpn":             "axios.hardware.nvidiaOpen",
		"system.build.toplevel": "system.build.toplevel", // internal: exact only
		"toplevel":              "",
		"zzzz":                  "",
	} {
		if got := names(ix.Search(q, 0)); got != want {
			t.Errorf("Search(%q) = %q, want %q", q, got, want)
		}
	}
	if ms := ix.Search("", 3); len(ms) != 3 {
		t.Errorf("limit: %d results", len(ms))
	}
	if ms := ix.Search("services.fwupd.enable", 0); ms[0].Rank != 0 {
		t.Errorf("exact rank %d", ms[0].Rank)
	}
}

func TestSaveLoadFind(t *testing.T) {
	cache := t.TempDir()
	ix := sample()
	old := CacheFile(cache, "old")
	if err := ix.Save(old); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour)
	os.Chtimes(old, past, past)
	newer := CacheFile(cache, "abc/../x y")
	if filepath.Dir(newer) != cache || strings.ContainsAny(filepath.Base(newer), "/ ") {
		t.Errorf("unsafe cache file name %q", newer)
	}
	if err := ix.Save(newer); err != nil {
		t.Fatal(err)
	}
	if p, exact := Find(cache, "old"); p != old || !exact {
		t.Errorf("Find(old) = %s %v", p, exact)
	}
	if p, exact := Find(cache, "missing"); p != newer || exact {
		t.Errorf("Find(missing) = %s %v, want the newest", p, exact)
	}
	if p, _ := Find(t.TempDir(), "x"); p != "" {
		t.Errorf("empty cache: %s", p)
	}
	back, err := Load(old)
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != ix.Len() || !back.Known([]string{"users", "users", "x", "isNormalUser"}) || back.Path != old {
		t.Errorf("round trip: %+v", back.File)
	}
	for name, content := range map[string]string{"bad.json": "{", "v2.json": `{"version": 2, "options": []}`} {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(content), 0o644)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "axios options --update") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("a directory loaded")
	}
}

func TestCacheDirAndLockedRevs(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if d, _ := CacheDir(env(map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"})); d != "/c/axios" {
		t.Errorf("XDG: %s", d)
	}
	if d, _ := CacheDir(env(map[string]string{"XDG_CACHE_HOME": "rel", "HOME": "/h"})); d != "/h/.cache/axios" {
		t.Errorf("relative XDG ignored: %s", d)
	}
	if _, err := CacheDir(env(nil)); err == nil {
		t.Error("no HOME")
	}
	dir := t.TempDir()
	lock := `{"version":7,"root":"root","nodes":{
	  "root":{"inputs":{"axios":"axios","nixpkgs":["axios","nixpkgs"]}},
	  "axios":{"inputs":{"nixpkgs":"nixpkgs_2","home-manager":"hm"},"locked":{"rev":"a"}},
	  "nixpkgs_2":{"locked":{"rev":"1111111111111111111111111111111111111111"}},
	  "hm":{"locked":{"narHash":"sha256-x"}}}}`
	os.WriteFile(filepath.Join(dir, "flake.lock"), []byte(lock), 0o644)
	n, h := LockedRevs(dir)
	if n != "1111111111111111111111111111111111111111" || h != "sha256-x" {
		t.Errorf("LockedRevs = %q %q", n, h)
	}
	if n, h := LockedRevs(t.TempDir()); n != "" || h != "" {
		t.Errorf("no lock: %q %q", n, h)
	}
}

func TestParseEvalClassifies(t *testing.T) {
	out := `[
	 {"name":"services.fwupd.enable","type":"boolean","default":"false","description":"Whether to enable fwupd.","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/nixos/modules/services/hardware/fwupd.nix"],"internal":false},
	 {"name":"axios.hardware.nvidiaOpen","type":"boolean","default":"true","description":"","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/modules/graphics/default.nix"],"internal":false},
	 {"name":"home-manager.users.<name>.programs.git.enable","type":"boolean","default":"false","description":"","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/modules/services/git.nix"],"internal":false},
	 {"name":"home-manager.users.<name>.axios.wallpaper.enable","type":"boolean","default":"true","description":"","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/home/desktop/wallpaper.nix"],"internal":false},
	 {"name":"age.secrets","type":"attribute set of submodule","default":"{ }","description":"","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/modules/age.nix"],"internal":false}
	]`
	opts, err := ParseEval([]byte(out), []string{"modules/graphics", "modules/services", "home/desktop"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{SourceNixOS, SourceAxios, SourceHomeManager, SourceAxios, SourceOther}
	for i, o := range opts {
		if o.Source != want[i] {
			t.Errorf("%s: source %s, want %s", o.Name, o.Source, want[i])
		}
	}
	if d := ShortDeclaration(opts[0].Declarations[0]); d != "nixos/modules/services/hardware/fwupd.nix" {
		t.Errorf("ShortDeclaration = %q", d)
	}
	if _, err := ParseEval([]byte("error: oops"), nil); err == nil {
		t.Error("not JSON accepted")
	}
}

// fakeNix answers UpdateCmd by evaluating EvalApply with the real
// nix-instantiate against a stand-in configuration whose
// optionAttrSetToDocList returns fixed entries, one with a default that
// throws.
type fakeNix struct {
	t    *testing.T
	seen []runner.Cmd
}

func (f *fakeNix) Run(ctx context.Context, c runner.Cmd) error { return nil }

func (f *fakeNix) Output(ctx context.Context, c runner.Cmd) ([]byte, error) {
	f.seen = append(f.seen, c)
	apply := c.Args[len(c.Args)-1]
	config := `{
	  options = { };
	  pkgs.lib.optionAttrSetToDocList = _: [
	    { name = "services.fwupd.enable"; type = "boolean"; default = { _type = "literalExpression"; text = "false"; };
	      description = { _type = "mdDoc"; text = "Whether to enable fwupd."; }; declarations = [ "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/nixos/modules/services/hardware/fwupd.nix" ]; }
	    { name = "broken.default"; type = "string"; default = { _type = "literalExpression"; text = throw "no default"; }; description = "d"; declarations = [ ]; internal = true; }
	  ];
	}`
	expr := "(" + apply + ") " + config
	var v any
	testutil.NixEval(f.t, f.t.TempDir(), expr, &v)
	return json.Marshal(v)
}

func TestBuildEvaluatesTheApplyFunction(t *testing.T) {
	dir := t.TempDir()
	f := &fakeNix{t: t}
	ix, err := Build(context.Background(), f, dir, "tower", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.seen) != 1 || !strings.Contains(f.seen[0].String(), dir+"#nixosConfigurations.tower") || f.seen[0].Args[len(f.seen[0].Args)-2] != "--apply" {
		t.Errorf("commands %v", f.seen)
	}
	if ix.Len() != 2 || ix.Host != "tower" {
		t.Fatalf("index %+v", ix.File)
	}
	got := ix.Search("services.fwupd.enable", 1)[0]
	if got.Default != "false" || got.Description != "Whether to enable fwupd." || got.Source != SourceNixOS {
		t.Errorf("option %+v", got)
	}
	if b := ix.Search("broken.default", 1)[0]; b.Default != "" || !b.Internal {
		t.Errorf("a throwing default: %+v", b)
	}
	if c := UpdateCmd(dir, "my host"); !strings.Contains(strings.Join(c.Args, " "), `nixosConfigurations."my host"`) {
		t.Errorf("quoted host %v", c.Args)
	}
}

func TestLoadPathsUsesTheSidecar(t *testing.T) {
	file := filepath.Join(t.TempDir(), "options-abc.json")
	ix := sample()
	if err := ix.Save(file); err != nil {
		t.Fatal(err)
	}
	got, err := LoadPaths(file)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != ix.Len() || got.NixpkgsRev != "abc" || !got.Known([]string{"services", "openssh", "settings", "X"}) || got.Known([]string{"services", "fwupd", "enabel"}) {
		t.Errorf("sidecar index %+v", got.File)
	}
	if got.Options[0].Description != "" {
		t.Error("the sidecar carried more than names and types")
	}
	// Without the sidecar (or with a foreign one) the JSON is read.
	os.WriteFile(PathsFile(file), []byte("something else\n"), 0o644)
	if got, err := LoadPaths(file); err != nil || got.Len() != ix.Len() {
		t.Errorf("fallback: %v %v", got, err)
	}
	os.Remove(PathsFile(file))
	if got, err := LoadPaths(file); err != nil || got.Len() != ix.Len() {
		t.Errorf("no sidecar: %v %v", got, err)
	}
}
