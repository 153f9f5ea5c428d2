package nixopts

import (
	"strings"
)

// Comp is one component of an option path; Dynamic components (${…})
// match any name.
type Comp struct {
	Name    string
	Dynamic bool
}

// Path is an option path.
type Path []Comp

// String renders the path with <name> for dynamic components.
func (p Path) String() string {
	parts := make([]string, len(p))
	for i, c := range p {
		if c.Dynamic {
			parts[i] = "<name>"
		} else if !isIdentifier(c.Name) {
			parts[i] = `"` + c.Name + `"`
		} else {
			parts[i] = c.Name
		}
	}
	return strings.Join(parts, ".")
}

func isIdentifier(s string) bool {
	if s == "" || !isIDStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIDChar(s[i]) {
			return false
		}
	}
	return true
}

// Def is an option path a module assigns.
type Def struct {
	Path Path
	Line int
	// Home is set for definitions inside home-manager.users.<name>; Path is
	// then relative to the home-manager configuration.
	Home bool
}

// Decl is an option a module declares (options.*, or an option that
// mkRemovedOptionModule / mkRenamedOptionModule keeps known). Path
// components "<name>" stand for attrsOf keys.
type Decl struct {
	Path     []string
	Freeform bool // any sub-path below is a value
	Line     int
	// What the declaration says literally (empty when it says it through
	// an expression): Type is "bool" or "enum" (then Enum holds the values),
	// Nullable marks nullOr; Default is a literal default as Nix source
	// (true, false, null, "text", 42, [ ], { }).
	Type     string
	Nullable bool
	Enum     []string
	Default  string
	// Moved marks an old path that mkRemovedOptionModule and its kin keep
	// known (setting it gives their message), not an option of its own.
	Moved bool
}

// PkgRef is a use of a package attribute: pkgs.<Attr> or a name inside
// `with pkgs;`.
type PkgRef struct {
	Attr string // e.g. "vim", "rocmPackages.rocminfo"
	Line int
}

// Module is what a module file defines, declares, imports and uses.
type Module struct {
	File    string
	Defs    []Def
	Decls   []Decl
	Imports []string // relative path literals of imports = [ … ]
	Pkgs    []PkgRef
	// IsModule is false when the file is not a module (a helper returning
	// a plain value).
	IsModule bool
}

// Functions of nixpkgs' lib that wrap a definition without changing where
// it goes.
var wrappers = map[string]bool{
	"mkIf": true, "optionalAttrs": true, "mkDefault": true, "mkForce": true,
	"mkOverride": true, "mkBefore": true, "mkAfter": true, "mkOrder": true,
	"mkVMOverride": true, "mkImageMediaOverride": true, "mkOptionDefault": true,
	"mkFixStrictness": true,
}

// Arguments a NixOS or home-manager module function receives.
var moduleArgs = map[string]bool{
	"config": true, "lib": true, "pkgs": true, "options": true, "modulesPath": true,
	"utils": true, "specialArgs": true, "osConfig": true, "nixosConfig": true,
	"axiosFlake": true, "name": true, "...": true,
}

type scope struct {
	vars   map[string]*Node
	parent *scope
}

func (s *scope) lookup(name string) *Node {
	for c := s; c != nil; c = c.parent {
		if n, ok := c.vars[name]; ok {
			return n
		}
	}
	return nil
}

func (s *scope) with(binds []Bind) *scope {
	ns := &scope{vars: map[string]*Node{}, parent: s}
	for _, b := range binds {
		if name, ok := b.StaticName(); ok {
			ns.vars[name] = b.Value
		}
	}
	return ns
}

func (s *scope) shadow(names ...string) *scope {
	ns := &scope{vars: map[string]*Node{}, parent: s}
	for _, n := range names {
		ns.vars[n] = nil
	}
	return ns
}

type walker struct {
	m         *Module
	resolving map[*Node]bool
	depth     int
}

