package testrunenv

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WalkTree calls fn for each entry under root (its path relative to root)
// but the .git folder, in lexical order.
func WalkTree(root string, fn func(rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		return fn(rel, d)
	})
}

// HashTree writes to h what the files under root (WalkTree) hold: every
// name, and the bytes of each regular file for which content(rel) is true
// (of the others the name only). A symbolic link counts by its target; one
// leaving root also by the target's identity, unless the target is in the
// Nix store, whose paths never change; a link to a folder outside root, or
// a special file, is an error, as nothing says what it holds.
func HashTree(h io.Writer, root string, content func(rel string) bool) error {
	return WalkTree(root, func(rel string, d fs.DirEntry) error {
		path := filepath.Join(root, rel)
		switch t := d.Type(); {
		case t.IsDir():
			fmt.Fprintf(h, "dir\x00%s\x00", rel)
		case t&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				fmt.Fprintf(h, "dangling\x00%s\x00", rel)
				return nil
			}
			fmt.Fprintf(h, "link\x00%s\x00%s\x00", rel, target)
			if Within(root, target) || Within("/nix/store", target) {
				return nil
			}
			if fi, err := os.Stat(target); err == nil && fi.IsDir() {
				return fmt.Errorf("%s links to the folder %s outside %s", rel, target, root)
			}
			fmt.Fprintf(h, "%s\x00", identity(target))
		case !t.IsRegular():
			return fmt.Errorf("%s is not a regular file", rel)
		case !content(rel):
			fmt.Fprintf(h, "name\x00%s\x00", rel)
		default:
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "file\x00%s\x00%d\x00", rel, len(b))
			h.Write(b)
		}
		return nil
	})
}

// Within reports whether path is root or under it.
func Within(root, path string) bool {
	r, err := filepath.Rel(root, path)
	return err == nil && filepath.IsLocal(r)
}
