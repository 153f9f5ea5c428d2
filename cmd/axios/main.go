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
	growStack(0)
	os.Exit(run(os.Args[1:], os.Stderr))
}

// growStack needs a 10 KiB frame, so the main goroutine's stack grows once,
// to the 16 KiB that checking a host needs, while only main is on it. Left
// to itself the stack starts at 2 KiB and is copied each time it doubles,
// the last two times deep inside a command (walking every frame's stack
// map): that costs `axios check` about 15 of its ≈360 page faults. The
// frame only moves the growth earlier; nothing else changes.
//
//go:noinline
func growStack(i int) byte {
	var frame [10 << 10]byte
	frame[i] = 1
	return frame[i/2]
}

// run executes the command line and returns the exit status.
func run(args []string, stderr io.Writer) int {
	return climain.Run(cli.NewRootFor(version, args), args, stderr)
}
