package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// graphicsPlan is the result of lib/core/graphics.nix.
type graphicsPlan struct {
	KernelParams     []string          `json:"kernelParams"`
	VideoDrivers     []string          `json:"videoDrivers"`
	ExtraPackages    []string          `json:"extraPackages"`
	ExtraPackages32  []string          `json:"extraPackages32"`
	Tools            []string          `json:"tools"`
	SessionVariables map[string]string `json:"sessionVariables"`
	NvidiaPackage    *string           `json:"nvidiaPackage"`
	Prime            *struct {
		Mode        string `json:"mode"`
		Offload     bool   `json:"offload"`
		Sync        bool   `json:"sync"`
		ReverseSync bool   `json:"reverseSync"`
	} `json:"prime"`
	AmdInitrd bool `json:"amdInitrd"`
	Corectrl  bool `json:"corectrl"`
}

func graphicsCore(t *testing.T) string {
	t.Helper()
	return filepath.Join(testutil.RepoRoot(t), "lib", "core", "graphics.nix")
}

func evalPlan(t *testing.T, args string) graphicsPlan {
	t.Helper()
	var p graphicsPlan
	testutil.NixEval(t, testutil.RepoRoot(t), fmt.Sprintf("import %s %s", graphicsCore(t), args), &p)
	return p
}

// The tools every host with a GPU gets; without one only wayland-utils.
var neutralTools = []string{"wayland-utils", "clinfo", "vulkan-tools", "libva-utils", "renderdoc"}

func TestGraphicsPlanPerVendor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		gpu          string
		kernelParams []string
		drivers      []string
		extra        []string
		extra32      []string
		vendorTools  []string
		libva        string
		nvidia       bool
		amd          bool
	}{
		{"null", nil, nil, nil, nil, nil, "", false, false},
		{`"amd"`, nil, nil, nil, nil, []string{"nvtopPackages.amd", "radeontop", "amdgpu_top"}, "radeonsi", false, true},
		{`"intel"`, nil, nil, []string{"intel-media-driver", "vpl-gpu-rt"}, []string{"intel-media-driver"}, []string{"nvtopPackages.intel", "intel-gpu-tools"}, "iHD", false, false},
		{`"nvidia"`, []string{"nvidia_drm.modeset=1"}, []string{"nvidia"}, []string{"nvidia-vaapi-driver"}, nil, []string{"nvtopPackages.nvidia"}, "nvidia", true, false},
	}
	for _, c := range cases {
		t.Run(c.gpu, func(t *testing.T) {
			t.Parallel()
			p := evalPlan(t, fmt.Sprintf("{ gpuType = %s; }", c.gpu))
			if !equalList(p.KernelParams, c.kernelParams) {
				t.Errorf("kernelParams = %q, want %q", p.KernelParams, c.kernelParams)
			}
			if !equalList(p.VideoDrivers, c.drivers) {
				t.Errorf("videoDrivers = %q, want %q", p.VideoDrivers, c.drivers)
			}
			if !equalList(p.ExtraPackages, c.extra) || !equalList(p.ExtraPackages32, c.extra32) {
				t.Errorf("extraPackages = %q / %q, want %q / %q", p.ExtraPackages, p.ExtraPackages32, c.extra, c.extra32)
			}
			want := append(slices.Clone(neutralTools), c.vendorTools...)
			if c.gpu == "null" {
				want = []string{"wayland-utils"}
			}
			if !equalList(p.Tools, want) {
				t.Errorf("tools = %q, want %q", p.Tools, want)
			}
			if p.SessionVariables["LIBVA_DRIVER_NAME"] != c.libva || p.SessionVariables["GSK_RENDERER"] != "ngl" {
				t.Errorf("sessionVariables = %v, want LIBVA_DRIVER_NAME %q and GSK_RENDERER ngl", p.SessionVariables, c.libva)
			}
			if (p.NvidiaPackage != nil) != c.nvidia {
				t.Errorf("nvidiaPackage = %v, want set only for nvidia", p.NvidiaPackage)
			}
			if p.AmdInitrd != c.amd || p.Corectrl != c.amd {
				t.Errorf("amdInitrd/corectrl = %v/%v, want %v", p.AmdInitrd, p.Corectrl, c.amd)
			}
		})
	}
}

func TestGraphicsGPURecoveryIsAMDOnlyAndOptIn(t *testing.T) {
	t.Parallel()
	for args, want := range map[string][]string{
		`{ gpuType = "amd"; }`:                              nil,
		`{ gpuType = "amd"; enableGPURecovery = true; }`:    {"amdgpu.gpu_recovery=1"},
		`{ gpuType = "intel"; enableGPURecovery = true; }`:  nil,
		`{ gpuType = "nvidia"; enableGPURecovery = true; }`: {"nvidia_drm.modeset=1"},
		`{ gpuType = null; enableGPURecovery = true; }`:     nil,
	} {
		if got := evalPlan(t, args).KernelParams; !equalList(got, want) {
			t.Errorf("%s: kernelParams = %q, want %q", args, got, want)
		}
	}
}

