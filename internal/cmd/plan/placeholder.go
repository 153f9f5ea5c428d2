// Package plan implements `axios plan`. (Placeholder: replace this file.)
package plan

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "plan",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios plan is not built yet")
		},
	}}
}
