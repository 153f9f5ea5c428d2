// Package cli assembles the axios command tree.
package cli

import (
	"slices"

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
	"github.com/axios-nix/axios/internal/helper"
)

// group is one package's top-level commands: the names they answer to
// (each command's name and aliases; a test checks them against the built
// commands) and how to build them.
type group struct {
	names []string
	build func() []*cobra.Command
}

// groups lists every top-level command, in the order help shows them.
func groups() []group {
	one := func(f func() *cobra.Command) func() []*cobra.Command {
		return func() []*cobra.Command { return []*cobra.Command{f()} }
	}
	return []group{
		{[]string{"init"}, initcmd.Commands},
		{[]string{"hardware"}, hardware.Commands},
		{[]string{"host"}, one(func() *cobra.Command { return host.New(host.Deps{}, initcmd.HostAddCommand()) })},
		{[]string{"check"}, check.Commands},
		{[]string{"migrate"}, migrate.Commands},
		{[]string{"plan"}, plan.Commands},
		{[]string{"modules"}, modules.Commands},
		{[]string{"options"}, options.Commands},
		{[]string{"build", "switch", "boot", "test"}, rebuild.Commands},
		{[]string{"deploy"}, deploy.Commands},
		{[]string{"generations", "diff", "rollback"}, generations.Commands},
		{[]string{"update"}, update.Commands},
		{[]string{"doctor"}, doctor.Commands},
		{[]string{"wallpaper"}, one(wallpaperCommand)},
		{[]string{"pwa"}, one(pwaCommand)},
		{[]string{"mcp"}, one(mcpCommand)},
	}
}

// NewRoot returns the axios root command with every command. Each package
// under internal/cmd contributes its commands through a Commands function.
func NewRoot(version string) *cobra.Command {
	return newRoot(version, groups())
}

// NewRootFor returns the root command to run args with. When args start
// with a command's name, only that command's group is built: building
// every command (their flags, and the completion data of init) is most of
// what a command like `axios check` does before it starts. Anything else
// (no command, a flag, help, shell completion, a misspelt name that gets a
// suggestion) gets the whole tree.
func NewRootFor(version string, args []string) *cobra.Command {
	if len(args) > 0 {
		for _, g := range groups() {
			if slices.Contains(g.names, args[0]) {
				root := newRoot(version, []group{g})
				// Not reachable from a command's name; cobra would
				// build it on every run.
				root.CompletionOptions.DisableDefaultCmd = true
				return root
			}
		}
	}
	return NewRoot(version)
}

func newRoot(version string, gs []group) *cobra.Command {
	root := &cobra.Command{
		Use:           "axios",
		Short:         "Build, check and run axiOS NixOS configurations",
		Long:          "axios is the front door of the axiOS NixOS framework: it creates a configuration for this machine, checks host files instantly, shows what a host will get, and builds, switches and rolls back systems safely.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, g := range gs {
		root.AddCommand(g.build()...)
	}
	return root
}

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

// wallpaperCommand is `axios wallpaper`: the helper program
// axios-wallpaper (internal/cmd/wallpaper), apart because the image codecs
// and the blur would otherwise load for every command.
func wallpaperCommand() *cobra.Command {
	return helper.Command("wallpaper blur IN OUT | psnr A B [flags]",
		"Wallpaper helpers: the blurred overview background",
		`Write a Gaussian-blurred copy of an image (axios wallpaper blur IN OUT: the
overview blur the desktop's wallpaper-change hook runs) or print the PSNR
between two images (axios wallpaper psnr A B).

The commands are the helper program axios-wallpaper, installed beside axios
by the axiOS flake's package (or found on PATH); axios wallpaper runs it
with the same arguments. axios wallpaper blur --help lists the flags
(--sigma, --scale, --workers, --quality, --time).`, helper.Wallpaper, helper.Default)
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
