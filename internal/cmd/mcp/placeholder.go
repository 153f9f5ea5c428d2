// Package mcp implements `axios mcp`. (Placeholder: replace this file.)
package mcp

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "mcp",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios mcp is not built yet")
		},
	}}
}
