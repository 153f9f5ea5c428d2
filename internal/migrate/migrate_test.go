package migrate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/testutil"
)

// file returns the data of the file at p in r, failing when there is none.
func file(t *testing.T, r *Result, p string) File {
	t.Helper()
	for _, f := range r.Files {
		if f.Path == p {
			return f
		}
	}
	t.Fatalf("no file %s in %+v", p, names(r))
	return File{}
}

func names(r *Result) []string {
	var out []string
	for _, f := range r.Files {
		out = append(out, f.Path)
	}
	return out
}

func hasItem(r *Result, action, from, to string) bool {
	for _, it := range r.Items {
		if it.Action == action && it.From == from && (to == "" || it.To == to) {
			return true
		}
	}
	return false
}

// parseHost reads the generated TOML with the parser `axios check` uses.
func parseHost(t *testing.T, r *Result) *hostfile.Host {
	t.Helper()
	h, err := hostfile.Parse(file(t, r, r.HostFile()).Data, r.HostFile())
	if err != nil {
		t.Fatalf("generated TOML does not parse: %v\n%s", err, file(t, r, r.HostFile()).Data)
	}
	return h
}

func TestConvertMapsEveryKey(t *testing.T) {
	cfg := t.TempDir()
	v := map[string]any{
		"hostname":    "tower",
		"system":      "x86_64-linux",
		"formFactor":  "laptop",
		"homeProfile": "laptop",
		"hardware":    map[string]any{"cpu": "intel", "gpu": "amd", "vendor": "system76", "hasSSD": true, "isLaptop": true},
		"modules":     map[string]any{"desktop": true, "graphics": true, "virt": true, "secrets": false, "services": true},
		"virt":        map[string]any{"libvirt": map[string]any{"enable": true}},
		"secrets":     map[string]any{"identityPaths": []any{"/etc/ssh/key"}},
		"selfHosted":  map[string]any{"immich": map[string]any{"enable": true, "port": int64(2283)}},
		"extraConfig": map[string]any{
			"axios":    map[string]any{"system": map[string]any{"timeZone": "Europe/Paris", "locale": "fr_FR.UTF-8"}, "user": map[string]any{"name": "bob", "email": "bob@example.org"}},
			"services": map[string]any{"fwupd": map[string]any{"enable": true}},
			"nix":      map[string]any{"settings": map[string]any{"cores": int64(4), "ratio": 0.5}},
		},
	}
	r, err := Convert(Source{File: "tower.nix", Value: v, ConfigDir: cfg})
	if err != nil {
		t.Fatal(err)
	}
	h := parseHost(t, r)
	want := map[string]any{
		"hostname": "tower", "system": "x86_64-linux", "formFactor": "laptop", "homeProfile": "laptop",
		"timeZone":   "Europe/Paris",
		"hardware":   map[string]any{"cpu": "intel", "gpu": "amd", "vendor": "system76", "hasSSD": true, "isLaptop": true},
		"modules":    map[string]any{"desktop": true, "graphics": true, "virt": true, "secrets": false, "services": true},
		"virt":       map[string]any{"libvirt": map[string]any{"enable": true}},
		"selfHosted": map[string]any{"immich": map[string]any{"enable": true, "port": int64(2283)}},
		"users":      map[string]any{"bob": map[string]any{"email": "bob@example.org"}},
		"extraConfig": map[string]any{
			"axios":    map[string]any{"system": map[string]any{"locale": "fr_FR.UTF-8"}},
			"services": map[string]any{"fwupd": map[string]any{"enable": true}},
			"nix":      map[string]any{"settings": map[string]any{"cores": int64(4), "ratio": 0.5}},
		},
	}
	if !reflect.DeepEqual(h.Values, want) {
		t.Errorf("host\n got %#v\nwant %#v\n%s", h.Values, want, file(t, r, r.HostFile()).Data)
	}
	for _, c := range []struct{ action, from, to string }{
		{Moved, "hostname", "hostname"},
		{Moved, "hardware.vendor", "hardware.vendor"},
		{Moved, "modules.services", "modules.services"},
		{Moved, "virt.libvirt.enable", "virt.libvirt.enable"},
		{Moved, "selfHosted.immich.port", "selfHosted.immich.port"},
		{Moved, "extraConfig.services.fwupd.enable", "extraConfig.services.fwupd.enable"},
		{Renamed, "extraConfig.axios.system.timeZone", "timeZone"},
		{Renamed, "extraConfig.axios.user.name", "users.bob"},
		{Renamed, "extraConfig.axios.user.email", "users.bob.email"},
		// secrets is off: the original ignored the table.
		{Unconverted, "secrets", "hosts/tower/migrated.nix (commented out)"},
		// axios.user.name: the original's password "changeme" is reported.
		{Password, "extraConfig.axios.user.name", "users.bob"},
	} {
		if !hasItem(r, c.action, c.from, c.to) {
			t.Errorf("no item %s %s → %s in %+v", c.action, c.from, c.to, r.Items)
		}
	}
	rep := checkdir.CheckBytes(file(t, r, r.HostFile()).Data, filepath.Join(cfg, "hosts", "tower.toml"), hostrules.Options{})
	if !rep.Valid {
		t.Errorf("converted host is invalid: %+v", rep.Diagnostics)
	}
}

