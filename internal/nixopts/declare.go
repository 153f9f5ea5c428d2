package nixopts

import "strings"

// options walks the value of `options` (or options.<path>) and records
// every declared option.
func (w *walker) options(n *Node, sc *scope, path Path, line int) {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > 200 {
		return
	}
	switch n.Kind {
	case KAttrs:
		for _, b := range n.Binds {
			w.options(b.Value, sc, appendPath(path, b.Path), b.Line)
		}
	case KLet:
		w.options(n.Body, sc.with(n.Binds), path, line)
	case KWith:
		w.options(n.Body, sc, path, line)
	case KVar:
		if v := sc.lookup(n.Name); v != nil && !w.resolving[v] {
			w.resolving[v] = true
			w.options(v, sc, path, line)
			delete(w.resolving, v)
		}
	case KBinOp:
		// mkEnableOption "…" // { default = true; }
		if n.Name != "//" || len(n.Kids) != 2 {
			return
		}
		left := w.resolve(n.Kids[0], sc)
		if left.Kind != KApply {
			return
		}
		before := len(w.m.Decls)
		w.options(left, sc, path, line)
		if len(w.m.Decls) > before {
			if right := w.resolve(n.Kids[1], sc); right.Kind == KAttrs {
				w.describe(&w.m.Decls[len(w.m.Decls)-1], right, sc)
			}
		}
	case KApply:
		head, args := flatten(n)
		switch libName(head) {
		case "mkOption":
			decl := Decl{Path: declPath(path), Line: line}
			var typ *Node
			if len(args) == 1 {
				if a := w.resolve(args[0], sc); a.Kind == KAttrs {
					for _, b := range a.Binds {
						if name, ok := b.StaticName(); ok && name == "type" {
							typ = b.Value
						}
					}
					w.describe(&decl, a, sc)
				}
			}
			if typ != nil {
				sub, free := w.typeShape(typ, sc, 0)
				decl.Freeform = free
				for _, s := range sub {
					w.m.Decls = append(w.m.Decls, Decl{
						Path:     append(append([]string{}, decl.Path...), s.Path...),
						Freeform: s.Freeform,
						Line:     line,
					})
				}
			}
			w.m.Decls = append(w.m.Decls, decl)
		case "mkEnableOption":
			w.m.Decls = append(w.m.Decls, Decl{Path: declPath(path), Line: line, Type: "bool", Default: "false"})
		case "mkPackageOption", "mkSinkUndeclaredOptions", "mkPackageOptionMD":
			w.m.Decls = append(w.m.Decls, Decl{Path: declPath(path), Line: line})
		}
	}
}

// describe fills in what the attributes of an mkOption call (or of the set
// merged into an mkEnableOption) say literally about the type and default.
func (w *walker) describe(d *Decl, attrs *Node, sc *scope) {
	for _, b := range attrs.Binds {
		name, ok := b.StaticName()
		if !ok {
			continue
		}
		switch name {
		case "type":
			d.Type, d.Nullable, d.Enum = "", false, nil
			t := w.resolve(b.Value, sc)
			if t.Kind == KApply {
				if head, args := flatten(t); libName(head) == "nullOr" && len(args) == 1 {
					d.Nullable = true
					t = w.resolve(args[0], sc)
				}
			}
			switch {
			case libName(t) == "bool" && t.Kind == KSelect:
				d.Type = "bool"
			case t.Kind == KApply:
				head, args := flatten(t)
				if libName(head) != "enum" || len(args) != 1 {
					break
				}
				if values, ok := stringList(w.resolve(args[0], sc)); ok {
					d.Type, d.Enum = "enum", values
				}
			}
		case "default":
			d.Default = literal(w.resolve(b.Value, sc))
		}
	}
}

// literal returns n as Nix source when it is a literal value, else "".
func literal(n *Node) string {
	switch n.Kind {
	case KVar:
		if n.Name == "true" || n.Name == "false" || n.Name == "null" {
			return n.Name
		}
	case KString:
		if !n.Dynamic && len(n.Kids) == 0 && !strings.ContainsAny(n.Text, "\"\\\n$") {
			return `"` + n.Text + `"`
		}
	case KInt, KFloat:
		return n.Text
	case KList:
		if len(n.Kids) == 0 {
			return "[ ]"
		}
	case KAttrs:
		if len(n.Binds) == 0 && !n.Rec {
			return "{ }"
		}
	}
	return ""
}

func declPath(p Path) []string {
	out := make([]string, len(p))
	for i, c := range p {
		if c.Dynamic {
			out[i] = "<name>"
		} else {
			out[i] = c.Name
		}
	}
	return out
}

// Types whose values are free-form attribute sets.
var freeformTypes = map[string]bool{
	"attrs": true, "anything": true, "raw": true, "unspecified": true,
	"json": true, "yaml": true, "toml": true, "ini": true,
}

// typeShape describes an option type: the sub-options it declares
// (relative paths) and whether anything below the option is a value.
func (w *walker) typeShape(n *Node, sc *scope, depth int) ([]Decl, bool) {
	if depth > 20 {
		return nil, true
	}
	n = w.resolve(n, sc)
	switch n.Kind {
	case KSelect, KVar:
		name := libName(n)
		if name == "type" {
			return nil, true // (pkgs.formats.<x> { }).type
		}
		return nil, freeformTypes[name]
	case KApply:
		head, args := flatten(n)
		name := libName(head)
		if len(args) == 0 {
			return nil, false
		}
		last := args[len(args)-1]
		switch name {
		case "attrsOf", "lazyAttrsOf":
			sub, free := w.typeShape(last, sc, depth+1)
			if len(sub) == 0 {
				return nil, true
			}
			out := []Decl{{Path: []string{"<name>"}, Freeform: free}}
			for _, s := range sub {
				out = append(out, Decl{Path: append([]string{"<name>"}, s.Path...), Freeform: s.Freeform})
			}
			return out, false
		case "nullOr", "uniq", "unique", "coercedTo", "addCheck":
			if name == "addCheck" {
				last = args[0]
			}
			return w.typeShape(last, sc, depth+1)
		case "submodule", "submoduleWith":
			return w.submoduleShape(last, sc, depth+1)
		}
	}
	return nil, false
}

func (w *walker) submoduleShape(n *Node, sc *scope, depth int) ([]Decl, bool) {
	n = w.resolve(n, sc)
	if n.Kind == KLambda {
		body, sc2, ok := stripModuleFunction(n, sc)
		if !ok {
			return nil, true
		}
		n, sc = body, sc2
	}
	if n.Kind == KList && len(n.Kids) == 1 {
		return w.submoduleShape(n.Kids[0], sc, depth+1)
	}
	if n.Kind != KAttrs {
		return nil, true
	}
	type optBind struct {
		value *Node
		path  Path
		line  int
	}
	var opts []optBind
	free := false
	for _, b := range n.Binds {
		if len(b.Path) == 0 || b.Path[0].Dynamic {
			continue
		}
		switch b.Path[0].Name {
		case "options":
			opts = append(opts, optBind{b.Value, appendPath(nil, b.Path[1:]), b.Line})
		case "freeformType":
			free = true
		case "modules": // submoduleWith { modules = [ … ]; }
			if len(b.Path) == 1 {
				return w.submoduleShape(b.Value, sc, depth+1)
			}
		}
	}
	if len(opts) == 0 {
		return nil, true
	}
	sub := &Module{}
	inner := &walker{m: sub, resolving: w.resolving, depth: w.depth}
	for _, o := range opts {
		inner.options(o.value, sc, o.path, o.line)
	}
	return sub.Decls, free
}