// Analyze parses a module file's source and lists what it defines and
// declares. A file that is not a module function or attribute set gives
// IsModule = false and no definitions.
func Analyze(file, src string) (*Module, error) {
	root, err := Parse(file, src)
	if err != nil {
		return nil, err
	}
	m := &Module{File: file}
	w := &walker{m: m, resolving: map[*Node]bool{}}
	w.collectPkgs(root, &scope{vars: map[string]*Node{}}, false)
	sc := &scope{vars: map[string]*Node{}}
	body, sc, ok := stripModuleFunction(root, sc)
	if !ok {
		return m, nil
	}
	m.IsModule = true
	w.module(body, sc, nil, false)
	return m, nil
}

// stripModuleFunction removes the module's `{ config, lib, ... }:` and any
// let/with around its attribute set.
func stripModuleFunction(n *Node, sc *scope) (*Node, *scope, bool) {
	if n.Kind == KLambda {
		if n.Name != "" && len(n.Formals) == 0 {
			return nil, sc, false // a plain function, not a module
		}
		for _, f := range n.Formals {
			if !moduleArgs[f.Name] {
				return nil, sc, false
			}
		}
		n = n.Body
	}
	for {
		switch n.Kind {
		case KLet:
			sc = sc.with(n.Binds)
			n = n.Body
			continue
		case KWith, KAssert:
			n = n.Body
			continue
		}
		break
	}
	return n, sc, n.Kind == KAttrs
}

func appendPath(base Path, keys []Key) Path {
	out := make(Path, 0, len(base)+len(keys))
	out = append(out, base...)
	for _, k := range keys {
		out = append(out, Comp{Name: k.Name, Dynamic: k.Dynamic})
	}
	return out
}

func (w *walker) def(path Path, line int, home bool) {
	w.m.Defs = append(w.m.Defs, Def{Path: path, Line: line, Home: home})
}

// module walks a module's attribute set. prefix is the path it is
// mounted at (home-manager.users.<name> modules are mounted at the root of
// the home configuration, with home = true).
func (w *walker) module(n *Node, sc *scope, prefix Path, home bool) {
	if n.Kind != KAttrs {
		return
	}
	sc = sc.with(nil)
	explicit := false
	for _, b := range n.Binds {
		if len(b.Path) > 0 && !b.Path[0].Dynamic && (b.Path[0].Name == "config" || b.Path[0].Name == "options") {
			explicit = true
		}
	}
	for _, b := range n.Binds {
		if len(b.Path) == 0 || b.Path[0].Dynamic {
			continue
		}
		head, rest := b.Path[0].Name, b.Path[1:]
		switch {
		case head == "imports":
			w.imports(b.Value, sc)
		case head == "options":
			if !home {
				w.options(b.Value, sc, appendPath(nil, rest), b.Line)
			}
		case head == "config" && explicit:
			if len(rest) == 0 {
				w.walk(b.Value, sc, prefix, b.Line, home)
			} else {
				w.walk(b.Value, sc, appendPath(prefix, rest), b.Line, home)
			}
		case explicit, head == "_file", head == "key", head == "disabledModules", head == "_class", head == "freeformType":
		default:
			w.walk(b.Value, sc, appendPath(prefix, b.Path), b.Line, home)
		}
	}
}

func (w *walker) imports(n *Node, sc *scope) {
	n = w.resolve(n, sc)
	if n == nil || n.Kind != KList {
		return
	}
	for _, e := range n.Kids {
		switch e.Kind {
		case KPath:
			w.m.Imports = append(w.m.Imports, e.Text)
		case KApply:
			head, args := flatten(e)
			switch libName(head) {
			case "mkRemovedOptionModule", "mkRenamedOptionModule", "mkAliasOptionModule", "mkChangedOptionModule", "mkMergedOptionModule":
				if len(args) > 0 {
					if p, ok := stringList(args[0]); ok {
						w.m.Decls = append(w.m.Decls, Decl{Path: p, Line: e.Line, Moved: true})
					}
				}
			}
		}
	}
}

