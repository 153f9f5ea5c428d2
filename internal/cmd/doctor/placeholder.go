// Package doctor implements `axios doctor`. (Placeholder: replace this file.)
package doctor

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "doctor",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios doctor is not built yet")
		},
	}}
}
