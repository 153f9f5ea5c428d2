package journal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/journal/journaltest"
	"github.com/axios-nix/axios/internal/runner"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Fixture is the journal the tests query: sshd, nginx and kernel entries an
// hour apart, at various priorities.
func Fixture() []journaltest.Entry {
	unit := func(u, id string, pid string) map[string]string {
		m := map[string]string{"SYSLOG_IDENTIFIER": id, "_PID": pid}
		if u != "" {
			m["_SYSTEMD_UNIT"] = u
		}
		return m
	}
	return []journaltest.Entry{
		{Time: t0, Priority: 6, Message: "Server listening on 0.0.0.0 port 22.", Fields: unit("sshd.service", "sshd", "101")},
		{Time: t0.Add(1 * time.Hour), Priority: 3, Message: "connect() failed (111: Connection REFUSED) while connecting to upstream", Fields: unit("nginx.service", "nginx", "202")},
		{Time: t0.Add(2 * time.Hour), Priority: 4, Message: "Failed password for invalid user admin", Fields: unit("sshd.service", "sshd", "103")},
		{Time: t0.Add(3 * time.Hour), Priority: 2, Message: "EXT4-fs error (device sda1): bad block", Fields: unit("", "kernel", "")},
		{Time: t0.Add(4 * time.Hour), Priority: 6, Message: "Accepted publickey for alice", Fields: unit("sshd.service", "sshd", "104")},
		{Time: t0.Add(5 * time.Hour), Priority: 7, Message: "binary \xff\xfe payload", Fields: unit("nginx.service", "nginx", "205")},
		{Time: t0.Add(6 * time.Hour), Priority: 5, Message: strings.Repeat("long line ", 1000), Fields: unit("nginx.service", "nginx", "206")},
	}
}

func messages(r *Result) []string {
	var out []string
	for _, e := range r.Entries {
		m := e.Message
		if len(m) > 20 {
			m = m[:20]
		}
		out = append(out, m)
	}
	return out
}

func TestQueryRealJournal(t *testing.T) {
	dir := journaltest.Write(t, Fixture())
	c := Client{Source: Source{Directory: dir}}
	ctx := context.Background()
	cases := []struct {
		name  string
		q     Query
		want  []string // message prefixes, oldest first
		trunc bool
	}{
		{"all", Query{}, []string{"Server listening on ", "connect() failed (11", "Failed password for ", "EXT4-fs error (devic", "Accepted publickey f", "binary \ufffd payload", ""}, false},
		{"unit", Query{Unit: "sshd.service"}, []string{"Server listening on ", "Failed password for ", "Accepted publickey f"}, false},
		{"unit without suffix", Query{Unit: "nginx"}, []string{"connect() failed (11", "binary \ufffd payload", ""}, false},
		{"identifier", Query{Identifier: "kernel"}, []string{"EXT4-fs error (devic"}, false},
		{"priority err", Query{Priority: "err"}, []string{"connect() failed (11", "EXT4-fs error (devic"}, false},
		{"priority number", Query{Priority: "4", Unit: "sshd.service"}, []string{"Failed password for "}, false},
		{"since until", Query{Since: "@1767229200", Until: "@1767236400"}, []string{"connect() failed (11", "Failed password for ", "EXT4-fs error (devic"}, false},
		{"grep case-insensitive", Query{Grep: "connection refused"}, []string{"connect() failed (11"}, false},
		{"grep literal", Query{Grep: "(111:"}, []string{"connect() failed (11"}, false},
		{"grep no match", Query{Grep: "no such text"}, nil, false},
		{"grep and unit", Query{Grep: "FAILED", Unit: "sshd.service"}, []string{"Failed password for "}, false},
		{"max entries", Query{MaxEntries: 2}, []string{"binary \ufffd payload", ""}, true},
		{"boot", Query{Boot: journaltest.BootID, Unit: "sshd.service", MaxEntries: 1}, []string{"Accepted publickey f"}, true},
		{"byte budget", Query{MaxBytes: 150}, []string{"binary \ufffd payload", ""}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Query(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := messages(r)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if r.Truncated != tc.trunc {
				t.Errorf("truncated = %v (%s), want %v", r.Truncated, r.Note, tc.trunc)
			}
			if r.Truncated && r.Note == "" {
				t.Error("truncated without a note")
			}
		})
	}

	r, err := c.Query(ctx, Query{Unit: "nginx.service", Priority: "err"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Entries) != 1 {
		t.Fatalf("got %d entries", len(r.Entries))
	}
	e := r.Entries[0]
	if !e.Time.Equal(t0.Add(time.Hour)) || e.Unit != "nginx.service" || e.Identifier != "nginx" || e.Priority != 3 || e.Level != "err" || e.PID != 202 {
		t.Errorf("entry fields: %+v", e)
	}
	if !strings.Contains(r.Command, "--unit=nginx.service") || !strings.Contains(r.Command, "--priority=3") {
		t.Errorf("command: %s", r.Command)
	}
	r, err = c.Query(ctx, Query{Grep: "long line"})
	if err != nil {
		t.Fatal(err)
	}
	// journalctl leaves out a field of 4096 bytes or more without --all.
	if len(r.Entries) != 1 || !r.Entries[0].Cut || r.Entries[0].Message != "" {
		t.Errorf("long message not left out: %+v", r.Entries)
	}

	// A boot that is not in the journal is journalctl's error, passed on.
	if _, err := c.Query(ctx, Query{Boot: "-3"}); err == nil || !strings.Contains(err.Error(), "boot") {
		t.Errorf("missing boot: %v", err)
	}
}

func TestInvalidInput(t *testing.T) {
	c := Client{Runner: failRunner{t}}
	cases := []struct {
		q     Query
		field string
	}{
		{Query{Unit: "sshd.service; rm -rf /"}, "unit"},
		{Query{Unit: "--file=/etc/shadow"}, "unit"},
		{Query{Unit: "$(reboot)"}, "unit"},
		{Query{Identifier: "a b"}, "identifier"},
		{Query{Priority: "loud"}, "priority"},
		{Query{Priority: "8"}, "priority"},
		{Query{Since: "yesterday; reboot"}, "since"},
		{Query{Until: strings.Repeat("1", 65)}, "until"},
		{Query{Boot: "last"}, "boot"},
		{Query{Grep: "a\nb"}, "grep"},
		{Query{MaxEntries: 1001}, "max_entries"},
		{Query{MaxEntries: -1}, "max_entries"},
		{Query{MaxBytes: MaxBytes + 1}, "max_bytes"},
	}
	for _, tc := range cases {
		_, err := c.Query(context.Background(), tc.q)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tc.field || ie.Fix == "" {
			t.Errorf("%+v: error %v, want an InputError for %s", tc.q, err, tc.field)
		}
	}
}

// failRunner fails the test if any command runs.
type failRunner struct{ t *testing.T }

func (f failRunner) Run(_ context.Context, c runner.Cmd) error {
	f.t.Errorf("ran %s", c.String())
	return nil
}

func (f failRunner) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	f.t.Errorf("ran %s", c.String())
	return nil, nil
}

