// Command axios is the front door of the axiOS NixOS framework.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/axios-nix/axios/internal/cli"
	"github.com/axios-nix/axios/internal/exitcode"
	_ "github.com/axios-nix/axios/internal/termquiet" // before Bubble Tea's init: no terminal query
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run executes the command line and returns the exit status. Errors that
// carry a status (internal/exitcode) are printed as they are; any other
// error comes from parsing the command line (an unknown flag, a wrong number
// of arguments), so it names the command and its usage.
func run(args []string, stderr io.Writer) int {
	root := cli.NewRoot(version)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitcode.OK
	}
	var coded *exitcode.Error
	if errors.As(err, &coded) {
		if coded.Err != nil {
			fmt.Fprintln(stderr, "axios:", coded.Err)
		}
		return coded.Code
	}
	msg := err.Error()
	if cmd == nil || strings.Contains(msg, "--help") || cmd == root && strings.HasPrefix(msg, "unknown command") {
		fmt.Fprintln(stderr, "axios:", msg)
		return exitcode.Usage
	}
	fmt.Fprintf(stderr, "%s: %s\nusage: %s\n(`%s --help` explains every flag)\n", cmd.CommandPath(), msg, cmd.UseLine(), cmd.CommandPath())
	return exitcode.Usage
}
