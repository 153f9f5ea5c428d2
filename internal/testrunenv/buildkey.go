package testrunenv

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// buildVars are the environment variables that change what the go command
// builds from the same files.
var buildVars = []string{
	"GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "GO386", "GOEXPERIMENT",
	"GOTOOLCHAIN", "GOWORK", "GOROOT", "GOPATH", "GOMODCACHE", "GOENV",
	"CGO_ENABLED", "CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "PKG_CONFIG",
}

// BuildKey hashes what a build of the Go module in dir depends on: the
// name and bytes of every file under dir but the .git folder (Go source,
// embedded files, go.mod and go.sum, which pin the dependencies by hash),
// the go command on PATH (the file it resolves to, by size, modification
// time and inode), the go command's environment file and the variables
// that change a build (buildVars). Two builds with the same key build the
// same binaries, so a tool that kept the binaries of a key need not ask
// the go command again. A symbolic link counts by its target, and one
// leaving dir also by the target's identity; a special file under dir
// makes it fail, as nothing says what it holds.
func BuildKey(dir string) (string, error) {
	h := sha256.New()
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	if goTool, err = filepath.EvalSymlinks(goTool); err != nil {
		return "", err
	}
	fmt.Fprintf(h, "go\x00%s\x00%s\x00", goTool, identity(goTool))
	if cfg, err := os.UserConfigDir(); err == nil {
		env := filepath.Join(cfg, "go", "env")
		fmt.Fprintf(h, "env\x00%s\x00%s\x00", env, identity(env))
	}
	for _, v := range buildVars {
		fmt.Fprintf(h, "%s=%s\x00", v, os.Getenv(v))
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch t := d.Type(); {
		case t.IsDir():
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			fmt.Fprintf(h, "dir\x00%s\x00", rel)
		case t&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				fmt.Fprintf(h, "dangling\x00%s\x00", rel)
				return nil
			}
			fmt.Fprintf(h, "link\x00%s\x00%s\x00", rel, target)
			if r, err := filepath.Rel(dir, target); err != nil || !filepath.IsLocal(r) {
				fmt.Fprintf(h, "%s\x00", identity(target)) // outside: its identity
			}
		case t.IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "file\x00%s\x00%d\x00", rel, len(b))
			h.Write(b)
		default:
			return fmt.Errorf("%s is not a regular file", rel)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// identity is a file's size, modification time and inode, or "absent".
func identity(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	return fmt.Sprintf("%d %d %d", fi.Size(), fi.ModTime().UnixNano(), inode(fi))
}
