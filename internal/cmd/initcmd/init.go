// Package initcmd implements `axios init`: it detects this machine's
// hardware, asks (or takes from flags) the answers, validates the host with
// internal/hostrules, and writes a new configuration directory with
// internal/generate.
package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/complete"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/passwd"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/ui"
)

// options are the flags that steer init itself (not answers).
type options struct {
	yes, force, git, dryRun bool
	dir, root               string
	// addHost: write only the host's own files (hosts/<name>.toml and
	// hosts/<name>/) into an existing configuration (axios host add).
	addHost bool
	// passwordFile holds the primary user's password ("-": standard input,
	// stdin); only its hash is kept.
	passwordFile string
	stdin        io.Reader
}

// deps are the parts of the outside world init uses, replaceable in tests.
type deps struct {
	runner   runner.Runner
	lookPath func(string) (string, error)
	env      func(root string) Env
	// interactive reports whether stdin and stdout are terminals.
	interactive func() bool
	// ask runs the interactive form (the helper program axios-init-form).
	ask func(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error
	// writeFile writes one generated file (generate.WriteOptions.WriteFile);
	// nil is the real one. Tests inject a full disk or a hold here.
	writeFile func(ctx context.Context, path string, data []byte) error
}

func realDeps() deps {
	return deps{
		runner:      runner.Exec{},
		lookPath:    exec.LookPath,
		env:         defaultEnv,
		interactive: func() bool { return isTerminal(os.Stdin) && isTerminal(os.Stdout) },
		ask:         realFormHelper().ask,
	}
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command { return []*cobra.Command{newCommand(realDeps())} }

func newCommand(d deps) *cobra.Command {
	var o options
	var fl Flags
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a new axiOS configuration for this machine",
		Long: `Create a new axiOS configuration directory for this machine: flake.nix,
hosts/<name>.toml, hosts/<name>/hardware.nix, .gitignore and a README; with
the secrets module also secrets/README.md (how to add an age-encrypted
secret) and hosts/<name>/secrets.nix (secrets.secretsDir = ../../secrets).

By default init asks its questions in a terminal form, pre-filled from
hardware detection (see axios hardware), including the primary user's
password (hidden, typed twice). With --yes it asks nothing: every answer
comes from a flag, from detection or from a sensible default, and the
password from --password-file. Only the password's yescrypt hash is written
(hashedPassword); without one the user gets no password and check warns
(AX601).
Nothing is written unless the host passes validation, and no existing file is
overwritten without --force.`,
		Example: `  axios init
  axios init --yes --dir /tmp/demo
  axios init --yes --hostname tower --user ada --email ada@example.org --enable gaming,virt --git
  axios init --yes --password-file ~/pw.txt   # then delete pw.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fl.Set = map[string]bool{}
			for _, name := range answerFlags {
				fl.Set[name] = cmd.Flags().Changed(name)
			}
			o.stdin = cmd.InOrStdin()
			return run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o, fl, d)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "~/.config/nixos_config", "the configuration directory to write")
	cat, rl := catalog.Default(), rules.Default()
	addFlags(f, &o, &fl, cat, rl)
	complete.InitFlags(cmd, cat, rl)
	return cmd
}

// HostAddCommand returns `axios host add NAME`: init's questions and
// detection for one more machine, writing only hosts/NAME.toml and
// hosts/NAME/ into an existing configuration. The cli attaches it below
// `axios host`.
func HostAddCommand() *cobra.Command { return newHostAddCommand(realDeps()) }

func newHostAddCommand(d deps) *cobra.Command {
	var o options
	var fl Flags
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a host to an existing configuration: hosts/NAME.toml and hosts/NAME/hardware.nix",
		Long: `Add the host NAME to an existing configuration directory (flake.nix and
hosts/): ask init's questions, pre-filled from hardware detection, and write
only hosts/NAME.toml and hosts/NAME/hardware.nix (with the secrets module
also hosts/NAME/secrets.nix, and secrets/README.md when there is no secrets/
folder yet). flake.nix, README.md and the other hosts are never touched. The
host is validated first; nothing is written when it is not valid or when its
files exist (without --force). Run it on the new machine to detect its
hardware, or pass the answers as flags with --yes.`,
		Example: `  axios host add laptop
  axios host add nas --yes --form-factor desktop --disable desktop --enable services`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.Set = map[string]bool{}
			for _, name := range answerFlags {
				fl.Set[name] = cmd.Flags().Changed(name)
			}
			fl.Hostname, fl.Set["hostname"] = args[0], true
			o.addHost = true
			if o.dir == "" {
				dir, err := configdir.Resolve("")
				if err != nil {
					return exitcode.New(exitcode.Usage, err)
				}
				o.dir = dir.Path
			}
			return run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o, fl, d)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "", "the configuration directory (default: $AXIOS_FLAKE, the current directory, ~/.config/nixos_config)")
	cat, rl := catalog.Default(), rules.Default()
	addFlags(f, &o, &fl, cat, rl)
	// The name is the argument.
	_ = f.MarkHidden("hostname")
	complete.InitFlags(cmd, cat, rl)
	return cmd
}

// addFlags declares the flags init and host add share; the values a flag
// takes are those of the host field in the rules (and the catalog's home
// profiles), as shell completion offers them.
func addFlags(f *pflag.FlagSet, o *options, fl *Flags, cat *catalog.Catalog, rl *rules.Rules) {
	f.BoolVarP(&o.yes, "yes", "y", false, "ask nothing: take every answer from flags, detection and defaults")
	f.BoolVar(&o.force, "force", false, "overwrite files that already exist")
	f.BoolVar(&o.git, "git", false, "run git init (when needed) and git add the files; flakes only see tracked files")
	f.BoolVar(&o.dryRun, "dry-run", false, "validate and list the files, write nothing")
	f.StringVar(&o.root, "root", "/", "detect hardware below this folder instead of /")
	f.StringVar(&o.passwordFile, "password-file", "", "read the primary user's password from the first line of this file (- reads standard input); only its hash is written")
	f.StringVar(&fl.Hostname, "hostname", "", "the machine's name (default: detected)")
	f.StringVar(&fl.User, "user", "", "the primary user's login name (default: $USER)")
	f.StringVar(&fl.FullName, "full-name", "", "the primary user's full name (default: from the passwd entry)")
	f.StringVar(&fl.Email, "email", "", "the primary user's e-mail, used for git (may be empty)")
	f.BoolVar(&fl.Linger, "linger", false, "the primary user's services start at boot and keep running after logout")
	f.StringVar(&fl.TimeZone, "timezone", "", "IANA time zone such as Europe/Berlin (default: detected, else UTC)")
	f.StringVar(&fl.FormFactor, "form-factor", "", choices(complete.Enum(rl, "formFactor"))+" (default: detected)")
	f.StringVar(&fl.CPU, "cpu", "", choices(complete.Enum(rl, "hardware.cpu", "none"))+" (default: detected)")
	f.StringVar(&fl.GPU, "gpu", "", choices(complete.Enum(rl, "hardware.gpu", "none"))+" (default: detected)")
	f.StringVar(&fl.Vendor, "vendor", "", choices(complete.Enum(rl, "hardware.vendor", "none"))+" (default: detected)")
	f.BoolVar(&fl.SSD, "ssd", false, "the system disk is an SSD (default: detected)")
	f.StringVar(&fl.Profile, "profile", "", "home profile: "+choices(cat.Profiles())+" (default: by form factor)")
	f.StringVar(&fl.System, "system", "", choices(complete.Enum(rl, "system"))+" (default: detected)")
	f.StringSliceVar(&fl.Enable, "enable", nil, "modules to turn on, e.g. gaming,ai (see axios modules)")
	f.StringSliceVar(&fl.Disable, "disable", nil, "modules to turn off, e.g. desktop,development")
	f.BoolVar(&fl.Libvirt, "libvirt", true, "with the virt module: libvirt, QEMU/KVM and virt-manager")
	f.BoolVar(&fl.Containers, "containers", true, "with the virt module: Podman containers")
	f.BoolVar(&fl.SSHEverywhere, "ssh-everywhere", false, "open SSH on every interface (LAN, public Wi-Fi), not only the tailnet")
	f.StringVar(&fl.AxiosURL, "axios-url", generate.DefaultAxiosURL, "the flake reference of axiOS written into flake.nix")
}

// choices reads values as a list in a sentence: "a, b or c".
func choices(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// noPasswordNote says that --yes without --password-file leaves the user
// without a password.
func noPasswordNote(user string) string {
	return "no --password-file: " + user + " gets no password (hashedPassword is left out) and nobody can log in as " + user + " until you add one (`mkpasswd` prints a hash) or an SSH key"
}

// answerFlags are the flags that give an answer (Flags.Set records them).
var answerFlags = []string{
	"hostname", "user", "full-name", "email", "linger", "timezone", "form-factor", "cpu", "gpu",
	"vendor", "ssd", "profile", "system", "enable", "disable", "libvirt", "containers", "ssh-everywhere", "axios-url",
}

// flagHint names the flag that sets a host field, for init's messages
// about it (code is the rule's: a user without a password, AX601, is fixed
// with --password-file, not --user).
func flagHint(code, field string) string {
	if code == "AX601" {
		return " (set it with --password-file)"
	}
	flags := map[string]string{
		"hostname": "--hostname", "timeZone": "--timezone", "system": "--system",
		"formFactor": "--form-factor", "homeProfile": "--profile",
		"hardware.cpu": "--cpu", "hardware.gpu": "--gpu", "hardware.vendor": "--vendor",
	}
	f, ok := flags[field]
	switch {
	case ok:
	case strings.HasPrefix(field, "modules."):
		f = "--enable/--disable"
	case strings.HasPrefix(field, "users.") && strings.HasSuffix(field, ".email"):
		f = "--email"
	case strings.HasPrefix(field, "users.") && strings.Count(field, ".") == 1:
		f = "--user"
	default:
		return ""
	}
	return " (set it with " + f + ")"
}

// isConfig reports whether dir holds a configuration: flake.nix and hosts/.
func isConfig(dir string) bool {
	f, err1 := os.Stat(filepath.Join(dir, "flake.nix"))
	h, err2 := os.Stat(filepath.Join(dir, "hosts"))
	return err1 == nil && f.Mode().IsRegular() && err2 == nil && h.IsDir()
}

// hostFiles keeps the files of one host: hosts/<name>.toml and the files in
// hosts/<name>/; and the secrets folder's README when the configuration has
// no secrets folder yet (the host's secrets module points at it).
func hostFiles(dir string, files []generate.File, name string) []generate.File {
	var out []generate.File
	for _, f := range files {
		own := f.Path == "hosts/"+name+".toml" || strings.HasPrefix(f.Path, "hosts/"+name+"/")
		if f.Path == generate.SecretsReadmePath {
			_, err := os.Lstat(filepath.Join(dir, generate.SecretsDir))
			own = errors.Is(err, fs.ErrNotExist)
		}
		if own {
			out = append(out, f)
		}
	}
	return out
}

// expandHome expands a leading "~/" with $HOME.
func expandHome(p string, getenv func(string) string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home := getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("--dir %s: cannot find the home folder: %w", p, err)
			}
			home = h
		}
		p = filepath.Join(home, strings.TrimPrefix(p, "~"))
	}
	return filepath.Abs(p)
}

// initRun is one run of init (or host add): the phases below share it.
type initRun struct {
	ctx            context.Context
	stdout, stderr io.Writer
	p, pe          ui.Painter // for stdout and stderr
	o              options
	d              deps
	cat            *catalog.Catalog
	rl             *rules.Rules
	dir            string
}

func run(ctx context.Context, stdout, stderr io.Writer, o options, fl Flags, d deps) error {
	if ctx == nil {
		ctx = context.Background()
	}
	r := &initRun{ctx: ctx, stdout: stdout, stderr: stderr, p: ui.NewPainter(stdout), pe: ui.NewPainter(stderr),
		o: o, d: d, cat: catalog.Default(), rl: rules.Default()}
	env := d.env(o.root)
	if !o.yes && !d.interactive() {
		return exitcode.New(exitcode.Usage, errors.New("init asks its questions in a terminal, but standard input or output is not one: run `axios init --yes` with flags for the answers (axios init --help lists them)"))
	}
	dir, err := expandHome(o.dir, env.Getenv)
	if err != nil {
		return exitcode.New(exitcode.Usage, err)
	}
	r.dir = dir
	a, notes, err := r.answers(fl, env)
	if err != nil {
		return err
	}
	if !r.o.addHost && !r.o.force && isConfig(dir) {
		// init into an existing configuration adds a host and leaves the
		// shared files (flake.nix, README.md …) alone.
		r.o.addHost = true
		notes = append(notes, Note{false, dir + " is already a configuration: adding the host " + a.Hostname + " only (flake.nix and the other shared files stay as they are; --force rewrites them)"})
	}
	for _, n := range notes {
		if n.Warning {
			fmt.Fprintf(stderr, "%s %s\n", r.pe.Paint(ui.Yellow, "warning:"), n.Text)
		} else {
			fmt.Fprintf(stdout, "%s %s\n", r.p.Paint(ui.Blue, "note:"), n.Text)
		}
	}
	hardware := generate.FindHardware(ctx, d.runner, d.lookPath, o.root, a.Hostname)
	files, err := r.render(a, hardware)
	if err != nil {
		return err
	}
	if o.dryRun {
		fmt.Fprintf(stdout, "Would write to %s:\n", dir)
		for _, f := range files {
			fmt.Fprintf(stdout, "  %s\n", f.Path)
		}
		return nil
	}
	if err := r.write(files); err != nil {
		return err
	}
	r.report(a, hardware, files)
	return nil
}

// answers detects the hardware and gathers the answers: the flags over
// what was detected, the password's hash, then the form unless --yes. The
// notes are what to tell the user about them.
func (r *initRun) answers(fl Flags, env Env) (generate.Answers, []Note, error) {
	hw, err := hwdetect.Detect(r.o.root)
	if err != nil {
		return generate.Answers{}, nil, exitcode.New(exitcode.Usage, fmt.Errorf("--root: %w", err))
	}
	a, notes, err := Defaults(hw, fl, env, r.cat, r.rl)
	if err != nil {
		return generate.Answers{}, nil, exitcode.New(exitcode.Usage, err)
	}
	if r.o.passwordFile != "" {
		pw, err := passwd.ReadFile(r.o.passwordFile, r.o.stdin)
		if err != nil {
			return generate.Answers{}, nil, exitcode.New(exitcode.Usage, fmt.Errorf("--password-file: %w", err))
		}
		if a.User.HashedPassword, err = passwd.Hash(pw); err != nil {
			return generate.Answers{}, nil, exitcode.New(exitcode.Failed, fmt.Errorf("--password-file: %w", err))
		}
		clear(pw)
	} else if r.o.yes && a.User.Name != "" {
		notes = append(notes, Note{true, noPasswordNote(a.User.Name)})
	}
	if !r.o.yes {
		if err := r.d.ask(&a, hw, r.cat, r.rl); err != nil {
			if errors.Is(err, errAborted) {
				fmt.Fprintln(r.stderr, "Cancelled; nothing was written.")
				return generate.Answers{}, nil, exitcode.New(exitcode.Aborted, nil)
			}
			if coded := (*exitcode.Error)(nil); errors.As(err, &coded) {
				return generate.Answers{}, nil, coded
			}
			return generate.Answers{}, nil, exitcode.New(exitcode.Usage, err)
		}
		// The form may have changed modules or the form factor: keep the
		// warnings, and resolve the module dependencies again.
		// The no-user warning is moot once the form has a user name (the
		// form refuses an empty or system account name).
		var kept []Note
		for _, n := range notes {
			if n.Warning && n.Text != rootUserNote {
				kept = append(kept, n)
			}
		}
		notes = kept
		if err := resolve(&a, r.cat, nil, &notes); err != nil {
			return generate.Answers{}, nil, exitcode.New(exitcode.Usage, err)
		}
	}
	if err := CheckAnswers(a, r.rl); err != nil {
		return generate.Answers{}, nil, exitcode.New(exitcode.Usage, err)
	}
	return a, notes, nil
}

// render turns the answers into the files to write (only the host's own
// when adding a host) and validates the host they describe: errors stop
// init with each diagnostic and the flag that fixes it; warnings are
// printed.
func (r *initRun) render(a generate.Answers, hardware generate.Hardware) ([]generate.File, error) {
	files, err := generate.Render(a, hardware, r.cat, r.rl)
	if err != nil {
		return nil, exitcode.New(exitcode.Usage, err)
	}
	if r.o.addHost {
		if !isConfig(r.dir) {
			return nil, exitcode.New(exitcode.Usage, fmt.Errorf("%s is not an axiOS configuration (no flake.nix and hosts/): run `axios init` to create one", r.dir))
		}
		files = hostFiles(r.dir, files, a.Hostname)
	}
	ds, err := generate.ValidateHost(files, a, hostrules.Options{Catalog: r.cat, Rules: r.rl})
	if err != nil {
		return nil, exitcode.New(exitcode.Failed, err)
	}
	if diag.HasErrors(ds) {
		for _, dg := range ds {
			fmt.Fprintf(r.stderr, "%s %s %s: %s; %s%s\n", r.pe.Paint(ui.Red, dg.Severity), dg.Code, dg.Field, dg.Message, dg.Fix, flagHint(dg.Code, dg.Field))
		}
		return nil, exitcode.New(exitcode.Failed, errors.New("the answers do not make a valid host (see above); nothing was written"))
	}
	for _, dg := range ds {
		fmt.Fprintf(r.stderr, "%s %s %s: %s; %s\n", r.pe.Paint(ui.Yellow, "warning"), dg.Code, dg.Field, dg.Message, dg.Fix)
	}
	return files, nil
}

// write writes the files into the configuration directory. Ctrl-C or a
// hang-up (to the whole process group, maybe twice) while the files are
// written stops the write and removes what it wrote; the signals do not
// kill init half-way.
func (r *initRun) write(files []generate.File) error {
	wctx, stop := signal.NotifyContext(r.ctx, os.Interrupt, syscall.SIGHUP, syscall.SIGTERM)
	err := generate.WriteContext(wctx, r.dir, files, generate.WriteOptions{Force: r.o.force, WriteFile: r.d.writeFile})
	if errors.Is(err, generate.ErrInterrupted) {
		// The second Ctrl-C may come after the first stopped the write:
		// it must not end init before it has said what happened.
		signal.Ignore(os.Interrupt, syscall.SIGHUP, syscall.SIGTERM)
	}
	stop()
	if err == nil {
		return nil
	}
	if errors.Is(err, generate.ErrInterrupted) {
		fmt.Fprintf(r.stderr, "Interrupted; nothing was written to %s (the partial files were removed). Run axios init again to start over.\n", r.dir)
		return exitcode.New(exitcode.Aborted, nil)
	}
	var ex *generate.ExistsError
	if errors.As(err, &ex) {
		fmt.Fprintf(r.stderr, "%s these files already exist in %s:\n", r.pe.Paint(ui.Red, "error:"), r.dir)
		for _, path := range ex.Paths {
			fmt.Fprintf(r.stderr, "  %s\n", path)
		}
		return exitcode.New(exitcode.Failed, errors.New("nothing was written; pass --force to overwrite them, or choose another --dir"))
	}
	return exitcode.New(exitcode.Usage, err)
}

// report says what was written, adds the files to git with --git, and
// lists the next steps.
func (r *initRun) report(a generate.Answers, hardware generate.Hardware, files []generate.File) {
	stdout, stderr, p, pe, dir := r.stdout, r.stderr, r.p, r.pe, r.dir
	fmt.Fprintf(stdout, "%s %s\n", p.Paint(ui.Green, "Wrote the configuration of"), p.Paint(ui.Bold, a.Hostname)+" to "+dir+":")
	for _, f := range files {
		fmt.Fprintf(stdout, "  %s\n", f.Path)
	}
	if hardware.Placeholder {
		fmt.Fprintf(stderr, "%s %s\n", pe.Paint(ui.Yellow, "warning:"), hardware.Warning)
	} else {
		if hardware.Warning != "" {
			fmt.Fprintf(stderr, "%s %s\n", pe.Paint(ui.Yellow, "warning:"), hardware.Warning)
		}
		fmt.Fprintf(stdout, "hardware.nix: from %s\n", hardware.Source)
	}

	tracked := false
	if r.o.git {
		if err := generate.GitAdd(r.ctx, r.d.runner, dir, files); err != nil {
			fmt.Fprintf(stderr, "%s %v\n", pe.Paint(ui.Yellow, "warning:"), err)
		} else {
			tracked = true
			fmt.Fprintln(stdout, "git: the files are added (flakes only see files git tracks; commit them when ready).")
		}
	}

	fmt.Fprintf(stdout, "\n%s\n", p.Paint(ui.Bold, "Next:"))
	step := 1
	if hardware.Placeholder {
		fmt.Fprintf(stdout, "  %d. on the machine: nixos-generate-config --show-hardware-config > %s\n", step, filepath.Join(dir, a.HardwarePath()))
		step++
	}
	if !tracked {
		fmt.Fprintf(stdout, "  %d. cd %s && git init && git add -A   (flakes only see files git tracks)\n", step, runner.Quote(dir))
		step++
	}
	fmt.Fprintf(stdout, "  %d. %s\n", step, generate.SwitchCommand(dir, a.Hostname))
	fmt.Fprintf(stdout, "     (or, from %s: axios switch)\n", runner.Quote(dir))
}