func TestGraphicsNvidiaDriverChannel(t *testing.T) {
	t.Parallel()
	for _, ch := range []string{"stable", "beta", "production"} {
		p := evalPlan(t, fmt.Sprintf(`{ gpuType = "nvidia"; nvidiaDriver = %q; }`, ch))
		if p.NvidiaPackage == nil || *p.NvidiaPackage != ch {
			t.Errorf("channel %s: nvidiaPackage = %v", ch, p.NvidiaPackage)
		}
	}
	if p := evalPlan(t, `{ gpuType = "nvidia"; }`); p.NvidiaPackage == nil || *p.NvidiaPackage != "stable" {
		t.Errorf("default channel = %v, want stable", p.NvidiaPackage)
	}
}

func TestGraphicsPrime(t *testing.T) {
	t.Parallel()
	type want struct {
		set                        bool
		mode                       string
		offload, sync, reverseSync bool
	}
	cases := map[string]want{
		`{ gpuType = "nvidia"; }`:                                             {true, "off", false, false, false},
		`{ gpuType = "nvidia"; isLaptop = true; }`:                            {false, "", false, false, false},
		`{ gpuType = "nvidia"; isLaptop = true; primeMode = "offload"; }`:     {true, "offload", true, false, false},
		`{ gpuType = "nvidia"; primeMode = "sync"; }`:                         {true, "sync", false, true, false},
		`{ gpuType = "nvidia"; isLaptop = true; primeMode = "reverseSync"; }`: {true, "reverseSync", false, false, true},
		`{ gpuType = "nvidia"; isLaptop = true; primeMode = "off"; }`:         {true, "off", false, false, false},
		`{ gpuType = "amd"; primeMode = "offload"; }`:                         {false, "", false, false, false},
	}
	for args, w := range cases {
		p := evalPlan(t, args).Prime
		if (p != nil) != w.set {
			t.Errorf("%s: prime = %+v, want set=%v", args, p, w.set)
			continue
		}
		if p != nil && (p.Mode != w.mode || p.Offload != w.offload || p.Sync != w.sync || p.ReverseSync != w.reverseSync) {
			t.Errorf("%s: prime = %+v, want %+v", args, *p, w)
		}
	}
}

func TestGraphicsBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ args, want string }{
		"gpu typo":    {`{ gpuType = "nvida"; }`, `axios.hardware.gpuType = "nvida" is not supported; use one of "amd", "nvidia", "intel" or null`},
		"bad channel": {`{ gpuType = "nvidia"; nvidiaDriver = "latest"; }`, `axios.hardware.nvidiaDriver = "latest" is not a driver channel; use one of "stable", "beta", "production"`},
		"bad prime":   {`{ gpuType = "nvidia"; primeMode = "on"; }`, `axios.hardware.nvidiaPrime.mode = "on" is not supported`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			expr := fmt.Sprintf("import %s %s", graphicsCore(t), c.args)
			out := testutil.NixEvalError(t, testutil.RepoRoot(t), expr)
			if !strings.Contains(out, c.want) {
				t.Errorf("error does not say %q:\n%s", c.want, out)
			}
		})
	}
}

// TestKVMModuleFollowsCPU covers the fix for the original's kvm-amd on
// every CPU.
func TestKVMModuleFollowsCPU(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	core := filepath.Join(root, "lib", "core", "kvm.nix")
	for arg, want := range map[string][]string{`"amd"`: {"kvm-amd"}, `"intel"`: {"kvm-intel"}, "null": {}} {
		var got []string
		testutil.NixEval(t, root, fmt.Sprintf("import %s %s", core, arg), &got)
		if !equalList(got, want) {
			t.Errorf("kvm.nix %s = %q, want %q", arg, got, want)
		}
	}
	if out := testutil.NixEvalError(t, root, fmt.Sprintf(`import %s "arm"`, core)); !strings.Contains(out, `axios.hardware.cpu = "arm" is not supported`) {
		t.Errorf("kvm.nix \"arm\" should fail naming the option, got:\n%s", out)
	}
}

