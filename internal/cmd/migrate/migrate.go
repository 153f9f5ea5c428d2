// Package migrate implements `axios migrate`: it converts hosts of the
// original axiOS (a mkSystem attribute set, or the hosts/<name>.nix +
// user.nix layout the original init wrote) into hosts/<name>.toml and
// hosts/<name>/*.nix, with a report of every key. The conversion itself is
// internal/migrate; this package reads, evaluates, checks and writes.
package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	core "github.com/axios-nix/axios/internal/migrate"
	"github.com/axios-nix/axios/internal/ui"
)

// Evaluator reads an original file as eval.nix does (core.Evaluator).
type Evaluator interface {
	Eval(ctx context.Context, file, root, mode string) (map[string]any, error)
}

// Options are the command's inputs.
type Options struct {
	Path   string // a host file or a configuration directory
	Out    string // the configuration directory to write into; "" means the input's
	DryRun bool
	Force  bool
	Eval   Evaluator // nil means core.Evaluator{}
}

// FileResult is one file of a host.
type FileResult struct {
	Path   string `json:"path"`
	State  string `json:"state"` // "write", "overwrite", "unchanged", "conflict"
	CopyOf string `json:"copyOf,omitempty"`
	// Content is the file's text in a dry run.
	Content string `json:"content,omitempty"`
	data    []byte
}

// HostResult is the conversion of one host.
type HostResult struct {
	Host        string            `json:"host"`
	Source      string            `json:"source"`
	Files       []FileResult      `json:"files"`
	Items       []core.Item       `json:"items"`
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	Valid       bool              `json:"valid"`
}

// Report is what `axios migrate` did.
type Report struct {
	Out     string       `json:"out"`
	Hosts   []HostResult `json:"hosts"`
	DryRun  bool         `json:"dryRun"`
	Written bool         `json:"written"`
	// Conflicts are existing files that differ from what would be written.
	Conflicts []string `json:"conflicts,omitempty"`
	// Skipped are nixosConfigurations of a flake.nix not made by mkSystem.
	Skipped []string `json:"skipped,omitempty"`
	Valid   bool     `json:"valid"`
}

// ConflictError is the refusal to overwrite files.
type ConflictError struct{ Files []string }

func (e *ConflictError) Error() string {
	return "refusing to overwrite " + strings.Join(e.Files, ", ") + ": they exist and differ from what migrate writes (move them away, or pass --force)"
}

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{New(nil)} }

