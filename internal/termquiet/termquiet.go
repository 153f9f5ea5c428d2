// Package termquiet stops the terminal colour query that the interactive form
// library (Bubble Tea) sends while the program starts.
//
// Bubble Tea v1 asks the terminal for its background colour in a package
// init function, so every axios command — even `axios check` in a script —
// would write an OSC 11 query and a cursor-position request to the terminal
// and wait for the answers. Only `axios init` shows a form; for every other
// command this package fixes the answer beforehand, so nothing is sent.
//
// It works because Go initialises packages in import-path order among those
// whose imports are ready: this package (github.com/axios-nix/…) is ready as
// soon as Lip Gloss is, and sorts before github.com/charmbracelet/bubbletea.
// cmd/axios imports it; TestNoTerminalQuery guards the behaviour.
package termquiet

import (
	"os"

	"github.com/charmbracelet/lipgloss"
)

func init() {
	if !NeedsForm(os.Args) {
		lipgloss.SetHasDarkBackground(true)
	}
}

// NeedsForm reports whether the command line may open the interactive form,
// the one case where the terminal's colours are worth asking for.
func NeedsForm(args []string) bool {
	for _, a := range args[1:] {
		if a == "init" {
			return true
		}
	}
	return false
}
