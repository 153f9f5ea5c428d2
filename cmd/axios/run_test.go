package main

import (
	"strings"
	"testing"
)

// Command-line mistakes exit with status 2 and name the command, the
// problem and its usage line.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"plan", "a", "b"}, []string{"axios plan: accepts 1 arg(s), received 2", "usage: axios plan HOST|FILE", "`axios plan --help`"}},
		{[]string{"diff"}, []string{"axios diff: accepts 2 arg(s), received 0", "usage: axios diff A B"}},
		{[]string{"check", "--bogus"}, []string{"axios check: unknown flag: --bogus", "usage: axios check [PATH...]"}},
		{[]string{"init", "--yes", "--ssd=maybe"}, []string{`axios init: invalid argument "maybe" for "--ssd" flag`, "usage: axios init"}},
		{[]string{"chek"}, []string{`axios: unknown command "chek" for "axios"`, "check"}},
	} {
		var stderr strings.Builder
		code := run(tc.args, &stderr)
		if code != 2 {
			t.Errorf("%v: exit status %d, want 2", tc.args, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr.String())
			}
		}
		if strings.Contains(stderr.String(), "goroutine") {
			t.Errorf("%v: stack trace:\n%s", tc.args, stderr.String())
		}
	}
}

// Errors that carry their own status keep it and print once.
func TestCodedErrors(t *testing.T) {
	var stderr strings.Builder
	missing := t.TempDir() + "/none.toml"
	if code := run([]string{"check", missing}, &stderr); code != 2 {
		t.Errorf("check of a missing file: status %d, want 2", code)
	}
	if got := stderr.String(); strings.Count(got, "axios:") != 1 || !strings.Contains(got, missing) || strings.Contains(got, "usage:") {
		t.Errorf("check of a missing file printed %q", got)
	}
}
