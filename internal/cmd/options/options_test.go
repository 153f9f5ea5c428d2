package options

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/optindex/optindextest"
	"github.com/axios-nix/axios/internal/runner"
)

func env(cache string) func(string) string {
	return func(k string) string {
		if k == "XDG_CACHE_HOME" {
			return cache
		}
		return ""
	}
}

func indexFile(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "index.json")
	if err := optindextest.Shared(t).Save(file); err != nil {
		t.Fatal(err)
	}
	return file
}

func run(t *testing.T, d Deps, args ...string) (string, int) {
	t.Helper()
	if d.Getenv == nil {
		d.Getenv = env(t.TempDir())
	}
	if d.IsTerminal == nil {
		d.IsTerminal = func(io.Writer) bool { return false }
	}
	return cmdtest.Run(t, New(d), args...)
}

func TestSearchSharedIndex(t *testing.T) {
	file := indexFile(t)
	out, code := run(t, Deps{}, "--index", file, "services.fwupd.enable")
	if code != exitcode.OK || !strings.HasPrefix(out, "services.fwupd.enable  (nixos)\n  type: boolean\n") {
		t.Errorf("exit %d\n%s", code, out)
	}
	// Fuzzy: a misspelt last part finds the option; home-manager and axiOS
	// options are in the same index.
	out, _ = run(t, Deps{}, "--index", file, "--json", "--limit", "5", "fwupd.enabel")
	var ms []optindex.Match
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(ms) == 0 || ms[0].Name != "services.fwupd.enable" || ms[0].Rank != 4 {
		t.Errorf("fuzzy: %+v", ms)
	}
	out, _ = run(t, Deps{}, "--index", file, "--json", "programs.git.enable")
	if !strings.Contains(out, `"name": "home-manager.users.<name>.programs.git.enable"`) || !strings.Contains(out, `"source": "home-manager"`) {
		t.Errorf("home-manager option missing:\n%.400s", out)
	}
	out, _ = run(t, Deps{}, "--index", file, "--json", "axios.hardware.nvidiaOpen")
	if !strings.Contains(out, `"source": "axios"`) || !strings.Contains(out, "modules/graphics/default.nix") {
		t.Errorf("axiOS option missing:\n%.400s", out)
	}
	out, code = run(t, Deps{}, "--index", file, "no.such.option.anywhere")
	if code != exitcode.Failed || !strings.Contains(out, "no option matches") {
		t.Errorf("no match: exit %d\n%s", code, out)
	}
	if _, code := run(t, Deps{}, "--index", file, "--limit", "-1", "x"); code != exitcode.Usage {
		t.Errorf("negative limit: exit %d", code)
	}
}

