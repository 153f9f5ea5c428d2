// Package testrunenv holds what tools/testrun and the test helpers
// (internal/testutil) agree on: the cache folder their kept files go
// under, and the variable that names one run of the tests.
package testrunenv

import "os"

// RunVar names the environment variable in which tools/testrun gives the
// test binaries of one run an identifier, the same for all of them.
const RunVar = "AXIOS_TESTRUN_RUN"

// CacheBase is the user's cache folder ($XDG_CACHE_HOME or ~/.cache), or
// the temporary folder when neither is set.
func CacheBase() string {
	if base, err := os.UserCacheDir(); err == nil {
		return base
	}
	return os.TempDir()
}
