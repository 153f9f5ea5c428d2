// Package axios holds the data files that the Nix library and the axios
// command share, so the Go side embeds the very files Nix evaluates.
package axios

import _ "embed"

// CatalogTOML is modules/catalog.toml: every NixOS and home-manager module.
//
//go:embed modules/catalog.toml
var CatalogTOML []byte

// RulesTOML is lib/rules.toml: the host schema and validation rules.
//
//go:embed lib/rules.toml
var RulesTOML []byte
