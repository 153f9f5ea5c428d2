// Command axios is the front door of the axiOS NixOS framework.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/axios-nix/axios/internal/cli"
	"github.com/axios-nix/axios/internal/exitcode"
	_ "github.com/axios-nix/axios/internal/termquiet" // before Bubble Tea's init: no terminal query
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	root := cli.NewRoot(version)
	if err := root.Execute(); err != nil {
		var coded *exitcode.Error
		if errors.As(err, &coded) {
			if coded.Err != nil {
				fmt.Fprintln(os.Stderr, "axios:", coded.Err)
			}
			os.Exit(coded.Code)
		}
		fmt.Fprintln(os.Stderr, "axios:", err)
		os.Exit(exitcode.Usage)
	}
}
