// Package complete holds the shell completions commands share: the host
// names of the configuration, and the values of init's answer flags (module
// flags, hardware vendors, profiles …) from the catalog and the host rules.
package complete

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/rules"
)

// HostNames lists the hosts/*.toml stems of the configuration that dir (or
// the usual search) finds; nil when there is none.
func HostNames(r configdir.Resolver, dir string) []string {
	d, err := r.Resolve(dir)
	if err != nil {
		return nil
	}
	names, _ := activate.TOMLHosts(d.Path)
	return names
}

// Hosts completes up to max host arguments (0: any number), each host once;
// dir is read when the completion runs (the command's --dir flag).
func Hosts(r configdir.Resolver, dir *string, max int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		d := ""
		if dir != nil {
			d = *dir
		}
		var left []string
		for _, h := range HostNames(r, d) {
			if !slices.Contains(args, h) {
				left = append(left, h)
			}
		}
		return left, cobra.ShellCompDirectiveNoFileComp
	}
}

// HostFlag completes a flag whose value is a host name.
func HostFlag(r configdir.Resolver, dir *string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return Hosts(r, dir, 0)(cmd, nil, toComplete)
	}
}

// List completes a comma-separated list of values (--enable gaming,ai):
// the part before the last comma is kept, values already given are left out.
func List(values []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, _ := cutLast(toComplete, ",")
		given := strings.Split(done, ",")
		var out []string
		for _, v := range values {
			if slices.Contains(given, v) {
				continue
			}
			if done != "" {
				out = append(out, done+","+v)
			} else {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// Prefixed completes one value of a long list (the 600 time zones): only
// the values that start with what was typed so far, ignoring case (a shell
// set to match case-insensitively still finds "Europe/Berlin" for
// "europe/b"; the shell narrows the rest). zsh's completion script spends
// a process per candidate it is handed: all 600 zones for "Europe/Berl"
// took it seconds.
func Prefixed(values []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, v := range values {
			if len(v) >= len(toComplete) && strings.EqualFold(v[:len(toComplete)], toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func cutLast(s, sep string) (before, after string) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s
	}
	return s[:i], s[i+len(sep):]
}

// Enum returns the allowed values of a host field in the rules (string
// values only), plus extra ones such as "none".
func Enum(rl *rules.Rules, field string, extra ...string) []string {
	var out []string
	if f, ok := rl.Fields[field]; ok {
		for _, v := range f.Enum {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	return append(out, extra...)
}

// InitFlags registers the completions of init's answer flags on cmd (init
// and host add): module flags, vendors, profiles, form factor, system and
// time zone from the catalog and the host rules.
func InitFlags(cmd *cobra.Command, cat *catalog.Catalog, rl *rules.Rules) {
	fixed := func(flag string, values []string) {
		if cmd.Flags().Lookup(flag) != nil {
			_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	for _, flag := range []string{"enable", "disable"} {
		if cmd.Flags().Lookup(flag) != nil {
			_ = cmd.RegisterFlagCompletionFunc(flag, List(cat.Flags()))
		}
	}
	fixed("cpu", Enum(rl, "hardware.cpu", "none"))
	fixed("gpu", Enum(rl, "hardware.gpu", "none"))
	fixed("vendor", Enum(rl, "hardware.vendor", "none"))
	fixed("form-factor", Enum(rl, "formFactor"))
	fixed("system", Enum(rl, "system"))
	fixed("profile", cat.Profiles())
	if cmd.Flags().Lookup("timezone") != nil {
		_ = cmd.RegisterFlagCompletionFunc("timezone", Prefixed(rl.TimeZones))
	}
}
