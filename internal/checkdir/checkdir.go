// Package checkdir is `axios check` on paths: host files (parsed by
// internal/hostfile, validated by internal/hostrules), folders of host files
// and configuration directories (flake.nix, hosts/, each host's
// hardware.nix, files git does not track), each problem a diagnostic.
package checkdir

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/runner"
)

// Codes of the problems `axios check` finds outside the host table. They are
// not part of lib/rules.toml because only the Go command looks at files.
const (
	CodeSyntax     = "AX001" // the host file is not valid TOML
	CodeNoHostsDir = "AX401" // the configuration has no hosts/ folder
	CodeNoFlake    = "AX402" // the configuration has no flake.nix
	CodeNoHardware = "AX403" // hosts/<name>/hardware.nix is missing
	CodeUntracked  = "AX404" // a file the flake needs is not tracked by git
	CodeNoHosts    = "AX405" // hosts/ holds no <name>.toml (a warning)
	// CodePlaceholderHardware: hosts/<name>/hardware.nix is the placeholder
	// `axios init` writes when it finds no hardware configuration (a
	// warning: the files are right, the machine's description is missing).
	CodePlaceholderHardware = "AX406"
)

// PlaceholderMarker is the first line of the placeholder hardware.nix that
// `axios init` writes (internal/generate); `axios check` looks for it.
const PlaceholderMarker = "# PLACEHOLDER: this is not a hardware configuration."

// isPlaceholder reports whether the hardware file at path starts with
// PlaceholderMarker. An unreadable file is not reported here (the build
// will say why); a file that is not regular is never opened.
func isPlaceholder(path string) bool {
	f, err := hostfile.OpenRegular(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(PlaceholderMarker))
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return string(head) == PlaceholderMarker
}

// HostReport is the result of checking one host file.
type HostReport struct {
	File        string            `json:"file"`
	Name        string            `json:"name"`
	Valid       bool              `json:"valid"`
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	// SetsOptions: the host sets option paths that an option index could
	// check (extraConfig or a settings table).
	SetsOptions bool `json:"-"`
}

// Report is the result of checking files and configuration directories.
type Report struct {
	Hosts []HostReport `json:"hosts"`
	// Diagnostics holds every problem: those of the hosts and those of the
	// directories, in the order found.
	Diagnostics []diag.Diagnostic `json:"diagnostics"`
	Valid       bool              `json:"valid"`
	// Notes are remarks that are not problems (e.g. that no option index
	// exists yet to check extraConfig against).
	Notes []string `json:"notes,omitempty"`
}

func (r *Report) add(ds ...diag.Diagnostic) {
	r.Diagnostics = append(r.Diagnostics, ds...)
}

func (r *Report) finish() {
	if r.Hosts == nil {
		r.Hosts = []HostReport{}
	}
	if r.Diagnostics == nil {
		r.Diagnostics = []diag.Diagnostic{}
	}
	r.Valid = !diag.HasErrors(r.Diagnostics)
}

// CheckBytes parses and validates the text of one host; filename names it
// in diagnostics and gives the host its name (see Parse). A TOML syntax
// error becomes an AX001 diagnostic.
func CheckBytes(data []byte, filename string, opts hostrules.Options) HostReport {
	rep := HostReport{File: filename, Diagnostics: []diag.Diagnostic{}}
	h, err := hostfile.Parse(data, filename)
	if err != nil {
		var pe *hostfile.ParseError
		if !errors.As(err, &pe) {
			pe = &hostfile.ParseError{File: filename, Msg: err.Error()}
		}
		rep.Diagnostics = append(rep.Diagnostics, syntaxDiag(pe, filename))
		return rep
	}
	return validated(rep, h, opts)
}

// validated adds the diagnostics of the parsed host h to rep: the rules,
// and with an option index the option paths it sets.
func validated(rep HostReport, h *hostfile.Host, opts hostrules.Options) HostReport {
	rep.Name = h.Name
	rep.Diagnostics = append(rep.Diagnostics, hostrules.Validate(h, opts)...)
	rep.SetsOptions = hostrules.SetsOptions(h, opts)
	if opts.OptionIndex != nil {
		rep.Diagnostics = append(rep.Diagnostics, hostrules.CheckOptions(h, opts.OptionIndex, opts)...)
	}
	rep.Valid = !diag.HasErrors(rep.Diagnostics)
	return rep
}

