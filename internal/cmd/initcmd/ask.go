package initcmd

import (
	"errors"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/initform"
	"github.com/axios-nix/axios/internal/rules"
)

// errAborted: the user cancelled the form; nothing is written.
var errAborted = errors.New("cancelled")

// askForm runs the terminal form (internal/initform).
func askForm(a *generate.Answers, hw *hwdetect.Report, cat *catalog.Catalog, rl *rules.Rules) error {
	return formError(initform.Ask(a, hw, cat, rl))
}

// formError maps the form's cancellation to errAborted.
func formError(err error) error {
	if errors.Is(err, initform.ErrAborted) {
		return errAborted
	}
	return err
}
