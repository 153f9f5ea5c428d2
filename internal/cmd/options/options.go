// Package options implements `axios options`: search the NixOS,
// home-manager and axiOS options of this configuration's own inputs
// (the option index), and build that index with --update.
package options

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/complete"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// Deps are what the command needs from the outside world; tests replace them.
type Deps struct {
	Runner   runner.Runner       // runs nix; nil means runner.Exec{}
	Resolver configdir.Resolver  // finds the configuration directory
	Getenv   func(string) string // finds the cache folder; nil means os.Getenv
	// IsTerminal reports whether w is a terminal (the picker runs only
	// then); nil means a check of the file descriptor.
	IsTerminal func(w io.Writer) bool
	// Pick runs the interactive picker; nil means RunPicker.
	Pick func(ix *optindex.Index, query string, in io.Reader, out io.Writer) error
}

// Opts are the command's flags.
type Opts struct {
	Dir       string
	Host      string
	Index     string
	Update    bool
	JSON      bool
	Limit     int
	NoPicker  bool
	Query     string
	Interacts bool // stdin and stdout are a terminal
}

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{New(Deps{})} }

// New returns the `axios options` command.
func New(deps Deps) *cobra.Command {
	var o Opts
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "options [QUERY]",
		Short:         "Search the NixOS, home-manager and axiOS options of this configuration",
		Long: `Search the options this configuration's own inputs declare — NixOS,
home-manager (home-manager.users.<name>.…) and axiOS — offline: name, type,
default, description and the file that declares each. The exact name comes
first, then names ending in QUERY, containing it, containing its dotted parts
in order, and names spelt closely. On a terminal without --json an
interactive picker opens (type to filter, arrows to move, Enter shows one).

The index is built once with --update: one ` + "`nix eval`" + ` of a host's
options (--host, else the first hosts/<name>.toml), cached per nixpkgs
revision in $XDG_CACHE_HOME/axios (else ~/.cache/axios). ` + "`axios check`" + ` uses the
same index to check the option paths of extraConfig (AX501).`,
		Example: `  axios options --update           # build the index (needs Nix)
  axios options fwupd               # search
  axios options services.fwupd.enable --json
  axios options --index ./index.json git.signing`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Query = args[0]
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return Run(ctx, deps, o, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Update, "update", false, "build the option index of this configuration with `nix eval` and cache it")
	f.StringVar(&o.Dir, "dir", "", "the configuration directory (default: $AXIOS_FLAKE, the current directory, ~/.config/nixos_config)")
	f.StringVar(&o.Host, "host", "", "the host whose options --update lists (default: the first hosts/<name>.toml)")
	f.StringVar(&o.Index, "index", "", "search this index file instead of the cached one")
	f.BoolVar(&o.JSON, "json", false, "print the matches as JSON")
	f.IntVar(&o.Limit, "limit", 20, "show at most this many matches (0: all)")
	f.BoolVar(&o.NoPicker, "no-picker", false, "print the matches even on a terminal")
	_ = cmd.RegisterFlagCompletionFunc("host", complete.HostFlag(deps.Resolver, &o.Dir))
	return cmd
}

// Run is the command without cobra.
func Run(ctx context.Context, deps Deps, o Opts, in io.Reader, out, errOut io.Writer) error {
	getenv := deps.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if o.Limit < 0 {
		return exitcode.New(exitcode.Usage, errors.New("--limit must be 0 (all) or more"))
	}
	if o.Update {
		if o.Index != "" {
			return exitcode.New(exitcode.Usage, errors.New("--update writes the cached index; --index reads another file: give one of them"))
		}
		return update(ctx, deps, o, getenv, out)
	}
	ix, note, err := load(deps, o, getenv)
	if err != nil {
		return err
	}
	if note != "" && !o.JSON {
		fmt.Fprintln(errOut, "axios options: note: "+note)
	}
	isTerm := deps.IsTerminal
	if isTerm == nil {
		isTerm = terminal
	}
	if !o.JSON && !o.NoPicker && isTerm(out) {
		pick := deps.Pick
		if pick == nil {
			pick = RunPicker
		}
		if err := pick(ix, o.Query, in, out); err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
		return nil
	}
	matches := ix.Search(o.Query, o.Limit)
	if o.JSON {
		if matches == nil {
			matches = []optindex.Match{}
		}
		if err := ui.WriteJSON(out, matches); err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
	} else {
		Write(out, matches)
	}
	if len(matches) == 0 {
		if !o.JSON {
			fmt.Fprintf(out, "no option matches %q\n", o.Query)
		}
		return &exitcode.Error{Code: exitcode.Failed}
	}
	return nil
}

