package nixopts

import (
	"fmt"
	"sort"
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tID
	tInt
	tFloat
	tPath
	tSPath
	tURI
	tStr       // "
	tIndStr    // ''
	tDollarBra // ${
	tOp        // punctuation and operators; text holds it
)

type token struct {
	kind tokKind
	text string
	pos  int
}

var keywords = map[string]bool{
	"if": true, "then": true, "else": true, "assert": true, "with": true,
	"let": true, "in": true, "rec": true, "inherit": true, "or": true,
}

// SyntaxError is a parse failure with its position.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

type parser struct {
	file  string
	src   string
	pos   int   // lexer position
	lines []int // byte offsets of line starts
	tok   token
	have  bool
}

// Parse parses Nix source text; file is used in error messages only.
func Parse(file, src string) (node *Node, err error) {
	p := &parser{file: file, src: src}
	p.lines = []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			node, err = nil, se
		}
	}()
	n := p.parseExpr()
	if t := p.cur(); t.kind != tEOF {
		p.fail(t.pos, "unexpected %q after the expression", t.text)
	}
	return n, nil
}

func (p *parser) lineOf(pos int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > pos })
}

func (p *parser) fail(pos int, format string, args ...any) {
	panic(&SyntaxError{File: p.file, Line: p.lineOf(pos), Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) node(k Kind, pos int) *Node {
	return &Node{Kind: k, Pos: pos, Line: p.lineOf(pos)}
}

// ---- lexer -----------------------------------------------------------

func isIDStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
func isIDChar(c byte) bool {
	return isIDStart(c) || (c >= '0' && c <= '9') || c == '\'' || c == '-'
}
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isPathChar(c byte) bool   { return isIDStart(c) || isDigit(c) || strings.IndexByte("._-+", c) >= 0 }
func isSchemeChar(c byte) bool { return isIDStart(c) || isDigit(c) || strings.IndexByte("+-.", c) >= 0 }
func isURIChar(c byte) bool {
	return isIDStart(c) || isDigit(c) || strings.IndexByte("%/?:@&=+$,-_.!~*'", c) >= 0
}

func (p *parser) skipSpace() {
	s := p.src
	for p.pos < len(s) {
		c := s[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '#':
			for p.pos < len(s) && s[p.pos] != '\n' {
				p.pos++
			}
		case c == '/' && p.pos+1 < len(s) && s[p.pos+1] == '*':
			end := strings.Index(s[p.pos+2:], "*/")
			if end < 0 {
				p.fail(p.pos, "unterminated comment")
			}
			p.pos += end + 4
		default:
			return
		}
	}
}

// matchPath returns the length of a path literal at i (0 when none).
func (p *parser) matchPath(i int) int {
	s := p.src
	j := i
	if j < len(s) && s[j] == '~' {
		j++
	} else {
		for j < len(s) && isPathChar(s[j]) {
			j++
		}
	}
	segments := 0
	for j+1 < len(s) && s[j] == '/' && isPathChar(s[j+1]) {
		j++
		for j < len(s) && isPathChar(s[j]) {
			j++
		}
		segments++
	}
	if segments == 0 {
		return 0
	}
	return j - i
}

func (p *parser) matchURI(i int) int {
	s := p.src
	if i >= len(s) || !isIDStart(s[i]) || s[i] == '_' {
		return 0
	}
	j := i + 1
	for j < len(s) && isSchemeChar(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != ':' {
		return 0
	}
	k := j + 1
	for k < len(s) && isURIChar(s[k]) {
		k++
	}
	if k == j+1 {
		return 0
	}
	return k - i
}

func (p *parser) matchNumber(i int) (int, tokKind) {
	s := p.src
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	kind := tInt
	if j < len(s) && s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) && (j > i) {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		kind = tFloat
	} else if j == i && j < len(s) && s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		kind = tFloat
	}
	if kind == tFloat && j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	return j - i, kind
}

var operators = []string{
	"...", "->", "//", "++", "==", "!=", "<=", ">=", "&&", "||", "|>", "<|",
	"{", "}", "[", "]", "(", ")", ";", ":", ",", ".", "?", "@", "=", "<", ">",
	"!", "+", "-", "*", "/",
}

func (p *parser) lex() token {
	p.skipSpace()
	s := p.src
	i := p.pos
	if i >= len(s) {
		return token{kind: tEOF, text: "end of file", pos: i}
	}
	c := s[i]
	switch {
	case c == '"':
		p.pos++
		return token{kind: tStr, text: `"`, pos: i}
	case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
		p.pos += 2
		return token{kind: tIndStr, text: "''", pos: i}
	case c == '$' && i+1 < len(s) && s[i+1] == '{':
		p.pos += 2
		return token{kind: tDollarBra, text: "${", pos: i}
	case c == '<':
		j := i + 1
		for j < len(s) && (isPathChar(s[j]) || s[j] == '/') {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '>' && s[i+1] != '/' {
			p.pos = j + 1
			return token{kind: tSPath, text: s[i : j+1], pos: i}
		}
	}
	// Longest match among paths, URIs, identifiers and numbers.
	best, kind := 0, tEOF
	if n := p.matchPath(i); n > best {
		best, kind = n, tPath
	}
	if n := p.matchURI(i); n > best {
		best, kind = n, tURI
	}
	if isIDStart(c) {
		j := i + 1
		for j < len(s) && isIDChar(s[j]) {
			j++
		}
		if j-i > best {
			best, kind = j-i, tID
		}
	}
	if n, k := p.matchNumber(i); n > best {
		best, kind = n, k
	}
	if best > 0 {
		p.pos = i + best
		return token{kind: kind, text: s[i : i+best], pos: i}
	}
	for _, op := range operators {
		if strings.HasPrefix(s[i:], op) {
			p.pos = i + len(op)
			return token{kind: tOp, text: op, pos: i}
		}
	}
	p.fail(i, "unexpected character %q", c)
	return token{}
}

func (p *parser) cur() token {
	if !p.have {
		p.tok = p.lex()
		p.have = true
	}
	return p.tok
}

func (p *parser) advance() token {
	t := p.cur()
	p.have = false
	return t
}

func (p *parser) isOp(op string) bool {
	t := p.cur()
	return t.kind == tOp && t.text == op
}

func (p *parser) isKeyword(kw string) bool {
	t := p.cur()
	return t.kind == tID && t.text == kw
}

func (p *parser) expectOp(op string) token {
	t := p.cur()
	if t.kind != tOp || t.text != op {
		p.fail(t.pos, "expected %q, found %q", op, t.text)
	}
	return p.advance()
}

func (p *parser) expectKeyword(kw string) {
	if !p.isKeyword(kw) {
		t := p.cur()
		p.fail(t.pos, "expected %q, found %q", kw, t.text)
	}
	p.advance()
}

type state struct {
	pos  int
	tok  token
	have bool
}

func (p *parser) save() state     { return state{p.pos, p.tok, p.have} }
func (p *parser) restore(s state) { p.pos, p.tok, p.have = s.pos, s.tok, s.have }

// ---- expressions -----------------------------------------------------

func (p *parser) parseExpr() *Node {
	t := p.cur()
	switch {
	case t.kind == tID && !keywords[t.text]:
		st := p.save()
		p.advance()
		if p.isOp(":") {
			p.advance()
			n := p.node(KLambda, t.pos)
			n.Name = t.text
			n.Body = p.parseExpr()
			return n
		}
		if p.isOp("@") {
			p.advance()
			n := p.node(KLambda, t.pos)
			n.Name = t.text
			p.parseFormals(n)
			p.expectOp(":")
			n.Body = p.parseExpr()
			return n
		}
		p.restore(st)
	case t.kind == tOp && t.text == "{" && p.formalsAhead():
		n := p.node(KLambda, t.pos)
		p.parseFormals(n)
		if p.isOp("@") {
			p.advance()
			id := p.advance()
			if id.kind != tID {
				p.fail(id.pos, "expected a name after @")
			}
			n.Name = id.text
		}
		p.expectOp(":")
		n.Body = p.parseExpr()
		return n
	case t.kind == tID && t.text == "assert":
		p.advance()
		n := p.node(KAssert, t.pos)
		n.Kids = []*Node{p.parseExpr()}
		p.expectOp(";")
		n.Body = p.parseExpr()
		return n
	case t.kind == tID && t.text == "with":
		p.advance()
		n := p.node(KWith, t.pos)
		n.Kids = []*Node{p.parseExpr()}
		p.expectOp(";")
		n.Body = p.parseExpr()
		return n
	case t.kind == tID && t.text == "let":
		st := p.save()
		p.advance()
		if p.isOp("{") { // legacy `let { … }`
			p.restore(st)
			break
		}
		n := p.node(KLet, t.pos)
		n.Binds = p.parseBinds("in")
		p.expectKeyword("in")
		n.Body = p.parseExpr()
		return n
	case t.kind == tID && t.text == "if":
		p.advance()
		n := p.node(KIf, t.pos)
		c := p.parseExpr()
		p.expectKeyword("then")
		a := p.parseExpr()
		p.expectKeyword("else")
		b := p.parseExpr()
		n.Kids = []*Node{c, a, b}
		return n
	}
	return p.parseLevel(1)
}

// formalsAhead reports whether the `{` at the cursor opens a function's
// formal parameters rather than an attribute set.
func (p *parser) formalsAhead() bool {
	st := p.save()
	defer p.restore(st)
	p.advance() // {
	t := p.cur()
	switch {
	case t.kind == tOp && t.text == "}":
		p.advance()
		return p.isOp(":") || p.isOp("@")
	case t.kind == tOp && t.text == "...":
		return true
	case t.kind == tID && !keywords[t.text]:
		p.advance()
		if p.isOp(",") || p.isOp("?") {
			return true
		}
		if p.isOp("}") {
			p.advance()
			return p.isOp(":") || p.isOp("@")
		}
	}
	return false
}

func (p *parser) parseFormals(n *Node) {
	p.expectOp("{")
	for !p.isOp("}") {
		if p.isOp("...") {
			p.advance()
			n.Formals = append(n.Formals, Formal{Name: "..."})
		} else {
			id := p.advance()
			if id.kind != tID {
				p.fail(id.pos, "expected a parameter name, found %q", id.text)
			}
			f := Formal{Name: id.text}
			if p.isOp("?") {
				p.advance()
				f.Default = p.parseExpr()
			}
			n.Formals = append(n.Formals, f)
		}
		if !p.isOp(",") {
			break
		}
		p.advance()
	}
	p.expectOp("}")
	if p.isOp("@") && n.Name == "" {
		p.advance()
		id := p.advance()
		if id.kind != tID {
			p.fail(id.pos, "expected a name after @")
		}
		n.Name = id.text
	}
}

type opLevel struct {
	ops   []string
	right bool
}

// Binary operators from the loosest to the tightest binding.
var levels = []opLevel{
	1:  {ops: []string{"->"}, right: true},
	2:  {ops: []string{"||"}},
	3:  {ops: []string{"&&"}},
	4:  {ops: []string{"==", "!="}},
	5:  {ops: []string{"<", ">", "<=", ">="}},
	6:  {ops: []string{"//"}, right: true},
	7:  {}, // prefix !
	8:  {ops: []string{"+", "-"}},
	9:  {ops: []string{"*", "/"}},
	10: {ops: []string{"++"}, right: true},
	11: {}, // ?
	12: {}, // prefix -
}

func (p *parser) opAt(level int) (string, bool) {
	t := p.cur()
	if t.kind != tOp {
		return "", false
	}
	for _, op := range levels[level].ops {
		if t.text == op {
			return op, true
		}
	}
	return "", false
}

func (p *parser) parseLevel(level int) *Node {
	switch level {
	case 7:
		if p.isOp("!") {
			t := p.advance()
			n := p.node(KUnOp, t.pos)
			n.Name = "!"
			n.Kids = []*Node{p.parseLevel(7)}
			return n
		}
		return p.parseLevel(8)
	case 11:
		e := p.parseLevel(12)
		for p.isOp("?") {
			t := p.advance()
			n := p.node(KHasAttr, t.pos)
			n.Kids = []*Node{e}
			n.Path = p.parseAttrPath()
			e = n
		}
		return e
	case 12:
		if p.isOp("-") {
			t := p.advance()
			n := p.node(KUnOp, t.pos)
			n.Name = "-"
			n.Kids = []*Node{p.parseLevel(12)}
			return n
		}
		return p.parseApp()
	}
	left := p.parseLevel(level + 1)
	for {
		op, ok := p.opAt(level)
		if !ok {
			return left
		}
		t := p.advance()
		n := p.node(KBinOp, t.pos)
		n.Name = op
		var right *Node
		if levels[level].right {
			right = p.parseLevel(level)
		} else {
			right = p.parseLevel(level + 1)
		}
		n.Kids = []*Node{left, right}
		left = n
		if levels[level].right {
			return left
		}
	}
}

func (p *parser) startsArg() bool {
	t := p.cur()
	switch t.kind {
	case tInt, tFloat, tPath, tSPath, tURI, tStr, tIndStr:
		return true
	case tID:
		return !keywords[t.text] || t.text == "rec" || t.text == "let"
	case tOp:
		return t.text == "(" || t.text == "{" || t.text == "["
	}
	return false
}

func (p *parser) parseApp() *Node {
	f := p.parseSelect()
	for p.startsArg() {
		if p.isKeyword("let") {
			st := p.save()
			p.advance()
			isLegacy := p.isOp("{")
			p.restore(st)
			if !isLegacy {
				break
			}
		}
		arg := p.parseSelect()
		n := &Node{Kind: KApply, Pos: f.Pos, Line: f.Line, Kids: []*Node{f, arg}}
		f = n
	}
	return f
}

func (p *parser) parseSelect() *Node {
	e := p.parsePrimary()
	if !p.isOp(".") {
		return e
	}
	p.advance()
	n := &Node{Kind: KSelect, Pos: e.Pos, Line: e.Line}
	n.Path = p.parseAttrPath()
	n.Kids = []*Node{e}
	if p.isKeyword("or") {
		p.advance()
		n.Kids = append(n.Kids, p.parseSelect())
	}
	return n
}

func (p *parser) parsePrimary() *Node {
	t := p.cur()
	switch t.kind {
	case tID:
		switch t.text {
		case "rec":
			p.advance()
			n := p.parseAttrs()
			n.Rec = true
			return n
		case "let":
			// legacy let { …; body = …; }
			p.advance()
			n := p.parseAttrs()
			n.Rec = true
			return n
		}
		if keywords[t.text] && t.text != "or" {
			p.fail(t.pos, "unexpected keyword %q", t.text)
		}
		p.advance()
		n := p.node(KVar, t.pos)
		n.Name = t.text
		return n
	case tInt, tFloat, tPath, tSPath, tURI:
		p.advance()
		k := map[tokKind]Kind{tInt: KInt, tFloat: KFloat, tPath: KPath, tSPath: KPath, tURI: KURI}[t.kind]
		n := p.node(k, t.pos)
		n.Text = t.text
		return n
	case tStr:
		p.advance()
		return p.parseString(t.pos, false)
	case tIndStr:
		p.advance()
		return p.parseString(t.pos, true)
	case tOp:
		switch t.text {
		case "(":
			p.advance()
			e := p.parseExpr()
			p.expectOp(")")
			return e
		case "{":
			return p.parseAttrs()
		case "[":
			p.advance()
			n := p.node(KList, t.pos)
			for !p.isOp("]") {
				if p.cur().kind == tEOF {
					p.fail(t.pos, "unterminated list")
				}
				n.Kids = append(n.Kids, p.parseSelect())
			}
			p.advance()
			return n
		}
	}
	p.fail(t.pos, "unexpected %q", t.text)
	return nil
}

func (p *parser) parseAttrs() *Node {
	t := p.expectOp("{")
	n := p.node(KAttrs, t.pos)
	n.Binds = p.parseBinds("}")
	p.expectOp("}")
	return n
}

// parseBinds reads bindings up to the closing token (`}` or `in`).
func (p *parser) parseBinds(closing string) []Bind {
	var binds []Bind
	for {
		t := p.cur()
		if t.kind == tEOF {
			p.fail(t.pos, "expected %q", closing)
		}
		if (closing == "}" && p.isOp("}")) || (closing == "in" && p.isKeyword("in")) {
			return binds
		}
		if p.isKeyword("inherit") {
			p.advance()
			var from *Node
			if p.isOp("(") {
				p.advance()
				from = p.parseExpr()
				p.expectOp(")")
			}
			for !p.isOp(";") {
				k := p.parseAttr()
				val := &Node{Kind: KVar, Pos: t.pos, Line: k.Line, Name: k.Name}
				if from != nil {
					val = &Node{Kind: KSelect, Pos: t.pos, Line: k.Line, Kids: []*Node{from}, Path: []Key{k}}
				}
				binds = append(binds, Bind{Path: []Key{k}, Value: val, Line: k.Line, Inherit: true, From: from})
			}
			p.advance()
			continue
		}
		path := p.parseAttrPath()
		p.expectOp("=")
		val := p.parseExpr()
		p.expectOp(";")
		binds = append(binds, Bind{Path: path, Value: val, Line: path[len(path)-1].Line})
	}
}

func (p *parser) parseAttrPath() []Key {
	path := []Key{p.parseAttr()}
	for p.isOp(".") {
		p.advance()
		path = append(path, p.parseAttr())
	}
	return path
}

func (p *parser) parseAttr() Key {
	t := p.cur()
	switch t.kind {
	case tID:
		p.advance()
		return Key{Name: t.text, Line: p.lineOf(t.pos)}
	case tStr:
		p.advance()
		s := p.parseString(t.pos, false)
		if s.Dynamic {
			return Key{Dynamic: true, Expr: s, Line: s.Line}
		}
		return Key{Name: s.Text, Line: s.Line}
	case tDollarBra:
		p.advance()
		e := p.parseExpr()
		p.expectOp("}")
		return Key{Dynamic: true, Expr: e, Line: p.lineOf(t.pos)}
	}
	p.fail(t.pos, "expected an attribute name, found %q", t.text)
	return Key{}
}

// parseString reads a string body after its opening quote(s); the lexer
// position is right after them.
func (p *parser) parseString(start int, indented bool) *Node {
	n := p.node(KString, start)
	var b strings.Builder
	s := p.src
	for {
		if p.pos >= len(s) {
			p.fail(start, "unterminated string")
		}
		c := s[p.pos]
		switch {
		case !indented && c == '"':
			p.pos++
			n.Text = b.String()
			return n
		case !indented && c == '\\' && p.pos+1 < len(s):
			e := s[p.pos+1]
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(e)
			}
			p.pos += 2
		case indented && strings.HasPrefix(s[p.pos:], "'''"):
			b.WriteString("''")
			p.pos += 3
		case indented && strings.HasPrefix(s[p.pos:], "''$"):
			b.WriteByte('$')
			p.pos += 3
		case indented && strings.HasPrefix(s[p.pos:], "''\\") && p.pos+3 < len(s):
			b.WriteByte(s[p.pos+3])
			p.pos += 4
		case indented && strings.HasPrefix(s[p.pos:], "''"):
			p.pos += 2
			n.Text = b.String()
			return n
		case strings.HasPrefix(s[p.pos:], "$${"):
			b.WriteString("$${")
			p.pos += 3
		case strings.HasPrefix(s[p.pos:], "${"):
			p.pos += 2
			p.have = false
			n.Kids = append(n.Kids, p.parseExpr())
			if !p.isOp("}") {
				t := p.cur()
				p.fail(t.pos, "expected \"}\" closing an interpolation, found %q", t.text)
			}
			p.have = false // the lexer stands right after the }
			n.Dynamic = true
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}
