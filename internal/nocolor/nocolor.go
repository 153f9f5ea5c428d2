// Package nocolor keeps the terminal user interface from asking the
// terminal for its background colour under NO_COLOR (https://no-color.org).
//
// Bubble Tea asks at package initialisation (an escape sequence, then up to
// five seconds of waiting for a terminal that does not answer, such as a
// serial console or a pseudo-terminal nobody reads). Colours are off under
// NO_COLOR, so the answer would not be used. A program imports this package
// for its initialisation only:
//
//	import _ "github.com/axios-nix/axios/internal/nocolor"
//
// It runs before Bubble Tea's: it imports Lip Gloss and not Bubble Tea, and
// among packages whose imports are initialised Go initialises them in the
// order of their import paths (github.com/axios-nix before
// github.com/charmbracelet).
package nocolor

import (
	"os"

	"github.com/charmbracelet/lipgloss"
)

func init() {
	if os.Getenv("NO_COLOR") != "" {
		lipgloss.SetHasDarkBackground(true)
	}
}
