package rules

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestGeneratedMatchers: each generated matcher answers as Go's regexp
// answers for `^(?:pattern)$` (what Parse matches with) on every string of
// up to three runes drawn from the edges of its rune classes, on random
// strings, on strings the matcher accepts (random walks to an accepting
// state) and on each of these changed by one rune.
func TestGeneratedMatchers(t *testing.T) {
	if len(generatedMatchers) == 0 {
		t.Fatal("rules_gen.go has no matchers")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range generatedMatchers {
		d := &generatedMatchers[i]
		re := regexp.MustCompile(`^(?:` + d.Pattern + `)$`)
		n := 0
		check := func(s string) {
			n++
			if got, want := d.match(s), re.MatchString(s); got != want {
				t.Errorf("pattern %q, value %q: matcher says %v, regexp %v", d.Pattern, s, got, want)
			}
		}
		// Runes at both edges of each class, and bytes that are not UTF-8.
		var edges []string
		for c, lo := range d.Lo {
			hi := rune(utf8.MaxRune)
			if c+1 < len(d.Lo) {
				hi = d.Lo[c+1] - 1
			}
			edges = append(edges, string(lo), string(hi))
		}
		edges = append(edges, "\xff", "\xe2\x82")
		check("")
		for _, a := range edges {
			check(a)
			for _, b := range edges {
				check(a + b)
				for _, c := range edges {
					check(a + b + c)
				}
			}
		}
		inClass := func(c int) rune {
			lo, hi := d.Lo[c], rune(0x2FF)
			if c+1 < len(d.Lo) {
				hi = d.Lo[c+1] - 1
			}
			if hi < lo {
				hi = lo
			}
			return lo + rnd.Int32N(hi-lo+1)
		}
		accepted := 0
		for range 300 {
			// A random walk through live states, ending where the
			// matcher accepts when it can.
			var b strings.Builder
			st := 1
			for steps := rnd.IntN(100); ; steps-- {
				if steps <= 0 && d.Accept[st] {
					break
				}
				var live []int
				for c := range d.Lo {
					if d.Next[st*len(d.Lo)+c] != 0 {
						live = append(live, c)
					}
				}
				if len(live) == 0 || steps < -200 {
					break
				}
				c := live[rnd.IntN(len(live))]
				b.WriteRune(inClass(c))
				st = int(d.Next[st*len(d.Lo)+c])
			}
			s := b.String()
			if d.match(s) {
				accepted++
			}
			check(s)
			rs := []rune(s)
			if len(rs) > 0 {
				k := rnd.IntN(len(rs))
				changed := slicesReplace(rs, k, inClass(rnd.IntN(len(d.Lo))))
				check(string(changed))
				check(string(rs[:k]) + string(rs[k+1:]))
			}
			// A random string of random runes.
			var r strings.Builder
			for range rnd.IntN(80) {
				r.WriteRune(inClass(rnd.IntN(len(d.Lo))))
			}
			check(r.String())
		}
		if accepted == 0 {
			t.Errorf("pattern %q: no random walk reached a match", d.Pattern)
		}
		t.Logf("pattern %q: %d states, %d values, %d walks matched", d.Pattern, len(d.Accept), n, accepted)
	}
}

func slicesReplace(rs []rune, k int, r rune) []rune {
	out := append([]rune(nil), rs...)
	out[k] = r
	return out
}

// TestGeneratedMatcherLookup: Default matches with the generated matchers,
// which allocate nothing, and a pattern without one is an error naming the
// fix, not a fallback.
func TestGeneratedMatcherLookup(t *testing.T) {
	r := Default()
	host := r.Fields["hostname"]
	if generatedDFA(host.Pattern) == nil || generatedDFA(r.UserPattern) == nil {
		t.Fatalf("no generated matcher for hostname %q or userPattern %q", host.Pattern, r.UserPattern)
	}
	if !host.MatchPattern("my-host1") || host.MatchPattern("-bad") || host.MatchPattern(strings.Repeat("a", 64)) || !host.MatchPattern(strings.Repeat("a", 63)) {
		t.Errorf("hostname pattern %q: wrong answers", host.Pattern)
	}
	if n := testing.AllocsPerRun(100, func() { host.MatchPattern("my-host-1") }); n != 0 {
		t.Errorf("matching a host name allocates %v times, want none", n)
	}
	if _, err := generatedMatcher("[a-z]+x"); err == nil || !strings.Contains(err.Error(), "go generate") {
		t.Errorf("generatedMatcher of an unknown pattern: %v", err)
	}
}

// TestBuildDFARefuses: the builder checks a pattern as compileERE does and
// refuses an automaton too large for its state numbers.
func TestBuildDFARefuses(t *testing.T) {
	for _, p := range []string{`\d+`, `(?i)a`, `[a-`} {
		if _, err := buildDFA(p); err == nil {
			t.Errorf("buildDFA(%q) accepted a pattern compileERE refuses", p)
		}
	}
	// The last 12 letters decide a match: 2^12 states.
	if _, err := buildDFA(`(a|b)*a(a|b){11}`); err == nil || !strings.Contains(err.Error(), "states") {
		t.Errorf("buildDFA of an automaton with 4096 states: %v", err)
	}
	d, err := buildDFA(`(a|b)*a(a|b){3}`)
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{"abbb": true, "bbabab": true, "bbbb": false, "abb": false, "": false} {
		if d.match(s) != want {
			t.Errorf("(a|b)*a(a|b){3} on %q: %v", s, !want)
		}
	}
}
