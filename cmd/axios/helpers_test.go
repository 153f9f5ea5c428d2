package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// axios alone (no helper beside it, none on PATH): `axios mcp` fails with
// status 2 and names the missing program and the package that ships it;
// with the helper on PATH it runs that one.
func TestMissingHelper(t *testing.T) {
	built := axiosBinary(t)
	dir := t.TempDir()
	alone := filepath.Join(dir, "axios")
	b, err := os.ReadFile(built)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alone, "mcp", "--help")
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("axios mcp without its helper: %v, want exit status 2\n%s", err, out)
	}
	for _, want := range []string{"axios mcp needs the helper program axios-mcp", "in " + dir + " (beside axios) or on PATH", "axiOS flake"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// On PATH: found there, and it takes over with the arguments.
	cmd = exec.Command(alone, "mcp", "--help")
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(built))
	out, err = cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "axios-mcp [flags]") || !strings.Contains(string(out), "--journal-directory") {
		t.Errorf("axios mcp --help with axios-mcp on PATH: %v\n%s", err, out)
	}
}

// `axios pwa add` runs the helper axios-pwa beside axios with the same
// arguments: a saved manifest lands in the configuration's pwa-apps.json,
// and the helper's exit status is axios's (2 for a missing manifest).
func TestPWAThroughHelper(t *testing.T) {
	bin := axiosBinary(t)
	config := t.TempDir()
	writeFile(t, filepath.Join(config, "flake.nix"), "{ outputs = _: { }; }\n")
	writeFile(t, filepath.Join(config, "hosts", "tower.toml"), "hostname = \"tower\"\n")
	manifest := filepath.Join("..", "..", "internal", "cmd", "pwa", "testdata", "gmail.webmanifest")
	out, err := exec.Command(bin, "pwa", "add", manifest, "--dir", config, "--base-url", "https://mail.google.com/", "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("axios pwa add: %v\n%s", err, out)
	}
	apps, err := os.ReadFile(filepath.Join(config, "pwa-apps.json"))
	if err != nil || !strings.Contains(string(apps), "mail.google.com") {
		t.Errorf("pwa-apps.json: %v\n%s\noutput: %s", err, apps, out)
	}
	cmd := exec.Command(bin, "pwa", "add", filepath.Join(config, "none.webmanifest"), "--dir", config)
	out, err = cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "none.webmanifest") {
		t.Errorf("a missing manifest: %v, want exit status 2 naming it\n%s", err, out)
	}
}
