package editdist

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("levenshtein = %d", d)
	}
	if d := Distance("", "abc"); d != 3 {
		t.Errorf("levenshtein empty = %d", d)
	}
}

// TestWithin compares Within with Distance on every pair of a set of words
// (short, long, empty, shared prefixes and suffixes) and every bound.
func TestWithin(t *testing.T) {
	words := []string{"", "a", "ab", "abc", "kitten", "sitting", "Europe/Berlin", "Europe/Berlinn", "Erope/Berlin",
		"America/Argentina/Buenos_Aires", "Mars/Olympus Mons", "UTC", "utc", "gaming", "gamin", "graphics",
		strings.Repeat("x", 70), strings.Repeat("x", 69) + "y", strings.Repeat("y", 80)}
	for _, a := range words {
		for _, b := range words {
			d := Distance(a, b)
			for k := -1; k <= 12; k++ {
				want := min(d, k+1)
				if got := Within(a, b, k); got != want {
					t.Errorf("Within(%q, %q, %d) = %d, want %d (distance %d)", a, b, k, got, want, d)
				}
			}
			if got := Within(a, b, 100); got != d {
				t.Errorf("Within(%q, %q, 100) = %d, want %d", a, b, got, d)
			}
		}
	}
}

// TestMatcherReused measures many strings with one Matcher, in both length
// orders, and checks each against Distance: the counts it keeps must come
// back unchanged after every candidate.
func TestMatcherReused(t *testing.T) {
	m := NewMatcher("Europe/Berlin")
	for _, b := range []string{"Europe/Berlin", "Europe/Bern", "Erope/Berlin", "Berlin/Europe", "Europe/Berlinnnn", "zzzz", "", "Europe/Berlin"} {
		for k := 0; k <= 14; k++ {
			if got, want := m.Within(b, k), min(Distance("Europe/Berlin", b), k+1); got != want {
				t.Errorf("Within(%q, %d) = %d, want %d", b, k, got, want)
			}
		}
	}
}