func syntaxDiag(pe *hostfile.ParseError, file string) diag.Diagnostic {
	if pe.Fix != "" {
		return diag.Diagnostic{Code: CodeSyntax, Severity: diag.SeverityError, Message: pe.Msg, Fix: pe.Fix,
			File: file, Line: pe.Line, Column: pe.Column}
	}
	return diag.Diagnostic{
		Code: CodeSyntax, Severity: diag.SeverityError, Message: pe.Msg,
		Fix:  "fix the TOML syntax at this place (https://toml.io)",
		File: file, Line: pe.Line, Column: pe.Column,
	}
}

// CheckFile parses and validates one host file. A TOML syntax error becomes
// an AX001 diagnostic; only an unreadable file is an error.
func CheckFile(path string, opts hostrules.Options) (HostReport, error) {
	rep := HostReport{File: path, Diagnostics: []diag.Diagnostic{}}
	h, err := hostfile.ParseFile(path)
	if err != nil {
		var pe *hostfile.ParseError
		if !errors.As(err, &pe) {
			return rep, err
		}
		rep.Diagnostics = append(rep.Diagnostics, syntaxDiag(pe, path))
		return rep, nil
	}
	return validated(rep, h, opts), nil
}

// checkFiles checks host files with CheckFile, several at once on a
// machine with several processors (each check is independent: the rules
// are read-only), and returns the reports in the order of files. The error
// is that of the first unreadable file in that order.
func checkFiles(files []string, opts hostrules.Options) ([]HostReport, error) {
	return checkFilesWith(files, opts, runtime.GOMAXPROCS(0))
}

// checkFilesWith is checkFiles with at most workers checks at once.
func checkFilesWith(files []string, opts hostrules.Options, workers int) ([]HostReport, error) {
	reps := make([]HostReport, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1) - 1); i < len(files); i = int(next.Add(1) - 1) {
			reps[i], errs[i] = CheckFile(files[i], opts)
		}
	}
	var wg sync.WaitGroup
	for range min(workers, len(files)) - 1 {
		wg.Go(work)
	}
	work() // this goroutine is one of the workers
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return reps, nil
}

// DirOptions configures CheckDir.
type DirOptions struct {
	hostrules.Options
	// Runner runs git; nil means runner.Exec{}.
	Runner runner.Runner
	// Stdin is read for the path "-"; StdinName names that host in
	// diagnostics ("<stdin>" when empty; a name ending in .toml also gives
	// the host its name, for AX110).
	Stdin     io.Reader
	StdinName string
}

// Check checks every path: a file is a host; a directory is a
// configuration directory (see CheckDir), or, when it has .toml files but
// neither flake.nix nor hosts/, a folder of host files each checked alone;
// "-" is a host read from opts.Stdin. Errors are I/O errors only.
func Check(ctx context.Context, paths []string, opts DirOptions) (*Report, error) {
	rep := &Report{}
	for _, p := range paths {
		if p == "-" {
			hr, err := checkStdin(opts)
			if err != nil {
				return nil, err
			}
			rep.Hosts = append(rep.Hosts, hr)
			rep.add(hr.Diagnostics...)
			continue
		}
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("checking %s: %w (give a host file such as hosts/<name>.toml, a configuration directory, or - for standard input)", p, fs.ErrNotExist)
		}
		if err != nil {
			return nil, fmt.Errorf("checking %s: %w", p, err)
		}
		if info.IsDir() {
			if files := hostFilesOnly(p); files != nil {
				hrs, err := checkFiles(files, opts.Options)
				if err != nil {
					return nil, err
				}
				for _, hr := range hrs {
					rep.Hosts = append(rep.Hosts, hr)
					rep.add(hr.Diagnostics...)
				}
				continue
			}
			if err := checkDir(ctx, p, opts, rep); err != nil {
				return nil, err
			}
			continue
		}
		hr, err := CheckFile(p, opts.Options)
		if err != nil {
			return nil, err
		}
		rep.Hosts = append(rep.Hosts, hr)
		rep.add(hr.Diagnostics...)
	}
	rep.finish()
	return rep, nil
}

