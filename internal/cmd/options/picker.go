package options

import (
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

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

func (p *picker) Init() tea.Cmd { return nil }

func (p *picker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch k.Type {
	case tea.KeyCtrlC, tea.KeyEsc:
		p.done = true
		return p, tea.Quit
	case tea.KeyEnter:
		if len(p.matches) > 0 {
			o := p.matches[p.cursor].Option
			p.chosen = &o
		}
		p.done = true
		return p, tea.Quit
	case tea.KeyUp, tea.KeyCtrlP:
		if p.cursor > 0 {
			p.cursor--
		}
	case tea.KeyDown, tea.KeyCtrlN, tea.KeyTab:
		if p.cursor < len(p.matches)-1 {
			p.cursor++
		}
	case tea.KeyBackspace:
		if r := []rune(p.query); len(r) > 0 {
			p.query = string(r[:len(r)-1])
			p.cursor = 0
			p.filter()
		}
	case tea.KeyRunes, tea.KeySpace:
		p.query += string(k.Runes)
		if k.Type == tea.KeySpace {
			p.query += " "
		}
		p.cursor = 0
		p.filter()
	}
	return p, nil
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
func RunPicker(ix *optindex.Index, query string, in io.Reader, out io.Writer) error {
	m, err := tea.NewProgram(newPicker(ix, query), tea.WithInput(in), tea.WithOutput(out)).Run()
	if err != nil {
		return fmt.Errorf("the option picker: %w", err)
	}
	if p, ok := m.(*picker); ok && p.chosen != nil {
		fmt.Fprint(out, Describe(ui.NewPainter(out), *p.chosen))
	}
	return nil
}
