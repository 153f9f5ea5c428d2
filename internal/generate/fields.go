package generate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/rules"
)

// Field checks of the answers, shared by `axios init --yes` and the
// interactive form (which checks as the user types).

// FitsVendor reports whether the vendor support fits the form factor (the
// rules AX203 and AX204).
func FitsVendor(vendor, formFactor string) bool {
	switch vendor {
	case "msi":
		return formFactor == "desktop"
	case "system76":
		return formFactor == "laptop"
	}
	return true
}

// HomeProfileFor is the home profile a form factor gives: laptop for a
// laptop when the catalog has that profile, else workstation.
func HomeProfileFor(cat *catalog.Catalog, formFactor string) string {
	if formFactor == "laptop" && slices.Contains(cat.Profiles(), "laptop") {
		return "laptop"
	}
	return "workstation"
}

// CheckHostname checks a hostname against the host rules.
func CheckHostname(rl *rules.Rules, s string) error {
	if f, ok := rl.Fields["hostname"]; ok && !f.MatchPattern(s) {
		return fmt.Errorf("hostname %q: %s", s, f.Help)
	}
	return CheckText("hostname", s)
}

// CheckUser checks the primary user's login name.
func CheckUser(rl *rules.Rules, s string) error {
	if !rl.MatchUser(s) {
		return fmt.Errorf("user name %q: use lowercase letters, digits, '-' and '_', starting with a letter or '_', at most 32 characters", s)
	}
	if rl.ReservedUser(s) {
		return fmt.Errorf("user name %q is a system account that NixOS manages itself; use your everyday account name", s)
	}
	return nil
}

// CheckFullNameIfUser checks the full name when there is a user: an empty
// user name means the host has no [users] table.
func CheckFullNameIfUser(user, full string) error {
	if user == "" {
		return nil
	}
	return CheckFullName(full)
}

// CheckFullName checks the primary user's full name (also the git author).
func CheckFullName(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("full name is empty; type your name (it is also the git author name)")
	}
	return CheckText("full name", s)
}

// CheckEmail checks an e-mail address; empty is allowed.
func CheckEmail(s string) error {
	if s == "" {
		return nil
	}
	if err := CheckText("e-mail", s); err != nil {
		return err
	}
	if f, ok := rules.Default().Fields["users.*.email"]; ok && !f.MatchPattern(s) {
		return fmt.Errorf("e-mail %q does not look like name@example.org (leave it empty to skip)", s)
	}
	return nil
}

// CheckTimeZone accepts the names of the host rules' time zone list
// (lib/timezones.txt), as `axios check` and the Nix evaluation do.
func CheckTimeZone(rl *rules.Rules, s string) error {
	if rl.IsTimeZone(s) {
		return nil
	}
	msg := fmt.Sprintf("time zone %q is not a known IANA zone (timedatectl list-timezones lists them)", s)
	if sug := hostrules.Suggest(s, rl.TimeZones, rl.SuggestDistance); sug != "" {
		msg += fmt.Sprintf("; did you mean %q?", sug)
	}
	return errors.New(msg)
}