func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// load finds the index to search: --index, else the cached one of the
// configuration.
func load(deps Deps, o Opts, getenv func(string) string) (*optindex.Index, string, error) {
	if o.Index != "" {
		ix, err := optindex.Load(o.Index)
		if err != nil {
			return nil, "", exitcode.New(exitcode.Usage, fmt.Errorf("--index: %w", err))
		}
		return ix, "", nil
	}
	dir := ""
	if d, err := deps.Resolver.Resolve(o.Dir); err == nil {
		dir = d.Path
	} else if o.Dir != "" {
		return nil, "", exitcode.New(exitcode.Usage, err)
	}
	ix, note, err := optindex.ForConfig(dir, getenv)
	if err != nil {
		return nil, "", exitcode.New(exitcode.Usage, err)
	}
	if ix == nil {
		return nil, "", exitcode.New(exitcode.Usage, errors.New("there is no option index yet: build it with `axios options --update` (needs Nix and the configuration's flake)"))
	}
	return ix, note, nil
}

func update(ctx context.Context, deps Deps, o Opts, getenv func(string) string, out io.Writer) error {
	d, err := deps.Resolver.Resolve(o.Dir)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	host := o.Host
	if host == "" {
		names, err := activate.TOMLHosts(d.Path)
		if err != nil || len(names) == 0 {
			return exitcode.New(exitcode.Usage, fmt.Errorf("%s has no hosts/<name>.toml: name the host whose options to list with --host", d.Path))
		}
		host = names[0]
	}
	cache, err := optindex.CacheDir(getenv)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	r := deps.Runner
	if r == nil {
		r = runner.Exec{}
	}
	ix, err := optindex.Build(ctx, r, d.Path, host, axiosPaths())
	if err != nil {
		return exitcode.New(exitcode.Failed, err)
	}
	path := optindex.CacheFile(cache, ix.NixpkgsRev)
	if err := ix.Save(path); err != nil {
		return exitcode.New(exitcode.Failed, err)
	}
	counts := map[string]int{}
	for _, opt := range ix.Options {
		counts[opt.Source]++
	}
	fmt.Fprintf(out, "%d options of %s (nixos %d, home-manager %d, axios %d, other inputs %d) written to %s\n",
		ix.Len(), host, counts[optindex.SourceNixOS], counts[optindex.SourceHomeManager], counts[optindex.SourceAxios], counts[optindex.SourceOther], path)
	return nil
}

// axiosPaths are the folders and files of the catalog's modules.
func axiosPaths() []string {
	c := catalog.Default()
	var out []string
	for _, e := range c.NixOS {
		out = append(out, e.Path)
	}
	for _, e := range c.Home {
		out = append(out, e.Path)
	}
	return out
}

// Write prints matches for people.
func Write(w io.Writer, ms []optindex.Match) {
	p := ui.NewPainter(w)
	for i, m := range ms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprint(w, Describe(p, m.Option))
	}
}

// Describe renders one option: name and source, type, default,
// description, declaring files.
func Describe(p ui.Painter, o optindex.Option) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n", p.Paint(ui.Bold, o.Name), p.Paint(ui.Dim, "("+o.Source+")"))
	if o.Type != "" {
		fmt.Fprintf(&b, "  type: %s\n", o.Type)
	}
	if o.Default != "" {
		fmt.Fprintf(&b, "  default: %s\n", oneLine(o.Default, 200))
	}
	if d := strings.TrimSpace(o.Description); d != "" {
		for _, l := range strings.Split(d, "\n") {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	for _, d := range o.Declarations {
		fmt.Fprintf(&b, "  %s\n", p.Paint(ui.Dim, "declared in "+optindex.ShortDeclaration(d)))
	}
	return b.String()
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
