package activate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/runner"
)

func TestToplevelQuotesAttr(t *testing.T) {
	for host, want := range map[string]string{
		"tower":    "/c#nixosConfigurations.tower.config.system.build.toplevel",
		"my-box_2": "/c#nixosConfigurations.my-box_2.config.system.build.toplevel",
		"1host":    `/c#nixosConfigurations."1host".config.system.build.toplevel`,
		"a.b":      `/c#nixosConfigurations."a.b".config.system.build.toplevel`,
	} {
		if got := Toplevel("/c", host); got != want {
			t.Errorf("Toplevel(%q) = %s", host, got)
		}
	}
}

func TestBuildCmdUsesNomWhenInstalled(t *testing.T) {
	got := BuildCmd("/c", "tower", "/tmp/r", true).String()
	if got != "nom build /c#nixosConfigurations.tower.config.system.build.toplevel --out-link /tmp/r --extra-experimental-features 'nix-command flakes'" {
		t.Errorf("nom: %s", got)
	}
	got = BuildCmd("/c", "tower", "/tmp/r", false).String()
	if got != "nix --extra-experimental-features 'nix-command flakes' build /c#nixosConfigurations.tower.config.system.build.toplevel --out-link /tmp/r" {
		t.Errorf("nix: %s", got)
	}
}

func TestTailBuffer(t *testing.T) {
	tb := &TailBuffer{Max: 20}
	for _, s := range []string{"line one\n", "\n", "line two\nline three\n", "four"} {
		if _, err := tb.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if got := tb.LastLines(2); got != "line three\nfour" {
		t.Errorf("LastLines = %q", got)
	}
	if got := tb.LastLines(10); strings.Contains(got, "line one") {
		t.Errorf("Max not applied: %q", got)
	}
}

type noGit struct{}

func (noGit) Run(context.Context, runner.Cmd) error { return &runner.ExitError{Code: 128} }
func (noGit) Output(context.Context, runner.Cmd) ([]byte, error) {
	return nil, &runner.ExitError{Code: 128}
}

func TestCheckHostIgnoresOtherHosts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"flake.nix":                 "{ }",
		"hosts/tower.toml":          "hostname = \"tower\"\ntimeZone = \"UTC\"\n",
		"hosts/tower/hardware.nix":  "{ }",
		"hosts/broken.toml":         "hostname = \"broken\"\n",
		"hosts/nohw.toml":           "hostname = \"nohw\"\ntimeZone = \"UTC\"\n",
		"hosts/towerish.toml":       "hostname = 1\n",
		"hosts/towerish/other.nix":  "{ }",
		"hosts/broken/hardware.nix": "{ }",
	}
	for name, content := range files {
		cmdtest.Write(t, filepath.Join(dir, name), content)
	}
	ds, err := CheckHost(context.Background(), noGit{}, dir, "tower")
	if err != nil || len(ds) != 0 {
		t.Errorf("tower: %v %+v", err, ds)
	}
	ds, _ = CheckHost(context.Background(), noGit{}, dir, "broken")
	if !diag.HasErrors(ds) {
		t.Errorf("broken has no errors: %+v", ds)
	}
	for _, d := range ds {
		if !strings.Contains(d.File, "broken") {
			t.Errorf("broken got another host's problem: %+v", d)
		}
	}
	// Without flake.nix every host is blocked.
	if err := os.Remove(filepath.Join(dir, "flake.nix")); err != nil {
		t.Fatal(err)
	}
	ds, _ = CheckHost(context.Background(), noGit{}, dir, "tower")
	if !diag.HasErrors(ds) || ds[0].Code != checkdir.CodeNoFlake {
		t.Errorf("no flake.nix: %+v", ds)
	}
}

func TestHasNomAndInterruptible(t *testing.T) {
	found := func(name string) (string, error) {
		if name == "nom" {
			return "/run/current-system/sw/bin/nom", nil
		}
		return "", os.ErrNotExist
	}
	missing := func(string) (string, error) { return "", os.ErrNotExist }
	if !HasNom(found) || HasNom(missing) {
		t.Errorf("HasNom: found %v, missing %v", HasNom(found), HasNom(missing))
	}
	parent, cancel := context.WithCancel(context.Background())
	ctx, stop := Interruptible(parent)
	defer stop()
	cancel()
	<-ctx.Done()
	// cobra gives a command run without a context a nil one.
	var none context.Context
	bg, stop2 := Interruptible(none)
	defer stop2()
	if bg == nil || bg.Err() != nil {
		t.Errorf("Interruptible(nil) = %v", bg)
	}
}
