package rules

import "sort"

// dfa matches one pattern of the embedded rules against a whole value with
// no regular expression compiled at run time: go generate builds it from
// the pattern (buildDFA in dfabuild_test.go, from the program Go's regexp
// package would compile for `^(?:pattern)$`) and writes it into
// rules_gen.go as plain data, so a command that checks a host name
// neither compiles a regexp (whose counted repetitions such as {0,61}
// recurse deeply and grow the stack) nor allocates.
//
// The input is read as runes, as regexp reads it (an invalid UTF-8 byte is
// utf8.RuneError). Runes fall into classes: class i holds the runes from
// Lo[i] up to Lo[i+1]-1 (the last class up to utf8.MaxRune), and every
// rune of a class is matched alike by every instruction of the program.
// State 0 rejects everything; the match starts in state 1.
type dfa struct {
	Pattern string
	Lo      []int32  // first rune of each class, ascending; Lo[0] is 0
	Next    []uint16 // Next[state*len(Lo)+class] is the next state
	Accept  []bool   // Accept[state]: the value may end in state
}

// match reports whether s as a whole matches the pattern.
func (d *dfa) match(s string) bool {
	n := len(d.Lo)
	st := 1
	for _, r := range s {
		c := sort.Search(n, func(i int) bool { return d.Lo[i] > r }) - 1
		st = int(d.Next[st*n+c])
		if st == 0 {
			return false
		}
	}
	return d.Accept[st]
}

// generatedDFA returns the generated matcher of pattern, nil when
// rules_gen.go has none (generatedMatchers is sorted by pattern).
func generatedDFA(pattern string) *dfa {
	i := sort.Search(len(generatedMatchers), func(i int) bool { return generatedMatchers[i].Pattern >= pattern })
	if i < len(generatedMatchers) && generatedMatchers[i].Pattern == pattern {
		return &generatedMatchers[i]
	}
	return nil
}
