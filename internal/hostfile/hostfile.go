// Package hostfile parses a host file (hosts/<name>.toml) into its values
// and the place of every key, refusing hostile input (too large, too deep,
// too many keys, not a regular file) with a clear error. The rules are
// applied by internal/hostrules.
package hostfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Host forms (docs/validation.md, "Inputs").
const (
	FormTOML = "toml"
	FormNix  = "nix"
)

// MaxFileSize is the largest host file Parse accepts. A host is a few dozen
// lines; the limit keeps hostile input from exhausting memory or stack.
const MaxFileSize = 256 << 10

// maxNesting is the deepest bracket nesting Parse accepts.
const maxNesting = 64

// maxKeyDepth is the largest number of parts a dotted key (with its table
// header and inline tables) may have; deeper keys would make parsing slow.
// Host fields have at most three.
const maxKeyDepth = 32

// MaxKeys is the most keys (key/value pairs, table headers and keys of
// inline tables, counted with their dotted parts) Parse accepts. A host has
// a few dozen; TOML's duplicate-key check in go-toml takes time quadratic in
// the number of keys (10k keys: 0.2 s, 40k: 3 s), so a hostile file of many
// short keys is refused before it is decoded.
const MaxKeys = 2048

// Position is a place in a host file; Line and Column count from 1.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Host is one parsed host.
type Host struct {
	// File is the path the host was read from ("" when it has none).
	File string
	// Name is the file stem ("alice" for hosts/alice.toml); "" when the host
	// has no .toml file name. Validate compares it with hostname (AX110).
	Name string
	// Form is FormTOML or FormNix.
	Form string
	// Values is the host table: string, bool, int64, float64, []any,
	// map[string]any and the TOML date/time types.
	Values map[string]any

	positions map[string]Position
}

// Position returns where a dotted field was first written in the file.
func (h *Host) Position(field string) (Position, bool) {
	p, ok := h.positions[field]
	return p, ok
}

// ParseError is a TOML syntax error (or an unreadable file) with its place.
type ParseError struct {
	File   string
	Line   int // 0 when unknown
	Column int // 0 when unknown
	Msg    string
	// Fix says how to repair it; "" means fixing the TOML syntax.
	Fix string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, "%d:", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ParseFile reads and parses a host file. A syntax error, and a path that is
// not a regular file (a named pipe, device or socket, which could block or
// never end), is a *ParseError; other errors are I/O errors.
func ParseFile(path string) (*Host, error) {
	data, err := readRegular(path)
	if err != nil {
		var nr *NotRegularError
		if errors.As(err, &nr) && nr.Mode.IsDir() {
			return nil, fmt.Errorf("reading host %s: is a directory", path)
		}
		if errors.As(err, &nr) {
			return nil, &ParseError{File: path, Msg: nr.Reason() + "; a host file must be a plain TOML file",
				Fix: "replace it with a regular file; to check text from a pipe, pass - and send it on standard input"}
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, fmt.Errorf("reading host %s: %w", path, err)
	}
	return Parse(data, path)
}

// readRegular reads the regular file at path (after following symbolic
// links) as OpenRegular opens it, never blocking on a named pipe or device,
// with system calls only: open, fstat, one read for a file that does not
// change meanwhile, close. (Through os.File a host took six calls and a
// file object; a folder of 1000 hosts is read here.) A file larger than
// MaxFileSize is a *ParseError; one that is not regular a
// *NotRegularError.
func readRegular(path string) ([]byte, error) {
	fd, size, err := openRegularFD(path)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	if size > MaxFileSize {
		return nil, &ParseError{File: path, Msg: fmt.Sprintf("the file is larger than %d KiB; a host file is a short TOML table", MaxFileSize>>10)}
	}
	// One byte more than the size at open tells a file that grew; read at
	// most one byte more than allowed.
	data := make([]byte, 0, size+1)
	for len(data) <= MaxFileSize {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		var n int
		want := min(cap(data), MaxFileSize+1) - len(data)
		err := ignoringEINTR(func() (err error) {
			n, err = syscall.Read(fd, data[len(data):len(data)+want])
			return err
		})
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		data = data[:len(data)+n]
		if n < want {
			break // a regular file reads short only at its end
		}
	}
	return data, nil
}

// ignoringEINTR calls f again while it fails with EINTR (a signal arrived
// during the call).
func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}

// fileMode is the type part of an fs.FileMode for a stat(2) st_mode.
func fileMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}

// NotRegularError is a path that OpenRegular refused: it exists but is not a
// regular file (nor a symbolic link to one).
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

