// Package cli assembles the axios command tree.
package cli

import (
	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/cmd/check"
	"github.com/axios-nix/axios/internal/cmd/deploy"
	"github.com/axios-nix/axios/internal/cmd/doctor"
	"github.com/axios-nix/axios/internal/cmd/generations"
	"github.com/axios-nix/axios/internal/cmd/hardware"
	"github.com/axios-nix/axios/internal/cmd/host"
	"github.com/axios-nix/axios/internal/cmd/initcmd"
	"github.com/axios-nix/axios/internal/cmd/migrate"
	"github.com/axios-nix/axios/internal/cmd/modules"
	"github.com/axios-nix/axios/internal/cmd/options"
	"github.com/axios-nix/axios/internal/cmd/plan"
	"github.com/axios-nix/axios/internal/cmd/rebuild"
	"github.com/axios-nix/axios/internal/cmd/update"
	"github.com/axios-nix/axios/internal/cmd/wallpaper"
	"github.com/axios-nix/axios/internal/helper"
)

// NewRoot returns the axios root command. Each package under internal/cmd
// contributes its commands through a Commands function.
func NewRoot(version string) *cobra.Command {
	root := &cobra.Command{
		Use:           "axios",
		Short:         "Build, check and run axiOS NixOS configurations",
		Long:          "axios is the front door of the axiOS NixOS framework: it creates a configuration for this machine, checks host files instantly, shows what a host will get, and builds, switches and rolls back systems safely.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	groups := [][]*cobra.Command{
		initcmd.Commands(),
		hardware.Commands(),
		{host.New(host.Deps{}, initcmd.HostAddCommand())},
		check.Commands(),
		migrate.Commands(),
		plan.Commands(),
		modules.Commands(),
		options.Commands(),
		rebuild.Commands(),
		deploy.Commands(),
		generations.Commands(),
		update.Commands(),
		doctor.Commands(),
		wallpaper.Commands(),
		{pwaCommand()},
		{mcpCommand()},
	}
	for _, cmds := range groups {
		root.AddCommand(cmds...)
	}
	return root
}

// mcpCommand is `axios mcp`: the MCP server is the helper program axios-mcp
// (internal/cmd/mcp), which takes over the process with the same flags.
func mcpCommand() *cobra.Command {
	return helper.Command("mcp [flags]",
		"Serve read-only system tools to AI assistants (Model Context Protocol, stdio)",
		`Run the axiOS Model Context Protocol server on standard input and output:
read-only tools for the systemd journal, this machine's host file, the module
catalog, the host fields, the system generations and the failed units.

The server is the helper program axios-mcp, installed beside axios by the
axiOS flake's package (or found on PATH); axios mcp runs it with the same
flags, so an MCP client may start either. axios mcp --help lists the tools
and the flags (--dir, --journal-directory, --journal-file, --profiles,
--tool-timeout).`, helper.MCP, helper.Default)
}

// pwaCommand is `axios pwa`: the helper program axios-pwa (internal/cmd/pwa),
// apart because it fetches manifests and icons over HTTPS, and Go's HTTP
// and TLS packages would otherwise load for every command.
func pwaCommand() *cobra.Command {
	return helper.Command("pwa add MANIFEST [flags]",
		"Web apps (PWAs): add one from its manifest",
		`Add a web app to the configuration's pwa-apps.json from its web app
manifest (a saved file or an https address): axios pwa add MANIFEST.

The command is the helper program axios-pwa, installed beside axios by the
axiOS flake's package (or found on PATH); axios pwa runs it with the same
arguments. axios pwa add --help lists the flags (--dir, --id, --base-url,
--force, --json).`, helper.PWA, helper.Default)
}
