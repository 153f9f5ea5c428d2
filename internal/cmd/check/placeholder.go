// Package check implements `axios check`. (Placeholder: replace this file.)
package check

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "check",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios check is not built yet")
		},
	}}
}
