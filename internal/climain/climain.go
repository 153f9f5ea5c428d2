// Package climain runs a command tree and turns its outcome into an exit
// status, for axios and its helper programs.
package climain

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/exitcode"
)

// Run executes root with args and returns the exit status. Errors that
// carry a status (internal/exitcode) are printed as they are; any other
// error comes from parsing the command line (an unknown flag, a wrong
// number of arguments), so it names the command and its usage.
func Run(root *cobra.Command, args []string, stderr io.Writer) int {
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitcode.OK
	}
	name := root.Name()
	var coded *exitcode.Error
	if errors.As(err, &coded) {
		if coded.Err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, coded.Err)
		}
		return coded.Code
	}
	msg := err.Error()
	if cmd == nil || strings.Contains(msg, "--help") || cmd == root && strings.HasPrefix(msg, "unknown command") {
		fmt.Fprintf(stderr, "%s: %s\n", name, msg)
		return exitcode.Usage
	}
	fmt.Fprintf(stderr, "%s: %s\nusage: %s\n(`%s --help` explains every flag)\n", cmd.CommandPath(), msg, cmd.UseLine(), cmd.CommandPath())
	return exitcode.Usage
}

// Helper runs root as the helper program name (internal/helper) with the
// process's arguments and returns the exit status: the tree's root takes
// the program's name and version, and errors are printed once, by Run.
func Helper(root *cobra.Command, name, version string) int {
	root.Use = name
	root.Version = version
	root.SilenceUsage, root.SilenceErrors = true, true
	return Run(root, os.Args[1:], os.Stderr)
}
