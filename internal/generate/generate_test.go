package generate

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// tricky values: quotes, backslashes, Nix interpolation, TOML escapes, Unicode.
var trickyNames = []string{
	`Ada "the Countess" Lovelace`,
	`C:\Users\ada \n not a newline`,
	`José Müller-Ødegård 山田太郎 🚀`,
	`${builtins.abort "x"} $HOME '' \${x}`,
	`tab	inside`,
}

// testHash is a yescrypt hash in the form axios init writes.
const testHash = "$y$j9T$vTCqkThyKeTgVOwOCwWkS1$FrukEPIaWfUU5.fvzhcMye5EuemOYsxb/R3ZEzXl/JB"

func answers() Answers {
	return Answers{
		Hostname:    "tower",
		System:      "x86_64-linux",
		TimeZone:    "Europe/Berlin",
		FormFactor:  "desktop",
		CPU:         "amd",
		GPU:         "amd",
		Vendor:      "msi",
		HasSSD:      true,
		HomeProfile: "workstation",
		Modules:     map[string]bool{"desktop": true, "graphics": true, "virt": true},
		User:        User{Name: "ada", FullName: "Ada Lovelace", Email: "ada@example.org", HashedPassword: testHash},
		Virt:        Virt{Libvirt: true},
		Date:        "2026-11-29",
	}
}

