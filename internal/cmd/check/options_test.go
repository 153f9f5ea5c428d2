package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/optindex/optindextest"
)

const typoHost = `hostname = "tower"
timeZone = "UTC"

[extraConfig]
services.fwupd.enabel = true
services.fwupd.enable = true
`

// A configuration directory whose flake.lock locks nixpkgs at rev.
func configWithLock(t *testing.T, rev string) string {
	t.Helper()
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), typoHost)
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower", "hardware.nix"), "{ }\n")
	lock := `{"version": 7, "root": "root", "nodes": {"root": {"inputs": {"nixpkgs": "nixpkgs"}}, "nixpkgs": {"locked": {"rev": "` + rev + `", "type": "github"}}}}`
	cmdtest.Write(t, filepath.Join(dir, "flake.lock"), lock)
	return dir
}

func TestCheckOptionPathsWithIndexFile(t *testing.T) {
	idx := optindextest.Shared(t)
	file := filepath.Join(t.TempDir(), "index.json")
	if err := idx.Save(file); err != nil {
		t.Fatal(err)
	}
	host := filepath.Join(t.TempDir(), "tower.toml")
	cmdtest.Write(t, host, typoHost)
	out, code := run(t, Deps{}, "--options-index", file, host)
	if code != exitcode.OK {
		t.Errorf("exit %d (an unknown option is a warning)\n%s", code, out)
	}
	want := `:5: AX501 extraConfig.services.fwupd.enabel: warning: no option services.fwupd.enabel in the option index (fix: correct or remove it (did you mean "services.fwupd.enable"?)`
	if !strings.Contains(out, want) || strings.Count(out, "AX501") != 1 || strings.Contains(out, "note:") {
		t.Errorf("output lacks %q or has more:\n%s", want, out)
	}
	// JSON carries the same diagnostic.
	out, _ = run(t, Deps{}, "--json", "--options-index", file, host)
	var rep checkdir.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != "AX501" || rep.Diagnostics[0].Line != 5 || len(rep.Notes) != 0 {
		t.Errorf("json %+v", rep)
	}
	// A missing or broken index file is bad usage.
	bad := filepath.Join(t.TempDir(), "bad.json")
	cmdtest.Write(t, bad, "{not json")
	for _, f := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		if out, code := run(t, Deps{}, "--options-index", f, host); code != exitcode.Usage || !strings.Contains(out, "--options-index") {
			t.Errorf("%s: exit %d\n%s", f, code, out)
		}
	}
}

func TestCheckUsesTheCachedIndex(t *testing.T) {
	shared := optindextest.Shared(t)
	cache := t.TempDir()
	dir := configWithLock(t, "0123456789abcdef0123456789abcdef01234567")
	// No index yet: one note, no AX501.
	out, code := run(t, Deps{Getenv: cacheEnv(cache)}, dir)
	if code != exitcode.OK || strings.Count(out, "note: ") != 1 || strings.Contains(out, "AX501") {
		t.Errorf("without an index: exit %d\n%s", code, out)
	}
	// An index of another revision: used, with a note.
	other := optindex.New(optindex.File{NixpkgsRev: "fedcba9876543210fedcba9876543210fedcba98", Options: shared.Options})
	if err := other.Save(optindex.CacheFile(filepath.Join(cache, "axios"), other.NixpkgsRev)); err != nil {
		t.Fatal(err)
	}
	out, _ = run(t, Deps{Getenv: cacheEnv(cache)}, dir)
	if !strings.Contains(out, "AX501 extraConfig.services.fwupd.enabel") || !strings.Contains(out, "was built for nixpkgs fedcba987654, this configuration locks 0123456789ab") {
		t.Errorf("with another revision's index:\n%s", out)
	}
	// The index of the locked revision: used, no note.
	exact := optindex.New(optindex.File{NixpkgsRev: "0123456789abcdef0123456789abcdef01234567", Options: shared.Options})
	if err := exact.Save(optindex.CacheFile(filepath.Join(cache, "axios"), exact.NixpkgsRev)); err != nil {
		t.Fatal(err)
	}
	out, _ = run(t, Deps{Getenv: cacheEnv(cache)}, dir)
	if !strings.Contains(out, "AX501 extraConfig.services.fwupd.enabel") || strings.Contains(out, "note:") {
		t.Errorf("with the locked revision's index:\n%s", out)
	}
	// A corrupt cached index does not stop the check: it becomes a note.
	// (check reads the names-only sidecar; a broken one falls back to the
	// JSON, here broken too).
	for _, f := range []string{optindex.CacheFile(filepath.Join(cache, "axios"), exact.NixpkgsRev), optindex.PathsFile(optindex.CacheFile(filepath.Join(cache, "axios"), exact.NixpkgsRev))} {
		if err := os.WriteFile(f, []byte("[]"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, code = run(t, Deps{Getenv: cacheEnv(cache)}, dir)
	if code != exitcode.OK || !strings.Contains(out, "note: option index") || !strings.Contains(out, "axios options --update") {
		t.Errorf("with a corrupt index: exit %d\n%s", code, out)
	}
}
