package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/testutil"
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

// TestEmitHumanBuffered: the human report reaches the writer in writes of
// several kilobytes, not one per line, and whole; a writer that fails (a full disk, a closed pipe) gives exit
// status 2 with the cause, not a report silently cut short.
func TestEmitHumanBuffered(t *testing.T) {
	var w countingWriter
	many := func(w io.Writer) {
		for i := 0; i < 1000; i++ {
			io.WriteString(w, "a.toml:3: AX101 foo: m\n")
		}
	}
	if err := Emit(&w, false, nil, many, true); err != nil {
		t.Fatal(err)
	}
	if size := 1000 * len("a.toml:3: AX101 foo: m\n"); w.writes > size/4096+1 || w.n != size {
		t.Errorf("%d writes of %d bytes in all, want at most %d of %d", w.writes, w.n, size/4096+1, size)
	}
	err := Emit(failingWriter{}, false, nil, many, true)
	var c *exitcode.Error
	if !errors.As(err, &c) || c.Code != exitcode.Usage || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("unwritable human report: %v", err)
	}
}

type countingWriter struct{ writes, n int }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	c.n += len(p)
	return len(p), nil
}

// TestEmitColourOnATerminal: buffering keeps the terminal's colour
// decision, so diagnostics on a terminal are still coloured and NO_COLOR
// still turns colour off.
func TestEmitColourOnATerminal(t *testing.T) {
	d := []diag.Diagnostic{{Code: "AX101", Severity: "error", Field: "foo", Message: "m", File: "a.toml", Line: 3}}
	for _, noColor := range []bool{false, true} {
		shown := &cmdtest.SyncBuffer{}
		_, term := testutil.OpenPTY(t, shown)
		t.Setenv("TERM", "xterm")
		if noColor {
			t.Setenv("NO_COLOR", "1")
		} else {
			t.Setenv("NO_COLOR", "") // restored after the test
			os.Unsetenv("NO_COLOR")
		}
		if err := Emit(term, false, nil, func(w io.Writer) { WriteDiagnostics(w, d) }, true); err != nil {
			t.Fatal(err)
		}
		for end := time.Now().Add(10 * time.Second); !strings.Contains(shown.String(), "m\r\n") && time.Now().Before(end); {
			time.Sleep(10 * time.Millisecond)
		}
		if got := strings.Contains(shown.String(), "\x1b[31mAX101\x1b[0m"); got == noColor {
			t.Errorf("NO_COLOR set %t: coloured %t: %q", noColor, got, shown.String())
		}
	}
}
