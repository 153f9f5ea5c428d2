package checkdir

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// noGit is a Runner for directories outside git: every command fails.
type noGit struct{ calls []string }

func (n *noGit) Run(_ context.Context, c runner.Cmd) error {
	n.calls = append(n.calls, c.String())
	return &runner.ExitError{Cmd: c.String(), Code: 128}
}

func (n *noGit) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	n.calls = append(n.calls, c.String())
	return nil, &runner.ExitError{Cmd: c.String(), Code: 128}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func goodHost(name string) string {
	return "hostname = \"" + name + "\"\ntimeZone = \"UTC\"\n"
}

func codesAndFiles(dir string, ds []diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		rel, _ := filepath.Rel(dir, d.File)
		out = append(out, d.Code+" "+d.Field+" "+rel)
	}
	sort.Strings(out)
	return out
}

func TestCheckDir(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "good.toml"), goodHost("good"))
	write(t, filepath.Join(dir, "hosts", "good", "hardware.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "nohw.toml"), goodHost("nohw"))
	write(t, filepath.Join(dir, "hosts", "broken.toml"), "hostname = \n")
	write(t, filepath.Join(dir, "hosts", "broken", "hardware.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "typo.toml"), goodHost("typo")+"[hardware]\ncpu = \"amdd\"\n")
	write(t, filepath.Join(dir, "hosts", "typo", "hardware.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "README.md"), "not a host\n")
	git := &noGit{}
	rep, err := CheckDir(context.Background(), dir, DirOptions{Runner: git})
	if err != nil {
		t.Fatal(err)
	}
	got := codesAndFiles(dir, rep.Diagnostics)
	want := []string{
		"AX001  hosts/broken.toml",
		"AX104 hardware.cpu hosts/typo.toml",
		"AX403  hosts/nohw/hardware.nix",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if rep.Valid || len(rep.Hosts) != 4 {
		t.Errorf("valid %v, %d hosts", rep.Valid, len(rep.Hosts))
	}
	for _, h := range rep.Hosts {
		if wantValid := h.Name == "good"; h.Valid != wantValid {
			t.Errorf("host %s (%s): valid %v", h.Name, h.File, h.Valid)
		}
	}
	if len(git.calls) != 1 || !strings.Contains(git.calls[0], "rev-parse") {
		t.Errorf("git calls: %q", git.calls)
	}
	syntax := rep.Diagnostics[0]
	for _, d := range rep.Diagnostics {
		if d.Code == CodeSyntax {
			syntax = d
		}
	}
	if syntax.Line != 1 || syntax.Column == 0 || !strings.Contains(syntax.Message, "TOML syntax error") {
		t.Errorf("syntax diagnostic %+v", syntax)
	}
}

func TestCheckDirStructure(t *testing.T) {
	empty := t.TempDir()
	rep, err := CheckDir(context.Background(), empty, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesAndFiles(empty, rep.Diagnostics); !reflect.DeepEqual(got, []string{"AX401  hosts", "AX402  flake.nix"}) {
		t.Errorf("empty dir: %q", got)
	}
	noHosts := t.TempDir()
	write(t, filepath.Join(noHosts, "flake.nix"), "{ }\n")
	write(t, filepath.Join(noHosts, "hosts", "x", "hardware.nix"), "{ }\n")
	rep, err = CheckDir(context.Background(), noHosts, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesAndFiles(noHosts, rep.Diagnostics); !reflect.DeepEqual(got, []string{"AX405  hosts"}) || !rep.Valid {
		t.Errorf("no hosts: %q valid=%v (AX405 is a warning)", got, rep.Valid)
	}
	hostsFile := t.TempDir()
	write(t, filepath.Join(hostsFile, "flake.nix"), "{ }\n")
	write(t, filepath.Join(hostsFile, "hosts"), "a file\n")
	rep, err = CheckDir(context.Background(), hostsFile, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesAndFiles(hostsFile, rep.Diagnostics); !reflect.DeepEqual(got, []string{"AX401  hosts"}) {
		t.Errorf("hosts is a file: %q", got)
	}
	if _, err := CheckDir(context.Background(), filepath.Join(empty, "missing"), DirOptions{}); err == nil {
		t.Error("a missing directory is an error")
	}
	if _, err := CheckDir(context.Background(), filepath.Join(noHosts, "flake.nix"), DirOptions{}); err == nil {
		t.Error("a file is not a directory")
	}
}

func TestCheckPaths(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.toml")
	b := filepath.Join(dir, "b.toml")
	write(t, a, goodHost("a"))
	write(t, b, goodHost("b")+"[virt]\n")
	rep, err := Check(context.Background(), []string{a, b}, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid || len(rep.Hosts) != 2 || len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != "AX302" {
		t.Errorf("report %+v", rep)
	}
	if _, err := Check(context.Background(), []string{filepath.Join(dir, "nope.toml")}, DirOptions{}); err == nil {
		t.Error("a missing path is an error")
	} else if msg := err.Error(); !strings.Contains(msg, "nope.toml: file does not exist") || !strings.Contains(msg, "give a host file") {
		t.Errorf("missing path: %q names neither the file nor what to give", msg)
	}
	unreadable := filepath.Join(dir, "locked.toml")
	write(t, unreadable, goodHost("locked"))
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() != 0 {
		if _, err := Check(context.Background(), []string{unreadable}, DirOptions{}); err == nil {
			t.Error("an unreadable file is an error")
		}
	}
}

// TestCheckDirGit uses a real git repository: untracked files the flake
// needs are errors, ignored ones too, and tracking them fixes it.
func TestCheckDirGit(t *testing.T) {
	gitPath := testutil.RequireTool(t, "git")
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(gitPath, append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@x", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@x")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "tower.toml"), goodHost("tower"))
	write(t, filepath.Join(dir, "hosts", "tower", "hardware.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "tower", "extra.nix"), "{ }\n")
	write(t, filepath.Join(dir, ".gitignore"), "extra.nix\n")
	write(t, filepath.Join(dir, "notes.txt"), "not read by the flake\n")
	write(t, filepath.Join(dir, "hosts", "README.md"), "not read by the flake\n")
	write(t, filepath.Join(dir, "hosts", "tower", "notes", "x.nix"), "not read by the flake\n")
	write(t, filepath.Join(dir, "secrets", "notes.txt"), "not read by the flake\n")
	write(t, filepath.Join(dir, "secrets", "token.age"), "age-encryption.org/v1\n")
	run("add", "flake.nix", "hosts/tower.toml")

	rep, err := CheckDir(context.Background(), dir, DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := codesAndFiles(dir, rep.Diagnostics)
	want := []string{"AX404  hosts/tower/extra.nix", "AX404  hosts/tower/hardware.nix", "AX404  secrets/token.age"}
	if !reflect.DeepEqual(got, want) || rep.Valid {
		t.Errorf("got %q valid=%v, want %q", got, rep.Valid, want)
	}
	if !strings.Contains(rep.Diagnostics[0].Fix, "git -C") {
		t.Errorf("fix %q", rep.Diagnostics[0].Fix)
	}
	run("add", "-f", "hosts/tower", "secrets/token.age")
	rep, err = CheckDir(context.Background(), dir, DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Diagnostics) != 0 || !rep.Valid {
		t.Errorf("after git add: %q", codesAndFiles(dir, rep.Diagnostics))
	}
}

func TestCheckFileIOError(t *testing.T) {
	_, err := CheckFile(filepath.Join(t.TempDir(), "none.toml"), hostrules.Options{})
	if err == nil || errors.As(err, new(*hostfile.ParseError)) {
		t.Errorf("err = %v", err)
	}
}

func TestFlakeReads(t *testing.T) {
	yes := []string{"flake.nix", "flake.lock", "hosts/a.toml", "hosts/a/hardware.nix", "hosts/a/extra.nix", "secrets/token.age", "secrets/README.md"}
	no := []string{"README.md", "hosts/README.md", "hosts/a/notes.txt", "hosts/a/b/c.nix", "other/x.nix", "hosts",
		"secrets/notes.txt", "secrets/.age", "secrets/old/x.age", "secrets"}
	for _, p := range yes {
		if !flakeReads(p) {
			t.Errorf("%s is read by the flake", p)
		}
	}
	for _, p := range no {
		if flakeReads(p) {
			t.Errorf("%s is not read by the flake", p)
		}
	}
}

func TestCheckStdinAndBytes(t *testing.T) {
	rep, err := Check(context.Background(), []string{"-"}, DirOptions{Stdin: strings.NewReader("x = [\n")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid || len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != CodeSyntax || rep.Diagnostics[0].File != "<stdin>" {
		t.Errorf("report %+v", rep)
	}
	if _, err := Check(context.Background(), []string{"-"}, DirOptions{}); err == nil {
		t.Error("no stdin is an error")
	}
	hr := CheckBytes([]byte(goodHost("a")), "hosts/b.toml", hostrules.Options{})
	if hr.Valid || hr.Name != "b" || len(hr.Diagnostics) != 1 || hr.Diagnostics[0].Code != "AX110" {
		t.Errorf("CheckBytes %+v", hr)
	}
}

func TestCheckHostsFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.toml"), goodHost("a"))
	write(t, filepath.Join(dir, "b.toml"), goodHost("x"))
	write(t, filepath.Join(dir, "a", "hardware.nix"), "{ }\n")
	rep, err := Check(context.Background(), []string{dir}, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesAndFiles(dir, rep.Diagnostics); !reflect.DeepEqual(got, []string{"AX110 hostname b.toml"}) || len(rep.Hosts) != 2 {
		t.Errorf("a folder of host files: %q, %d hosts", got, len(rep.Hosts))
	}
}

// TestCheckDirPlaceholderHardware: the placeholder hardware.nix of `axios
// init` is a warning that names the file and the command that replaces it;
// a real hardware file (even one mentioning the word) is not.
func TestCheckDirPlaceholderHardware(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "tower.toml"), goodHost("tower"))
	write(t, filepath.Join(dir, "hosts", "nas.toml"), goodHost("nas"))
	hw := filepath.Join(dir, "hosts", "tower", "hardware.nix")
	write(t, hw, PlaceholderMarker+"\n_: throw \"replace me\"\n")
	write(t, filepath.Join(dir, "hosts", "nas", "hardware.nix"), "# not a PLACEHOLDER: this is not a hardware configuration.\n{ }\n")

	rep, err := CheckDir(context.Background(), dir, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	got := codesAndFiles(dir, rep.Diagnostics)
	if want := []string{"AX406  hosts/tower/hardware.nix"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	d := rep.Diagnostics[0]
	if d.Severity != diag.SeverityWarning || !rep.Valid {
		t.Errorf("a placeholder is a warning, not an error: %+v valid=%v", d, rep.Valid)
	}
	if !strings.Contains(d.Message, "placeholder") || !strings.Contains(d.Fix, "nixos-generate-config --show-hardware-config > "+hw) {
		t.Errorf("message %q, fix %q", d.Message, d.Fix)
	}
	for _, h := range rep.Hosts {
		if h.Name == "tower" && (len(h.Diagnostics) != 1 || !h.Valid) {
			t.Errorf("host tower: %+v", h)
		}
	}
}

// A device as host file is refused without being read; a hardware.nix
// folder is not a hardware file.
func TestCheckOddFiles(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		rep := within(t, func() HostReport {
			rep, err := CheckFile("/dev/zero", hostrules.Options{})
			if err != nil {
				t.Error(err)
			}
			return rep
		})
		if rep.Valid || len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != CodeSyntax || !strings.Contains(rep.Diagnostics[0].Message, "/dev/zero is a device, not a regular file") {
			t.Errorf("/dev/zero: %+v", rep)
		}
	}

	dir := t.TempDir()
	write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "tower.toml"), goodHost("tower"))
	if err := os.MkdirAll(filepath.Join(dir, "hosts", "tower", "hardware.nix"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := CheckDir(context.Background(), dir, DirOptions{Runner: &noGit{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := codesAndFiles(dir, rep.Diagnostics); rep.Valid || !reflect.DeepEqual(got, []string{"AX403  hosts/tower/hardware.nix"}) || !strings.Contains(rep.Diagnostics[0].Message, "is a folder") {
		t.Errorf("hardware.nix folder: valid=%v %q %+v", rep.Valid, got, rep.Diagnostics)
	}
}

// within runs f and fails the test when it does not return in 10 seconds
// (a named pipe opened for reading blocks until a writer comes).
func within[T any](t *testing.T, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("did not return in 10 s: a named pipe was opened")
	}
	var zero T
	return zero
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A named pipe at hosts/<name>/hardware.nix or at a host file is reported,
// naming the file, and never opened (issue 11: it hung check, the pre-build
// checks and host_config).
func TestCheckFIFOs(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "flake.nix"), "{ }\n")
	write(t, filepath.Join(dir, "hosts", "tower.toml"), goodHost("tower"))
	hw := filepath.Join(dir, "hosts", "tower", "hardware.nix")
	mkfifo(t, hw)
	fifoHost := filepath.Join(dir, "hosts", "pipe.toml")
	mkfifo(t, fifoHost)

	rep := within(t, func() *Report {
		rep, err := CheckDir(context.Background(), dir, DirOptions{Runner: &noGit{}})
		if err != nil {
			t.Error(err)
		}
		return rep
	})
	if rep == nil {
		return
	}
	got := codesAndFiles(dir, rep.Diagnostics)
	want := []string{"AX001  hosts/pipe.toml", "AX403  hosts/tower/hardware.nix"}
	if rep.Valid || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q: %+v", got, want, rep.Diagnostics)
	}
	for _, d := range rep.Diagnostics {
		if !strings.Contains(d.Message, d.File+" is a named pipe (FIFO), not a regular file") {
			t.Errorf("message does not name the file and what it is: %+v", d)
		}
	}

	// The host file named directly, as `axios check hosts/pipe.toml` and
	// plan and host_config read it.
	hr := within(t, func() HostReport {
		hr, err := CheckFile(fifoHost, hostrules.Options{})
		if err != nil {
			t.Error(err)
		}
		return hr
	})
	if hr.Valid || len(hr.Diagnostics) != 1 || !strings.Contains(hr.Diagnostics[0].Message, fifoHost+" is a named pipe (FIFO), not a regular file") {
		t.Errorf("CheckFile on a FIFO: %+v", hr)
	}
	perr := within(t, func() error { _, err := hostfile.ParseFile(fifoHost); return err })
	var pe *hostfile.ParseError
	if !errors.As(perr, &pe) || pe.File != fifoHost {
		t.Errorf("ParseFile on a FIFO: %v", perr)
	}
}

// Several checks at once give the reports of one at a time, in the order
// of the files, and the error of the first unreadable file in that order
// (test binaries may run with GOMAXPROCS=1, so the workers are asked for).
func TestCheckFilesAtOnce(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, h := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"} {
		f := filepath.Join(dir, "hosts", h+".toml")
		tz := "UTC"
		if i%3 == 1 {
			tz = "Mars/Olympus" // an invalid host among valid ones
		}
		write(t, f, "hostname = \""+h+"\"\ntimeZone = \""+tz+"\"\n")
		files = append(files, f)
	}
	one, err := checkFilesWith(files, hostrules.Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	many, err := checkFilesWith(files, hostrules.Options{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, many) {
		t.Errorf("four workers: %+v\none: %+v", many, one)
	}
	for i, r := range many {
		if r.File != files[i] || r.Valid != (i%3 != 1) {
			t.Errorf("report %d is of %s (valid %v), want %s (valid %v)", i, r.File, r.Valid, files[i], i%3 != 1)
		}
	}
	missing := []string{files[0], filepath.Join(dir, "gone-1.toml"), files[1], filepath.Join(dir, "gone-2.toml")}
	if _, err := checkFilesWith(missing, hostrules.Options{}, 4); err == nil || !strings.Contains(err.Error(), "gone-1.toml") {
		t.Errorf("unreadable files: %v, want the error of gone-1.toml", err)
	}
}