func TestTOMLStringRoundTrip(t *testing.T) {
	for _, s := range append(trickyNames, "", "plain", "\x7f del", "bell \a", `"`, `\`) {
		doc := "v = " + TOMLString(s) + "\n"
		var out map[string]any
		if err := toml.Unmarshal([]byte(doc), &out); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, doc)
		}
		if out["v"] != s {
			t.Errorf("round trip of %q gave %q", s, out["v"])
		}
	}
}

func TestNixStringRoundTrip(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	in := append(trickyNames, "", "$", "${", "a$", `\`, "\n\r", "$${x}", "''${x}")
	expr := "[ "
	for _, s := range in {
		expr += NixString(s) + " "
	}
	var got []string
	testutil.NixEval(t, t.TempDir(), expr+"]", &got)
	if len(got) != len(in) {
		t.Fatalf("got %d strings, want %d", len(got), len(in))
	}
	for i, s := range in {
		if got[i] != s {
			t.Errorf("Nix round trip of %q gave %q", s, got[i])
		}
	}
}

func TestCheckText(t *testing.T) {
	if err := CheckText("full name", "José 山田"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"a\nb", "\xff\xfe", "nul\x00"} {
		err := CheckText("full name", bad)
		if err == nil || !strings.Contains(err.Error(), "full name") {
			t.Errorf("%q: got %v, want an error naming the field", bad, err)
		}
	}
}

func TestHostTOMLEscapingAndValidation(t *testing.T) {
	cat, rl := catalog.Default(), rules.Default()
	for _, name := range trickyNames {
		a := answers()
		a.User.FullName = strings.ReplaceAll(name, "\t", " ")
		a.User.Email = `o'"brien\@example.org`
		files, err := Render(a, Placeholder(a.Hostname, []string{"test"}), cat, rl)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := ValidateHost(files, a, hostrules.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 0 {
			t.Errorf("%q: diagnostics %+v", name, ds)
		}
		h, _ := hostfile.Parse(files[1].Content, a.HostPath())
		user := h.Values["users"].(map[string]any)["ada"].(map[string]any)
		if user["fullName"] != a.User.FullName || user["email"] != a.User.Email {
			t.Errorf("user read back as %v", user)
		}
	}
}

func TestHostTOMLContent(t *testing.T) {
	a := answers()
	s := HostTOML(a, catalog.Default(), rules.Default())
	var v map[string]any
	if err := toml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	if v["hostname"] != "tower" || v["timeZone"] != "Europe/Berlin" || v["formFactor"] != "desktop" {
		t.Errorf("top level wrong: %v", v)
	}
	hw := v["hardware"].(map[string]any)
	if hw["cpu"] != "amd" || hw["vendor"] != "msi" || hw["hasSSD"] != true || hw["isLaptop"] != false {
		t.Errorf("hardware wrong: %v", hw)
	}
	mods := v["modules"].(map[string]any)
	for _, f := range catalog.Default().Flags() {
		if _, ok := mods[f]; !ok {
			t.Errorf("modules.%s is not written", f)
		}
	}
	if mods["virt"] != true || mods["gaming"] != false || mods["system"] != true {
		t.Errorf("modules wrong: %v", mods)
	}
	virt := v["virt"].(map[string]any)
	if virt["libvirt"].(map[string]any)["enable"] != true || virt["containers"].(map[string]any)["enable"] != false {
		t.Errorf("virt wrong: %v", virt)
	}
	if !strings.Contains(s, "# an IANA time zone") {
		t.Errorf("keys are not commented from lib/rules.toml help:\n%s", s)
	}

	a.Modules = map[string]bool{}
	a.CPU, a.GPU, a.Vendor, a.User.Email = "", "", "", ""
	s = HostTOML(a, catalog.Default(), rules.Default())
	v = nil
	if err := toml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	if _, ok := v["virt"]; ok {
		t.Error("[virt] written although modules.virt is off")
	}
	if _, ok := v["hardware"].(map[string]any)["gpu"]; ok {
		t.Error("unset gpu written")
	}
	if _, ok := v["users"].(map[string]any)["ada"].(map[string]any)["email"]; ok {
		t.Error("empty email written")
	}
}

func TestHostTOMLNixFromTOML(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	a := answers()
	a.User.FullName = trickyNames[0] + " " + trickyNames[1] + " " + trickyNames[2]
	dir := t.TempDir()
	p := filepath.Join(dir, "tower.toml")
	if err := os.WriteFile(p, []byte(HostTOML(a, catalog.Default(), rules.Default())), 0o644); err != nil {
		t.Fatal(err)
	}
	var got string
	testutil.NixEval(t, dir, `(builtins.fromTOML (builtins.readFile ./tower.toml)).users.ada.fullName`, &got)
	if got != a.User.FullName {
		t.Errorf("Nix read fullName %q, want %q", got, a.User.FullName)
	}
}

func TestNixFilesParse(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate")
	a := answers()
	a.AxiosURL = `path:/tmp/a "b" ${c}`
	files, err := Render(a, Placeholder("tower", []string{`reason with "quotes" and ${x}`}), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, files, false); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"flake.nix", "hosts/tower/hardware.nix"} {
		out, err := exec.Command(nix, "--parse", filepath.Join(dir, f)).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not parse: %v\n%s", f, err, out)
		}
	}
	// The flake's axios URL is read back exactly.
	var url string
	testutil.NixEval(t, dir, `(import ./flake.nix).inputs.axios.url`, &url)
	if url != a.AxiosURL {
		t.Errorf("axios url %q, want %q", url, a.AxiosURL)
	}
	var follows string
	testutil.NixEval(t, dir, `(import ./flake.nix).inputs.nixpkgs.follows`, &follows)
	if follows != "axios/nixpkgs" {
		t.Errorf("nixpkgs.follows = %q", follows)
	}
	// The placeholder stops evaluation with its message.
	cmd := exec.Command(nix, "--eval", "-E", "(import ./hosts/tower/hardware.nix) { }")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "nixos-generate-config --show-hardware-config > hosts/tower/hardware.nix") {
		t.Errorf("placeholder did not fail with instructions: %v\n%s", err, out)
	}
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	a := answers()
	files, err := Render(a, Placeholder("tower", nil), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = Write(dir, files, false)
	var ex *ExistsError
	if !errors.As(err, &ex) || len(ex.Paths) != 1 || ex.Paths[0] != "flake.nix" {
		t.Fatalf("got %v, want an ExistsError listing flake.nix", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "flake.nix")); string(b) != "mine" {
		t.Error("flake.nix was overwritten")
	}
	if ok, _ := exists(filepath.Join(dir, "hosts")); ok {
		t.Error("other files were written although one existed")
	}
	if err := Write(dir, files, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "flake.nix")); string(b) == "mine" {
		t.Error("--force did not overwrite flake.nix")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(b) != string(f.Content) {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
}

func exists(p string) (bool, error) {
	_, err := os.Stat(p)
	return err == nil, nil
}

func TestRenderRejectsBadText(t *testing.T) {
	a := answers()
	a.User.FullName = "two\nlines"
	if _, err := Render(a, Placeholder("tower", nil), catalog.Default(), rules.Default()); err == nil || !strings.Contains(err.Error(), "full name") {
		t.Errorf("got %v", err)
	}
	a = answers()
	a.Hostname = "../etc"
	if _, err := Render(a, Placeholder("x", nil), catalog.Default(), rules.Default()); err == nil {
		t.Error("a hostname with a slash was accepted as a file name")
	}
}

func TestResolveModules(t *testing.T) {
	cat := catalog.Default()
	vals, changes, err := ResolveModules(cat, map[string]bool{"gaming": true}, nil, "", "desktop")
	if err != nil {
		t.Fatal(err)
	}
	if !vals["graphics"] || len(changes) != 1 || changes[0].Flag != "graphics" || changes[0].For != "gaming" {
		t.Errorf("gaming should turn graphics on: %v %+v", vals, changes)
	}
	_, _, err = ResolveModules(cat, map[string]bool{"gaming": true, "graphics": false}, map[string]bool{"graphics": true}, "", "desktop")
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Flag != "gaming" || ce.Requires != "graphics" {
		t.Errorf("got %v, want a conflict gaming/graphics", err)
	}
	// desktop needs networking (on by default): nothing changes.
	_, changes, err = ResolveModules(cat, map[string]bool{"desktop": true}, nil, "", "desktop")
	if err != nil || len(changes) != 0 {
		t.Errorf("desktop: %v %+v", err, changes)
	}
	// networking off + ai on: ai needs networking.
	vals, changes, err = ResolveModules(cat, map[string]bool{"ai": true, "networking": false}, nil, "", "desktop")
	if err != nil || !vals["networking"] || len(changes) != 1 {
		t.Errorf("ai: %v %v %+v", err, vals, changes)
	}
}

func TestParseFlagList(t *testing.T) {
	cat := catalog.Default()
	got, err := ParseFlagList(cat, []string{"gaming,ai", " virt "})
	if err != nil || strings.Join(got, " ") != "gaming ai virt" {
		t.Errorf("got %v %v", got, err)
	}
	if _, err := ParseFlagList(cat, []string{"gamming"}); err == nil || !strings.Contains(err.Error(), "gaming") {
		t.Errorf("typo: %v", err)
	}
}

type fakeRunner struct {
	out  []byte
	err  error
	cmds []string
}

func (f *fakeRunner) Run(_ context.Context, c runner.Cmd) error {
	f.cmds = append(f.cmds, c.String())
	return f.err
}

func (f *fakeRunner) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	f.cmds = append(f.cmds, c.String())
	return f.out, f.err
}

