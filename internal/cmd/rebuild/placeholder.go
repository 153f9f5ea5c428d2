// Package rebuild implements `axios rebuild`. (Placeholder: replace this file.)
package rebuild

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "rebuild",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios rebuild is not built yet")
		},
	}}
}
