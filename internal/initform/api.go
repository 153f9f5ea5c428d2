package initform

import (
	"io"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// ErrAborted is returned when the user cancels the form (Ctrl-C, Esc, or
// "Cancel" on the last screen).
var ErrAborted = errAborted

// Ask runs the form on the terminal (standard input and output), pre-filled
// with a, and leaves the answers in a. With ACCESSIBLE set in the
// environment it asks line by line instead (for screen readers).
func Ask(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error {
	return askForm(a, hw, cat, rl)
}

// Form is one run of the form, for callers that choose its input and output.
type Form struct{ f *form }

// New builds the form pre-filled with a; accessible asks line by line.
func New(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules, accessible bool) *Form {
	return &Form{newForm(a, hw, cat, rl, accessible)}
}

// LineByLine makes the form ask line by line, reading in and writing out.
func (f *Form) LineByLine(in io.Reader, out io.Writer) { f.f.lineByLine(in, out) }

// Run runs the form and leaves the answers in the Answers given to New.
func (f *Form) Run() error { return f.f.run() }