func TestNoIndexSaysHowToBuildOne(t *testing.T) {
	out, code := run(t, Deps{Resolver: cmdtest.NoConfig(t)}, "fwupd")
	if code != exitcode.Usage || !strings.Contains(out, "axios options --update") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// fakeNix prints a fixed option list for the eval and records the command.
type fakeNix struct {
	cmds []runner.Cmd
	out  string
	err  error
}

func (f *fakeNix) Run(ctx context.Context, c runner.Cmd) error { return nil }
func (f *fakeNix) Output(ctx context.Context, c runner.Cmd) ([]byte, error) {
	f.cmds = append(f.cmds, c)
	return []byte(f.out), f.err
}

func TestUpdateCachesPerRevisionAndCheckFindsIt(t *testing.T) {
	dir := t.TempDir()
	cmdtest.Write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	cmdtest.Write(t, filepath.Join(dir, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \"UTC\"\n")
	cmdtest.Write(t, filepath.Join(dir, "flake.lock"), `{"version":7,"root":"root","nodes":{"root":{"inputs":{"nixpkgs":"n"}},"n":{"locked":{"rev":"aaaabbbbccccddddeeeeffff0000111122223333"}}}}`)
	cache := t.TempDir()
	nix := &fakeNix{out: `[{"name":"services.fwupd.enable","type":"boolean","default":"false","description":"Whether to enable fwupd.","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/nixos/modules/services/hardware/fwupd.nix"],"internal":false},
	  {"name":"axios.hardware.nvidiaOpen","type":"boolean","default":"true","description":"","declarations":["/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/modules/graphics/default.nix"],"internal":false}]`}
	d := Deps{Runner: nix, Resolver: cmdtest.ConfigAt(dir), Getenv: env(cache)}
	out, code := run(t, d, "--update")
	want := filepath.Join(cache, "axios", "options-aaaabbbbccccddddeeeeffff0000111122223333.json")
	if code != exitcode.OK || !strings.Contains(out, "2 options of tower (nixos 1, home-manager 0, axios 1, other inputs 0) written to "+want) {
		t.Errorf("exit %d\n%s", code, out)
	}
	if len(nix.cmds) != 1 || !strings.Contains(nix.cmds[0].String(), dir+"#nixosConfigurations.tower") {
		t.Errorf("ran %v", nix.cmds)
	}
	// The cached index is what a search without --index reads.
	out, code = run(t, d, "fwupd")
	if code != exitcode.OK || !strings.Contains(out, "Whether to enable fwupd.") || !strings.Contains(out, "declared in nixos/modules/services/hardware/fwupd.nix") {
		t.Errorf("search of the cached index: exit %d\n%s", code, out)
	}
	// A failing nix eval is a failure, and nothing is cached.
	cache2 := t.TempDir()
	bad := &fakeNix{err: &runner.ExitError{Cmd: "nix eval", Code: 1, Stderr: "error: attribute 'tower' missing"}}
	out, code = run(t, Deps{Runner: bad, Resolver: cmdtest.ConfigAt(dir), Getenv: env(cache2)}, "--update")
	if code != exitcode.Failed || !strings.Contains(out, "attribute 'tower' missing") {
		t.Errorf("failed eval: exit %d\n%s", code, out)
	}
	if p, _ := optindex.Find(filepath.Join(cache2, "axios"), ""); p != "" {
		t.Errorf("something was cached: %s", p)
	}
	if _, code := run(t, d, "--update", "--index", "x.json"); code != exitcode.Usage {
		t.Errorf("--update with --index: exit %d", code)
	}
}

func TestPickerOnATerminal(t *testing.T) {
	file := indexFile(t)
	var gotQuery string
	d := Deps{
		IsTerminal: func(io.Writer) bool { return true },
		Pick: func(ix *optindex.Index, q string, in io.Reader, out io.Writer) error {
			gotQuery = q
			return nil
		},
	}
	if _, code := run(t, d, "--index", file, "fwupd"); code != exitcode.OK || gotQuery != "fwupd" {
		t.Errorf("picker not run: exit %d, query %q", code, gotQuery)
	}
	gotQuery = ""
	if out, _ := run(t, d, "--index", file, "--json", "fwupd"); gotQuery != "" || !strings.HasPrefix(out, "[") {
		t.Errorf("--json on a terminal ran the picker")
	}
}

// The picker's model: typing filters, arrows move, Enter chooses.
func TestPickerModel(t *testing.T) {
	ix := optindextest.Shared(t)
	p := newPicker(ix, "")
	keys := func(b string) {
		for _, k := range decodeKeys([]byte(b)) {
			p.press(k)
		}
	}
	for _, r := range "fwupd.enabl" {
		keys(string(r))
	}
	if p.query != "fwupd.enabl" || len(p.matches) == 0 || p.matches[0].Name != "services.fwupd.enable" {
		t.Fatalf("query %q matches %+v", p.query, p.matches)
	}
	if v := p.View(); !strings.Contains(v, "> services.fwupd.enable  (nixos)") || !strings.Contains(v, "type: boolean") {
		t.Errorf("view:\n%s", v)
	}
	keys("\x7f") // Backspace
	keys("e")
	keys("\x1b[B") // Down
	if len(p.matches) > 1 && p.cursor != 1 {
		t.Errorf("down: cursor %d", p.cursor)
	}
	keys("\x1bOA") // Up (application mode)
	keys("\x10")   // Ctrl-P: stays at the top
	if p.cursor != 0 {
		t.Errorf("cursor %d", p.cursor)
	}
	keys("\x1b[1;5C") // an unknown sequence (Ctrl-Right) types nothing
	if p.query != "fwupd.enabe" {
		t.Errorf("query %q after an unknown escape sequence", p.query)
	}
	keys("\r")
	if !p.done || p.chosen == nil || p.chosen.Name != "services.fwupd.enable" || p.View() != "" {
		t.Errorf("enter: chosen %+v", p.chosen)
	}
	// Esc leaves without a choice.
	q := newPicker(ix, "zzzzzz-nothing")
	if !strings.Contains(q.View(), "(no option matches)") {
		t.Errorf("empty view:\n%s", q.View())
	}
	q.press(key{kind: keyEnter})
	if q.chosen != nil {
		t.Error("Enter without matches chose something")
	}
	// The real program, driven by input bytes, prints the chosen option.
	var out bytes.Buffer
	if err := RunPicker(ix, "services.fwupd.enable", strings.NewReader("\r"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "services.fwupd.enable") || !strings.Contains(out.String(), "type: boolean") {
		t.Errorf("RunPicker printed:\n%s", out.String())
	}
}
