package generate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

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

// WriteOptions steer WriteContext.
type WriteOptions struct {
	// Force overwrites files that exist (each is put back when the write
	// fails).
	Force bool
	// WriteFile writes one file of the staging folder; nil means a plain
	// create, write, sync and close. Tests inject faults (a full disk, a
	// hold for an interrupt) here.
	WriteFile func(ctx context.Context, path string, data []byte) error
}

// Write is WriteContext without a context.
func Write(dir string, files []File, force bool) error {
	return WriteContext(context.Background(), dir, files, WriteOptions{Force: force})
}

// StagePrefix starts the name of the temporary sibling folder WriteContext
// writes into: ".<name of dir>" + StagePrefix + a random suffix.
const StagePrefix = ".axios-init-"

// WriteContext writes files into dir, all or nothing. Every file is first
// written into a temporary sibling folder of dir; when dir does not exist
// yet, that folder is renamed to dir in one step, else each file is moved
// into place. Without opts.Force it writes nothing when any file exists (an
// *ExistsError), and it never replaces a file that appears meanwhile (a
// second `axios init` running at the same time). On any error, and when ctx
// ends (an interrupt), everything it created is removed and every file it
// replaced is put back: dir is left exactly as it was. Files and folders
// that were there before are never removed.
func WriteContext(ctx context.Context, dir string, files []File, opts WriteOptions) (err error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return fmt.Errorf("%s exists and is not a folder; choose another --dir", dir)
	}
	if !opts.Force {
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
		if info, err := os.Lstat(path); err == nil && info.IsDir() {
			return fmt.Errorf("%s is a folder; move it away and run again", path)
		}
	}
	t := &tx{dir: dir, force: opts.Force, writeFile: opts.WriteFile}
	if t.writeFile == nil {
		t.writeFile = writeSynced
	}
	defer func() {
		if err != nil {
			var exists *ExistsError
			if rerr := t.rollback(); rerr != nil {
				err = fmt.Errorf("%w; removing what was written failed too: %v", err, rerr)
			} else if !errors.As(err, &exists) {
				err = fmt.Errorf("%w; nothing was written (the partial files were removed)", err)
			}
		}
	}()
	if err := t.stageFiles(ctx, files); err != nil {
		return err
	}
	return t.commit(ctx, files)
}

// tx is one all-or-nothing write.
type tx struct {
	dir       string
	force     bool
	writeFile func(ctx context.Context, path string, data []byte) error
	stage     string   // the temporary sibling folder
	dirs      []string // folders created outside stage, in creation order
	placed    []string // files moved into dir
	backups   map[string]string
}

func writeSynced(_ context.Context, path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mkdirs creates dir and its missing parents, remembering each folder it
// created.
func (t *tx) mkdirs(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("creating %s: %w", dir, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue // made by someone else meanwhile: not ours
			}
			return fmt.Errorf("creating %s: %w", missing[i], err)
		}
		t.dirs = append(t.dirs, missing[i])
	}
	return nil
}

func (t *tx) stageFiles(ctx context.Context, files []File) error {
	parent := filepath.Dir(t.dir)
	if err := t.mkdirs(parent); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(t.dir)+StagePrefix+"*")
	if err != nil {
		return fmt.Errorf("creating a temporary folder next to %s: %w", t.dir, err)
	}
	t.stage = stage
	if err := os.Chmod(stage, 0o755); err != nil {
		return fmt.Errorf("creating a temporary folder next to %s: %w", t.dir, err)
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return interrupted(err)
		}
		path := filepath.Join(stage, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
		if err := t.writeFile(ctx, path, f.Content); err != nil {
			if ctx.Err() != nil {
				return interrupted(ctx.Err())
			}
			return fmt.Errorf("writing %s: %w", filepath.Join(t.dir, filepath.FromSlash(f.Path)), err)
		}
	}
	return nil
}

// ErrInterrupted is returned (wrapped) when the context ended during a
// write.
var ErrInterrupted = errors.New("interrupted")

func interrupted(cause error) error {
	return fmt.Errorf("%w (%v)", ErrInterrupted, cause)
}

func (t *tx) commit(ctx context.Context, files []File) error {
	if err := ctx.Err(); err != nil {
		return interrupted(err)
	}
	if _, err := os.Lstat(t.dir); errors.Is(err, fs.ErrNotExist) {
		// The whole folder in one step.
		if err := os.Rename(t.stage, t.dir); err == nil {
			syncDir(filepath.Dir(t.dir))
			return nil
		} else if !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
			return fmt.Errorf("moving the files into %s: %w", t.dir, err)
		}
		// dir appeared meanwhile: place file by file, without replacing.
	}
	t.backups = map[string]string{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return interrupted(err)
		}
		src := filepath.Join(t.stage, filepath.FromSlash(f.Path))
		dst := filepath.Join(t.dir, filepath.FromSlash(f.Path))
		if err := t.mkdirs(filepath.Dir(dst)); err != nil {
			return err
		}
		if t.force {
			if _, err := os.Lstat(dst); err == nil {
				backup := filepath.Join(t.stage, ".replaced", filepath.FromSlash(f.Path))
				if err := os.MkdirAll(filepath.Dir(backup), 0o700); err != nil {
					return fmt.Errorf("keeping %s: %w", dst, err)
				}
				if err := os.Rename(dst, backup); err != nil {
					return fmt.Errorf("keeping %s: %w", dst, err)
				}
				t.backups[dst] = backup
			}
		}
		// A hard link fails when dst exists: nothing is replaced that was
		// not set aside above.
		if err := os.Link(src, dst); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return &ExistsError{Dir: t.dir, Paths: []string{f.Path}}
			}
			return fmt.Errorf("moving %s into place: %w", dst, err)
		}
		t.placed = append(t.placed, dst)
	}
	for _, d := range t.dirs {
		syncDir(filepath.Dir(d))
	}
	syncDir(t.dir)
	if err := os.RemoveAll(t.stage); err != nil {
		return nil // the configuration is complete; a stray temporary folder is harmless
	}
	return nil
}

// rollback removes what the write created and puts back what it replaced.
func (t *tx) rollback() error {
	var errs []error
	for i := len(t.placed) - 1; i >= 0; i-- {
		if err := os.Remove(t.placed[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	dsts := make([]string, 0, len(t.backups))
	for dst := range t.backups {
		dsts = append(dsts, dst)
	}
	sort.Strings(dsts)
	for _, dst := range dsts {
		if err := os.Rename(t.backups[dst], dst); err != nil {
			errs = append(errs, fmt.Errorf("putting back %s (kept as %s): %w", dst, t.backups[dst], err))
		}
	}
	if t.stage != "" && len(errs) == 0 {
		if err := os.RemoveAll(t.stage); err != nil {
			errs = append(errs, err)
		}
	}
	for i := len(t.dirs) - 1; i >= 0; i-- {
		// Only when empty: a folder someone else filled meanwhile stays.
		if err := os.Remove(t.dirs[i]); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, fs.ErrExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
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
