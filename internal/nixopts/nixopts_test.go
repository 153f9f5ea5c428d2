package nixopts

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func mustAnalyze(t *testing.T, src string) *Module {
	t.Helper()
	m, err := Analyze("test.nix", src)
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	return m
}

// defs renders the definitions as "line path" (home ones prefixed "home:").
func defs(m *Module) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range m.Defs {
		s := d.Path.String()
		if d.Home {
			s = "home:" + s
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func TestParseSyntax(t *testing.T) {
	cases := []string{
		`{ a, b ? 1, ... }@args: a`,
		`args@{ a, ... }: a`,
		`{ }: 1`,
		`x: y: x + y`,
		`let a = 1; in a`,
		`{ a.b.c = 1; "d e".f = 2; ${"g"} = 3; inherit x; inherit (y) z w; }`,
		`rec { a = 1; b = a; }`,
		`a.b.c or d`,
		`f a.b (g c) [ 1 2 ] { }`,
		`!a && b || c -> d`,
		`-1 - -2`,
		`a // b // c`,
		`a ++ [ b ] ++ c`,
		`x ? a.b && y ? "c"`,
		`"a ${b} \" ${"${c}"} $${d}"`,
		"''\n  a ''${b} '''\n  ${c}\n''",
		`./a/b.nix`,
		`../../lib/core/kvm.nix`,
		`<nixpkgs>`,
		`https://example.org/x?y=1`,
		`1.5e3`,
		`if a then b else c`,
		`with lib; assert a; b`,
		`a: { b = a; }`,
		`# comment
		/* block */ 1`,
		`[ (x: x) ]`,
		`{ a = { }: 1; }`,
		`a/b`,
		`x.${y}.z`,
	}
	for _, src := range cases {
		if _, err := Parse("t.nix", src); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := map[string]int{
		"{\n  a = 1\n}":      3,
		"{\n  a = \"x;\n}":   2,
		"let\n  a = 1;\nb":   3,
		"[ 1\n  2\n":         1,
		"{ a = 1; }\n}":      2,
		"x: {\n  b = (c;\n}": 2,
	}
	for src, line := range cases {
		_, err := Parse("bad.nix", src)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%q: got %v, want a SyntaxError", src, err)
			continue
		}
		if se.Line != line || !strings.HasPrefix(se.Error(), "bad.nix:") {
			t.Errorf("%q: %v, want line %d", src, se, line)
		}
	}
}

func TestParseStructure(t *testing.T) {
	n, err := Parse("t.nix", `{ config, lib, ... }: { a.b = lib.mkIf x { c = 1; }; }`)
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != KLambda || len(n.Formals) != 3 || n.Formals[2].Name != "..." {
		t.Fatalf("want a lambda with 3 formals, got %+v", n)
	}
	body := n.Body
	if body.Kind != KAttrs || len(body.Binds) != 1 || len(body.Binds[0].Path) != 2 {
		t.Fatalf("body: %+v", body)
	}
	app := body.Binds[0].Value
	head, args := flatten(app)
	if libName(head) != "mkIf" || len(args) != 2 || args[1].Kind != KAttrs {
		t.Errorf("mkIf application parsed as %+v", app)
	}
	// Precedence: a + b * c is a + (b * c); a -> b -> c is a -> (b -> c).
	e, _ := Parse("t.nix", `a + b * c`)
	if e.Name != "+" || e.Kids[1].Name != "*" {
		t.Errorf("a + b * c parsed as %s(%s, %s)", e.Name, e.Kids[0].Name, e.Kids[1].Name)
	}
	e, _ = Parse("t.nix", `a -> b -> c`)
	if e.Name != "->" || e.Kids[1].Name != "->" {
		t.Errorf("-> is not right-associative")
	}
	e, _ = Parse("t.nix", `"a${b}c"`)
	if e.Kind != KString || !e.Dynamic || e.Text != "ac" || len(e.Kids) != 1 || e.Kids[0].Name != "b" {
		t.Errorf("interpolated string: %+v", e)
	}
	e, _ = Parse("t.nix", "''\n  x ''${y}\n''")
	if e.Kind != KString || e.Dynamic || !strings.Contains(e.Text, "${y}") {
		t.Errorf("escaped interpolation in an indented string: %+v", e)
	}
}

func TestAnalyzeDefinitions(t *testing.T) {
	src := `{ config, lib, pkgs, ... }:
let
  cfg = config.x;
  common = { services.a.enable = true; };
  kill = limit: { sliceConfig.Limit = limit; };
  mkUser = name: u: { isNormalUser = true; description = u.d; };
  mkHome = name: u: { lib, ... }: { config.programs.git.enable = true; };
in
{
  imports = [ ./other.nix (lib.mkRemovedOptionModule [ "old" "opt" ] "gone") ];
  options.x.enable = lib.mkEnableOption "x";
  options.x.routes = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule { options.target = lib.mkOption { type = lib.types.str; }; });
  };
  options.x.extra = lib.mkOption { type = lib.types.attrsOf lib.types.str; };
  config = lib.mkIf cfg.enable (lib.mkMerge [
    common
    { boot.kernel.sysctl."vm.swappiness" = lib.mkDefault 10; }
    (lib.optionalAttrs true { b.c = 1; } // { d = 2; })
    (if cfg.y then { e.f = 1; } else { e.g = 2; })
    { systemd.slices.user = kill "50%"; }
    { users.users = lib.mapAttrs mkUser cfg.accounts; }
    { home-manager.users = lib.mapAttrs mkHome cfg.accounts; }
    { home-manager.users.${cfg.name}.xdg.configFile."a/b".text = "x"; }
    { users.groups.plugdev = { }; }
    { i18n.extraLocaleSettings = lib.genAttrs [ "LC_TIME" ] (_: "C"); }
    { systemd.services = lib.recursiveUpdate { a.enable = true; } { b.wantedBy = [ ]; }; }
    { environment.etc = lib.listToAttrs (map (n: { name = n; value.text = "x"; }) [ "f" ]); }
  ]);
}
`
	m := mustAnalyze(t, src)
	if !m.IsModule {
		t.Fatal("not recognised as a module")
	}
	want := []string{
		"b.c",
		"boot.kernel.sysctl.\"vm.swappiness\"",
		"d",
		"e.f",
		"e.g",
		"environment.etc.<name>.text",
		"home:programs.git.enable",
		"home:xdg.configFile.\"a/b\".text",
		"i18n.extraLocaleSettings.<name>",
		"services.a.enable",
		"systemd.services.a.enable",
		"systemd.services.b.wantedBy",
		"systemd.slices.user.sliceConfig.Limit",
		"users.groups.plugdev",
		"users.users.<name>.description",
		"users.users.<name>.isNormalUser",
	}
	got := defs(m)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("definitions:\n got %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(m.Imports, []string{"./other.nix"}) {
		t.Errorf("imports = %q", m.Imports)
	}
	var decls []string
	for _, d := range m.Decls {
		s := strings.Join(d.Path, ".")
		if d.Freeform {
			s += " (free)"
		}
		decls = append(decls, s)
	}
	sort.Strings(decls)
	wantDecls := []string{"old.opt", "x.enable", "x.extra (free)", "x.routes", "x.routes.<name>", "x.routes.<name>.target"}
	if !reflect.DeepEqual(decls, wantDecls) {
		t.Errorf("declarations:\n got %q\nwant %q", decls, wantDecls)
	}
}

func TestAnalyzeHomeModuleConfigKey(t *testing.T) {
	m := mustAnalyze(t, `{ lib, ... }: {
  config.home-manager.users.alice = { config, ... }: { config = { programs.fish.enable = true; }; };
}`)
	if got := defs(m); !reflect.DeepEqual(got, []string{"home:programs.fish.enable"}) {
		t.Errorf("definitions = %q", got)
	}
}

func TestAnalyzeNotAModule(t *testing.T) {
	for _, src := range []string{
		`{ host ? "127.0.0.1", port ? 1 }: { a = host; }`,
		`config: import ./x.nix config`,
		`[ 1 2 ]`,
	} {
		if m := mustAnalyze(t, src); m.IsModule || len(m.Defs) != 0 {
			t.Errorf("%q: IsModule=%v defs=%v", src, m.IsModule, defs(m))
		}
	}
	// A bare attribute set without options/config is all definitions.
	m := mustAnalyze(t, `{ imports = [ ./a.nix ]; services.x.enable = true; }`)
	if got := defs(m); !m.IsModule || !reflect.DeepEqual(got, []string{"services.x.enable"}) {
		t.Errorf("bare module: %q", got)
	}
}

func TestAnalyzePackages(t *testing.T) {
	m := mustAnalyze(t, `{ pkgs, lib, config, ... }:
let
  tool = pkgs.writeShellScriptBin "x" "";
  inherit (pkgs) jq;
  fromPkgs = name: if pkgs ? ${name} then pkgs.${name} else null;
  notPkgs = name: config.${name};
  a = fromPkgs "mcp-nixos";
  quoted = n: pkgs."${n}";
  c = quoted "ripgrep";
  b = notPkgs "not-a-package";
in {
  config.environment.systemPackages = with pkgs; [
    vim
    stdenv.cc.cc
    rocmPackages.rocminfo
    config.foo
    (lib.getExe hello)
  ] ++ [ pkgs.pkgsi686Linux.mesa (pkgs.wayvr or pkgs.wlx-overlay-s) tool ]
    ++ [ pkgs.qt6.qtbase pkgs.nvtopPackages.amd ];
  options.a.package = lib.mkPackageOption pkgs "niri" { };
  options.b.package = lib.mkPackageOption pkgs [ "kdePackages" "kate" ] { };
  options.c.package = lib.mkPackageOption pkgs config.name { };
  options.d.package = lib.mkPackageOption config.foo "notpkgs" { };
}`)
	var got []string
	for _, p := range m.Pkgs {
		got = append(got, p.Attr)
	}
	sort.Strings(got)
	want := []string{"hello", "jq", "kdePackages.kate", "mcp-nixos", "niri", "nvtopPackages.amd", "pkgsi686Linux.mesa", "qt6.qtbase", "ripgrep", "rocmPackages.rocminfo", "stdenv", "vim", "wayvr", "wlx-overlay-s", "writeShellScriptBin"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packages:\n got %q\nwant %q", got, want)
	}
}

func TestIndex(t *testing.T) {
	ix := NewIndex()
	tsv := strings.Join([]string{
		"# header",
		"systemd.services\tattribute set of (submodule)",
		"systemd.services.<name>.enable\tboolean",
		"systemd.services.<name>.serviceConfig\tattribute set of (systemd option)",
		"nix.settings\tattribute set of (Nix config atom)",
		"nix.settings.substituters\tlist of string",
		"services.immich.settings\tnull or (JSON value)",
		"services.immich.settings.server.externalDomain\tstring",
		"services.openssh.enable\tboolean",
		"xdg.configFile.<name>.text\tnull or strings concatenated with \"\\n\"",
	}, "\n")
	n, err := ix.LoadTSV(strings.NewReader(tsv))
	if err != nil || n != 9 {
		t.Fatalf("LoadTSV = %d, %v", n, err)
	}
	p := func(s string) Path {
		var out Path
		for _, c := range SplitOptionPath(s) {
			out = append(out, Comp{Name: c, Dynamic: c == "<dyn>"})
		}
		return out
	}
	known := []string{
		"systemd.services.foo.enable",
		"systemd.services.<dyn>.serviceConfig.Type",
		"systemd.services.foo",
		"systemd",
		"nix.settings.max-jobs",
		"nix.settings.substituters",
		"services.immich.settings.newVersionCheck.enabled",
		`xdg.configFile."a/b.json".text`,
	}
	for _, s := range known {
		if !ix.Known(p(s)) {
			t.Errorf("%s: unknown, want known", s)
		}
	}
	unknown := []string{
		"systemd.services.foo.serviceConfg",
		"systemd.service",
		"services.openssh.enable.x",
		"services.opensh.enable",
		"xdg.configFile.x.txt",
	}
	for _, s := range unknown {
		if ix.Known(p(s)) {
			t.Errorf("%s: known, want unknown", s)
		}
	}
	if _, err := ix.LoadTSV(strings.NewReader("no tab here")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad TSV error = %v", err)
	}

	removed := NewIndex()
	removed.Add([]string{"services", "wivrn", "defaultRuntime"}, false)
	if !removed.Covers(p("services.wivrn.defaultRuntime")) || !removed.Covers(p("services.wivrn.defaultRuntime.x")) || removed.Covers(p("services.wivrn")) {
		t.Error("Covers must match the option and paths below it only")
	}
}

func TestFreeformType(t *testing.T) {
	free := []string{
		"attribute set of string",
		"null or (JSON value)",
		"open submodule of attribute set of (INI atom)",
		"attribute set of section of an INI file (attrs of INI atom)",
		"nixpkgs config",
		"attribute set",
	}
	for _, s := range free {
		if !FreeformType(s) {
			t.Errorf("%q: not free-form", s)
		}
	}
	fixed := []string{"boolean", "submodule", "attribute set of (submodule)", "null or (submodule)", "list of string", "string"}
	for _, s := range fixed {
		if FreeformType(s) {
			t.Errorf("%q: free-form", s)
		}
	}
}

func TestParseAllowlist(t *testing.T) {
	entries, err := ParseAllowlist(strings.NewReader(`# comment

services.resolved.settings.* nixos/modules/system/boot/resolved.nix
home:programs.x.enable nix-community/home-manager:modules/programs/x.nix
age.secrets.<name>.file ryantm/agenix:modules/age.nix
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || !entries[0].Freeform || entries[0].Line != 3 || !entries[1].Home ||
		!reflect.DeepEqual(entries[2].Path, []string{"age", "secrets", "<name>", "file"}) {
		t.Errorf("entries = %+v", entries)
	}
	for _, bad := range []string{"services.x.enable", "services.x.enable somewhere", "a b c.nix"} {
		if _, err := ParseAllowlist(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: error = %v", bad, err)
		}
	}
}

func TestIndexChildren(t *testing.T) {
	ix := NewIndex()
	ix.Add([]string{"services", "fwupd", "enable"}, false)
	ix.Add([]string{"services", "fwupd", "package"}, false)
	ix.Add([]string{"users", "users", "<name>", "isNormalUser"}, false)
	ix.Add([]string{"users", "users", "root", "hashedPassword"}, false)
	path := func(s ...string) Path {
		var p Path
		for _, c := range s {
			p = append(p, Comp{Name: c})
		}
		return p
	}
	for _, c := range []struct {
		p    Path
		want string
	}{
		{path("services", "fwupd"), "enable,package"},
		{path(), "services,users"},
		{path("users", "users", "alice"), "isNormalUser"},
		{path("users", "users", "root"), "hashedPassword,isNormalUser"},
		{path("nothing"), ""},
	} {
		if got := strings.Join(ix.Children(c.p), ","); got != c.want {
			t.Errorf("Children(%s) = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestDeclDescribesLiterals(t *testing.T) {
	src := `{ lib, ... }:
let
  channels = [ "stable" "beta" ];
  fromData = (import ./x.nix).list;
in {
  options.a = {
    enable = lib.mkEnableOption "a";
    on = lib.mkEnableOption "on" // { default = true; };
    backend = lib.mkOption { type = lib.types.enum [ "iwd" "wpa_supplicant" ]; default = "iwd"; };
    channel = lib.mkOption { type = lib.types.nullOr (lib.types.enum channels); default = null; };
    vendor = lib.mkOption { type = lib.types.enum fromData; default = "amd"; };
    flag = lib.mkOption { type = lib.types.nullOr lib.types.bool; default = false; };
    port = lib.mkOption { type = lib.types.port; default = 2283; };
    list = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    path = lib.mkOption { type = lib.types.str; default = "${"$"}{HOME}/x"; };
    computed = lib.mkOption { type = lib.types.bool; default = 1 == 1; };
  };
}`
	m, err := Analyze("m.nix", src)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range m.Decls {
		got[strings.Join(d.Path, ".")] = fmt.Sprintf("%s %v %v %s", d.Type, d.Nullable, d.Enum, d.Default)
	}
	want := map[string]string{
		"a.enable":   "bool false [] false",
		"a.on":       "bool false [] true",
		"a.backend":  "enum false [iwd wpa_supplicant] \"iwd\"",
		"a.channel":  "enum true [stable beta] null",
		"a.vendor":   " false [] \"amd\"",
		"a.flag":     "bool true [] false",
		"a.port":     " false [] 2283",
		"a.list":     " false [] [ ]",
		"a.path":     " false [] ",
		"a.computed": "bool false [] ",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("declared %v", got)
	}
}
