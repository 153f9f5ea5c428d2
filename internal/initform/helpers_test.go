package initform

import (
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

func fixture(t *testing.T, name string) string {
	return filepath.Join(testutil.RepoRoot(t), "internal", "hwdetect", "testdata", name)
}
