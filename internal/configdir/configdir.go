// Package configdir finds the axiOS configuration directory (the flake with
// flake.nix and hosts/) that commands such as check, plan, rebuild, update
// and doctor work on.
package configdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar names the environment variable that points at the configuration.
const EnvVar = "AXIOS_FLAKE"

// Source says how the directory was found.
type Source string

// Sources, in the order Resolve tries them.
const (
	FromFlag    Source = "--dir"
	FromEnv     Source = "$" + EnvVar
	FromCwd     Source = "current directory"
	FromDefault Source = "~/.config/nixos_config"
)

// Dir is a resolved configuration directory.
type Dir struct {
	Path   string // absolute path
	Source Source
}

// Resolver resolves the directory; its fields make it testable. The zero
// value uses the real environment.
type Resolver struct {
	Getenv  func(string) string
	Getwd   func() (string, error)
	HomeDir func() (string, error)
}

// Resolve finds the configuration directory with the real environment:
// the --dir flag (flagDir, "" when not given), then $AXIOS_FLAKE, then the
// current directory when it holds flake.nix and hosts/, then
// ~/.config/nixos_config.
func Resolve(flagDir string) (Dir, error) { return Resolver{}.Resolve(flagDir) }

// Resolve implements the search described on the package-level Resolve.
func (r Resolver) Resolve(flagDir string) (Dir, error) {
	getenv, getwd, home := r.Getenv, r.Getwd, r.HomeDir
	if getenv == nil {
		getenv = os.Getenv
	}
	if getwd == nil {
		getwd = os.Getwd
	}
	if home == nil {
		home = os.UserHomeDir
	}
	if flagDir != "" {
		return existing(flagDir, FromFlag, "--dir")
	}
	if env := getenv(EnvVar); env != "" {
		return existing(flakePath(env), FromEnv, "$"+EnvVar)
	}
	if wd, err := getwd(); err == nil && IsConfig(wd) {
		return Dir{Path: wd, Source: FromCwd}, nil
	}
	h, err := home()
	if err == nil && h != "" {
		def := filepath.Join(h, ".config", "nixos_config")
		if info, err := os.Stat(def); err == nil && info.IsDir() {
			return Dir{Path: def, Source: FromDefault}, nil
		}
	}
	return Dir{}, errors.New("no axiOS configuration directory found: pass --dir DIR, set $" + EnvVar +
		", run the command inside a directory with flake.nix and hosts/, or create ~/.config/nixos_config with `axios init`")
}

// flakePath turns a flake reference in $AXIOS_FLAKE into a directory:
// "path:" prefixes and "#attr" suffixes are dropped.
func flakePath(ref string) string {
	ref = strings.TrimPrefix(ref, "path:")
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref = ref[:i]
	}
	return ref
}

func existing(path string, src Source, what string) (Dir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Dir{}, fmt.Errorf("%s %s: %w", what, path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Dir{}, fmt.Errorf("%s %s: no such directory (fix the path, or create a configuration with `axios init --dir %s`)", what, path, path)
		}
		return Dir{}, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if !info.IsDir() {
		return Dir{}, fmt.Errorf("%s %s: not a directory", what, path)
	}
	return Dir{Path: abs, Source: src}, nil
}

// IsConfig reports whether dir looks like an axiOS configuration: it holds a
// flake.nix file and a hosts directory.
func IsConfig(dir string) bool {
	f, err := os.Stat(filepath.Join(dir, "flake.nix"))
	if err != nil || f.IsDir() {
		return false
	}
	h, err := os.Stat(filepath.Join(dir, "hosts"))
	return err == nil && h.IsDir()
}
