// Package hardware implements `axios hardware`. (Placeholder: replace this file.)
package hardware

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "hardware",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios hardware is not built yet")
		},
	}}
}
