package cli

import (
	"bytes"
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/climain"
)

// TestGroupNames: the names NewRootFor dispatches on are exactly the names
// and aliases of the commands each group builds, and no name is in two
// groups.
func TestGroupNames(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range groups() {
		var got []string
		for _, c := range g.build() {
			got = append(got, c.Name())
			got = append(got, c.Aliases...)
		}
		if !slices.Equal(got, g.names) {
			t.Errorf("group %v builds commands named %v", g.names, got)
		}
		for _, n := range g.names {
			if seen[n] {
				t.Errorf("%q is in two groups", n)
			}
			seen[n] = true
		}
	}
	if len(NewRoot("dev").Commands()) != len(seen) {
		t.Errorf("the root has %d commands, the groups name %d", len(NewRoot("dev").Commands()), len(seen))
	}
}

// run executes args on root as axios does and returns the exit status and
// what it printed.
func run(root *cobra.Command, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	code := climain.Run(root, args, &errOut)
	return code, out.String(), errOut.String()
}

// TestNewRootForAnswersAsTheWholeTree: for every command and subcommand,
// its help and a usage error (an unknown flag, a misspelt subcommand) read
// the same and exit the same whether the whole tree is built or only the
// command's group; what does not start with a command's name (help, a
// misspelt command, no command) gets the whole tree.
func TestNewRootForAnswersAsTheWholeTree(t *testing.T) {
	var paths [][]string
	var walk func(prefix []string, c *cobra.Command)
	walk = func(prefix []string, c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			p := append(slices.Clone(prefix), sub.Name())
			paths = append(paths, p)
			walk(p, sub)
		}
	}
	walk(nil, NewRoot("dev"))
	if len(paths) < 20 {
		t.Fatalf("only %d commands found: %v", len(paths), paths)
	}
	var cases [][]string
	for _, p := range paths {
		cases = append(cases, append(slices.Clone(p), "--help"), append(slices.Clone(p), "--no-such-flag"))
	}
	cases = append(cases, []string{"host", "ad"}, []string{"chek"}, []string{"help", "check"}, []string{"--version"}, []string{})
	for _, args := range cases {
		wc, wo, we := run(NewRoot("dev"), args...)
		gc, gotOut, ge := run(NewRootFor("dev", args), args...)
		if gc != wc || gotOut != wo || ge != we {
			t.Errorf("axios %v: lazily built tree gives status %d\n%s%s\nwhole tree: status %d\n%s%s", args, gc, gotOut, ge, wc, wo, we)
		}
	}
	if got := NewRootFor("dev", []string{"check", "x.toml"}).Commands(); len(got) != 1 || got[0].Name() != "check" {
		t.Errorf("axios check built %d commands", len(got))
	}
}