func TestConvertKeepsWhatTOMLCannotHold(t *testing.T) {
	cfg := t.TempDir()
	v := map[string]any{
		"hostname": "box",
		"extraConfig": map[string]any{
			"axios":   map[string]any{"system": map[string]any{"timeZone": "UTC"}},
			"foo":     map[string]any{"bar": nil},
			"imports": []any{map[string]any{Marker: "path", "path": filepath.Join(cfg, "mods", "a b.nix")}},
			"boot":    map[string]any{"loader": map[string]any{"timeout": map[string]any{"_type": "override", "priority": int64(1000), "content": int64(3)}}},
			"x":       map[string]any{"_type": "if", "condition": true, "content": map[string]any{"y": map[string]any{"_type": "override", "priority": int64(50), "content": "z"}}},
			"order":   map[string]any{"_type": "order", "priority": int64(500), "content": []any{"a"}},
			"merged":  map[string]any{"_type": "merge", "contents": []any{map[string]any{"a": int64(1)}}},
			"abs":     map[string]any{Marker: "path", "path": "/srv/data"},
		},
		"unknownKey": []any{int64(1), nil},
		"modules":    map[string]any{"nope": true},
	}
	r, err := Convert(Source{File: "box.nix", Value: v, ConfigDir: cfg})
	if err != nil {
		t.Fatal(err)
	}
	mod := string(file(t, r, "hosts/box/migrated.nix").Data)
	for _, want := range []string{
		"  foo.bar = null;\n",
		`(./. + "/../../mods/a b.nix")`,
		"boot.loader.timeout = lib.mkDefault 3;",
		"x = lib.mkIf true {\n    y = lib.mkForce \"z\";\n  };",
		"order = lib.mkBefore [",
		"merged = lib.mkMerge [",
		"abs = /srv/data;",
		"#   unknownKey = [\n#     1\n#     null\n#   ];",
		"#   modules.nope = true;",
	} {
		if !strings.Contains(mod, want) {
			t.Errorf("migrated.nix lacks %q:\n%s", want, mod)
		}
	}
	if !hasItem(r, NixModule, "extraConfig.foo.bar", "") || !hasItem(r, Unconverted, "unknownKey", "") || !hasItem(r, Unconverted, "modules.nope", "") {
		t.Errorf("items %+v", r.Items)
	}
	testutil.RequireTool(t, "nix-instantiate")
	p := filepath.Join(t.TempDir(), "migrated.nix")
	if err := os.WriteFile(p, []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("nix-instantiate", "--parse", p).CombinedOutput(); err != nil {
		t.Errorf("migrated.nix does not parse: %v\n%s\n%s", err, out, mod)
	}
}

func TestConvertRefusesWhatIsNoHost(t *testing.T) {
	for _, c := range []struct {
		v    map[string]any
		want string
	}{
		{nil, "does not evaluate to an attribute set"},
		{map[string]any{Marker: "notAttrs", "type": "list"}, "evaluates to a list"},
		{map[string]any{"system": "x86_64-linux"}, "hostname: missing"},
		{map[string]any{"hostname": "../etc"}, `"../etc" is not a valid host name`},
		{map[string]any{"hostname": int64(3)}, "hostname: missing or not a string"},
	} {
		_, err := Convert(Source{File: "h.nix", Value: c.v, ConfigDir: "/cfg"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "h.nix: ") {
			t.Errorf("%v: error %v, want %q", c.v, err, c.want)
		}
	}
}

func TestPasswordsAreNeverCarriedOver(t *testing.T) {
	cfg := t.TempDir()
	user := []byte("{ ... }:\n{\n  users.users.bob = {\n    isNormalUser = true;\n    initialPassword = \"hunter2\";\n  };\n  users.users.eve.password = \"s3cret\";\n  users.users.bob.hashedPassword = \"$y$j9T$x$y\";\n}\n")
	v := map[string]any{
		"hostname":       "box",
		"userModulePath": map[string]any{Marker: "path", "path": filepath.Join(cfg, "user.nix")},
		"users":          map[string]any{"carol": map[string]any{"fullName": "Carol", "initialPassword": "carolpw"}},
		"extraConfig": map[string]any{
			"users": map[string]any{"users": map[string]any{"root": map[string]any{"initialPassword": "rootpw", "shell": "/bin/sh"}}},
			"axios": map[string]any{"users": map[string]any{"initialPassword": "changeme"}},
		},
	}
	um := &Module{Path: filepath.Join(cfg, "user.nix"), Text: user, Value: map[string]any{
		"users": map[string]any{"users": map[string]any{
			"bob": map[string]any{"isNormalUser": true, "initialPassword": "hunter2", "hashedPassword": "$y$j9T$x$y"},
			"eve": map[string]any{"password": "s3cret"},
		}},
	}}
	r, err := Convert(Source{File: "box.nix", Value: v, ConfigDir: cfg, UserModule: um})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Files {
		for _, pw := range []string{"hunter2", "s3cret", "carolpw", "rootpw", "changeme"} {
			if strings.Contains(string(f.Data), pw) {
				t.Errorf("%s carries the password %q:\n%s", f.Path, pw, f.Data)
			}
		}
	}
	for _, from := range []string{"users.carol.initialPassword", "extraConfig.users.users.root.initialPassword", "extraConfig.axios.users.initialPassword", "user.nix: users.users.bob.initialPassword", "user.nix: users.users.eve.password"} {
		if !hasItem(r, Password, from, "") {
			t.Errorf("password at %s not reported: %+v", from, r.Items)
		}
	}
	for _, it := range r.Items {
		if it.Action == Password && !strings.Contains(it.Note, "hashedPassword") {
			t.Errorf("password item does not point at hashedPassword: %+v", it)
		}
	}
	userNix := string(file(t, r, "hosts/box/user.nix").Data)
	if !strings.Contains(userNix, `hashedPassword = "$y$j9T$x$y"`) || !strings.Contains(userNix, "# initialPassword: a known password, removed") {
		t.Errorf("user.nix:\n%s", userNix)
	}
	h := parseHost(t, r)
	if !reflect.DeepEqual(h.Values["users"], map[string]any{"carol": map[string]any{"fullName": "Carol"}}) {
		t.Errorf("users %#v", h.Values["users"])
	}
	if h.Values["extraConfig"].(map[string]any)["users"].(map[string]any)["users"].(map[string]any)["root"].(map[string]any)["shell"] != "/bin/sh" {
		t.Errorf("extraConfig lost the other keys: %#v", h.Values["extraConfig"])
	}
}

func TestValueSource(t *testing.T) {
	src := "{\n  a = { b = 1; c = \"x;y\"; };\n  d = with pkgs; [ htop ]; # note; here\n  e.f = let g = 1; in g;\n  h = ''\n    i; j\n  '';\n}\n"
	for _, c := range []struct {
		line, col int
		want      string
	}{
		{2, 3, `{ b = 1; c = "x;y"; }`},
		{3, 3, "with pkgs; [ htop ]"},
		{4, 3, "let g = 1; in g"},
		{5, 3, "''\n    i; j\n  ''"},
	} {
		got, err := ValueSource([]byte(src), c.line, c.col)
		if err != nil || got != c.want {
			t.Errorf("%d:%d: %q, %v; want %q", c.line, c.col, got, err, c.want)
		}
	}
	if _, err := ValueSource([]byte(src), 40, 1); err == nil {
		t.Error("a position outside the file was accepted")
	}
	if _, err := ValueSource([]byte("{ a = [ 1 2 "), 1, 3); err == nil {
		t.Error("an unterminated value was accepted")
	}
}

func TestFreeNames(t *testing.T) {
	for src, want := range map[string][]string{
		"pkgs.caddy":                          nil,
		"lib.mkIf config.x.enable domain":     {"domain"},
		"let a = 1; in a + b":                 {"b"},
		"{ x, ... }: x + y":                   {"y"},
		"rec { a = 1; b = a; c = inputs.x; }": {"inputs"},
		"with pkgs; [ htop ]":                 nil,
		"{ inherit self; }":                   {"self"},
	} {
		if got := FreeNames(src); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", src, got, want)
		}
	}
}

// evalFile runs the real eval.nix on a fixture.
func evalFile(t *testing.T, file, mode string) map[string]any {
	t.Helper()
	testutil.RequireTool(t, "nix-instantiate")
	v, err := Evaluator{}.Eval(context.Background(), file, Root(file), mode)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEvalAndConvertInitLayout(t *testing.T) {
	root, err := filepath.Abs("testdata/init")
	if err != nil {
		t.Fatal(err)
	}
	hostFile := filepath.Join(root, "hosts", "tower.nix")
	v := evalFile(t, hostFile, ModeHost)
	up, ok := UserModulePath(v, hostFile)
	if !ok || up != filepath.Join(root, "user.nix") {
		t.Fatalf("user module %q %v", up, ok)
	}
	um := evalFile(t, up, ModeModule)
	text, _ := os.ReadFile(hostFile)
	r, err := Convert(Source{File: "hosts/tower.nix", Path: hostFile, Text: text, Value: v, ConfigDir: root,
		UserModule: &Module{Path: up, Value: um}})
	if err != nil {
		t.Fatal(err)
	}
	h := parseHost(t, r)
	if h.Values["timeZone"] != "Europe/Berlin" || !reflect.DeepEqual(h.Values["users"], map[string]any{"alice": map[string]any{"fullName": "Alice Smith", "email": "alice@example.org"}}) ||
		!reflect.DeepEqual(h.Values["virt"], map[string]any{"libvirt": map[string]any{"enable": true}, "containers": map[string]any{"enable": false}}) {
		t.Errorf("host %#v", h.Values)
	}
	if hw := file(t, r, "hosts/tower/hardware.nix"); hw.CopyOf != filepath.Join(root, "hosts", "tower", "hardware.nix") {
		t.Errorf("hardware %+v", hw)
	}
	if mod := string(file(t, r, "hosts/tower/migrated.nix").Data); !strings.Contains(mod, "secrets.secretsDir = ../../secrets;") {
		t.Errorf("secretsDir not relative to the module:\n%s", mod)
	}
	if !hasItem(r, Renamed, "user.nix: axios.user.name", "users.alice") || !hasItem(r, Password, "user.nix: axios.user.name", "") {
		t.Errorf("items %+v", r.Items)
	}
}

func TestEvalKeepsSourceOfWhatNeedsASystem(t *testing.T) {
	f, err := filepath.Abs("testdata/examples/server.nix")
	if err != nil {
		t.Fatal(err)
	}
	v := evalFile(t, f, ModeHost)
	text, _ := os.ReadFile(f)
	r, err := Convert(Source{File: "server.nix", Path: f, Text: text, Value: v, ConfigDir: filepath.Dir(f)})
	if err != nil {
		t.Fatal(err)
	}
	mod := string(file(t, r, "hosts/server/migrated.nix").Data)
	for _, want := range []string{
		"environment.systemPackages = with pkgs; [",
		"services.caddy.package = pkgs.caddy;",
		"services.fwupd.enable = lib.mkForce true;",
		`networking.extraHosts = lib.mkIf true "10.0.0.2 nas";`,
		"selfHosted.immich.mediaLocation = /srv/immich;",
	} {
		if !strings.Contains(mod, want) {
			t.Errorf("migrated.nix lacks %q:\n%s", want, mod)
		}
	}
	h := parseHost(t, r)
	ec := h.Values["extraConfig"].(map[string]any)
	if ec["networking"].(map[string]any)["tailscale"].(map[string]any)["domain"] != "example-tailnet.ts.net" {
		t.Errorf("let-bound value not evaluated: %#v", ec)
	}
	if strings.Contains(string(file(t, r, r.HostFile()).Data), "hunter2") || strings.Contains(mod, "hunter2") {
		t.Error("the password was carried over")
	}
}

func TestEvalErrorsAreShortAndNameTheFile(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	dir := t.TempDir()
	for name, c := range map[string]struct{ src, want string }{
		"missing.nix":  {`{ hostname = "a"; } // import ./nowhere.nix`, "nowhere.nix"},
		"syntax.nix":   {`{ hostname = "a"`, "syntax error"},
		"outside.nix":  {`{ hostname = builtins.readFile /etc/hostname; }`, "forbidden in restricted mode"},
		"infinite.nix": {`let f = x: f x; in { hostname = "a"; system = f 1; }`, ""},
		"abort.nix":    {`{ hostname = abort "no"; }`, "no"},
		"nolib.nix":    {`{ lib, ... }: { hostname = "a"; x = lib.nope; }`, "lib is a stand-in"},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		v, err := Evaluator{}.Eval(context.Background(), p, dir, ModeHost)
		if err == nil {
			t.Errorf("%s: no error, value %v", name, v)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, p) || !strings.Contains(msg, c.want) || strings.Contains(msg, "while evaluating") || strings.Contains(msg, "show-trace") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q", name, msg)
		}
	}
}

func TestLargeExtraConfigGoesToNix(t *testing.T) {
	ec := map[string]any{"axios": map[string]any{"system": map[string]any{"timeZone": "UTC"}}}
	for i := 0; i < 3000; i++ {
		ec[fmt.Sprintf("opt%d", i)] = map[string]any{"enable": true}
	}
	cfg := t.TempDir()
	r, err := Convert(Source{File: "big.nix", Value: map[string]any{"hostname": "big", "extraConfig": ec}, ConfigDir: cfg})
	if err != nil {
		t.Fatal(err)
	}
	rep := checkdir.CheckBytes(file(t, r, r.HostFile()).Data, filepath.Join(cfg, "hosts", "big.toml"), hostrules.Options{})
	if !rep.Valid {
		t.Errorf("%+v", rep.Diagnostics)
	}
	if mod := string(file(t, r, "hosts/big/migrated.nix").Data); !strings.Contains(mod, "  opt2999 = {\n    enable = true;\n  };\n") {
		t.Errorf("migrated.nix lacks opt2999:\n%.400s", mod)
	}
	if !hasItem(r, NixModule, "extraConfig.opt17.enable", "hosts/big/migrated.nix: opt17.enable") {
		t.Error("items not rewritten")
	}
}

func TestEvalWithoutNix(t *testing.T) {
	_, err := Evaluator{Nix: filepath.Join(t.TempDir(), "nix-instantiate")}.Eval(context.Background(), "/x/host.nix", "/x", ModeHost)
	if err == nil || !strings.Contains(err.Error(), "/x/host.nix") || !strings.Contains(err.Error(), "is Nix installed?") {
		t.Errorf("error %v", err)
	}
}

// The stand-in lib computes what nixpkgs' lib does for the functions hosts
// commonly use.
func TestEvalStandInLib(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lib.nix")
	src := `{ lib, ... }:
{
  hostname = "t";
  a = lib.genAttrs [ "x" "y" ] (n: n + "!");
  b = lib.filterAttrs (n: v: v > 1) { p = 1; q = 2; };
  c = lib.recursiveUpdate { x = { y = 1; z = 2; }; } { x = { y = 3; }; w = 4; };
  d = [ (lib.hasPrefix "ab" "abc") (lib.hasSuffix "bc" "abc") (lib.hasSuffix "abcd" "bc") ];
  e = lib.flatten [ 1 [ 2 [ 3 ] ] ];
  f = lib.unique [ 1 2 1 3 ];
  g = lib.concatStringsSep "," (lib.optional true "a" ++ lib.optionals false [ "b" ]);
  h = lib.optionalAttrs true { k = lib.optionalString false "x"; };
  i = lib.mkOverride 10 (lib.mkAfter [ 1 ]);
}
`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	v := evalFile(t, p, ModeHost)
	want := map[string]any{
		"hostname": "t",
		"a":        map[string]any{"x": "x!", "y": "y!"},
		"b":        map[string]any{"q": int64(2)},
		"c":        map[string]any{"w": int64(4), "x": map[string]any{"y": int64(3), "z": int64(2)}},
		"d":        []any{true, true, false},
		"e":        []any{int64(1), int64(2), int64(3)},
		"f":        []any{int64(1), int64(2), int64(3)},
		"g":        "a",
		"h":        map[string]any{"k": ""},
		"i":        map[string]any{"_type": "override", "priority": int64(10), "content": map[string]any{"_type": "order", "priority": int64(1500), "content": []any{int64(1)}}},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got  %#v\nwant %#v", v, want)
	}
	r, err := Convert(Source{File: "lib.nix", Value: map[string]any{"hostname": "t", "extraConfig": map[string]any{"i": v["i"]}}, ConfigDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if mod := string(file(t, r, "hosts/t/migrated.nix").Data); !strings.Contains(mod, "i = lib.mkOverride 10 (lib.mkAfter [") {
		t.Errorf("migrated.nix:\n%s", mod)
	}
}
