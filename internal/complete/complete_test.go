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
	InitFlags(cmd, catalog.Default(), rl) // flags it does not have are skipped
	if fn, ok := cmd.GetFlagCompletionFunc("gpu"); !ok {
		t.Error("no --gpu completion")
	} else if got, _ := fn(cmd, nil, ""); strings.Join(got, ",") != "amd,nvidia,intel,none" {
		t.Errorf("--gpu: %q", got)
	}
	if _, ok := cmd.GetFlagCompletionFunc("enable"); !ok {
		t.Error("no --enable completion")
	}
}
