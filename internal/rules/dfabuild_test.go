package rules

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxDFAStates bounds the states of a generated matcher (Next holds
// uint16 state numbers).
const maxDFAStates = 1 << 12

// buildDFA builds the matcher go generate writes for pattern: the program
// Go's regexp package compiles for `^(?:pattern)$` (what compileERE
// matches with), turned into a deterministic automaton by the subset
// construction. The pattern is first checked as compileERE checks it (a
// POSIX ERE). Only the begin- and end-of-text assertions are supported
// (a pattern with another assertion, such as a word boundary, or with
// case folding is an error: its matcher would need the neighbouring
// runes).
func buildDFA(pattern string) (dfa, error) {
	if _, err := compileERE(pattern); err != nil {
		return dfa{}, err
	}
	re, err := syntax.Parse(`^(?:`+pattern+`)$`, syntax.Perl)
	if err != nil {
		return dfa{}, err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return dfa{}, err
	}

	// Class boundaries: every rune where some instruction's answer may
	// change.
	bounds := map[rune]bool{0: true}
	cut := func(lo, hi rune) {
		bounds[lo] = true
		if hi < utf8.MaxRune {
			bounds[hi+1] = true
		}
	}
	for pc, in := range prog.Inst {
		switch in.Op {
		case syntax.InstRune:
			if len(in.Rune) == 1 {
				if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					return dfa{}, fmt.Errorf("pattern %q: case folding is not supported", pattern)
				}
				cut(in.Rune[0], in.Rune[0])
				continue
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				cut(in.Rune[i], in.Rune[i+1])
			}
		case syntax.InstRune1:
			cut(in.Rune[0], in.Rune[0])
		case syntax.InstRuneAnyNotNL:
			cut('\n', '\n')
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
				return dfa{}, fmt.Errorf("pattern %q: instruction %d: only ^ and $ are supported as assertions", pattern, pc)
			}
		}
	}
	var lo []int32
	for r := range bounds {
		lo = append(lo, r)
	}
	slices.Sort(lo)

	consumes := func(op syntax.InstOp) bool {
		return op == syntax.InstRune || op == syntax.InstRune1 || op == syntax.InstRuneAny || op == syntax.InstRuneAnyNotNL
	}
	// closure follows the instructions that consume no rune from seeds,
	// at a position where the assertions in ctx hold, and returns the
	// sorted instructions it stops at: those that consume a rune, Match,
	// and end-of-text assertions not (yet) known to hold.
	closure := func(seeds []uint32, ctx syntax.EmptyOp) []uint32 {
		seen := map[uint32]bool{}
		var out []uint32
		stack := slices.Clone(seeds)
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[pc] {
				continue
			}
			seen[pc] = true
			in := prog.Inst[pc]
			switch {
			case in.Op == syntax.InstAlt || in.Op == syntax.InstAltMatch:
				stack = append(stack, in.Out, in.Arg)
			case in.Op == syntax.InstCapture || in.Op == syntax.InstNop:
				stack = append(stack, in.Out)
			case in.Op == syntax.InstEmptyWidth:
				need := syntax.EmptyOp(in.Arg)
				switch {
				case need&^ctx == 0:
					stack = append(stack, in.Out)
				case need&syntax.EmptyBeginText == 0 || ctx&syntax.EmptyBeginText != 0:
					out = append(out, pc) // may hold at the end of the text
				}
			case in.Op == syntax.InstMatch || consumes(in.Op):
				out = append(out, pc)
			}
		}
		slices.Sort(out)
		return out
	}
	key := func(set []uint32) string { return fmt.Sprint(set) }

	// State 0 is the empty set; state 1 the start, kept apart from any
	// later state with the same instructions (at the start, ^ holds).
	sets := [][]uint32{nil, closure([]uint32{uint32(prog.Start)}, syntax.EmptyBeginText)}
	ids := map[string]int{key(nil): 0}
	d := dfa{Pattern: pattern, Lo: lo}
	for s := 0; s < len(sets); s++ {
		for _, r := range lo {
			var seeds []uint32
			for _, pc := range sets[s] {
				if in := prog.Inst[pc]; consumes(in.Op) && in.MatchRune(r) {
					seeds = append(seeds, in.Out)
				}
			}
			next := closure(seeds, 0)
			id, ok := ids[key(next)]
			if !ok {
				id = len(sets)
				if id >= maxDFAStates {
					return dfa{}, fmt.Errorf("pattern %q: more than %d states", pattern, maxDFAStates)
				}
				ids[key(next)] = id
				sets = append(sets, next)
			}
			d.Next = append(d.Next, uint16(id))
		}
		end := syntax.EmptyEndText
		if s == 1 {
			end |= syntax.EmptyBeginText
		}
		d.Accept = append(d.Accept, slices.ContainsFunc(closure(sets[s], end), func(pc uint32) bool {
			return prog.Inst[pc].Op == syntax.InstMatch
		}))
	}
	return d, nil
}

// buildDFAs builds the matchers of every pattern of r (userPattern and
// each field's pattern), sorted by pattern.
func buildDFAs(r *Rules) ([]dfa, error) {
	patterns := []string{r.UserPattern}
	for _, f := range r.Fields {
		if f.Pattern != "" {
			patterns = append(patterns, f.Pattern)
		}
	}
	slices.Sort(patterns)
	patterns = slices.Compact(patterns)
	var out []dfa
	for _, p := range patterns {
		d, err := buildDFA(p)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b dfa) int { return strings.Compare(a.Pattern, b.Pattern) })
	return out, nil
}
