package termquiet

import "testing"

func TestNeedsForm(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"axios"}, false},
		{[]string{"axios", "check", "hosts/a.toml"}, false},
		{[]string{"axios", "init"}, true},
		{[]string{"axios", "--no-color", "init", "--dir", "d"}, true},
	} {
		if got := NeedsForm(c.args); got != c.want {
			t.Errorf("NeedsForm(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