// New returns `axios migrate`; eval nil means nix-instantiate.
func New(eval Evaluator) *cobra.Command {
	var opts Options
	var asJSON bool
	cmd := &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
		Use:           "migrate FILE|DIR",
		Short:         "Convert a host of the original axiOS into hosts/<name>.toml",
		Long: `Convert a host written for the original axiOS into this project's format.

FILE is a .nix file holding the attribute set the original's
axios.lib.mkSystem took (or a function returning it, or the
{ hostConfig = …; } the original init wrote), or a flake.nix whose
nixosConfigurations call axios.lib.mkSystem (as the original's examples
do). DIR is a configuration the original init wrote: every hosts/<name>.nix
in it, with its user.nix; without hosts/<name>.nix, its flake.nix. Files
are evaluated with nix-instantiate (restricted to their configuration
directory; nothing is fetched).

Writes hosts/<name>.toml and, for what TOML cannot hold, hosts/<name>/*.nix:
migrated.nix (extraConfig that is not plain data, values that need pkgs,
and, commented out, what was not converted), hardware.nix, user.nix,
disks.nix. Prints every key it moved, renamed or could not convert, and
checks the result as ` + "`axios check`" + ` does. Known passwords in the input are
reported, never copied into the host file.

Existing files are never overwritten unless they are identical or --force
is given. Exit status: 0 converted and valid, 1 converted with errors
(fix them, then axios check) or refused to overwrite, 2 unreadable input.`,
		Example: `  axios migrate ~/.config/nixos_config                 # what the original init wrote, in place
  axios migrate hosts/tower.nix --dry-run               # show the files, write nothing
  axios migrate old/flake-host.nix --out ~/src/machines --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			opts.Eval = eval
			// Ctrl-C, a hang-up or SIGTERM stops the evaluation (its
			// process group is killed) and the writing between files.
			ctx, stop := activate.Interruptible(cmd.Context())
			defer stop()
			rep, err := Run(ctx, opts)
			if err != nil && ctx.Err() != nil {
				return exitcode.New(exitcode.Failed, fmt.Errorf("interrupted: %w (every file written is complete; run axios migrate again to finish)", err))
			}
			if err != nil && rep == nil {
				return exitcode.New(exitcode.Usage, err)
			}
			w := cmd.OutOrStdout()
			if asJSON {
				if jerr := ui.WriteJSON(w, rep); jerr != nil {
					return exitcode.New(exitcode.Usage, jerr)
				}
			} else {
				Write(w, rep)
			}
			if err != nil {
				if asJSON {
					return exitcode.New(exitcode.Failed, nil)
				}
				return exitcode.New(exitcode.Failed, err)
			}
			if !rep.Valid {
				return exitcode.New(exitcode.Failed, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "the configuration directory to write into (default: the one the input is in)")
	_ = cmd.MarkFlagDirname("out")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the files that would be written, write nothing")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing files that differ")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// Run converts the hosts of opts.Path. A report with an error means the
// hosts were converted but not written (a *ConflictError); an error without
// a report means the input could not be read or converted.
func Run(ctx context.Context, opts Options) (*Report, error) {
	ev := opts.Eval
	if ev == nil {
		ev = core.Evaluator{}
	}
	files, root, mode, err := inputs(opts.Path)
	if err != nil {
		return nil, err
	}
	out := opts.Out
	if out == "" {
		out = root
	}
	if out, err = filepath.Abs(out); err != nil {
		return nil, err
	}
	rep := &Report{Out: out, DryRun: opts.DryRun, Valid: true, Hosts: []HostResult{}}
	seen := map[string]string{}
	var hosts []hostInput
	for _, f := range files {
		hs, err := load(ctx, ev, f, root, mode)
		if err != nil {
			return nil, err
		}
		hosts = append(hosts, hs...)
	}
	for _, in := range hosts {
		if in.skip {
			rep.Skipped = append(rep.Skipped, in.shown)
			continue
		}
		hr, err := convertOne(ctx, ev, in, root, out)
		if err != nil {
			return nil, err
		}
		for _, fr := range hr.Files {
			if prev, dup := seen[fr.Path]; dup {
				return nil, fmt.Errorf("%s and %s both become %s (two hosts with one hostname?)", prev, hr.Source, fr.Path)
			}
			seen[fr.Path] = hr.Source
		}
		rep.Valid = rep.Valid && hr.Valid
		rep.Hosts = append(rep.Hosts, hr)
	}
	for hi := range rep.Hosts {
		for fi := range rep.Hosts[hi].Files {
			fr := &rep.Hosts[hi].Files[fi]
			state, err := plan(filepath.Join(out, fr.Path), fr.data, opts.Force)
			if err != nil {
				return nil, err
			}
			fr.State = state
			if state == "conflict" {
				rep.Conflicts = append(rep.Conflicts, fr.Path)
			}
			if opts.DryRun {
				fr.Content = string(fr.data)
			}
		}
	}
	if len(rep.Conflicts) > 0 {
		return rep, &ConflictError{Files: rep.Conflicts}
	}
	if opts.DryRun {
		return rep, nil
	}
	if err := write(ctx, out, rep); err != nil {
		return nil, err
	}
	rep.Written = true
	return rep, nil
}

// inputs finds the files to read in path, the configuration directory they
// belong to and how to read them: a flake.nix in flake mode, any other file
// as a host; a folder's hosts/<name>.nix (the original init's layout), else
// its flake.nix.
func inputs(p string) (files []string, root, mode string, err error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, "", "", err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, "", "", fmt.Errorf("reading %s: %w", p, err)
	}
	if !info.IsDir() {
		if filepath.Base(abs) == "flake.nix" {
			return []string{abs}, filepath.Dir(abs), core.ModeFlake, nil
		}
		return []string{abs}, core.Root(abs), core.ModeHost, nil
	}
	entries, err := os.ReadDir(filepath.Join(abs, "hosts"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, "", "", fmt.Errorf("reading %s: %w", filepath.Join(p, "hosts"), err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".nix") && e.Type().IsRegular() {
			files = append(files, filepath.Join(abs, "hosts", e.Name()))
		}
	}
	if len(files) > 0 {
		sort.Strings(files)
		return files, abs, core.ModeHost, nil
	}
	if _, err := os.Stat(filepath.Join(abs, "flake.nix")); err == nil {
		return []string{filepath.Join(abs, "flake.nix")}, abs, core.ModeFlake, nil
	}
	return nil, "", "", fmt.Errorf("%s has neither hosts/<name>.nix (what the original axiOS init wrote) nor flake.nix; give the .nix file that holds the host's mkSystem attribute set instead", p)
}

// hostInput is one original host, read and evaluated.
type hostInput struct {
	shown string // how the report names it
	path  string // the file it is in
	text  []byte
	value map[string]any
	skip  bool // a nixosConfigurations entry not made by mkSystem
}

// load reads and evaluates one file: one host, or every mkSystem host of a
// flake.nix.
func load(ctx context.Context, ev Evaluator, file, root, mode string) ([]hostInput, error) {
	shown := relTo(root, file)
	text, err := readLimited(file, "host")
	if err != nil {
		return nil, err
	}
	value, err := ev.Eval(ctx, file, root, mode)
	if err != nil {
		return nil, err
	}
	if mode != core.ModeFlake {
		return []hostInput{{shown: shown, path: file, text: text, value: value}}, nil
	}
	var out []hostInput
	for _, n := range sortedNames(value) {
		h, _ := value[n].(map[string]any)
		in := hostInput{shown: shown + " (nixosConfigurations." + n + ")", path: file, text: text, value: h}
		if k, _ := h[core.Marker].(string); k == "notMkSystem" {
			in.skip = true
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no nixosConfigurations made by axios.lib.mkSystem; give the file that holds the host's attribute set instead", shown)
	}
	return out, nil
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readLimited reads a regular file of at most core.MaxInput bytes.
func readLimited(path, what string) ([]byte, error) {
	f, err := hostfile.OpenRegular(path)
	if err != nil {
		var nr *hostfile.NotRegularError
		if errors.As(err, &nr) {
			return nil, fmt.Errorf("%s %s", what, nr.Reason())
		}
		return nil, fmt.Errorf("reading %s %s: %w", what, path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, core.MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", what, path, err)
	}
	if len(data) > core.MaxInput {
		return nil, fmt.Errorf("%s %s is larger than %d KiB; an axiOS host or module is a short file", what, path, core.MaxInput>>10)
	}
	return data, nil
}

func convertOne(ctx context.Context, ev Evaluator, in hostInput, root, out string) (HostResult, error) {
	src := core.Source{File: in.shown, Path: in.path, Text: in.text, Value: in.value, ConfigDir: out, InputDir: root, Texts: map[string][]byte{}}
	for _, f := range core.SourceFiles(in.value, in.path) {
		if rel := relTo(root, f); rel == f {
			continue // outside the configuration: not read
		}
		if text, err := readLimited(f, "source"); err == nil {
			src.Texts[f] = text
		}
	}
	if up, ok := core.UserModulePath(in.value, in.path); ok {
		src.UserModule, src.UserModuleMissing = userModule(ctx, ev, up, root)
	}
	res, err := core.Convert(src)
	if err != nil {
		return HostResult{}, err
	}
	hr := HostResult{Host: res.Name, Source: res.Source, Items: append([]core.Item{}, res.Items...), Diagnostics: []diag.Diagnostic{}}
	for _, f := range res.Files {
		data := f.Data
		if f.CopyOf != "" {
			data, err = readLimited(f.CopyOf, "module")
			if err != nil {
				hr.Items = append(hr.Items, core.Item{Action: core.Unconverted, From: relTo(root, f.CopyOf), Note: "not copied to " + f.Path + ": " + err.Error()})
				continue
			}
		}
		hr.Files = append(hr.Files, FileResult{Path: f.Path, CopyOf: f.CopyOf, data: data})
	}
	hr.Items = append(hr.Items, strayModules(out, res, hr.Files)...)
	// The check `axios check hosts/<name>.toml` runs.
	hostFile := filepath.Join(out, res.HostFile())
	check := checkdir.CheckBytes(hr.Files[0].data, hostFile, hostrules.Options{})
	for _, d := range check.Diagnostics {
		d.File = relTo(out, hostFile)
		hr.Diagnostics = append(hr.Diagnostics, d)
	}
	hr.Valid = check.Valid
	return hr, nil
}

// userModule evaluates the user module a host names; a module that cannot
// be evaluated is still copied (Value nil).
func userModule(ctx context.Context, ev Evaluator, path, root string) (*core.Module, string) {
	text, err := readLimited(path, "user module")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, relTo(root, path) + " does not exist"
		}
		return nil, err.Error()
	}
	v, err := ev.Eval(ctx, path, core.Root(path), core.ModeModule)
	if err != nil {
		return &core.Module{Path: path, Text: text}, ""
	}
	return &core.Module{Path: path, Text: text, Value: v}, ""
}

// plan says what writing data to path does.
func plan(path string, data []byte, force bool) (string, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "write", nil
	}
	if err != nil {
		if force {
			return "overwrite", nil
		}
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if bytes.Equal(old, data) {
		return "unchanged", nil
	}
	if force {
		return "overwrite", nil
	}
	return "conflict", nil
}

// write writes the planned files atomically, holding the configuration
// directory's lock so two copies do not interleave.
func write(ctx context.Context, out string, rep *Report) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", out, err)
	}
	unlock, err := fsutil.LockDir(out)
	if err != nil {
		return fmt.Errorf("%w (another axios command is changing this configuration; try again when it ends)", err)
	}
	defer unlock()
	var written []string
	for _, h := range rep.Hosts {
		for _, f := range h.Files {
			if f.State == "unchanged" {
				continue
			}
			if err := ctx.Err(); err != nil {
				msg := "nothing written"
				if len(written) > 0 {
					msg = "written: " + strings.Join(written, ", ")
				}
				return fmt.Errorf("stopped before writing %s (%s): %w", f.Path, msg, err)
			}
			target := filepath.Join(out, f.Path)
			// Checked again under the lock: another copy may have written it.
			if f.State == "write" {
				if exists, err := fsutil.Exists(target); err != nil {
					return err
				} else if exists {
					return &ConflictError{Files: []string{f.Path}}
				}
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return fmt.Errorf("creating %s: %w", filepath.Dir(target), err)
			}
			if err := fsutil.WriteFileAtomic(target, f.data, 0o644); err != nil {
				if len(written) > 0 {
					return fmt.Errorf("%w (written before: %s)", err, strings.Join(written, ", "))
				}
				return err
			}
			written = append(written, f.Path)
		}
	}
	return nil
}

func relTo(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return filepath.ToSlash(rel)
	}
	return p
}

// Write prints the report for people.
func Write(w io.Writer, rep *Report) {
	p := ui.NewPainter(w)
	for _, h := range rep.Hosts {
		fmt.Fprintf(w, "%s → %s\n", h.Source, p.Paint(ui.Bold, "hosts/"+h.Host+".toml"))
		for _, it := range h.Items {
			style := ui.Plain
			switch it.Action {
			case core.Unconverted:
				style = ui.Yellow
			case core.Password:
				style = ui.Red
			}
			line := fmt.Sprintf("  %-11s %s", it.Action, it.From)
			if it.To != "" && it.To != it.From {
				line += " → " + it.To
			}
			fmt.Fprint(w, p.Paint(style, line))
			if it.Note != "" {
				fmt.Fprint(w, p.Paint(ui.Dim, " ("+it.Note+")"))
			}
			fmt.Fprintln(w)
		}
		for _, f := range h.Files {
			fmt.Fprintf(w, "  %-11s %s\n", f.State, f.Path)
		}
		for _, d := range h.Diagnostics {
			fmt.Fprintln(w, "  "+diagLine(p, d))
		}
		if h.Valid {
			fmt.Fprintln(w, p.Paint(ui.Green, "  ✓ hosts/"+h.Host+".toml passes axios check"))
		} else {
			fmt.Fprintln(w, p.Paint(ui.Red, "  ✗ hosts/"+h.Host+".toml has errors: fix them, then run axios check"))
		}
	}
	for _, s := range rep.Skipped {
		fmt.Fprintln(w, p.Paint(ui.Yellow, s+": not made by axios.lib.mkSystem, left alone"))
	}
	if rep.DryRun {
		for _, h := range rep.Hosts {
			for _, f := range h.Files {
				if f.State == "unchanged" || f.State == "conflict" {
					continue
				}
				fmt.Fprintf(w, "\n--- %s\n%s", f.Path, f.Content)
				if !strings.HasSuffix(f.Content, "\n") {
					fmt.Fprintln(w)
				}
			}
		}
		fmt.Fprintln(w, p.Paint(ui.Dim, "dry run: nothing written"))
		return
	}
	if rep.Written {
		fmt.Fprintln(w, "next: build the hosts with `nixosConfigurations = axios.lib.mkHosts ./hosts;` in flake.nix (docs/migrate.md), then remove the old host files")
	}
}

func diagLine(p ui.Painter, d diag.Diagnostic) string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
		}
		b.WriteString(": ")
	}
	style := ui.Red
	if d.Severity == diag.SeverityWarning {
		style = ui.Yellow
	}
	b.WriteString(p.Paint(style, d.Code))
	if d.Field != "" {
		b.WriteString(" " + d.Field)
	}
	b.WriteString(": ")
	if d.Severity == diag.SeverityWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	if d.Fix != "" {
		b.WriteString(p.Paint(ui.Dim, " (fix: "+d.Fix+")"))
	}
	return b.String()
}

// strayModules reports the .nix files already in hosts/<name>/ that migrate
// does not write: mkHosts imports every one of them, where the original
// imported only the files its host named.
func strayModules(out string, res *core.Result, files []FileResult) []core.Item {
	dir := filepath.Join(out, "hosts", res.Name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	ours := map[string]bool{}
	for _, f := range files {
		ours[f.Path] = true
	}
	var items []core.Item
	for _, e := range entries {
		rel := "hosts/" + res.Name + "/" + e.Name()
		if !strings.HasSuffix(e.Name(), ".nix") || e.IsDir() || ours[rel] {
			continue
		}
		items = append(items, core.Item{Action: core.Notice, From: rel,
			Note: "every .nix file in hosts/" + res.Name + "/ is imported as a module now; the original imported only the files its host named: delete or move it unless it belongs to this host"})
	}
	return items
}
