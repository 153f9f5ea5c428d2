// Package helper finds and starts the helper programs of axios: the parts
// that carry heavy libraries the other commands do not need (axios-mcp: the
// Model Context Protocol server; axios-init-form: the terminal form of
// `axios init`; axios-pwa: `axios pwa`, which fetches manifests over HTTPS;
// axios-wallpaper: `axios wallpaper`, with the image codecs and the blur).
// Keeping them out of the axios binary keeps every other command's
// start-up short. The flake's axios package installs the programs in one
// bin folder.
package helper

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// Names of the helper programs.
const (
	MCP       = "axios-mcp"
	InitForm  = "axios-init-form"
	PWA       = "axios-pwa"
	Wallpaper = "axios-wallpaper"
)

// Finder locates helper programs: in the folder of the running executable
// first (a package installs them side by side), then on PATH.
type Finder struct {
	// Executable returns the running program's path (os.Executable).
	Executable func() (string, error)
	// LookPath searches PATH (exec.LookPath).
	LookPath func(string) (string, error)
}

// Default is the Finder of the real process.
var Default = Finder{Executable: os.Executable, LookPath: exec.LookPath}

// MissingError says that a helper program was found neither beside axios
// nor on PATH, and how to get it.
type MissingError struct {
	Name string // the helper program
	For  string // what needs it, e.g. "axios mcp"
	Dir  string // the folder searched beside axios ("" when unknown)
}

func (e *MissingError) Error() string {
	where := "on PATH"
	if e.Dir != "" {
		where = "in " + e.Dir + " (beside axios) or on PATH"
	}
	return fmt.Sprintf("%s needs the helper program %s, which is not %s: install the axios package of the axiOS flake, which ships axios, %s, %s, %s and %s together (nix profile install github:kcalvelli/axios), or build it beside axios from a checkout (go build -o %s ./cmd/%s)",
		e.For, e.Name, where, MCP, InitForm, PWA, Wallpaper, filepath.Join(orDot(e.Dir), e.Name), e.Name)
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// Find returns the path of the helper program name; purpose names the
// command that needs it, for the error (*MissingError) when it is missing.
func (f Finder) Find(name, purpose string) (string, error) {
	dir := ""
	if exe, err := f.Executable(); err == nil {
		dir = filepath.Dir(exe)
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, nil
		}
	}
	if p, err := f.LookPath(name); err == nil {
		return p, nil
	}
	return "", &MissingError{Name: name, For: purpose, Dir: dir}
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
}

// Exec replaces this process with the helper program at path, called as
// name with args; the process id, the standard streams, the signals and
// the exit status are the helper's from then on. It returns only on error.
func Exec(path, name string, args []string) error {
	err := syscall.Exec(path, append([]string{name}, args...), os.Environ())
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOEXEC) {
		return fmt.Errorf("running %s: %w (is it a program for this machine?)", path, err)
	}
	return fmt.Errorf("running %s: %w", path, err)
}
