package report

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
)

func TestLine(t *testing.T) {
	d := diag.Diagnostic{Code: "AX403", Severity: "error", File: "hosts/x/hardware.nix", Message: "m", Fix: "f"}
	if got := Line(d); got != "hosts/x/hardware.nix: AX403: m (fix: f)" {
		t.Errorf("%q", got)
	}
	d = diag.Diagnostic{Code: "AX101", Severity: "error", Field: "foo", Message: "m", Fix: "f", File: "a.toml", Line: 3}
	if got := Line(d); got != "a.toml:3: AX101 foo: m (fix: f)" {
		t.Errorf("%q", got)
	}
	d = diag.Diagnostic{Code: "AX302", Severity: "warning", Field: "virt", Message: "m"}
	if got := Line(d); got != "AX302 virt: warning: m" {
		t.Errorf("%q", got)
	}
}

func TestWriteDiagnosticsNoColourInBuffer(t *testing.T) {
	var b bytes.Buffer
	WriteDiagnostics(&b, []diag.Diagnostic{
		{Code: "AX101", Severity: "error", Field: "foo", Message: "m", File: "a.toml", Line: 3},
		{Code: "AX302", Severity: "warning", Field: "virt", Message: "w"},
	})
	if b.String() != "a.toml:3: AX101 foo: m\nAX302 virt: warning: w\n" {
		t.Errorf("%q", b.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEmit(t *testing.T) {
	human := func(w io.Writer) { io.WriteString(w, "human\n") }
	code := func(err error) int {
		var c *exitcode.Error
		if err == nil {
			return exitcode.OK
		}
		if !errors.As(err, &c) {
			t.Fatalf("error without exit status: %v", err)
		}
		return c.Code
	}
	var b bytes.Buffer
	if err := Emit(&b, false, map[string]int{"a": 1}, human, true); err != nil || b.String() != "human\n" {
		t.Errorf("human ok: %v %q", err, b.String())
	}
	b.Reset()
	err := Emit(&b, true, map[string]string{"a": "<b>"}, human, false)
	if code(err) != exitcode.Failed || b.String() != "{\n  \"a\": \"<b>\"\n}\n" {
		t.Errorf("JSON not ok: code %d %q", code(err), b.String())
	}
	if err := Emit(failingWriter{}, true, 1, human, true); code(err) != exitcode.Usage || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("unwritable: %v", err)
	}
}
