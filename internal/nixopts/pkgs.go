package nixopts

import "strings"

// Names every Nix file can use without binding them.
var globals = map[string]bool{
	"true": true, "false": true, "null": true, "builtins": true, "import": true,
	"map": true, "toString": true, "throw": true, "abort": true, "derivation": true,
	"baseNameOf": true, "dirOf": true, "isNull": true, "removeAttrs": true,
	"fetchTarball": true, "placeholder": true, "scopedImport": true, "__curPos": true,
	"or": true,
}

func (s *scope) has(name string) bool {
	for c := s; c != nil; c = c.parent {
		if _, ok := c.vars[name]; ok {
			return true
		}
	}
	return false
}

// packageSets are package sets of nixpkgs whose names do not end in
// Packages or Plugins: a package in one is named by both attributes.
var packageSets = map[string]bool{
	"qt5": true, "qt6": true, "libsForQt5": true, "xorg": true,
	"gst_all_1": true, "gnome": true, "xfce": true, "lxqt": true,
}

// pkgAttr names the package of pkgs.<path>: the first attribute, or the
// first two for package sets (rocmPackages.rocminfo, pkgsi686Linux.mesa,
// qt6.qtbase).
func pkgAttr(path []Key) string {
	if len(path) == 0 || path[0].Dynamic {
		return ""
	}
	first := path[0].Name
	if len(path) > 1 && !path[1].Dynamic && (strings.HasSuffix(first, "Packages") || strings.HasPrefix(first, "pkgs") || strings.HasSuffix(first, "Plugins") || packageSets[first]) {
		return first + "." + path[1].Name
	}
	return first
}

// collectPkgs records pkgs.<attr> selections and the free names inside
// `with pkgs;` bodies.
func (w *walker) collectPkgs(n *Node, sc *scope, withPkgs bool) {
	if n == nil {
		return
	}
	rec := func(k *Node) { w.collectPkgs(k, sc, withPkgs) }
	switch n.Kind {
	case KVar:
		if withPkgs && !sc.has(n.Name) && !globals[n.Name] {
			w.m.Pkgs = append(w.m.Pkgs, PkgRef{Attr: n.Name, Line: n.Line})
		}
	case KSelect:
		base := n.Kids[0]
		if base.Kind == KVar && base.Name == "pkgs" && !shadowedPkgs(sc) {
			if a := pkgAttr(n.Path); a != "" {
				w.m.Pkgs = append(w.m.Pkgs, PkgRef{Attr: a, Line: n.Line})
			}
		} else if base.Kind == KVar && withPkgs && !sc.has(base.Name) && !globals[base.Name] {
			// stdenv.cc.cc inside `with pkgs;`
			w.m.Pkgs = append(w.m.Pkgs, PkgRef{Attr: pkgAttr(append([]Key{{Name: base.Name}}, n.Path...)), Line: n.Line})
		} else {
			rec(base)
		}
		for _, k := range n.Path {
			if k.Dynamic {
				rec(k.Expr)
			}
		}
		for _, k := range n.Kids[1:] {
			rec(k)
		}
	case KAttrs:
		inner := sc
		if n.Rec {
			inner = sc.with(n.Binds)
		}
		for _, b := range n.Binds {
			for _, k := range b.Path {
				if k.Dynamic {
					w.collectPkgs(k.Expr, sc, withPkgs)
				}
			}
			if b.Inherit && b.From == nil {
				w.collectPkgs(b.Value, sc, withPkgs)
				continue
			}
			w.collectPkgs(b.Value, inner, withPkgs)
		}
	case KLet:
		inner := sc.with(n.Binds)
		for _, b := range n.Binds {
			w.collectPkgs(b.Value, inner, withPkgs)
		}
		w.collectPkgs(n.Body, inner, withPkgs)
	case KLambda:
		inner := sc.shadow(lambdaParams(n)...)
		for _, f := range n.Formals {
			if f.Default != nil {
				w.collectPkgs(f.Default, inner, withPkgs)
			}
		}
		w.collectPkgs(n.Body, inner, withPkgs)
	case KWith:
		scopeExpr := n.Kids[0]
		rec(scopeExpr)
		isPkgs := scopeExpr.Kind == KVar && scopeExpr.Name == "pkgs"
		w.collectPkgs(n.Body, sc, withPkgs || isPkgs)
	case KApply:
		if attr, line := packageOptionAttr(n, sc); attr != "" {
			w.m.Pkgs = append(w.m.Pkgs, PkgRef{Attr: attr, Line: line})
		}
		// fromPkgs "github-mcp-server", where fromPkgs = name: … pkgs.${name} …
		if fn, arg := n.Kids[0], n.Kids[1]; fn.Kind == KVar && arg.Kind == KString && !arg.Dynamic && !shadowedPkgs(sc) {
			if l := sc.lookup(fn.Name); l != nil && selectsPkgsByParam(l) {
				w.m.Pkgs = append(w.m.Pkgs, PkgRef{Attr: arg.Text, Line: arg.Line})
			}
		}
		for _, k := range n.Kids {
			rec(k)
		}
	case KAssert:
		rec(n.Kids[0])
		rec(n.Body)
	case KHasAttr:
		rec(n.Kids[0])
	default:
		for _, k := range n.Kids {
			rec(k)
		}
		if n.Body != nil {
			rec(n.Body)
		}
	}
}

