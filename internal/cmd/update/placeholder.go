// Package update implements `axios update`. (Placeholder: replace this file.)
package update

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "update",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios update is not built yet")
		},
	}}
}