func TestArgsQuoteEverything(t *testing.T) {
	args, err := Client{Source: Source{File: "/x/y.journal"}}.Args(Query{
		Unit: "foo@bar.service", Priority: "warning", Since: "-1h", Until: "now", Grep: "a.b*", Boot: "-1", MaxEntries: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "--output=json --output-fields=MESSAGE,PRIORITY,_SYSTEMD_UNIT,UNIT,SYSLOG_IDENTIFIER,_PID,__REALTIME_TIMESTAMP --reverse --no-pager --file=/x/y.journal --unit=foo@bar.service --priority=4 --since=-1h --until=now --boot=-1 --grep=a\\.b\\* --case-sensitive=false --lines=6"
	if got := strings.Join(args, " "); got != want {
		t.Errorf("args\n got %s\nwant %s", got, want)
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "--") || !strings.Contains(a, "=") && a != "--no-pager" && a != "--reverse" {
			t.Errorf("argument %q is not of the form --option=value", a)
		}
	}
}

// hintRunner answers like journalctl run by a user outside the
// systemd-journal group: one entry, and a hint on standard error.
type hintRunner struct{}

func (hintRunner) Run(_ context.Context, c runner.Cmd) error {
	c.Stderr.Write([]byte("Hint: You are currently not seeing messages from other users and the system.\n"))
	_, err := c.Stdout.Write([]byte(`{"__REALTIME_TIMESTAMP":"1767225600000000","MESSAGE":[104,105],"PRIORITY":"5","_PID":"9"}` + "\n"))
	return err
}

func (hintRunner) Output(context.Context, runner.Cmd) ([]byte, error) {
	return nil, errors.New("Output is not used")
}

func TestWarningsAndBinaryMessage(t *testing.T) {
	r, err := Client{Runner: hintRunner{}}.Query(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !strings.HasPrefix(r.Warnings[0], "Hint: You are currently not seeing") {
		t.Errorf("warnings: %q", r.Warnings)
	}
	if len(r.Entries) != 1 || r.Entries[0].Message != "hi" || r.Entries[0].Level != "notice" || !r.Entries[0].Time.Equal(t0) {
		t.Errorf("entries: %+v", r.Entries)
	}
}
