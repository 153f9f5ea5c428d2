package journal

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/journal/journaltest"
)

func TestMain(m *testing.M) {
	journaltest.RunFakeIfAsked()
	os.Exit(m.Run())
}

// A journal of entries with 1 MiB fields (issue 11: `--all` and reading
// all of journalctl's output took 2.6 GB and 30 s): journalctl is asked only
// for the result's fields and without --all, its output is read only until
// the result is full or MaxRead bytes were read, and then it is stopped.
func TestQueryHugeFields(t *testing.T) {
	log := journaltest.InstallFake(t, 200, 1<<20) // 400 MiB if read to the end
	for _, tc := range []struct {
		name    string
		client  Client
		q       Query
		note    string
		entries int
	}{
		// 2 MiB entries: the 8 MiB read limit ends the query after three.
		{"read limit", Client{}, Query{MaxBytes: MaxBytes, MaxEntries: MaxEntries}, "reached the 8 MiB read limit", 3},
		// Messages cut to 4 KiB: the default 64 KiB budget is full after 15.
		{"budget", Client{MaxRead: 64 << 20}, Query{}, "65536-byte budget", 15},
		{"entries", Client{MaxRead: 64 << 20}, Query{MaxEntries: 2}, "only the newest 2", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r, err := tc.client.Query(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%v: %d entries, %s", time.Since(start), len(r.Entries), r.Note)
			if !r.Truncated || !strings.Contains(r.Note, tc.note) || len(r.Entries) != tc.entries {
				t.Errorf("truncated %v, %d entries, note %q", r.Truncated, len(r.Entries), r.Note)
			}
			for i, e := range r.Entries {
				if len(e.Message) > MaxMessageBytes || !e.Cut {
					t.Errorf("entry %d: %d-byte message, cut %v", i, len(e.Message), e.Cut)
				}
			}
			// The newest entries, oldest first.
			if n := len(r.Entries); n > 0 && !strings.HasPrefix(r.Entries[n-1].Message, "199 ") {
				t.Errorf("last entry %.10q is not the newest", r.Entries[n-1].Message)
			}
		})
	}
	pids, args := journaltest.FakeRuns(t, log)
	for i, pid := range pids {
		journaltest.WaitGone(t, pid)
		if strings.Contains(args[i], "--all") || !strings.Contains(args[i], "--output-fields=MESSAGE,") || !strings.Contains(args[i], "--reverse") {
			t.Errorf("journalctl %s", args[i])
		}
	}
}

// An argument of 100 kB is not echoed in full by the error.
func TestInputErrorBounded(t *testing.T) {
	_, err := Client{Runner: failRunner{t}}.Query(context.Background(), Query{Unit: strings.Repeat("u", 100_000) + "!"})
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "(100001 bytes)") {
		t.Errorf("error (%d bytes): %.300s", len(err.Error()), err)
	}
}
