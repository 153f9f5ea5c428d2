package complete

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/rules"
)

func TestList(t *testing.T) {
	f := List([]string{"ai", "gaming", "virt"})
	for in, want := range map[string]string{
		"":         "ai,gaming,virt",
		"ga":       "ai,gaming,virt",
		"virt,":    "virt,ai|virt,gaming",
		"virt,ga":  "virt,ai|virt,gaming",
		"ai,virt,": "ai,virt,gaming",
	} {
		got, dir := f(nil, nil, in)
		sep := ","
		if strings.Contains(in, ",") {
			sep = "|"
		}
		if strings.Join(got, sep) != want || dir&cobra.ShellCompDirectiveNoSpace == 0 {
			t.Errorf("List(%q) = %q (%d), want %q", in, got, dir, want)
		}
	}
}

func TestPrefixed(t *testing.T) {
	f := Prefixed([]string{"Europe/Berlin", "Europe/Bern", "Europe/Paris", "UTC"})
	for in, want := range map[string]string{
		"":               "Europe/Berlin,Europe/Bern,Europe/Paris,UTC",
		"Europe/Ber":     "Europe/Berlin,Europe/Bern",
		"europe/berl":    "Europe/Berlin",
		"Europe/Berlin":  "Europe/Berlin",
		"Europe/Berlinx": "",
		"Asia/":          "",
	} {
		got, dir := f(nil, nil, in)
		if strings.Join(got, ",") != want || dir != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("Prefixed(%q) = %q (%d), want %q", in, got, dir, want)
		}
	}
}

func TestEnumAndInitFlags(t *testing.T) {
	rl := rules.Default()
	if got := strings.Join(Enum(rl, "hardware.gpu", "none"), ","); got != "amd,nvidia,intel,none" {
		t.Errorf("Enum = %q", got)
	}
	if got := Enum(rl, "no.such.field"); len(got) != 0 {
		t.Errorf("unknown field: %q", got)
	}
	cmd := &cobra.Command{Use: "x"}
	cmd.Flags().String("gpu", "", "")
	cmd.Flags().StringSlice("enable", nil, "")
	cmd.Flags().String("timezone", "", "")
	InitFlags(cmd, catalog.Default(), rl) // flags it does not have are skipped
	if fn, ok := cmd.GetFlagCompletionFunc("gpu"); !ok {
		t.Error("no --gpu completion")
	} else if got, _ := fn(cmd, nil, ""); strings.Join(got, ",") != "amd,nvidia,intel,none" {
		t.Errorf("--gpu: %q", got)
	}
	if _, ok := cmd.GetFlagCompletionFunc("enable"); !ok {
		t.Error("no --enable completion")
	}
	// Time zones: the ones starting with what was typed, from the rules.
	if fn, ok := cmd.GetFlagCompletionFunc("timezone"); !ok {
		t.Error("no --timezone completion")
	} else {
		all, _ := fn(cmd, nil, "")
		got, _ := fn(cmd, nil, "Europe/Berl")
		if len(all) != len(rl.TimeZones) || strings.Join(got, ",") != "Europe/Berlin" {
			t.Errorf("--timezone: %d of %d zones for \"\", %q for Europe/Berl", len(all), len(rl.TimeZones), got)
		}
	}
}
