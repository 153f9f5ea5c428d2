// Package report prints what the axios commands found: a report as JSON or
// as text with the exit status that goes with it, and host diagnostics one
// line each. Command packages share it instead of importing each other.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/ui"
)

// Emit prints a command's report to w: as JSON when asJSON, else with
// human, whose lines reach w in writes of 8 KiB (ui.Buffer). A report that is not ok gives exit status 1 (exitcode.Failed)
// after it is printed; a report that cannot be written gives 2.
func Emit(w io.Writer, asJSON bool, report any, human func(io.Writer), ok bool) error {
	if asJSON {
		if err := ui.WriteJSON(w, report); err != nil {
			return exitcode.New(exitcode.Usage, err)
		}
	} else {
		b := ui.Buffer(w)
		human(b)
		if err := b.Flush(); err != nil {
			return exitcode.New(exitcode.Usage, fmt.Errorf("writing the report: %w", err))
		}
	}
	if !ok {
		return &exitcode.Error{Code: exitcode.Failed}
	}
	return nil
}

// Line formats one diagnostic without colour:
// "FILE:LINE: CODE FIELD: MESSAGE (fix: FIX)".
func Line(d diag.Diagnostic) string {
	return line(ui.Painter{}, d)
}

func line(p ui.Painter, d diag.Diagnostic) string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
		}
		b.WriteString(": ")
	}
	style := ui.Red
	if d.Severity == diag.SeverityWarning {
		style = ui.Yellow
	}
	b.WriteString(p.Paint(style, d.Code))
	if d.Field != "" {
		b.WriteString(" ")
		b.WriteString(p.Paint(ui.Bold, d.Field))
	}
	b.WriteString(": ")
	if d.Severity == diag.SeverityWarning {
		b.WriteString(p.Paint(ui.Yellow, "warning: "))
	}
	b.WriteString(d.Message)
	if d.Fix != "" {
		b.WriteString(p.Paint(ui.Dim, " (fix: "+d.Fix+")"))
	}
	return b.String()
}

// WriteDiagnostics writes one line per diagnostic, coloured when w is a
// terminal and NO_COLOR is unset.
func WriteDiagnostics(w io.Writer, ds []diag.Diagnostic) {
	p := ui.NewPainter(w)
	for _, d := range ds {
		fmt.Fprintln(w, line(p, d))
	}
}