func TestFindHardware(t *testing.T) {
	found := func(string) (string, error) { return "/run/current-system/sw/bin/nixos-generate-config", nil }
	missing := func(string) (string, error) { return "", exec.ErrNotFound }
	ctx := context.Background()

	r := &fakeRunner{out: []byte("{ ... }: { }\n")}
	hw := FindHardware(ctx, r, found, "/", "tower")
	if hw.Placeholder || hw.Source != "nixos-generate-config --show-hardware-config" || string(hw.Content) != "{ ... }: { }\n" {
		t.Errorf("generated: %+v", hw)
	}
	if len(r.cmds) != 1 || r.cmds[0] != "nixos-generate-config --show-hardware-config" {
		t.Errorf("ran %v", r.cmds)
	}

	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/nixos"), 0o755); err != nil {
		t.Fatal(err)
	}
	hwFile := filepath.Join(root, "etc/nixos/hardware-configuration.nix")
	if err := os.WriteFile(hwFile, []byte("{ }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = &fakeRunner{}
	hw = FindHardware(ctx, r, found, root, "tower")
	if hw.Placeholder || hw.Source != hwFile || len(r.cmds) != 0 {
		t.Errorf("copy from a root must not run nixos-generate-config: %+v %v", hw, r.cmds)
	}

	hw = FindHardware(ctx, &fakeRunner{}, missing, t.TempDir(), "tower")
	if !hw.Placeholder || !strings.Contains(hw.Warning, "placeholder") || !strings.Contains(string(hw.Content), "throw") {
		t.Errorf("placeholder: %+v", hw)
	}

	r = &fakeRunner{err: errors.New("boom")}
	hw = FindHardware(ctx, r, found, "/", "tower")
	if hw.Placeholder && !strings.Contains(hw.Warning, "boom") {
		t.Errorf("failure reason lost: %+v", hw)
	}
}

func TestSwitchCommand(t *testing.T) {
	if got := SwitchCommand("/home/ada/.config/nixos_config", "tower"); got != "sudo nixos-rebuild switch --flake /home/ada/.config/nixos_config#tower" {
		t.Errorf("got %s", got)
	}
	if got := SwitchCommand("/tmp/my dir", "tower"); got != "sudo nixos-rebuild switch --flake '/tmp/my dir#tower'" {
		t.Errorf("got %s", got)
	}
}

// FuzzHostTOMLFullName: any full name CheckText accepts is written so that
// the host parses and reads back the same.
func FuzzHostTOMLFullName(f *testing.F) {
	for _, s := range trickyNames {
		f.Add(s)
	}
	f.Add("\u2028\u0085 zero\u200bwidth")
	cat, rl := catalog.Default(), rules.Default()
	f.Fuzz(func(t *testing.T, name string) {
		if CheckText("full name", name) != nil {
			return
		}
		a := answers()
		a.User.FullName = name
		h, err := hostfile.Parse([]byte(HostTOML(a, cat, rl)), "tower.toml")
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if got := get(h.Values, "users", "ada", "fullName"); got != name {
			t.Fatalf("read back %q, want %q", got, name)
		}
	})
}

func get(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		t, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = t[k]
	}
	return v
}

