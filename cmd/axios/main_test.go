package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestNoTerminalQuery runs the built command on a pseudo-terminal (through
// util-linux's script) and requires its output to be exactly the version
// line: no colour query or cursor request from the form library's init.
func TestNoTerminalQuery(t *testing.T) {
	script := testutil.RequireTool(t, "script")
	bin := axiosBinary(t)
	out, err := exec.Command(script, "-qec", bin+" --version", "/dev/null").Output()
	if err != nil {
		t.Fatalf("script: %v", err)
	}
	got := strings.TrimRight(string(out), "\r\n")
	if got != "axios version dev" {
		t.Errorf("output on a terminal = %q, want only the version line", got)
	}
}
