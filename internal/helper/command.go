package helper

import (
	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/exitcode"
)

// Command returns a command of axios that runs a helper program with the
// rest of the command line (flags and --help included: the helper parses
// them). The helper replaces the axios process (Exec), so its standard
// streams, signals and exit status are the command's own.
func Command(use, short, long, name string, f Finder) *cobra.Command {
	return &cobra.Command{
		Use:                use,
		Short:              short,
		Long:               long,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := f.Find(name, cmd.CommandPath())
			if err != nil {
				return exitcode.New(exitcode.Usage, err)
			}
			return exitcode.New(exitcode.Failed, Exec(path, name, args))
		},
	}
}
