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
	"github.com/axios-nix/axios/internal/cmd/mcp"
	"github.com/axios-nix/axios/internal/cmd/migrate"
	"github.com/axios-nix/axios/internal/cmd/modules"
	"github.com/axios-nix/axios/internal/cmd/options"
	"github.com/axios-nix/axios/internal/cmd/plan"
	"github.com/axios-nix/axios/internal/cmd/pwa"
	"github.com/axios-nix/axios/internal/cmd/rebuild"
	"github.com/axios-nix/axios/internal/cmd/update"
	"github.com/axios-nix/axios/internal/cmd/wallpaper"
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
		pwa.Commands(),
		mcp.Commands(),
	}
	for _, cmds := range groups {
		root.AddCommand(cmds...)
	}
	return root
}