func stringList(n *Node) ([]string, bool) {
	if n.Kind != KList {
		return nil, false
	}
	var out []string
	for _, k := range n.Kids {
		if k.Kind != KString || k.Dynamic {
			return nil, false
		}
		out = append(out, k.Text)
	}
	return out, true
}

// flatten turns f a b c into f, [a b c].
func flatten(n *Node) (*Node, []*Node) {
	var args []*Node
	for n.Kind == KApply {
		args = append([]*Node{n.Kids[1]}, args...)
		n = n.Kids[0]
	}
	return n, args
}

// libName is the function name of lib.x, lib.types.x, builtins.x or a
// bare x.
func libName(n *Node) string {
	switch n.Kind {
	case KVar:
		return n.Name
	case KSelect:
		if len(n.Kids) == 1 && len(n.Path) > 0 && !n.Path[len(n.Path)-1].Dynamic {
			return n.Path[len(n.Path)-1].Name
		}
	}
	return ""
}

// resolve follows a variable bound by let to its expression.
func (w *walker) resolve(n *Node, sc *scope) *Node {
	for i := 0; n != nil && n.Kind == KVar && i < 20; i++ {
		v := sc.lookup(n.Name)
		if v == nil {
			return n
		}
		n = v
	}
	return n
}

func (w *walker) isHomeRoot(path Path, home bool) bool {
	return !home && len(path) == 3 && !path[0].Dynamic && path[0].Name == "home-manager" &&
		!path[1].Dynamic && path[1].Name == "users"
}

// walk records the option paths defined by the value n at path.
func (w *walker) walk(n *Node, sc *scope, path Path, line int, home bool) {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > 200 {
		w.def(path, line, home)
		return
	}
	if !home && len(path) > 3 && w.isHomeRoot(path[:3], false) {
		// home-manager.users.<name>.a.b = …: a definition of the home
		// configuration's a.b.
		path, home = path[3:], true
	}
	if w.isHomeRoot(path, home) {
		// A home-manager module: a function, an attribute set or a
		// definition wrapper around one.
		switch n.Kind {
		case KLambda:
			if body, sc2, ok := stripModuleFunction(n, sc); ok {
				w.module(body, sc2, nil, true)
				return
			}
		case KAttrs:
			w.module(n, sc, nil, true)
			return
		}
		if n.Kind == KVar && sc.lookup(n.Name) != nil && !w.resolving[n] {
			w.resolving[n] = true
			w.walk(sc.lookup(n.Name), sc, path, line, home)
			delete(w.resolving, n)
			return
		}
	}
	switch n.Kind {
	case KAttrs:
		if len(n.Binds) == 0 {
			w.def(path, line, home)
			return
		}
		inner := sc
		if n.Rec {
			inner = sc.with(n.Binds)
		}
		for _, b := range n.Binds {
			w.walk(b.Value, inner, appendPath(path, b.Path), b.Line, home)
		}
	case KLet:
		w.walk(n.Body, sc.with(n.Binds), path, line, home)
	case KWith, KAssert:
		w.walk(n.Body, sc, path, line, home)
	case KIf:
		w.walk(n.Kids[1], sc, path, line, home)
		w.walk(n.Kids[2], sc, path, line, home)
	case KBinOp:
		if n.Name == "//" {
			w.walk(n.Kids[0], sc, path, line, home)
			w.walk(n.Kids[1], sc, path, line, home)
			return
		}
		w.def(path, line, home)
	case KVar:
		v := sc.lookup(n.Name)
		if v == nil || w.resolving[v] {
			w.def(path, line, home)
			return
		}
		w.resolving[v] = true
		w.walk(v, sc, path, line, home)
		delete(w.resolving, v)
	case KApply:
		w.apply(n, sc, path, line, home)
	default:
		w.def(path, line, home)
	}
}

