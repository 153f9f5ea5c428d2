package editdist

import "testing"

func TestDistance(t *testing.T) {
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("levenshtein = %d", d)
	}
	if d := Distance("", "abc"); d != 3 {
		t.Errorf("levenshtein empty = %d", d)
	}
}
