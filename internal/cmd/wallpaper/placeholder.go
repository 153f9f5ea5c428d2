// Package wallpaper implements `axios wallpaper`. (Placeholder: replace this file.)
package wallpaper

import (
	"errors"

	"github.com/spf13/cobra"
)

// Commands returns the cobra commands of this package.
func Commands() []*cobra.Command {
	return []*cobra.Command{{
		Use:   "wallpaper",
		Short: "not built yet",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("axios wallpaper is not built yet")
		},
	}}
}