func (w *walker) apply(n *Node, sc *scope, path Path, line int, home bool) {
	head, args := flatten(n)
	name := libName(head)
	if head.Kind == KVar {
		if fn := w.resolve(head, sc); fn != nil && fn.Kind == KLambda && !w.resolving[fn] {
			// A function of this file: walk its result.
			body := fn
			inner := sc
			for i := 0; i < len(args) && body.Kind == KLambda; i++ {
				inner = inner.shadow(lambdaParams(body)...)
				body = body.Body
			}
			w.resolving[fn] = true
			w.walk(body, inner, path, line, home)
			delete(w.resolving, fn)
			return
		}
	}
	switch {
	case wrappers[name] && len(args) > 0:
		w.walk(args[len(args)-1], sc, path, line, home)
	case name == "mkMerge" && len(args) == 1:
		list := w.resolve(args[0], sc)
		if list.Kind != KList {
			w.def(path, line, home)
			return
		}
		for _, e := range list.Kids {
			w.walk(e, sc, path, e.Line, home)
		}
	case name == "recursiveUpdate" && len(args) == 2:
		w.walk(args[0], sc, path, line, home)
		w.walk(args[1], sc, path, line, home)
	case name == "listToAttrs" && len(args) == 1:
		// listToAttrs (map (x: { name = …; value = …; }) list)
		w.listToAttrs(w.resolve(args[0], sc), sc, path, line, home)
	case (name == "mapAttrs" || name == "genAttrs") && len(args) == 2:
		fn, params := args[0], 2
		if name == "genAttrs" {
			fn, params = args[1], 1
		}
		fn = w.resolve(fn, sc)
		if fn.Kind == KLambda && w.resolving[fn] {
			w.def(path, line, home)
			return
		}
		sub := append(append(Path{}, path...), Comp{Dynamic: true})
		body, inner := fn, sc
		for i := 0; i < params && body.Kind == KLambda; i++ {
			inner = inner.shadow(lambdaParams(body)...)
			body = body.Body
		}
		if fn.Kind == KLambda {
			w.resolving[fn] = true
			defer delete(w.resolving, fn)
		}
		if body.Kind == KLambda && w.isHomeRoot(sub, home) {
			w.walk(body, inner, sub, line, home)
			return
		}
		if body == fn && fn.Kind != KLambda {
			w.def(sub, line, home)
			return
		}
		w.walk(body, inner, sub, line, home)
	default:
		w.def(path, line, home)
	}
}

func lambdaParams(n *Node) []string {
	var out []string
	if n.Name != "" {
		out = append(out, n.Name)
	}
	for _, f := range n.Formals {
		out = append(out, f.Name)
	}
	return out
}

func (w *walker) listToAttrs(n *Node, sc *scope, path Path, line int, home bool) {
	sub := append(append(Path{}, path...), Comp{Dynamic: true})
	head, args := flatten(n)
	if libName(head) != "map" || len(args) != 2 {
		w.def(path, line, home)
		return
	}
	fn := w.resolve(args[0], sc)
	if fn.Kind != KLambda || w.resolving[fn] {
		w.def(path, line, home)
		return
	}
	body := fn.Body
	inner := sc.shadow(lambdaParams(fn)...)
	for body.Kind == KLet {
		inner = inner.with(body.Binds)
		body = body.Body
	}
	if body.Kind != KAttrs {
		w.def(path, line, home)
		return
	}
	found := false
	w.resolving[fn] = true
	for _, b := range body.Binds {
		if len(b.Path) > 0 && !b.Path[0].Dynamic && b.Path[0].Name == "value" {
			w.walk(b.Value, inner, appendPath(sub, b.Path[1:]), b.Line, home)
			found = true
		}
	}
	delete(w.resolving, fn)
	if !found {
		w.def(path, line, home)
	}
}
