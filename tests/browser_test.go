package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// lib/core/browser.nix: the browser flags with hardware video decoding per
// GPU, evaluated with nix-instantiate; and the Brave home module using it.

func browserArgs(t *testing.T, args string) []string {
	t.Helper()
	var got []string
	testutil.NixEval(t, testutil.RepoRoot(t), "(import ./lib/core/browser.nix).args "+args, &got)
	return got
}

func TestBrowserVideoDecodePerGPU(t *testing.T) {
	t.Parallel()
	vaapi := "--enable-features=AcceleratedVideoDecodeLinuxGL,AcceleratedVideoDecodeLinuxZeroCopyGL,AcceleratedVideoEncoder"
	cases := map[string][]string{
		`"amd"`:    {vaapi},
		`"intel"`:  {vaapi},
		`"nvidia"`: {"--disable-gpu-memory-buffer-video-frames", "--enable-features=AcceleratedVideoDecodeLinuxGL,VaapiOnNvidiaGPUs,VaapiIgnoreDriverChecks"},
		`null`:     {},
	}
	for gpu, want := range cases {
		t.Run(gpu, func(t *testing.T) {
			t.Parallel()
			got := browserArgs(t, fmt.Sprintf("{ gpuType = %s; }", gpu))
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("gpuType %s: %q, want %q", gpu, got, want)
			}
			off := browserArgs(t, fmt.Sprintf(`{ gpuType = %s; hardwareVideoDecode = false; args = [ "--gtk-version=4" ]; }`, gpu))
			if strings.Join(off, " ") != "--gtk-version=4" {
				t.Errorf("gpuType %s with hardwareVideoDecode = false: %q, want only the user's flags", gpu, off)
			}
		})
	}
}

// TestBrowserFeaturesAreMerged: Chromium reads only the last
// --enable-features, so the user's and the decoding features end up in one
// flag; a feature the user disables stays disabled; nothing is repeated.
func TestBrowserFeaturesAreMerged(t *testing.T) {
	t.Parallel()
	got := browserArgs(t, `{ gpuType = "amd"; args = [
		"--password-store=detect"
		"--enable-features=TouchpadOverscrollHistoryNavigation,AcceleratedVideoEncoder"
		"--disable-features=AcceleratedVideoDecodeLinuxZeroCopyGL"
		"--enable-features=WaylandWindowDecorations"
	]; }`)
	want := []string{
		"--password-store=detect",
		"--enable-features=TouchpadOverscrollHistoryNavigation,AcceleratedVideoEncoder,WaylandWindowDecorations,AcceleratedVideoDecodeLinuxGL",
		"--disable-features=AcceleratedVideoDecodeLinuxZeroCopyGL",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("merged flags:\n %q\nwant\n %q", got, want)
	}
	nv := browserArgs(t, `{ gpuType = "nvidia"; args = [ "--disable-gpu-memory-buffer-video-frames" ]; }`)
	if n := strings.Count(strings.Join(nv, " "), "--disable-gpu-memory-buffer-video-frames"); n != 1 {
		t.Errorf("a flag the user already gives is repeated: %q", nv)
	}
}

func TestBrowserBadInput(t *testing.T) {
	t.Parallel()
	for args, want := range map[string]string{
		`{ gpuType = "matrox"; }`:          `axios.hardware.gpuType = "matrox" is not supported for browser video decoding; use one of amd, intel, nvidia or null`,
		`{ args = "--gtk-version=4"; }`:    "browser flags must be a list of strings",
		`{ hardwareVideoDecode = "yes"; }`: "hardwareVideoDecode must be true or false",
	} {
		t.Run(args, func(t *testing.T) {
			t.Parallel()
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), "(import ./lib/core/browser.nix).args "+args)
			if !strings.Contains(out, want) {
				t.Errorf("%s: want an error containing %q, got\n%s", args, want, out)
			}
		})
	}
}

// TestBraveGetsVideoDecodeFromTheSystemGPU: the Brave home module reads the
// GPU from the NixOS side and hands the merged flags to programs.brave.
func TestBraveGetsVideoDecodeFromTheSystemGPU(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{ os = { axios.hardware.gpuType = "intel"; }; }`: "--password-store=detect --gtk-version=4 --enable-features=AcceleratedVideoDecodeLinuxGL,AcceleratedVideoDecodeLinuxZeroCopyGL,AcceleratedVideoEncoder",
		`{ os = { axios.hardware.gpuType = null; }; }`:    "--password-store=detect --gtk-version=4",
		`{ }`: "--password-store=detect --gtk-version=4",
		`{ os = { axios.hardware.gpuType = "nvidia"; }; home.axios.browser.hardwareVideoDecode = false; }`: "--password-store=detect --gtk-version=4",
		`{ home.axios.browser.gpuType = "amd"; }`:                                                          "--password-store=detect --gtk-version=4 --enable-features=AcceleratedVideoDecodeLinuxGL,AcceleratedVideoDecodeLinuxZeroCopyGL,AcceleratedVideoEncoder",
	}
	for args, want := range cases {
		var got []string
		homeEval(t, args, "h.config.programs.brave.commandLineArgs", &got)
		if strings.Join(got, " ") != want {
			t.Errorf("%s: programs.brave.commandLineArgs = %q\nwant %q", args, strings.Join(got, " "), want)
		}
	}
}
