package testrunenv

import (
	"os"
	"testing"
)

// The kept files go under $XDG_CACHE_HOME, else ~/.cache, else (neither
// set) the temporary folder.
func TestCacheBase(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/srv/cache")
	if got := CacheBase(); got != "/srv/cache" {
		t.Errorf("with XDG_CACHE_HOME: %q", got)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if got := CacheBase(); got != "/home/ada/.cache" {
		t.Errorf("with HOME: %q", got)
	}
	t.Setenv("HOME", "")
	if got := CacheBase(); got != os.TempDir() {
		t.Errorf("with neither: %q, want %q", got, os.TempDir())
	}
}
