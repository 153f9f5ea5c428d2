// Command axios is the front door of the axiOS NixOS framework.
//
// It links no terminal UI library and no MCP server: `axios mcp` and the
// form of `axios init` are the helper programs axios-mcp and
// axios-init-form (internal/helper), so every other command starts fast.
package main

import (
	"io"
	"os"

	"github.com/axios-nix/axios/internal/cli"
	"github.com/axios-nix/axios/internal/climain"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stderr io.Writer) int {
	return climain.Run(cli.NewRootFor(version, args), args, stderr)
}
