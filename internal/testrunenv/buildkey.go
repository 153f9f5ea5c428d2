package testrunenv

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// buildVars are the environment variables that change what the go command
// builds from the same files (PATH decides which C compiler, and whether
// cgo is on by default).
var buildVars = []string{
	"GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64",
	"GOPPC64", "GORISCV64", "GOWASM", "GOEXPERIMENT", "GOFIPS140", "GOTOOLCHAIN", "GOWORK",
	"GOROOT", "GOPATH", "GOMODCACHE", "GOENV", "CGO_ENABLED", "CC", "CXX", "AR", "CGO_CFLAGS",
	"CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS", "CGO_LDFLAGS", "PKG_CONFIG", "PKG_CONFIG_PATH", "PATH",
}

// BuildKey hashes what a build of the Go module holding dir depends on,
// and returns it with the module's folder: the name and bytes of every
// file under the module's folder but the .git folder (Go source, embedded
// files, go.mod and go.sum, which pin the dependencies by hash), the go
// command on PATH (the file it resolves to) and its toolchain (VERSION and
// the compile, link, asm and vet tools), each by size, modification time
// and inode, the go command's environment file and the variables that
// change a build (buildVars). Two builds with the same key build the same
// binaries, so a tool that kept the binaries of a key need not ask the go
// command again. Links count as HashTree says.
//
// It fails, and nothing may be kept, where files outside the module take
// part in the build: a go.work above it (GOWORK not off), a replace by a
// local folder, GOFLAGS naming a file (-modfile, -overlay, -pgo), a link
// to a folder outside the module; and on a special file (HashTree).
func BuildKey(dir string) (key, module string, err error) {
	if module, err = moduleRoot(dir); err != nil {
		return "", "", err
	}
	if err := outsideInputs(module); err != nil {
		return "", "", fmt.Errorf("%s: %w", module, err)
	}
	h := sha256.New()
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", "", err
	}
	if goTool, err = filepath.EvalSymlinks(goTool); err != nil {
		return "", "", err
	}
	goroot := filepath.Dir(filepath.Dir(goTool))
	fmt.Fprintf(h, "module\x00%s\x00go\x00%s\x00%s\x00", module, goTool, identity(goTool))
	tools := filepath.Join(goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)
	for _, f := range []string{filepath.Join(goroot, "VERSION"), filepath.Join(tools, "compile"), filepath.Join(tools, "link"), filepath.Join(tools, "asm"), filepath.Join(tools, "vet")} {
		fmt.Fprintf(h, "%s\x00%s\x00", f, identity(f))
	}
	if env := goEnvFile(); env != "" {
		fmt.Fprintf(h, "env\x00%s\x00%s\x00", env, identity(env))
	}
	for _, v := range buildVars {
		fmt.Fprintf(h, "%s=%s\x00", v, os.Getenv(v))
	}
	err = HashTree(h, module, func(string) bool { return true })
	if err != nil {
		return "", "", fmt.Errorf("hashing %s: %w", module, err)
	}
	return hex.EncodeToString(h.Sum(nil)), module, nil
}

// moduleRoot is the folder holding the go.mod of dir's module.
func moduleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod in %s or above", abs)
		}
	}
}

// errOutside marks a build that reads files outside the module.
var errOutside = errors.New("the build reads files outside the module")

// outsideInputs fails when files outside the module take part in its
// build (BuildKey).
func outsideInputs(module string) error {
	if w := os.Getenv("GOWORK"); w != "off" {
		if w != "" {
			return fmt.Errorf("%w: GOWORK=%s", errOutside, w)
		}
		for d := module; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				return fmt.Errorf("%w: %s", errOutside, filepath.Join(d, "go.work"))
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		name, value, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if name == "modfile" || name == "overlay" || name == "pgo" && value != "off" && value != "auto" && value != "" {
			return fmt.Errorf("%w: GOFLAGS %s", errOutside, f)
		}
	}
	mod, err := os.ReadFile(filepath.Join(module, "go.mod"))
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		if _, target, ok := strings.Cut(sc.Text(), "=>"); ok {
			if t := strings.TrimSpace(target); strings.HasPrefix(t, ".") || strings.HasPrefix(t, "/") {
				return fmt.Errorf("%w: replace%s", errOutside, target)
			}
		}
	}
	return nil
}

// goEnvFile is the go command's environment file ("" when off).
func goEnvFile() string {
	if env, set := os.LookupEnv("GOENV"); set {
		if env == "off" {
			return ""
		}
		return env
	}
	if cfg, err := os.UserConfigDir(); err == nil {
		return filepath.Join(cfg, "go", "env")
	}
	return ""
}

// identity is a file's size, modification time and inode, or "absent".
func identity(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	return Identity(fi)
}

// Identity is what tells a file from its replacement: its size,
// modification time and inode.
func Identity(fi fs.FileInfo) string {
	return fmt.Sprintf("%d %d %d", fi.Size(), fi.ModTime().UnixNano(), inode(fi))
}
