package upstreameval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeUpstream lays out an UPSTREAM_DIR with every checkout, the stub and
// a REVISIONS.txt.
func fakeUpstream(t *testing.T) (dir, project string) {
	t.Helper()
	dir = t.TempDir()
	for _, in := range Inputs {
		if err := os.MkdirAll(filepath.Join(dir, in.Name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("nixpkgs.lib/lib/default.nix", "{}")
	for _, f := range StubFiles {
		write("nixpkgs-stub/"+f, "{}")
	}
	write("REVISIONS.txt", "# comment\nhome-manager abc123 2026-08-22T01:22:55-05:00\nagenix def456\n")
	project = filepath.Join(dir, "project")
	write("project/tests/upstream/eval.nix", "{}")
	write("shared/data/nixos-options-2024-12.tsv", "a.enable\tboolean\n")
	return dir, project
}

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadConfigFromUpstreamDir(t *testing.T) {
	dir, project := fakeUpstream(t)
	c, err := LoadConfig(project, envOf(map[string]string{"UPSTREAM_DIR": dir, "DMS_REV": "feedbeef"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.NixpkgsLib != filepath.Join(dir, "nixpkgs.lib", "lib") || c.Stub != filepath.Join(dir, "nixpkgs-stub") {
		t.Errorf("lib %s stub %s", c.NixpkgsLib, c.Stub)
	}
	if hm := c.Source("home-manager"); hm.Rev != "abc123" || hm.Date != "2026-08-22T01:22:55-05:00" || hm.Path != filepath.Join(dir, "home-manager") {
		t.Errorf("home-manager: %+v", hm)
	}
	if d := c.Source("DankMaterialShell"); d.Rev != "feedbeef" {
		t.Errorf("DMS_REV not used: %+v", d)
	}
	if g := c.Source("dank-greeter"); g.Rev != "" {
		t.Errorf("dank-greeter has no revision anywhere, got %q", g.Rev)
	}
	if !strings.HasSuffix(c.OptionsTSV, filepath.Join("shared", "data", "nixos-options-2024-12.tsv")) {
		t.Errorf("options list %s", c.OptionsTSV)
	}

	// Revisions refuses to record an unknown revision, naming its variable.
	if _, err := Revisions(c, "2026-12-05", []string{"h"}); err == nil || !strings.Contains(err.Error(), "DANK_GREETER_REV") {
		t.Errorf("Revisions with an unknown revision: %v", err)
	}
	env := map[string]string{"UPSTREAM_DIR": dir}
	for _, in := range Inputs {
		env[in.RevEnv] = "rev-" + in.Name
	}
	c, err = LoadConfig(project, envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Revisions(c, "2026-12-05", []string{"examples/minimal/a", "tests/hosts/b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`date = "2026-12-05"`, `"tests/hosts/b",`, `[inputs."dank-greeter"]`, `repo = "AvengeMedia/dank-greeter"`, `rev = "rev-lanzaboote"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("revisions file lacks %s:\n%s", want, b)
		}
	}
}

func TestLoadConfigNamesEveryMissingVariable(t *testing.T) {
	_, project := fakeUpstream(t)
	_, err := LoadConfig(project, envOf(map[string]string{"DMS_SRC": "/does/not/exist"}))
	if err == nil {
		t.Fatal("no error without checkouts")
	}
	for _, in := range Inputs {
		if !strings.Contains(err.Error(), in.PathEnv) {
			t.Errorf("error does not name %s:\n%v", in.PathEnv, err)
		}
	}
	if !strings.Contains(err.Error(), "NIXPKGS_STUB") || !strings.Contains(err.Error(), "/does/not/exist") {
		t.Errorf("error: %v", err)
	}
}

func TestLoadConfigChecksStub(t *testing.T) {
	dir, project := fakeUpstream(t)
	os.Remove(filepath.Join(dir, "nixpkgs-stub", StubFiles[1]))
	_, err := LoadConfig(project, envOf(map[string]string{"UPSTREAM_DIR": dir}))
	if err == nil || !strings.Contains(err.Error(), StubFiles[1]) {
		t.Errorf("a stub without %s: %v", StubFiles[1], err)
	}
}

func TestPackageNames(t *testing.T) {
	dir := t.TempDir()
	src := `{ pkgs, lib, ... }: {
  environment.systemPackages = with pkgs; [
    ripgrep # search
    kdePackages.kate
  ];
  x = pkgs.nvtopPackages.amd;
  y = "${pkgs.niri}/bin/niri";
  package = lib.mkPackageOption pkgs "dms-shell" { };
  p2 = lib.mkPackageOption pkgs [ "python3Packages" "black" ] { };
  inherit (pkgs) fd jq;
}`
	if err := os.WriteFile(filepath.Join(dir, "m.nix"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "ignored.txt"), []byte("pkgs.nothere"), 0o644)
	names, err := PackageNames([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	for _, want := range []string{"ripgrep", "kdePackages.kate", "nvtopPackages.amd", "niri", "dms-shell", "python3Packages.black", "fd", "jq", "go_1_26",
		"linuxPackages.nvidiaPackages.stable", "linuxPackages_latest.nvidiaPackages.beta", "linuxPackages.nvidiaPackages.production"} {
		if !set[want] {
			t.Errorf("missing %s in %v", want, names)
		}
	}
	for _, bad := range []string{"nothere", "with", "search", "#"} {
		if set[bad] {
			t.Errorf("%s should not be a name", bad)
		}
	}
}

func TestEnableOptions(t *testing.T) {
	tsv := "services.a.enable\tboolean\n" +
		"services.b.enable\tnull or boolean\n" +
		"fileSystems\tattribute set of (submodule)\n" +
		"fileSystems.<name>.enable\tboolean\n" +
		"swapDevices\tlist of (submodule)\n" +
		"swapDevices._.randomEncryption.enable\tboolean\n" +
		"programs.niri.enable\tboolean\n" +
		"services.a.port\tinteger\n"
	got, err := EnableOptions(strings.NewReader(tsv))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "services.a.enable" {
		t.Errorf("EnableOptions = %v, want [services.a.enable]", got)
	}
}

func TestHomePrefixes(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "home"), 0o755)
	os.MkdirAll(filepath.Join(dir, "modules", "x"), 0o755)
	os.WriteFile(filepath.Join(dir, "home", "a.nix"), []byte(`{ lib, ... }: { programs.git.enable = true; xdg.configFile."a".text = ""; }`), 0o644)
	os.WriteFile(filepath.Join(dir, "modules", "x", "default.nix"), []byte(`{ ... }: { services.openssh.enable = true; home-manager.users.alice.services.gpg-agent.enable = true; }`), 0o644)
	got, err := HomePrefixes(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "programs.git services.gpg-agent xdg.configFile" {
		t.Errorf("HomePrefixes = %v", got)
	}
}
