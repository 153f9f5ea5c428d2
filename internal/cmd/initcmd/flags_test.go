package initcmd

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	axios "github.com/axios-nix/axios"
	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/rules"
)

// TestFlagHelpFollowsTheRules: the values init's help gives for
// --form-factor, --cpu, --gpu, --vendor, --system and --profile are the
// host fields' values in the rules and the catalog's profiles, so a vendor
// added to lib/rules.toml shows up in the help without a second edit.
func TestFlagHelpFollowsTheRules(t *testing.T) {
	data := strings.Replace(string(axios.RulesTOML), `"system76"`, `"system76", "framework"`, 1)
	if data == string(axios.RulesTOML) {
		t.Fatal(`lib/rules.toml has no "system76" vendor to add a vendor beside`)
	}
	rl, err := rules.Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	usage := func(rl *rules.Rules, flag string) string {
		f := pflag.NewFlagSet("init", pflag.ContinueOnError)
		var o options
		var fl Flags
		addFlags(f, &o, &fl, catalog.Default(), rl)
		return f.Lookup(flag).Usage
	}
	for flag, want := range map[string]string{
		"vendor":      "msi, system76, framework or none (default: detected)",
		"cpu":         "amd, intel or none (default: detected)",
		"gpu":         "amd, nvidia, intel or none (default: detected)",
		"form-factor": "desktop or laptop (default: detected)",
		"system":      "x86_64-linux or aarch64-linux (default: detected)",
	} {
		if got := usage(rl, flag); got != want {
			t.Errorf("--%s: %q, want %q", flag, got, want)
		}
	}
	if got := usage(rules.Default(), "vendor"); strings.Contains(got, "framework") {
		t.Errorf("--vendor with the embedded rules: %q", got)
	}
	profiles := catalog.Default().Profiles()
	got := usage(rules.Default(), "profile")
	for _, p := range profiles {
		if !strings.Contains(got, p) {
			t.Errorf("--profile %q does not name the profile %q", got, p)
		}
	}
}
