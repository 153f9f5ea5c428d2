package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

type devshellsResult struct {
	Names   []string `json:"names"`
	Default struct {
		Type     string `json:"_type"`
		Priority int    `json:"priority"`
		SameAsGo bool   `json:"sameAsGo"`
	} `json:"default"`
	Shells map[string]struct {
		Name      string   `json:"name"`
		BuiltWith string   `json:"builtWith"`
		Packages  []string `json:"packages"`
		Commands  []struct {
			Name, Help, Category, Command string
		} `json:"commands"`
		Env []struct {
			Name, Value string
		} `json:"env"`
	} `json:"shells"`
}

// Standard tools a devshell command must not shadow: commands are
// executables on PATH inside the shell, so a command named `test` or
// `install` would break scripts run there.
var shadowed = strings.Fields(`
	[ arch b2sum base32 base64 basename cat chgrp chmod chown cksum comm cp
	csplit cut date dd df dir dircolors dirname du echo env expand expr factor
	false fmt fold groups head hostid id install join link ln logname ls
	md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste
	pathchk pinky pr printenv printf ptx pwd readlink realpath rm rmdir runcon
	seq sha1sum sha256sum sha512sum shred shuf sleep sort split stat stdbuf
	stty sum sync tac tail tee test timeout touch tr true truncate tsort tty
	uname unexpand uniq unlink users vdir wc who whoami yes
	alias bg bind break builtin caller cd command compgen complete continue
	declare dirs disown enable eval exec exit export fc fg getopts hash help
	history jobs kill let local logout popd pushd read readonly return set
	shift shopt source suspend time times trap type typeset ulimit umask
	unalias unset wait
	awk bash find git grep make nix ps sed sh watch cargo go zig cmake ninja
	just menu`)

func TestDevShells(t *testing.T) {
	t.Parallel()
	bash := testutil.RequireTool(t, "bash")
	var got devshellsResult
	testutil.NixEval(t, testutil.RepoRoot(t), "import ./tests/nix/devshells-harness.nix", &got)

	if want := []string{"default", "go", "qml", "rust", "zig"}; !reflect.DeepEqual(got.Names, want) {
		t.Fatalf("devShells = %v, want %v", got.Names, want)
	}
	if !got.Default.SameAsGo || got.Default.Type != "override" || got.Default.Priority != 1000 {
		t.Errorf("default must be the go shell at mkDefault priority (flake.nix may override it): %+v", got.Default)
	}

	for name, shell := range got.Shells {
		t.Run(name, func(t *testing.T) {
			if shell.BuiltWith != "pkgs" {
				t.Errorf("built with %q, want the flake's own per-system pkgs", shell.BuiltWith)
			}
			if len(shell.Packages) == 0 {
				t.Error("no packages")
			}
			seen := map[string]bool{}
			hasInfo := false
			for _, c := range shell.Commands {
				if seen[c.Name] {
					t.Errorf("command %q defined twice", c.Name)
				}
				seen[c.Name] = true
				for _, s := range shadowed {
					if c.Name == s {
						t.Errorf("command %q shadows a standard tool", c.Name)
					}
				}
				if c.Help == "" || c.Category == "" || strings.TrimSpace(c.Command) == "" {
					t.Errorf("command %q lacks help, category or body: %+v", c.Name, c)
				}
				if c.Name == name+"-info" {
					hasInfo = true
				}
				// Every body is valid bash.
				f := filepath.Join(t.TempDir(), c.Name+".sh")
				if err := os.WriteFile(f, []byte(c.Command), 0o600); err != nil {
					t.Fatal(err)
				}
				if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
					t.Errorf("command %q is not valid bash: %s", c.Name, out)
				}
			}
			if !hasInfo {
				t.Errorf("no %s-info command", name)
			}
			if len(shell.Commands) < 3 {
				t.Errorf("only %d commands; each shell has a short menu", len(shell.Commands))
			}
		})
	}

	rust := got.Shells["rust"]
	if !slices.Contains(rust.Packages, "fenix-stable-toolchain") {
		t.Errorf("rust shell packages %v lack fenix's stable toolchain", rust.Packages)
	}
	for _, p := range rust.Packages {
		if strings.Contains(p, "rust-analyzer") || p == "rustc" || p == "cargo" {
			t.Errorf("rust shell adds %s beside the fenix toolchain, which already has it", p)
		}
	}
	zig := got.Shells["zig"]
	if !slices.Contains(zig.Packages, "zig-overlay-latest") {
		t.Errorf("zig shell packages %v: want zig from zig-overlay, not nixpkgs", zig.Packages)
	}
	if !slices.Contains(got.Shells["go"].Packages, "go") || !slices.Contains(got.Shells["go"].Packages, "nixfmt") {
		t.Errorf("go shell packages %v: want go and nixfmt", got.Shells["go"].Packages)
	}
	qmlEnv := map[string]string{}
	for _, e := range got.Shells["qml"].Env {
		qmlEnv[e.Name] = e.Value
	}
	if qmlEnv["QT_QPA_PLATFORM"] != "wayland" || qmlEnv["QML_IMPORT_TRACE"] != "1" {
		t.Errorf("qml env = %v", qmlEnv)
	}
}
