// Package generations implements `axios generations`. (Placeholder: replace this file.)
package generations

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "generations",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios generations is not built yet")
		},
	}}
}
