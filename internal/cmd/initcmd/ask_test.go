package initcmd

import (
	"errors"

	"github.com/axios-nix/axios/internal/initform"
)

// formError maps the form model's cancellation to init's, as
// axios-init-form does with its exit status.
func formError(err error) error {
	if errors.Is(err, initform.ErrAborted) {
		return errAborted
	}
	return err
}