// hostFilesOnly returns the *.toml files of dir when dir is a folder of
// host files rather than a configuration (it has .toml files but neither
// flake.nix nor hosts/, e.g. the hosts folder itself); nil otherwise.
func hostFilesOnly(dir string) []string {
	for _, marker := range []string{"flake.nix", "hosts"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return nil
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".toml") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files
}

func checkStdin(opts DirOptions) (HostReport, error) {
	name := opts.StdinName
	if name == "" {
		name = "<stdin>"
	}
	if opts.Stdin == nil {
		return HostReport{}, errors.New("checking -: no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(opts.Stdin, hostfile.MaxFileSize+1))
	if err != nil {
		return HostReport{}, fmt.Errorf("reading standard input: %w", err)
	}
	return CheckBytes(data, name, opts.Options), nil
}

// CheckDir checks a configuration directory: flake.nix and hosts/ exist,
// every hosts/<name>.toml is a valid host with a hosts/<name>/hardware.nix,
// and, when the directory is in a git work tree, every file the flake reads
// is tracked (flakes see only tracked files). Errors are I/O errors only.
func CheckDir(ctx context.Context, dir string, opts DirOptions) (*Report, error) {
	rep := &Report{}
	if err := checkDir(ctx, dir, opts, rep); err != nil {
		return nil, err
	}
	rep.finish()
	return rep, nil
}

func dirDiag(code, severity, file, msg, fix string) diag.Diagnostic {
	return diag.Diagnostic{Code: code, Severity: severity, File: file, Message: msg, Fix: fix}
}

func checkDir(ctx context.Context, dir string, opts DirOptions, rep *Report) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("checking %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("checking %s: not a directory", dir)
	}
	flake := filepath.Join(dir, "flake.nix")
	if _, err := os.Stat(flake); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("checking %s: %w", flake, err)
		}
		rep.add(dirDiag(CodeNoFlake, diag.SeverityError, flake,
			"the configuration has no flake.nix",
			"run `axios init --dir "+dir+"` to create one, or check the directory"))
	}
	hostsDir := filepath.Join(dir, "hosts")
	entries, err := os.ReadDir(hostsDir)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("reading %s: %w", hostsDir, err)
		}
		rep.add(dirDiag(CodeNoHostsDir, diag.SeverityError, hostsDir,
			"the configuration has no hosts folder",
			"create hosts/<name>.toml for each machine (`axios init` writes one)"))
		return nil
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".toml") || e.Name() == ".toml" {
			continue
		}
		switch t := e.Type(); {
		case t.IsRegular():
			names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
		case t&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice) != 0:
			// The flake ignores it (mkHosts reads regular files only);
			// say so rather than skip it silently, and never open it.
			file := filepath.Join(hostsDir, e.Name())
			nr := &hostfile.NotRegularError{Path: file, Mode: t}
			rep.add(diag.Diagnostic{Code: CodeSyntax, Severity: diag.SeverityError, File: file,
				Message: nr.Reason() + ", so the flake ignores it",
				Fix:     "replace it with a plain TOML file, or remove it"})
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		rep.add(dirDiag(CodeNoHosts, diag.SeverityWarning, hostsDir,
			"hosts holds no <name>.toml, so the flake defines no machine",
			"add hosts/<name>.toml (`axios init` writes one)"))
	}
	files := make([]string, len(names))
	for i, n := range names {
		files[i] = filepath.Join(hostsDir, n+".toml")
	}
	hrs, err := checkFiles(files, opts.Options)
	if err != nil {
		return err
	}
	for i, n := range names {
		hr := hrs[i]
		hwds, err := HardwareDiagnostics(dir, n)
		if err != nil {
			return err
		}
		hr.Diagnostics = append(hr.Diagnostics, hwds...)
		if diag.HasErrors(hwds) {
			hr.Valid = false
		}
		rep.Hosts = append(rep.Hosts, hr)
		rep.add(hr.Diagnostics...)
	}
	rep.add(untracked(ctx, dir, opts.Runner)...)
	return nil
}

