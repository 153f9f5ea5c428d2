package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/nixopts"
	"github.com/axios-nix/axios/internal/testutil"
)

// The home-manager modules under home/ (desktop included, which the
// evaluation harness does not load) are read without evaluation, like the
// NixOS modules in options_test.go: every option path they define must be a
// home-manager master option (../shared/data/home-manager-options-2026-08.tsv), one declared
// under home/, or one of the flake-input options below.

// homeInputOptions are options declared by flake inputs' home-manager
// modules, and free-form values the option list cannot spell out. A path
// ending in ".*" accepts everything below it.
var homeInputOptions = []struct{ path, source string }{
	// AvengeMedia/DankMaterialShell: distro/nix/options.nix, distro/nix/home.nix
	{"programs.dank-material-shell.enable", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.systemd.enable", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.systemd.restartIfChanged", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.systemd.target", "AvengeMedia/DankMaterialShell:distro/nix/home.nix"},
	{"programs.dank-material-shell.quickshell.package", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.enableSystemMonitoring", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.enableVPN", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.enableDynamicTheming", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.enableAudioWavelength", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.enableCalendarEvents", "AvengeMedia/DankMaterialShell:distro/nix/options.nix"},
	{"programs.dank-material-shell.settings.*", "AvengeMedia/DankMaterialShell:distro/nix/home.nix"},
	{"programs.dank-material-shell.niri.enableKeybinds", "AvengeMedia/DankMaterialShell:distro/nix/niri.nix"},
	{"programs.dank-material-shell.niri.enableSpawn", "AvengeMedia/DankMaterialShell:distro/nix/niri.nix"},
	{"programs.dank-material-shell.niri.includes.enable", "AvengeMedia/DankMaterialShell:distro/nix/niri.nix"},
	// AvengeMedia/danksearch: distro/nix/default.nix
	{"programs.dsearch.enable", "AvengeMedia/danksearch:distro/nix/default.nix"},
	// niri-flake's settings module types every niri setting; they are
	// checked when niri-flake evaluates them, not here.
	{"programs.niri.settings.*", "sodiboo/niri-flake:settings.nix"},
	// ryantm/agenix: modules/age-home.nix
	{"age.identityPaths", "ryantm/agenix:modules/age-home.nix"},
	{"age.secrets.<name>.file", "ryantm/agenix:modules/age-home.nix"},
	// home-manager values the option list prints as one type.
	{"home.activation.*", "nix-community/home-manager:modules/home-environment.nix (DAG of string)"},
	{"systemd.user.services.<name>.*", "nix-community/home-manager:modules/systemd.nix (unit sections)"},
	{"systemd.user.timers.<name>.*", "nix-community/home-manager:modules/systemd.nix (unit sections)"},
	{"qt.platformTheme.name", "nix-community/home-manager:modules/misc/qt.nix (submodule in an either)"},
	{"qt.platformTheme.package", "nix-community/home-manager:modules/misc/qt.nix (submodule in an either)"},
	{"programs.fish.functions.<name>.*", "nix-community/home-manager:modules/programs/fish.nix (string or submodule)"},
	{"programs.fish.shellAbbrs.*", "nix-community/home-manager:modules/programs/fish.nix (string or submodule)"},
	{"programs.git.settings.*", "nix-community/home-manager:modules/programs/git.nix (git-config sections)"},
}

func homeOptionIndex(t *testing.T, root string) *nixopts.Index {
	t.Helper()
	ix := loadIndex(t, homeOptionsTSV)
	for _, d := range homeDecls(t, root) {
		ix.Add(d.Path, d.Freeform)
	}
	for _, o := range homeInputOptions {
		p, free := strings.CutSuffix(o.path, ".*")
		ix.Add(nixopts.SplitOptionPath(p), free)
	}
	return ix
}

// unknownHomeOptions lists "file:line path" for every definition in the
// given files that ix does not know.
func unknownHomeOptions(t *testing.T, root string, ix *nixopts.Index, files []string) []string {
	t.Helper()
	var bad []string
	for _, f := range files {
		m := analyzeFile(t, f)
		if !m.IsModule {
			t.Errorf("%s: not a module function or attribute set", f)
			continue
		}
		rel, _ := filepath.Rel(root, f)
		for _, d := range m.Defs {
			if !ix.Known(d.Path) {
				bad = append(bad, fmt.Sprintf("%s:%d %s", rel, d.Line, d.Path))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

func TestHomeModulesSetOnlyExistingOptions(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "home"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".nix") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("only %d home module files found", len(files))
	}
	if bad := unknownHomeOptions(t, root, homeOptionIndex(t, root), files); len(bad) > 0 {
		t.Errorf("home modules set options that do not exist in home-manager master or the flake inputs:\n  %s",
			strings.Join(bad, "\n  "))
	}
}

func TestHomeOptionCheckCatchesMistakes(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	f := filepath.Join(t.TempDir(), "bad.nix")
	src := `{ config, lib, ... }: {
  config = lib.mkIf true {
    qt.platformTheme.nmae = "qt6ct";
    programs.dank-material-shell.enableClipboard = true;
    home.pointerCursor.size = 24;
    programs.niri.settings.anything.goes = true;
  };
}`
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := unknownHomeOptions(t, root, homeOptionIndex(t, root), []string{f})
	got := strings.Join(bad, "|")
	if len(bad) != 2 || !strings.Contains(got, "qt.platformTheme.nmae") || !strings.Contains(got, "enableClipboard") {
		t.Errorf("want the misspelt and the removed option reported, got %q", bad)
	}
}