// TestModulesImportExistingCoreFiles checks every `import ../../lib/core/…`
// in modules/ points at a file (parsing alone does not catch a typo).
func TestModulesImportExistingCoreFiles(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	re := regexp.MustCompile(`import (\.\./\.\./lib/core/[A-Za-z0-9_-]+\.nix)`)
	found := 0
	err := filepath.WalkDir(filepath.Join(root, "modules"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".nix") {
			return err
		}
		for _, m := range re.FindAllSubmatch(mustRead(t, path), -1) {
			found++
			target := filepath.Join(filepath.Dir(path), string(m[1]))
			if _, err := os.Stat(target); err != nil {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s imports %s, which does not exist", rel, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no module imports lib/core; the scan is broken")
	}
}

// equalList compares two string lists, treating nil and empty as equal.
func equalList(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestGPUVendorsFromRules: the GPU vendors and NVIDIA driver channels are
// written once, as the enums of hardware.gpu and hardware.nvidiaDriver in
// lib/rules.toml. Every vendor there has a graphics plan of its own and a
// browser decoding plan, and the option types of the graphics, Immich and
// browser modules accept exactly those values (and the profile option
// exactly the catalog's profiles).
func TestGPUVendorsFromRules(t *testing.T) {
	t.Parallel()
	type optionType struct {
		Accepts []string `json:"accepts"`
		Rejects bool     `json:"rejects"`
	}
	var got struct {
		Vendors  []string              `json:"vendors"`
		Channels []string              `json:"channels"`
		Profiles []string              `json:"profiles"`
		Plans    map[string]int        `json:"plans"`
		Browser  map[string]int        `json:"browser"`
		Options  map[string]optionType `json:"options"`
	}
	testutil.NixEval(t, testutil.RepoRoot(t), `let
		core = import ./lib/core { };
		v = core.vocabulary;
		ms = import ./tests/nix/modsys.nix;
		inherit (ms) lib;
		decls = path: (import path { inherit lib; config = { axios.hardware.gpuType = null; selfHosted.enable = false; networking.hostName = "h"; }; pkgs = { }; osConfig = null; }).options;
		probe = values: t: { accepts = builtins.filter t.check (values ++ [ "none" ]); rejects = !(t.check "none"); };
		plan = g: import ./lib/core/graphics.nix { gpuType = g; };
		neutral = plan null;
	in {
		vendors = v.gpuTypes;
		channels = v.nvidiaDrivers;
		profiles = v.profiles;
		plans = builtins.listToAttrs (map (g: { name = g; value = builtins.length (builtins.filter (p: !(builtins.elem p neutral.extraPackages)) (plan g).extraPackages) + builtins.length (builtins.attrNames (plan g).sessionVariables); }) v.gpuTypes);
		browser = builtins.listToAttrs (map (g: { name = g; value = builtins.length ((import ./lib/core/browser.nix).videoDecode g).enable; }) v.gpuTypes);
		options = {
			graphicsGpu = probe v.gpuTypes (decls ./modules/graphics/default.nix).axios.hardware.gpuType.type;
			graphicsDriver = probe v.nvidiaDrivers (decls ./modules/graphics/default.nix).axios.hardware.nvidiaDriver.type;
			immichGpu = probe v.gpuTypes (decls ./modules/services/immich.nix).selfHosted.immich.gpuType.type;
			browserGpu = probe v.gpuTypes (decls ./home/browser/default.nix).axios.browser.gpuType.type;
			homeProfile = probe v.profiles (decls ./home/profiles/base.nix).axios.home.profile.type;
		};
	}`, &got)
	var rules struct {
		Gpu      []string `json:"gpu"`
		Channels []string `json:"channels"`
		Default  string   `json:"default"`
	}
	testutil.NixEval(t, testutil.RepoRoot(t), `let f = (builtins.fromTOML (builtins.readFile ./lib/rules.toml)).field; in {
		gpu = f."hardware.gpu".enum; channels = f."hardware.nvidiaDriver".enum; default = f."hardware.nvidiaDriver".default; }`, &rules)
	if !slices.Equal(got.Vendors, rules.Gpu) || !slices.Equal(got.Channels, rules.Channels) || len(got.Vendors) < 3 || len(got.Channels) < 3 {
		t.Fatalf("vocabulary %v %v, rules.toml %v %v", got.Vendors, got.Channels, rules.Gpu, rules.Channels)
	}
	if !slices.Contains(got.Channels, rules.Default) {
		t.Errorf("hardware.nvidiaDriver default %q is not a channel", rules.Default)
	}
	if !slices.Equal(got.Profiles, []string{"laptop", "workstation"}) {
		t.Errorf("profiles = %v, want the catalog's laptop and workstation", got.Profiles)
	}
	for _, g := range got.Vendors {
		if got.Plans[g] == 0 {
			t.Errorf("GPU vendor %q of lib/rules.toml has no vendor packages or variables in lib/core/graphics.nix", g)
		}
		if got.Browser[g] == 0 {
			t.Errorf("GPU vendor %q of lib/rules.toml has no video decoding features in lib/core/browser.nix", g)
		}
	}
	want := map[string][]string{
		"graphicsGpu": got.Vendors, "immichGpu": got.Vendors, "browserGpu": got.Vendors,
		"graphicsDriver": got.Channels, "homeProfile": got.Profiles,
	}
	for name, values := range want {
		o, ok := got.Options[name]
		if !ok || !slices.Equal(o.Accepts, values) || !o.Rejects {
			t.Errorf("option type %s accepts %v (rejects an unknown value: %v), want exactly %v", name, o.Accepts, o.Rejects, values)
		}
	}
}