// HardwareDiagnostics checks hosts/<name>/hardware.nix in the configuration
// dir: AX403 when it is missing, AX406 when it is the placeholder `axios
// init` writes. Errors are I/O errors only.
func HardwareDiagnostics(dir, name string) ([]diag.Diagnostic, error) {
	hw := filepath.Join(dir, "hosts", name, "hardware.nix")
	info, err := os.Stat(hw)
	if err == nil && info.IsDir() {
		return []diag.Diagnostic{dirDiag(CodeNoHardware, diag.SeverityError, hw,
			"host "+name+"'s hardware.nix is a folder, not a Nix file",
			"move the folder away and run `nixos-generate-config --show-hardware-config > "+hw+"` on that machine")}, nil
	}
	if err == nil && !info.Mode().IsRegular() {
		// Never opened: a named pipe would block the check (and the build).
		nr := &hostfile.NotRegularError{Path: hw, Mode: info.Mode()}
		return []diag.Diagnostic{dirDiag(CodeNoHardware, diag.SeverityError, hw,
			"host "+name+"'s "+nr.Reason()+", so it is not a hardware configuration",
			"remove it and run `nixos-generate-config --show-hardware-config > "+hw+"` on that machine")}, nil
	}
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return nil, fmt.Errorf("checking %s: %w", hw, err)
		}
		return []diag.Diagnostic{dirDiag(CodeNoHardware, diag.SeverityError, hw,
			"host "+name+" has no hardware configuration, so its file systems and boot loader are unknown",
			"run `nixos-generate-config --show-hardware-config > "+hw+"` on that machine")}, nil
	}
	if isPlaceholder(hw) {
		return []diag.Diagnostic{dirDiag(CodePlaceholderHardware, diag.SeverityWarning, hw,
			"host "+name+" has only the placeholder hardware.nix that `axios init` wrote, so building it stops until the machine's real hardware configuration is there",
			"run `nixos-generate-config --show-hardware-config > "+hw+"` on that machine (booted into NixOS or the installer), then `git add` it")}, nil
	}
	return nil, nil
}

// untracked reports the files the flake needs that git does not track, when
// dir is inside a git work tree. Without git (or outside a repository)
// there is nothing to report.
func untracked(ctx context.Context, dir string, r runner.Runner) []diag.Diagnostic {
	if r == nil {
		r = runner.Exec{}
	}
	out, err := r.Output(ctx, runner.Cmd{Name: "git", Args: []string{"-C", dir, "rev-parse", "--is-inside-work-tree"}})
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return nil
	}
	out, err = r.Output(ctx, runner.Cmd{Name: "git", Args: []string{"-C", dir, "ls-files", "-z", "--others", "--", "flake.nix", "flake.lock", "hosts", "secrets"}})
	if err != nil {
		return []diag.Diagnostic{dirDiag(CodeUntracked, diag.SeverityWarning, dir,
			"cannot list the files git does not track: "+err.Error(),
			"run `git status` in the directory")}
	}
	var ds []diag.Diagnostic
	for _, rel := range bytes.Split(out, []byte{0}) {
		if len(rel) == 0 || !flakeReads(string(rel)) {
			continue
		}
		file := filepath.Join(dir, string(rel))
		ds = append(ds, dirDiag(CodeUntracked, diag.SeverityError, file,
			"git does not track this file, so the flake cannot see it",
			"run `git -C "+runner.Quote(dir)+" add "+runner.Quote(string(rel))+"`"))
	}
	return ds
}

// flakeReads reports whether the flake of a configuration reads the file at
// rel (slash-separated, relative to the directory): flake.nix, flake.lock,
// hosts/<name>.toml and hosts/<name>/*.nix (see lib/core/hosts.nix), and
// the secrets/<name>.age files (and secrets/README.md) that `axios init`
// points secretsDir at.
func flakeReads(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	switch {
	case len(parts) == 1:
		return parts[0] == "flake.nix" || parts[0] == "flake.lock"
	case parts[0] == "secrets":
		// README.md keeps the folder in the flake before the first secret:
		// without a tracked file, secretsDir does not exist there.
		return len(parts) == 2 && (strings.HasSuffix(parts[1], ".age") && parts[1] != ".age" || parts[1] == "README.md")
	case parts[0] != "hosts":
		return false
	case len(parts) == 2:
		return strings.HasSuffix(parts[1], ".toml")
	case len(parts) == 3:
		return strings.HasSuffix(parts[2], ".nix")
	}
	return false
}
