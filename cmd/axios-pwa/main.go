// Command axios-pwa is `axios pwa`: the helper program that adds a web app
// to a configuration from its manifest (internal/cmd/pwa). axios runs it
// with the same arguments (it replaces the axios process). It lives apart
// from axios because it fetches manifests and icons over HTTPS: Go's HTTP
// and TLS packages then load only here, never for axios check and the
// other commands.
package main

import (
	"os"

	"github.com/axios-nix/axios/internal/climain"
	"github.com/axios-nix/axios/internal/cmd/pwa"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(climain.Helper(pwa.New(pwa.Deps{}), "axios-pwa", version))
}
