package hostfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
)

func TestPositions(t *testing.T) {
	src := `# a comment
hostname = "box"
hardware.cpu = "amd"   # dotted key
modules = { gaming = true, nested = { deep = 1 } }

[users.alice]
fullName = "Alice"

  [users.bob]
  email = "b@x"

[[things]]
inside = 1
`
	h := hostfiletest.Must(t, src, "hosts/box.toml")
	want := map[string]hostfile.Position{
		"hostname":             {2, 1},
		"hardware":             {3, 1},
		"hardware.cpu":         {3, 10},
		"modules":              {4, 1},
		"modules.gaming":       {4, 13},
		"modules.nested":       {4, 28},
		"modules.nested.deep":  {4, 39},
		"users":                {6, 2},
		"users.alice":          {6, 8},
		"users.alice.fullName": {7, 1},
		"users.bob":            {9, 10},
		"users.bob.email":      {10, 3},
		"things":               {12, 3},
	}
	for field, p := range want {
		got, ok := h.Position(field)
		if !ok || got != p {
			t.Errorf("Position(%q) = %v, %v; want %v", field, got, ok, p)
		}
	}
	if _, ok := h.Position("things.inside"); ok {
		t.Error("keys inside an array of tables should not be recorded")
	}
	if h.Name != "box" || h.Form != hostfile.FormTOML || h.File != "hosts/box.toml" {
		t.Errorf("host meta: %+v", h)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src    string
		line, column int
		msg          string
	}{
		{"incomplete value", "hostname = \n", 1, 12, "TOML syntax error"},
		{"second line", "a = 1\nb = [1,\n", 2, 0, "TOML syntax error"},
		{"duplicate key", "a = 1\na = 2\n", 2, 0, "TOML syntax error"},
		{"bad escape", "a = \"\\q\"\n", 1, 0, "TOML syntax error"},
		{"deep nesting", "a = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", 1, 0, "nested more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := hostfile.Parse([]byte(c.src), "hosts/x.toml")
			var pe *hostfile.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != c.line || (c.column != 0 && pe.Column != c.column) {
				t.Errorf("at %d:%d, want %d:%d (%v)", pe.Line, pe.Column, c.line, c.column, err)
			}
			if !strings.Contains(pe.Msg, c.msg) || !strings.HasPrefix(err.Error(), "hosts/x.toml:") {
				t.Errorf("error %q", err)
			}
		})
	}
	nested := "a = " + strings.Repeat("[", 60) + strings.Repeat("]", 60) + "\n"
	if _, err := hostfile.Parse([]byte(nested), ""); err != nil {
		t.Errorf("60 levels should parse: %v", err)
	}
	if _, err := hostfile.Parse([]byte("s = \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n"), ""); err != nil {
		t.Errorf("brackets inside a string are not nesting: %v", err)
	}
	big := make([]byte, hostfile.MaxFileSize+1)
	if _, err := hostfile.Parse(big, "big.toml"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big input: %v", err)
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "tower.toml")
	if err := os.WriteFile(p, []byte(hostfiletest.ValidBase), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := hostfile.ParseFile(p)
	if err != nil || h.Name != "tower" || h.File != p {
		t.Fatalf("ParseFile: %+v, %v", h, err)
	}
	if _, err := hostfile.ParseFile(filepath.Join(dir, "missing.toml")); err == nil || errors.As(err, new(*hostfile.ParseError)) {
		t.Errorf("a missing file is an I/O error, not a syntax error: %v", err)
	}
	if _, err := hostfile.ParseFile(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a directory: %v", err)
	}
	if h := hostfiletest.Must(t, "", "notes.txt"); h.Name != "" {
		t.Errorf("a non-.toml file has no name: %q", h.Name)
	}
	if h := hostfiletest.Must(t, "", ".toml"); h.Name != "" {
		t.Errorf(".toml has no stem: %q", h.Name)
	}
}

func TestParseErrorString(t *testing.T) {
	cases := map[string]*hostfile.ParseError{
		"f:3:4: m": {File: "f", Line: 3, Column: 4, Msg: "m"},
		"f:3: m":   {File: "f", Line: 3, Msg: "m"},
		"f: m":     {File: "f", Msg: "m"},
		"m":        {Msg: "m"},
	}
	for want, e := range cases {
		if e.Error() != want {
			t.Errorf("%q, want %q", e.Error(), want)
		}
	}
}

// TestKeyDepth: very deep dotted keys are refused before the TOML decoder
// sees them (decoding them takes time quadratic in their length).
func TestKeyDepth(t *testing.T) {
	long := strings.Repeat("a.", 5000) + "b"
	for _, src := range []string{
		long + " = 1\n",
		"[[x]]\n" + long + " = 1\n",
		"x = [{" + long + " = 1}]\n",
		"[" + long + "]\n",
		"x = {" + strings.Repeat("a = {", 40) + strings.Repeat("}", 41) + "\n",
	} {
		_, err := hostfile.Parse([]byte(src), "x.toml")
		var pe *hostfile.ParseError
		if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "dotted parts") || pe.Line == 0 {
			t.Errorf("%.40q...: err = %v", src, err)
		}
	}
	ok := strings.Repeat("a.", hostfile.MaxKeyDepth-2) + "b = 1\n"
	if _, err := hostfile.Parse([]byte(ok), "x.toml"); err != nil {
		t.Errorf("%d parts: %v", hostfile.MaxKeyDepth-1, err)
	}
}