func shadowedPkgs(sc *scope) bool {
	for c := sc; c != nil; c = c.parent {
		if v, ok := c.vars["pkgs"]; ok {
			return v != nil // bound by let to something else
		}
	}
	return false
}

// packageOptionAttr recognises `lib.mkPackageOption pkgs "name"` (or a
// list of names, `[ "qt6" "qtbase" ]`) and returns the package it defaults
// to; "" for anything else.
func packageOptionAttr(n *Node, sc *scope) (string, int) {
	if n.Kind != KApply || n.Kids[0].Kind != KApply {
		return "", 0
	}
	inner := n.Kids[0]
	fn, set, name := inner.Kids[0], inner.Kids[1], n.Kids[1]
	isFn := (fn.Kind == KVar && fn.Name == "mkPackageOption" && !sc.has(fn.Name)) ||
		(fn.Kind == KSelect && len(fn.Kids) == 1 && len(fn.Path) > 0 && !fn.Path[len(fn.Path)-1].Dynamic && fn.Path[len(fn.Path)-1].Name == "mkPackageOption")
	if !isFn || set.Kind != KVar || set.Name != "pkgs" || shadowedPkgs(sc) {
		return "", 0
	}
	var path []Key
	switch name.Kind {
	case KString:
		if name.Dynamic {
			return "", 0
		}
		path = []Key{{Name: name.Text}}
	case KList:
		for _, k := range name.Kids {
			if k.Kind != KString || k.Dynamic {
				return "", 0
			}
			path = append(path, Key{Name: k.Text})
		}
	default:
		return "", 0
	}
	return pkgAttr(path), name.Line
}

// selectsPkgsByParam reports whether fn is a one-parameter function
// (`name: …`) whose body selects pkgs.${name}: a call with a literal
// string then names a package.
func selectsPkgsByParam(fn *Node) bool {
	if fn.Kind != KLambda || fn.Name == "" || len(fn.Formals) != 0 {
		return false
	}
	return anyNode(fn.Body, func(n *Node) bool {
		if n.Kind != KSelect || len(n.Path) == 0 || !n.Path[0].Dynamic {
			return false
		}
		base, key := n.Kids[0], n.Path[0].Expr
		if key != nil && key.Kind == KString && key.Text == "" && len(key.Kids) == 1 {
			key = key.Kids[0] // pkgs."${name}", as nix-instantiate --parse prints it
		}
		return base.Kind == KVar && base.Name == "pkgs" && key != nil && key.Kind == KVar && key.Name == fn.Name
	})
}

// anyNode reports whether pred holds for n or any expression inside it.
func anyNode(n *Node, pred func(*Node) bool) bool {
	if n == nil {
		return false
	}
	if pred(n) {
		return true
	}
	for _, k := range n.Kids {
		if anyNode(k, pred) {
			return true
		}
	}
	for _, k := range n.Path {
		if k.Dynamic && anyNode(k.Expr, pred) {
			return true
		}
	}
	for _, b := range n.Binds {
		if anyNode(b.Value, pred) || anyNode(b.From, pred) {
			return true
		}
		for _, k := range b.Path {
			if k.Dynamic && anyNode(k.Expr, pred) {
				return true
			}
		}
	}
	for _, f := range n.Formals {
		if anyNode(f.Default, pred) {
			return true
		}
	}
	return anyNode(n.Body, pred)
}