// TestHostTOMLPassword: the hash init computed is the host's hashedPassword;
// without one the key is a comment and validation warns (AX601).
func TestHostTOMLPassword(t *testing.T) {
	cat, rl := catalog.Default(), rules.Default()
	a := answers()
	files, err := Render(a, Placeholder(a.Hostname, []string{"test"}), cat, rl)
	if err != nil {
		t.Fatal(err)
	}
	h, err := hostfile.Parse(files[1].Content, a.HostPath())
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Values["users"].(map[string]any)["ada"].(map[string]any)["hashedPassword"]; got != testHash {
		t.Errorf("hashedPassword = %v", got)
	}
	if ds, _ := ValidateHost(files, a, hostrules.Options{}); len(ds) != 0 {
		t.Errorf("diagnostics %v", ds)
	}

	a.User.HashedPassword = ""
	files, err = Render(a, Placeholder(a.Hostname, []string{"test"}), cat, rl)
	if err != nil {
		t.Fatal(err)
	}
	h, _ = hostfile.Parse(files[1].Content, a.HostPath())
	if _, ok := h.Values["users"].(map[string]any)["ada"].(map[string]any)["hashedPassword"]; ok {
		t.Error("an empty hash was written")
	}
	if !strings.Contains(string(files[1].Content), "# hashedPassword = \"$y$…\"") {
		t.Errorf("no hint where the hash goes:\n%s", files[1].Content)
	}
	ds, _ := ValidateHost(files, a, hostrules.Options{})
	if len(ds) != 1 || ds[0].Code != "AX601" || ds[0].Field != "users.ada" {
		t.Errorf("diagnostics %v, want AX601 users.ada", ds)
	}
}