// Reason says what the path is instead, e.g. "x is a named pipe (FIFO), not
// a regular file".
func (e *NotRegularError) Reason() string {
	kind := "not a regular file"
	switch {
	case e.Mode.IsDir():
		kind = "a folder"
	case e.Mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case e.Mode&fs.ModeSocket != 0:
		kind = "a socket"
	case e.Mode&fs.ModeDevice != 0:
		kind = "a device"
	}
	return e.Path + " is " + kind + ", not a regular file"
}

func (e *NotRegularError) Error() string { return e.Reason() }

// OpenRegular opens path for reading only when it is a regular file (after
// following symbolic links). It never blocks: the file is opened with
// O_NONBLOCK, so a named pipe without a writer is refused at once instead of
// hanging the open, and the type is checked on the opened file, so the path
// cannot be swapped between the check and the read. A path that is not a
// regular file is a *NotRegularError.
func OpenRegular(path string) (*os.File, error) {
	fd, _, err := openRegularFD(path)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRegularFD opens path read-only without blocking (O_NONBLOCK) and
// checks on the open descriptor that it is a regular file; it returns the
// descriptor and the file's size. A path that is not a regular file is a
// *NotRegularError; failed system calls are *fs.PathError.
func openRegularFD(path string) (fd int, size int64, err error) {
	err = ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return -1, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := ignoringEINTR(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		syscall.Close(fd)
		return -1, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := fileMode(st.Mode); !mode.IsRegular() {
		syscall.Close(fd)
		return -1, 0, &NotRegularError{Path: path, Mode: mode}
	}
	return fd, st.Size, nil
}

// Parse parses the TOML text of a host. filename is used in errors and, when
// it ends in ".toml", gives the host its Name (the stem). A syntax error is
// returned as a *ParseError carrying the line and column. Parse never panics.
func Parse(data []byte, filename string) (h *Host, err error) {
	defer func() {
		if r := recover(); r != nil {
			h, err = nil, &ParseError{File: filename, Msg: fmt.Sprintf("cannot parse the file: %v", r)}
		}
	}()
	if len(data) > MaxFileSize {
		return nil, &ParseError{File: filename, Msg: fmt.Sprintf("the file is larger than %d KiB; a host file is a short TOML table", MaxFileSize>>10)}
	}
	if line, ok := tooDeep(data); ok {
		return nil, &ParseError{File: filename, Line: line, Msg: fmt.Sprintf("arrays or inline tables are nested more than %d levels deep", maxNesting)}
	}
	pos, keys, deep := keyPositions(data)
	if deep > 0 {
		return nil, &ParseError{File: filename, Line: deep, Msg: fmt.Sprintf("a key has more than %d dotted parts", maxKeyDepth)}
	}
	if keys.count > MaxKeys {
		return nil, &ParseError{File: filename, Line: keys.overLine, Msg: fmt.Sprintf("the file has %d keys, more than %d; a host file is a short TOML table", keys.count, MaxKeys),
			Fix: "move large settings (extraConfig) into a .nix module in hosts/<name>/"}
	}
	values := map[string]any{}
	if err := toml.Unmarshal(data, &values); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, &ParseError{File: filename, Line: row, Column: col, Msg: "TOML syntax error: " + strings.TrimPrefix(de.Error(), "toml: ")}
		}
		return nil, &ParseError{File: filename, Msg: "TOML syntax error: " + strings.TrimPrefix(err.Error(), "toml: ")}
	}
	h = &Host{File: filename, Form: FormTOML, Values: values, positions: pos}
	if base := filepath.Base(filename); strings.HasSuffix(base, ".toml") && len(base) > len(".toml") {
		h.Name = strings.TrimSuffix(base, ".toml")
	}
	return h, nil
}

// FromValues returns a host built from an already decoded table (for example
// the Nix form, decoded from JSON), without positions.
func FromValues(values map[string]any, name, form string) *Host {
	if values == nil {
		values = map[string]any{}
	}
	return &Host{Name: name, Form: form, Values: values}
}

// keyCount is the number of keys keyPositions saw and the line of the first
// key over MaxKeys.
type keyCount struct {
	count, overLine int
}

