// Package nixopts reads Nix module files without evaluating them: a parser
// for the Nix expression language (positions kept, so findings name a line),
// a walker that lists the option paths a NixOS or home-manager module
// defines and declares, and an index of known option paths to check them
// against.
package nixopts

// Kind is the kind of a syntax node.
type Kind int

// Node kinds.
const (
	KVar     Kind = iota // Name
	KSelect              // Kids[0].Path [or Kids[1]]
	KApply               // Kids[0] applied to Kids[1]
	KAttrs               // Binds, Rec
	KList                // Kids
	KLet                 // Binds, Body
	KIf                  // Kids: cond, then, else
	KLambda              // Name (plain parameter) or Formals, Body
	KWith                // Kids[0] scope, Body
	KAssert              // Kids[0] condition, Body
	KBinOp               // Name operator, Kids: left, right
	KUnOp                // Name operator, Kids[0]
	KHasAttr             // Kids[0] ? Path
	KString              // Text (static part), Dynamic when interpolated; Kids: interpolations
	KPath                // Text
	KInt                 // Text
	KFloat               // Text
	KURI                 // Text
)

// Node is one expression.
type Node struct {
	Kind    Kind
	Pos     int // byte offset in the source
	Line    int // 1-based line of Pos
	Name    string
	Text    string
	Dynamic bool
	Kids    []*Node
	Path    []Key
	Binds   []Bind
	Rec     bool
	Formals []Formal
	Body    *Node
}

// Key is one component of an attribute path.
type Key struct {
	Name    string // static name ("" when Dynamic)
	Dynamic bool   // ${…} or an interpolated string
	Expr    *Node  // the expression of a dynamic key
	Line    int
}

// Bind is `path = value;` or one name of an `inherit`.
type Bind struct {
	Path    []Key
	Value   *Node
	Line    int
	Inherit bool
	From    *Node // inherit (From) name;
}

// Formal is one parameter of a `{ a, b ? d, ... }:` pattern.
type Formal struct {
	Name    string
	Default *Node
}

// StaticName returns the attribute name of a one-component static path.
func (b Bind) StaticName() (string, bool) {
	if len(b.Path) != 1 || b.Path[0].Dynamic {
		return "", false
	}
	return b.Path[0].Name, true
}
