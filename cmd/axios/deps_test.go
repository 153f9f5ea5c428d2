package main

import (
	"os/exec"
	"strings"
	"testing"
)

// heavy are packages that axios itself must not link: their package
// initialisation runs on every command (axios check included), and only
// the helper programs need them (axios-mcp: the MCP SDK and its JSON
// schema, gob, HTTP and TLS; axios-init-form: the terminal form, whose
// library also queries the terminal's colours in its init; axios-pwa: HTTP
// and TLS to fetch manifests; axios-wallpaper: the image codecs and the
// blur).
var heavy = []string{
	"github.com/modelcontextprotocol/go-sdk",
	"github.com/google/jsonschema-go",
	"github.com/charmbracelet", // huh, bubbles, bubbletea, lipgloss …
	"github.com/muesli/termenv",
	"github.com/atotto/clipboard",
	"encoding/gob",
	"net/http", // axios-pwa fetches manifests; crypto/tls comes with it
	"crypto/tls",
	"crypto/x509",
	"image/jpeg", // axios-wallpaper decodes and encodes images
	"image/png",
	"compress/flate",
	"github.com/axios-nix/axios/internal/blur",
}

// TestFrontDependencies fails when a heavy package enters the dependency
// graph of cmd/axios (directly or through any package it imports).
func TestFrontDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps listed only %d packages: %q", len(deps), out)
	}
	for _, d := range deps {
		for _, h := range heavy {
			if d == h || strings.HasPrefix(d, h+"/") {
				t.Errorf("cmd/axios depends on %s (%s): move what needs it into a helper program (internal/helper)", d, h)
			}
		}
	}
}
