// Package mcp is the command of the helper program axios-mcp (which
// `axios mcp` runs): the axiOS Model Context Protocol server on standard
// input and output.
package mcp

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/generations"
	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/mcpserver"
)

// Command returns the command of axios-mcp.
func Command() *cobra.Command {
	var (
		dir, journalDir, journalFile, profiles string
		toolTimeout                            time.Duration
	)
	c := &cobra.Command{
		Use:   "mcp",
		Short: "Serve read-only system tools to AI assistants (Model Context Protocol, stdio)",
		Long: `Run the axiOS Model Context Protocol server on standard input and output.
An MCP client (Claude Code, an editor …) starts it and may call these tools:

  journal_query     systemd journal entries: unit, identifier, priority,
                    since/until, boot, literal text; at most 1000 entries
  host_config       validate this machine's host file (as axios check) and
                    show its module selection
  list_modules      the modules of the axiOS catalog
  list_host_fields  the fields a host file may set
  list_generations  NixOS system generations, newest first
  failed_units      systemd units in the failed state (system or user)

Every tool is read-only, runs no shell and returns bounded output; a call
that takes longer than --tool-timeout is answered with an error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if toolTimeout <= 0 {
				return exitcode.New(exitcode.Usage, fmt.Errorf("--tool-timeout %v: use a positive duration such as 30s", toolTimeout))
			}
			if journalDir != "" && journalFile != "" {
				return exitcode.New(exitcode.Usage, fmt.Errorf("--journal-directory and --journal-file exclude each other: pass one"))
			}
			cfg := mcpserver.Config{
				Version:     cmd.Root().Version,
				Journal:     journal.Client{Source: journal.Source{Directory: journalDir, File: journalFile}},
				Generations: generations.Lister{Dir: profiles},
				ConfigDir:   dir,
				ToolTimeout: toolTimeout,
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := mcpserver.Run(ctx, cfg); err != nil && ctx.Err() == nil {
				return exitcode.New(exitcode.Failed, fmt.Errorf("mcp server: %w", err))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&dir, "dir", "", "configuration directory (default: $AXIOS_FLAKE, the current directory, ~/.config/nixos_config)")
	f.StringVar(&journalDir, "journal-directory", "", "read journal files from this folder instead of the system journal")
	f.StringVar(&journalFile, "journal-file", "", "read this journal file instead of the system journal")
	f.DurationVar(&toolTimeout, "tool-timeout", mcpserver.DefaultToolTimeout, "longest time one tool call may take")
	f.StringVar(&profiles, "profiles", generations.DefaultDir, "Nix profile directory holding the system generations")
	return c
}
