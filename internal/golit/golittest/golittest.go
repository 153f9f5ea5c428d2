// Package golittest holds the check the packages with go-generated values
// share: the committed file must be what go generate writes.
package golittest

import (
	"bytes"
	"os"
	"testing"
)

// Generated compares the committed generated file path with want, the
// source go generate would write now, and fails naming the command that
// rewrites it (regen, e.g. "go generate ./internal/rules"). With update
// set (the test run by go generate with -update) it writes want to path
// instead and reports true: the caller's remaining checks compare the old
// values and are skipped.
func Generated(t testing.TB, path string, want []byte, update bool, regen string) (updated bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return true
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s does not match its source files: run `%s`", path, regen)
	}
	return false
}