// keyPositions records, for every dotted key path and each of its prefixes,
// the first place it appears: a key in a key/value pair, a table header or a
// key inside an inline table. Keys inside arrays are not recorded (a list
// element is named by its list). When a key path has more than maxKeyDepth
// parts it stops and returns that key's line as deep. A syntax error just
// ends the scan: toml.Unmarshal reports it.
//
// It also counts the keys (every part of every dotted key, in arrays too).
// It takes time linear in the size of data.
func keyPositions(data []byte) (pos map[string]Position, keys keyCount, deep int) {
	pos = map[string]Position{}
	p := parsers.Get().(*unstable.Parser)
	defer parsers.Put(p)
	p.Reset(data)
	defer p.Reset(nil) // keep no reference to data in the pool
	lines := newLineTable(data)
	// kb is the dotted key being recorded, parts its number of parts; the
	// key becomes a string only when it is first seen.
	var kb []byte
	// record notes the place of the key in kb (when store is set) and
	// reports false when it has more than maxKeyDepth parts.
	record := func(parts int, n *unstable.Node, store bool) bool {
		if keys.count++; keys.count == MaxKeys+1 {
			keys.overLine = lines.at(int(n.Raw.Offset)).Line
		}
		if parts > maxKeyDepth {
			deep = lines.at(int(n.Raw.Offset)).Line
			return false
		}
		if store {
			if _, seen := pos[string(kb)]; !seen {
				pos[string(kb)] = lines.at(int(n.Raw.Offset))
			}
		}
		return true
	}
	// push appends the key part k to kb.
	push := func(parts int, k []byte) {
		if parts > 0 {
			kb = append(kb, '.')
		}
		kb = append(kb, k...)
	}
	var keyval func(base, parts int, n *unstable.Node, store bool) bool
	var value func(base, parts int, v *unstable.Node, store bool) bool
	keyval = func(base, parts int, n *unstable.Node, store bool) bool {
		kb = kb[:base]
		it := n.Key()
		for it.Next() {
			k := it.Node()
			push(parts, k.Data)
			parts++
			if !record(parts, k, store) {
				return false
			}
		}
		return value(len(kb), parts, n.Value(), store)
	}
	// value descends into inline tables (recording their keys) and arrays
	// (checking the depth of the keys of inline tables inside them only).
	value = func(base, parts int, v *unstable.Node, store bool) bool {
		if v == nil {
			return true
		}
		switch v.Kind {
		case unstable.InlineTable:
			children := v.Children()
			for children.Next() {
				if c := children.Node(); c.Kind == unstable.KeyValue && !keyval(base, parts, c, store) {
					return false
				}
			}
		case unstable.Array:
			children := v.Children()
			for children.Next() {
				if !value(base, parts, children.Node(), false) {
					return false
				}
			}
		}
		return true
	}
	var prefix []byte // the current table header's key
	prefixParts := 0
	inArray := false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			kb, prefixParts = kb[:0], 0
			it := e.Key()
			for it.Next() {
				k := it.Node()
				push(prefixParts, k.Data)
				prefixParts++
				if !record(prefixParts, k, true) {
					return pos, keys, deep
				}
			}
			prefix = append(prefix[:0], kb...)
			inArray = e.Kind == unstable.ArrayTable
		case unstable.KeyValue:
			kb = append(kb[:0], prefix...)
			if !keyval(len(kb), prefixParts, e, !inArray) {
				return pos, keys, deep
			}
		}
	}
	return pos, keys, 0
}

// parsers keeps TOML parsers between host files: a parser's node list
// grows while it parses and is reused after Reset.
var parsers = sync.Pool{New: func() any { return new(unstable.Parser) }}

// lineTable maps byte offsets of a file to lines and columns. It is built
// once per file: go-toml's own Parser.Shape counts the lines from the start
// of the file on every call, which made positions quadratic in the number of
// keys (a 256 KiB host of 40k short keys took 20 s).
type lineTable []int // offset of the first byte of each line

func newLineTable(data []byte) lineTable {
	t := lineTable{0}
	for i, c := range data {
		if c == '\n' {
			t = append(t, i+1)
		}
	}
	return t
}

// at returns the 1-based line and byte column of offset, as Parser.Shape
// does.
func (t lineTable) at(offset int) Position {
	// The last line starting at or before offset.
	i := sort.Search(len(t), func(i int) bool { return t[i] > offset }) - 1
	return Position{Line: i + 1, Column: offset - t[i] + 1}
}

// tooDeep reports whether brackets nest deeper than maxNesting outside of
// strings and comments, and the line where that happens.
func tooDeep(data []byte) (int, bool) {
	depth, line := 0, 1
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			if i < len(data) {
				line++
			}
		case '"', '\'':
			delim := []byte{c}
			if i+2 < len(data) && data[i+1] == c && data[i+2] == c {
				delim = []byte{c, c, c}
			}
			i += len(delim)
			for i < len(data) {
				if data[i] == '\n' {
					line++
				}
				if c == '"' && data[i] == '\\' {
					i += 2
					continue
				}
				if data[i] == c && i+len(delim) <= len(data) && string(data[i:i+len(delim)]) == string(delim) {
					i += len(delim) - 1
					break
				}
				i++
			}
		case '[', '{':
			depth++
			if depth > maxNesting {
				return line, true
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0, false
}

// Lookup returns the value of a dotted field in a host table, without
// defaults and without regard to diagnostics (what mkSystem reads).
func Lookup(values map[string]any, field string) (any, bool) {
	var cur any = values
	for rest, more := field, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, ".")
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = t[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}
