package main

import (
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// axiosBinary returns the path of axios built with its helper programs
// beside it (testutil.AxiosPrograms, shared with the tests in tests/).
func axiosBinary(t *testing.T) string {
	t.Helper()
	return filepath.Join(testutil.AxiosPrograms(t), "axios")
}
