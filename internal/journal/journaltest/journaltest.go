// Package journaltest writes real systemd journal files for tests: entries
// are rendered in the journal export format and converted with Debian's
// systemd-journal-remote.
package journaltest

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/runner"
	"github.com/axios-nix/axios/internal/testutil"
)

// BootID is the boot every fixture entry belongs to.
const BootID = "0123456789abcdef0123456789abcdef"

// Entry is one fixture entry. Fields are extra journal fields
// (e.g. "_SYSTEMD_UNIT"); a value that is not valid UTF-8 or holds a
// newline is written in the binary form of the export format.
type Entry struct {
	Time     time.Time
	Priority int
	Message  string
	Fields   map[string]string
}

// Export renders entries in the journal export format.
func Export(entries []Entry) []byte {
	var b bytes.Buffer
	for i, e := range entries {
		fields := map[string]string{
			"__REALTIME_TIMESTAMP":  fmt.Sprint(e.Time.UnixMicro()),
			"__MONOTONIC_TIMESTAMP": fmt.Sprint(int64(i+1) * 1_000_000),
			"_BOOT_ID":              BootID,
			"_HOSTNAME":             "testhost",
			"_TRANSPORT":            "syslog",
			"PRIORITY":              fmt.Sprint(e.Priority),
			"MESSAGE":               e.Message,
		}
		for k, v := range e.Fields {
			fields[k] = v
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := fields[k]
			if strings.ContainsRune(v, '\n') || !isText(v) {
				b.WriteString(k + "\n")
				var n [8]byte
				binary.LittleEndian.PutUint64(n[:], uint64(len(v)))
				b.Write(n[:])
				b.WriteString(v + "\n")
				continue
			}
			b.WriteString(k + "=" + v + "\n")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func isText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Write converts entries into a journal file in a new temporary folder and
// returns the folder (for journalctl --directory). It needs
// systemd-journal-remote (Debian package systemd-journal-remote).
func Write(t testing.TB, entries []Entry) string {
	t.Helper()
	remote := testutil.RequireTool(t, "/lib/systemd/systemd-journal-remote")
	testutil.RequireTool(t, "journalctl")
	dir := t.TempDir()
	err := runner.Exec{}.Run(context.Background(), runner.Cmd{
		Name:  remote,
		Args:  []string{"--output=" + filepath.Join(dir, "fixture.journal"), "-"},
		Stdin: bytes.NewReader(Export(entries)),
	})
	if err != nil {
		t.Fatalf("writing the journal fixture: %v", err)
	}
	return dir
}
