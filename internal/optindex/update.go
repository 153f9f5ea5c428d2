package optindex

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/axios-nix/axios/internal/closure"
	"github.com/axios-nix/axios/internal/runner"
)

// EvalApply turns a nixosConfiguration into the option list: nixpkgs'
// optionAttrSetToDocList (what the NixOS manual is built from; it descends
// into submodules, so home-manager.users.<name>.* is there too), with
// defaults and descriptions as text and declaring files as strings (never
// copied to the store). A default or description that fails to evaluate is
// left empty instead of stopping the whole list.
const EvalApply = `c:
let
  text =
    v:
    if builtins.isString v then
      v
    else if builtins.isAttrs v && v ? text then
      v.text
    else
      "";
  safe =
    v:
    let
      r = builtins.tryEval (text v);
    in
    if r.success then r.value else "";
in
map (o: {
  name = o.name;
  type = o.type or "";
  default = safe (o.default or "");
  description = safe (o.description or "");
  declarations = map toString (o.declarations or [ ]);
  internal = o.internal or false;
}) (c.pkgs.lib.optionAttrSetToDocList c.options)
`

// UpdateCmd is the one `nix eval` that lists the options of host in the
// flake at dir.
func UpdateCmd(dir, host string) runner.Cmd {
	args := append(append([]string{}, closure.NixFlags...), "eval", "--json", dir+"#nixosConfigurations."+quoteAttr(host), "--apply", EvalApply)
	return runner.Cmd{Name: "nix", Args: args}
}

func quoteAttr(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`).Replace(s) + `"`
		}
	}
	return s
}

// evalOption is one element of EvalApply's list.
type evalOption struct {
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	Default      string   `json:"default"`
	Description  string   `json:"description"`
	Declarations []string `json:"declarations"`
	Internal     bool     `json:"internal"`
}

// ParseEval reads the output of UpdateCmd. axiosPaths are the catalog's
// module folders (modules/graphics, home/desktop …): an option declared in
// one of them is axiOS's.
func ParseEval(data []byte, axiosPaths []string) ([]Option, error) {
	var raw []evalOption
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("nix eval did not print a JSON list of options: %w", err)
	}
	out := make([]Option, 0, len(raw))
	for _, r := range raw {
		if r.Name == "" {
			continue
		}
		out = append(out, Option{
			Name: r.Name, Type: r.Type, Default: r.Default, Description: r.Description,
			Declarations: r.Declarations, Internal: r.Internal,
			Source: classify(r.Name, r.Declarations, axiosPaths),
		})
	}
	return out, nil
}

func classify(name string, decls []string, axiosPaths []string) string {
	home := strings.HasPrefix(name, HomePrefix)
	for _, d := range decls {
		short := ShortDeclaration(d)
		for _, p := range axiosPaths {
			p = strings.Trim(p, "/")
			// home-manager's own modules/ folder must not pass for axiOS's
			// NixOS modules/ (both flakes have one): a home-manager option
			// is axiOS's only when declared under axiOS's home/.
			if home != strings.HasPrefix(p, "home/") {
				continue
			}
			if strings.HasPrefix(short, p+"/") || short == p || short == p+".nix" {
				return SourceAxios
			}
		}
	}
	if home {
		return SourceHomeManager
	}
	for _, d := range decls {
		if strings.Contains(d, "nixos/modules/") {
			return SourceNixOS
		}
	}
	return SourceOther
}

// Build runs UpdateCmd and returns the index of its options.
func Build(ctx context.Context, r runner.Runner, dir, host string, axiosPaths []string) (*Index, error) {
	out, err := r.Output(ctx, UpdateCmd(dir, host))
	if err != nil {
		return nil, fmt.Errorf("listing the options of %s#nixosConfigurations.%s: %w", dir, host, err)
	}
	opts, err := ParseEval(out, axiosPaths)
	if err != nil {
		return nil, err
	}
	if len(opts) == 0 {
		return nil, fmt.Errorf("nix eval listed no options for %s", host)
	}
	nixpkgs, hm := LockedRevs(dir)
	return New(File{NixpkgsRev: nixpkgs, HomeManagerRev: hm, Host: host, Options: opts}), nil
}
