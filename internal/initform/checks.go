// Package initform is the interactive form of `axios init` (Bubble Tea and
// huh): one screen per topic, pre-filled with the answers from detection.
// Only the helper program axios-init-form links it, so the axios command
// itself carries no terminal UI library; cmd/axios-init-form says how the
// two talk.
package initform

import (
	"slices"

	"github.com/axios-nix/axios/internal/generate"
)

// The field checks the form runs as the user types: the same as
// `axios init --yes` runs (internal/generate).
var (
	checkHostname = generate.CheckHostname
	checkTimeZone = generate.CheckTimeZone
	checkUser     = generate.CheckUser
	checkFullName = generate.CheckFullName
	checkEmail    = generate.CheckEmail
	fitsVendor    = generate.FitsVendor
)

func contains(list []string, s string) bool { return slices.Contains(list, s) }
