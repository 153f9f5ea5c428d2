// Package initcmd implements `axios init`. (Placeholder: replace this file.)
package initcmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "init",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios init is not built yet")
		},
	}}
}
