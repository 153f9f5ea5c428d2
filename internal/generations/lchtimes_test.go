package generations

import (
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// lchtimes sets a symlink's own modification time (with coreutils touch -h;
// the standard library can only change the target's).
func lchtimes(t *testing.T, path string, when time.Time) error {
	touch := testutil.RequireTool(t, "touch")
	return exec.Command(touch, "-h", "-d", "@"+strconv.FormatInt(when.Unix(), 10), path).Run()
}
