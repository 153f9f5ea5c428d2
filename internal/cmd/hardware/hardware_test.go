package hardware

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/testutil"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return cmdtest.Execute(Commands()[0], args...)
}

func fixture(t *testing.T, name string) string {
	return filepath.Join(testutil.RepoRoot(t), "internal", "hwdetect", "testdata", name)
}

func TestHardwareText(t *testing.T) {
	out, err := run(t, "--root", fixture(t, "nvidia-intel-laptop"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gpu          nvidia", "gpuDeviceId  10de:28e0", "nvidiaOpen   (default)", "preferred over 0000:00:02.0 Intel", "formFactor   laptop", "BAT0", "Europe/Berlin", "not NixOS"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestHardwareJSON(t *testing.T) {
	out, err := run(t, "--json", "--root", fixture(t, "amd-desktop"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		CPU    struct{ Value, Source string }
		Vendor struct{ Value string }
		GPUs   []struct{ Address string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.CPU.Value != "amd" || !strings.Contains(r.CPU.Source, "AuthenticAMD") || r.Vendor.Value != "msi" || len(r.GPUs) != 2 {
		t.Errorf("unexpected report: %+v", r)
	}
}

// A machine without GPUs or disks (an empty tree) lists them as [], not null.
func TestHardwareJSONEmptyLists(t *testing.T) {
	out, err := run(t, "--json", "--root", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"gpus": []`) || strings.Contains(out, "null") {
		t.Errorf("empty lists are not []:\n%s", out)
	}
}

func TestHardwareBadRoot(t *testing.T) {
	if _, err := run(t, "--root", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("expected an error for a missing root")
	}
}
