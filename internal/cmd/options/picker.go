package options

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/axios-nix/axios/internal/optindex"
	"github.com/axios-nix/axios/internal/ui"
)

// pickerRows is how many matches the picker lists at most.
const pickerRows = 12

// picker is the interactive search: a query line, the best matches with a
// cursor, and the option under the cursor.
type picker struct {
	ix      *optindex.Index
	query   string
	matches []optindex.Match
	cursor  int
	chosen  *optindex.Option
	done    bool
}

func newPicker(ix *optindex.Index, query string) *picker {
	p := &picker{ix: ix, query: query}
	p.filter()
	return p
}

func (p *picker) filter() {
	p.matches = p.ix.Search(p.query, pickerRows)
	if p.cursor >= len(p.matches) {
		p.cursor = max(0, len(p.matches)-1)
	}
}

// key is one key press the picker understands.
type key struct {
	kind  keyKind
	runes []rune // keyRunes: the typed text
}

type keyKind int

const (
	keyRunes keyKind = iota
	keyEnter
	keyQuit // Esc, Ctrl-C
	keyUp
	keyDown
	keyBackspace
)

// press applies one key; it reports whether the picker is done.
func (p *picker) press(k key) bool {
	switch k.kind {
	case keyQuit:
		p.done = true
	case keyEnter:
		if len(p.matches) > 0 {
			o := p.matches[p.cursor].Option
			p.chosen = &o
		}
		p.done = true
	case keyUp:
		if p.cursor > 0 {
			p.cursor--
		}
	case keyDown:
		if p.cursor < len(p.matches)-1 {
			p.cursor++
		}
	case keyBackspace:
		if r := []rune(p.query); len(r) > 0 {
			p.query = string(r[:len(r)-1])
			p.cursor = 0
			p.filter()
		}
	case keyRunes:
		p.query += string(k.runes)
		p.cursor = 0
		p.filter()
	}
	return p.done
}

// decodeKeys turns the bytes of one read from a terminal in raw mode into
// key presses. An escape sequence the picker does not know is skipped; a
// lone ESC is Esc.
func decodeKeys(b []byte) []key {
	var keys []key
	for len(b) > 0 {
		switch c := b[0]; {
		case c == 0x1b:
			if len(b) >= 3 && (b[1] == '[' || b[1] == 'O') {
				switch b[2] {
				case 'A':
					keys = append(keys, key{kind: keyUp})
				case 'B':
					keys = append(keys, key{kind: keyDown})
				}
				// Skip the sequence: parameters, then its final byte.
				i := 2
				for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
					i++
				}
				b = b[min(i+1, len(b)):]
				continue
			}
			keys = append(keys, key{kind: keyQuit})
			b = b[1:]
		case c == 0x03:
			keys = append(keys, key{kind: keyQuit})
			b = b[1:]
		case c == '\r' || c == '\n':
			keys = append(keys, key{kind: keyEnter})
			b = b[1:]
		case c == 0x7f || c == 0x08:
			keys = append(keys, key{kind: keyBackspace})
			b = b[1:]
		case c == 0x10: // Ctrl-P
			keys = append(keys, key{kind: keyUp})
			b = b[1:]
		case c == 0x0e || c == '\t': // Ctrl-N, Tab
			keys = append(keys, key{kind: keyDown})
			b = b[1:]
		case c < 0x20:
			b = b[1:]
		default:
			r, n := utf8.DecodeRune(b)
			if r != utf8.RuneError {
				if l := len(keys); l > 0 && keys[l-1].kind == keyRunes {
					keys[l-1].runes = append(keys[l-1].runes, r)
				} else {
					keys = append(keys, key{kind: keyRunes, runes: []rune{r}})
				}
			}
			b = b[n:]
		}
	}
	return keys
}

func (p *picker) View() string {
	if p.done {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Search options: %s█\n", p.query)
	if len(p.matches) == 0 {
		b.WriteString("  (no option matches)\n")
	}
	for i, m := range p.matches {
		marker := "  "
		if i == p.cursor {
			marker = "> "
		}
		fmt.Fprintf(&b, "%s%s  (%s)\n", marker, m.Name, m.Source)
	}
	if len(p.matches) > 0 {
		b.WriteString("\n")
		b.WriteString(Describe(ui.Painter{}, p.matches[p.cursor].Option))
	}
	b.WriteString("\n↑/↓ move · Enter show · Esc quit\n")
	return b.String()
}

// RunPicker runs the picker on a terminal and prints the chosen option.
// When in is a terminal it is put in raw mode (no echo, keys one by one)
// and restored afterwards, also when a signal ends the program.
func RunPicker(ix *optindex.Index, query string, in io.Reader, out io.Writer) error {
	if f, ok := in.(*os.File); ok {
		restore, err := rawMode(f)
		if err != nil {
			return fmt.Errorf("the option picker: %w", err)
		}
		defer restore()
	}
	p := newPicker(ix, query)
	lines := 0
	draw := func() {
		// Back to the first line of the last frame, clear below, redraw.
		if lines > 0 {
			fmt.Fprintf(out, "\x1b[%dA", lines)
		}
		v := p.View()
		fmt.Fprint(out, "\r\x1b[J", strings.ReplaceAll(v, "\n", "\r\n"))
		lines = strings.Count(v, "\n")
	}
	draw()
	buf := make([]byte, 256)
	for !p.done {
		n, err := in.Read(buf)
		for _, k := range decodeKeys(buf[:n]) {
			if p.press(k) {
				break
			}
		}
		if n > 0 || p.done {
			draw()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("the option picker: reading the terminal: %w", err)
		}
	}
	if p.chosen != nil {
		fmt.Fprint(out, strings.ReplaceAll(Describe(ui.NewPainter(out), *p.chosen), "\n", "\r\n"))
	}
	return nil
}
