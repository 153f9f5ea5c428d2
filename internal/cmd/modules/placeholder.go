// Package modules implements `axios modules`. (Placeholder: replace this file.)
package modules

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "modules",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios modules is not built yet")
		},
	}}
}
