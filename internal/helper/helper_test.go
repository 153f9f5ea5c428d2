package helper

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeProgram(t *testing.T, path, script string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// finder looks beside exe and on the folders of path only.
func finder(exe string, path ...string) Finder {
	return Finder{
		Executable: func() (string, error) { return exe, nil },
		LookPath: func(name string) (string, error) {
			for _, dir := range path {
				if p := filepath.Join(dir, name); isExecutable(p) {
					return p, nil
				}
			}
			return "", exec.ErrNotFound
		},
	}
}

// The helper beside axios wins over one on PATH; PATH is the fallback; a
// file without the execute bit does not count.
func TestFind(t *testing.T) {
	root := t.TempDir()
	bin, other := filepath.Join(root, "bin"), filepath.Join(root, "other")
	writeProgram(t, filepath.Join(other, MCP), "exit 0\n")
	f := finder(filepath.Join(bin, "axios"), other)
	if got, err := f.Find(MCP, "axios mcp"); err != nil || got != filepath.Join(other, MCP) {
		t.Errorf("on PATH only: %q, %v", got, err)
	}
	writeProgram(t, filepath.Join(bin, MCP), "exit 0\n")
	if got, err := f.Find(MCP, "axios mcp"); err != nil || got != filepath.Join(bin, MCP) {
		t.Errorf("beside axios and on PATH: %q, %v (want the one beside axios)", got, err)
	}
	if err := os.Chmod(filepath.Join(bin, MCP), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Find(MCP, "axios mcp"); got != filepath.Join(other, MCP) {
		t.Errorf("a non-executable file beside axios was taken: %q", got)
	}
}

// Missing everywhere: the error names the helper, what needs it, where it
// looked and how to get it.
func TestFindMissing(t *testing.T) {
	bin := t.TempDir()
	_, err := finder(filepath.Join(bin, "axios")).Find(InitForm, "axios init (its interactive form)")
	var missing *MissingError
	if !errors.As(err, &missing) {
		t.Fatalf("error %v is no *MissingError", err)
	}
	for _, want := range []string{"axios init (its interactive form) needs the helper program axios-init-form", "in " + bin + " (beside axios) or on PATH", "axios package of the axiOS flake", "axios-mcp, axios-init-form, axios-pwa and axios-wallpaper", "go build -o " + filepath.Join(bin, InitForm) + " ./cmd/axios-init-form"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	noExe := Finder{
		Executable: func() (string, error) { return "", errors.New("no /proc") },
		LookPath:   func(string) (string, error) { return "", exec.ErrNotFound },
	}
	if _, err := noExe.Find(MCP, "axios mcp"); err == nil || !strings.Contains(err.Error(), "is not on PATH") {
		t.Errorf("without the executable's path: %v", err)
	}
}
