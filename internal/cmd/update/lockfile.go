package update

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/axios-nix/axios/internal/runner"
)

// lockFile is the configuration's flake.lock as it was before the update.
type lockFile struct {
	path    string      // DIR/flake.lock
	target  string      // the file written: path, or where the symbolic link path points
	link    string      // the link's text when path is a symbolic link, else ""
	existed bool        // there was a lock before
	old     []byte      // its bytes
	perm    fs.FileMode // its permissions
}

// openLock reads flake.lock, following a symbolic link (whose target is
// then the file that is written, so the link stays).
func openLock(path string) (*lockFile, error) {
	lf := &lockFile{path: path, target: path, perm: 0o644}
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		link, err := os.Readlink(path)
		if err != nil {
			return nil, fmt.Errorf("reading the link %s: %w", path, err)
		}
		lf.link = link
		lf.target = link
		if !filepath.IsAbs(link) {
			lf.target = filepath.Join(filepath.Dir(path), link)
		}
	}
	info, err := os.Stat(lf.target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return lf, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", lf.target, err)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file: flake.lock must be a file (or a link to one)", lf.target)
	}
	lf.perm = info.Mode().Perm()
	if lf.old, err = os.ReadFile(lf.target); err != nil {
		return nil, fmt.Errorf("reading %s: %w", lf.target, err)
	}
	lf.existed = true
	return lf, nil
}

// relink puts the symbolic link back when nix replaced it with a regular
// file: the file's content goes to the link's target, and the link is
// restored (atomically: a new link renamed over the file).
func (lf *lockFile) relink(write func(string, []byte, fs.FileMode) error) error {
	if lf.link == "" {
		return nil
	}
	info, err := os.Lstat(lf.path)
	if err != nil || info.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	data, err := os.ReadFile(lf.path)
	if err != nil {
		return fmt.Errorf("reading the updated %s: %w", lf.path, err)
	}
	if err := write(lf.target, data, lf.perm); err != nil {
		return fmt.Errorf("nix replaced the link %s with a file; writing it to the link's target: %w", lf.path, err)
	}
	tmp := lf.path + ".axios-link"
	os.Remove(tmp)
	if err := os.Symlink(lf.link, tmp); err != nil {
		return fmt.Errorf("restoring the link %s: %w", lf.path, err)
	}
	if err := os.Rename(tmp, lf.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restoring the link %s: %w", lf.path, err)
	}
	return nil
}

// restore puts the old lock back after a failed or interrupted update and
// returns what it did. newLock is what nix wrote (nil when nix failed
// before that was known). A flake.lock that is neither newLock nor the old
// lock was changed by someone else meanwhile and is left alone. The copy
// DIR/flake.lock.axios-old is removed only when the old lock is verifiably
// back; otherwise the error says where it is.
func (u *updater) restore(ctx context.Context, lf *lockFile, newLock []byte) (string, error) {
	cur, err := os.ReadFile(lf.target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", u.keptOld(ctx, lf, fmt.Errorf("reading %s to put the old lock back: %w", lf.target, err))
	}
	if !lf.existed {
		if exists && newLock != nil && !bytes.Equal(cur, newLock) {
			return "", fmt.Errorf("%s changed while axios update ran (not by this update), so it was left as it is; there was no flake.lock before the update", lf.target)
		}
		if err := os.Remove(lf.target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("removing the new %s: %w", lf.target, err)
		}
		return "there was no flake.lock before, so the new one was removed", nil
	}
	changed := exists && newLock != nil && !bytes.Equal(cur, newLock) && !bytes.Equal(cur, lf.old)
	if changed {
		return "", u.keptOld(ctx, lf, fmt.Errorf("%s changed while axios update ran (not by this update: an edit, a git pull, another tool), so the old lock was NOT written over it", lf.target))
	}
	if !exists || !bytes.Equal(cur, lf.old) {
		if err := u.writeFile(lf.target, lf.old, lf.perm); err != nil {
			return "", u.keptOld(ctx, lf, fmt.Errorf("writing the old lock back to %s failed: %w", lf.target, err))
		}
	}
	back, err := os.ReadFile(lf.target)
	if err != nil || !bytes.Equal(back, lf.old) {
		return "", u.keptOld(ctx, lf, fmt.Errorf("%s does not read back as the old lock after writing it (%v)", lf.target, err))
	}
	if err := os.Remove(u.oldPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "the old flake.lock was put back unchanged (removing " + u.oldPath() + " failed: " + err.Error() + ")", nil
	}
	return "the old flake.lock was put back unchanged", nil
}

// keptOld adds to err where the old lock is and how to put it back,
// suggesting git only when git tracks flake.lock.
func (u *updater) keptOld(ctx context.Context, lf *lockFile, err error) error {
	msg := fmt.Sprintf("%v\nthe lock from before the update is kept in %s; to put it back: `mv %s %s`", err, u.oldPath(), runner.Quote(u.oldPath()), runner.Quote(lf.target))
	if u.gitTracks(ctx, lf) {
		msg += fmt.Sprintf("\n(git also has the last committed flake.lock: `git -C %s checkout -- flake.lock`)", runner.Quote(u.dir))
	}
	return errors.New(msg)
}

// gitTracks reports whether flake.lock is tracked by git in its folder.
func (u *updater) gitTracks(ctx context.Context, lf *lockFile) bool {
	_, err := u.env.Runner.Output(ctx, runner.Cmd{Name: "git", Args: []string{"-C", u.dir, "ls-files", "--error-unmatch", "--", "flake.lock"}})
	return err == nil
}
