// Package diag is the shape of one problem that `axios check` reports: a
// host rule violation (internal/hostrules), a problem of a configuration
// directory (internal/checkdir), or a syntax error, with its code, field,
// place and fix.
package diag

// Severities of a diagnostic.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Diagnostic is one problem found in a host or a configuration directory.
type Diagnostic struct {
	Code     string `json:"code"`             // "AX104"
	Severity string `json:"severity"`         // "error" or "warning"
	Field    string `json:"field"`            // dotted host path; "" for directory problems
	Message  string `json:"message"`          // what is wrong
	Fix      string `json:"fix"`              // how to fix it
	File     string `json:"file,omitempty"`   // the file it concerns, when known
	Line     int    `json:"line,omitempty"`   // 1-based line in File, 0 when unknown
	Column   int    `json:"column,omitempty"` // 1-based column, 0 when unknown
}

// Key is the "<code> <field>" form used by the test vectors.
func (d Diagnostic) Key() string { return d.Code + " " + d.Field }

// HasErrors reports whether any diagnostic is an error (warnings never fail).
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity != SeverityWarning {
			return true
		}
	}
	return false
}
