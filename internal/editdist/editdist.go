// Package editdist measures how far apart two strings are, for "did you
// mean" suggestions.
package editdist

// Distance is the Levenshtein edit distance over bytes (insert, delete and
// substitute each cost 1).
func Distance(a, b string) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Within is Distance(a, b) when that is at most k, and k+1 otherwise. It
// costs less than Distance when k is small (see Matcher).
func Within(a, b string, k int) int {
	m := NewMatcher(a)
	return m.Within(b, k)
}

// Matcher measures the distance from one string to many, each up to a
// bound: the "did you mean" search over hundreds of candidates.
type Matcher struct {
	a     string
	count [256]int32 // how often each byte occurs in a
}

// NewMatcher returns a Matcher for a.
func NewMatcher(a string) *Matcher {
	m := &Matcher{a: a}
	for i := 0; i < len(a); i++ {
		m.count[a[i]]++
	}
	return m
}

// Within is Distance(a, b) when that is at most k, and k+1 otherwise.
// Strings whose lengths differ by more than k are refused at once. Then the
// bytes are counted: each edit adds, removes or changes one byte, so the
// distance is at least the number of bytes of either string that the other
// lacks, and most far candidates stop there. Only then is the table filled,
// stopping at the first row whose every entry exceeds k (the row minimum
// never decreases). Strings up to 64 bytes need no allocation.
func (m *Matcher) Within(b string, k int) int {
	a := m.a
	if k < 0 {
		return k + 1
	}
	if len(a)-len(b) > k || len(b)-len(a) > k {
		return k + 1
	}
	if m.bytesOver(b, k) {
		return k + 1
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	const stack = 65
	var buf [2 * stack]int
	var prev, cur []int
	if len(b) < stack {
		prev, cur = buf[:len(b)+1], buf[stack:stack+len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			c := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin > k {
			return k + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], k+1)
}

// bytesOver reports whether more than k bytes of a are missing from b, or
// of b from a, counted as multisets: a lower bound of the edit distance is
// then over k. It stops counting as soon as the answer is known and leaves
// the counts as it found them.
func (m *Matcher) bytesOver(b string, k int) bool {
	// With extra bytes of b that a lacks, a has len(b)-extra bytes in common
	// with b and len(a)-len(b)+extra that b lacks: both grow with extra.
	limit := min(k, k-len(m.a)+len(b))
	extra, i := 0, 0
	for ; i < len(b) && extra <= limit; i++ {
		if m.count[b[i]]--; m.count[b[i]] < 0 {
			extra++
		}
	}
	for j := 0; j < i; j++ {
		m.count[b[j]]++
	}
	return extra > limit
}
