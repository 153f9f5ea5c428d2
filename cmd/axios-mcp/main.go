// Command axios-mcp is the axiOS Model Context Protocol server: the helper
// program that `axios mcp` runs (it replaces the axios process, so an MCP
// client may start either `axios mcp` or `axios-mcp` with the same flags).
// It lives apart from axios so that the MCP SDK and its HTTP, TLS and JSON
// schema packages load only here, never for axios check and the other
// commands.
package main

import (
	"os"

	"github.com/axios-nix/axios/internal/climain"
	"github.com/axios-nix/axios/internal/cmd/mcp"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(climain.Helper(mcp.Command(), "axios-mcp", version))
}
