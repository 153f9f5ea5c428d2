package generate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/axios-nix/axios/internal/fsutil"
	"github.com/axios-nix/axios/internal/runner"
)

// ExistsError lists generated files that already exist.
type ExistsError struct {
	Dir   string
	Paths []string // relative to Dir
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%d file(s) already exist in %s: %s; nothing was written (use --force to overwrite them, or choose another --dir)",
		len(e.Paths), e.Dir, strings.Join(e.Paths, ", "))
}

// Conflicts returns the files that already exist in dir.
func Conflicts(dir string, files []File) ([]string, error) {
	var out []string
	for _, f := range files {
		ok, err := fsutil.Exists(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, f.Path)
		}
	}
	return out, nil
}

// Write writes files into dir, creating folders as needed. Without force it
// writes nothing when any file exists (an *ExistsError). Each file is written
// atomically.
func Write(dir string, files []File, force bool) error {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return fmt.Errorf("%s exists and is not a folder; choose another --dir", dir)
	}
	if !force {
		existing, err := Conflicts(dir, files)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return &ExistsError{Dir: dir, Paths: existing}
		}
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		if info, err := os.Lstat(path); err == nil && info.IsDir() {
			return fmt.Errorf("%s is a folder; move it away and run again", path)
		}
		if err := fsutil.WriteFileAtomic(path, f.Content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// GitAdd runs `git init` in dir when it is not inside a work tree yet, then
// `git add` for the generated files, so that the flake sees them.
func GitAdd(ctx context.Context, r runner.Runner, dir string, files []File) error {
	if _, err := r.Output(ctx, runner.Cmd{Name: "git", Args: []string{"rev-parse", "--is-inside-work-tree"}, Dir: dir}); err != nil {
		if err := r.Run(ctx, runner.Cmd{Name: "git", Args: []string{"init", "--quiet"}, Dir: dir}); err != nil {
			return fmt.Errorf("git init in %s: %w", dir, err)
		}
	}
	args := []string{"add", "--"}
	for _, f := range files {
		args = append(args, f.Path)
	}
	if err := r.Run(ctx, runner.Cmd{Name: "git", Args: args, Dir: dir}); err != nil {
		return fmt.Errorf("git add in %s: %w", dir, err)
	}
	return nil
}
