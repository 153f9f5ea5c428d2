// Package journal queries the systemd journal read-only through
// `journalctl --output=json`, with every argument built from validated input
// (no shell, no option injection), and returns bounded, structured entries.
package journal

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/axios-nix/axios/internal/runner"
)

// Limits of a query.
const (
	DefaultMaxEntries = 100
	MaxEntries        = 1000
	DefaultMaxBytes   = 64 << 10 // budget of message text in one result
	MaxBytes          = 512 << 10
	MaxMessageBytes   = 4 << 10 // one message is cut after this many bytes
)

// Query selects journal entries. Empty fields do not filter.
type Query struct {
	Unit       string // systemd unit (journalctl --unit); ".service" may be omitted
	Identifier string // syslog identifier (journalctl --identifier)
	// Priority keeps entries of this priority or more important: a name
	// (emerg, alert, crit, err, warning, notice, info, debug) or 0-7.
	Priority string
	// Since and Until are journalctl time specifications: "2026-01-31
	// 12:00:00", "today", "yesterday", "-1h", "@1767225600" …
	Since, Until string
	// Grep keeps entries whose message contains this text (literal,
	// case-insensitive).
	Grep string
	// Boot is "" (all boots), "0" (current), "-1" (previous) … or a 32-digit
	// boot ID.
	Boot       string
	MaxEntries int // newest entries kept; 0 means DefaultMaxEntries
	MaxBytes   int // message bytes in the result; 0 means DefaultMaxBytes
}

// Entry is one journal entry.
type Entry struct {
	Time       time.Time `json:"time"`
	Unit       string    `json:"unit,omitempty"`
	Identifier string    `json:"identifier,omitempty"`
	Priority   int       `json:"priority"`
	Level      string    `json:"level"`
	PID        int       `json:"pid,omitempty"`
	Message    string    `json:"message"`
	Cut        bool      `json:"messageTruncated,omitempty"`
}

// Result is the answer to a query, oldest entry first.
type Result struct {
	Entries []Entry `json:"entries"`
	// Truncated is set when entries were left out: more matched than
	// MaxEntries, or the byte budget ran out. Note says which.
	Truncated bool   `json:"truncated"`
	Note      string `json:"note,omitempty"`
	// Warnings are what journalctl said on standard error, such as the
	// hint that only the user's own entries are visible.
	Warnings []string `json:"warnings,omitempty"`
	Command  string   `json:"command"` // the journalctl command that ran
}

// Source says which journal to read. The zero value reads the system
// journal.
type Source struct {
	Directory string // journalctl --directory (journal files in a folder)
	File      string // journalctl --file
}

// Client runs queries.
type Client struct {
	Runner     runner.Runner // nil means runner.Exec{}
	Journalctl string        // program; "" means "journalctl"
	Source     Source
}

var levels = []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// Levels returns the priority names, most important first (index = value).
func Levels() []string { return append([]string(nil), levels...) }

var (
	unitRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9:_.@\\-]+$`) })
	identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9:_.@/+-]+$`) })
	timeRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9 :.+@-]+$`) })
	bootRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(0|-[0-9]{1,4}|[0-9]{1,4}|[0-9a-fA-F]{32})$`) })
)

// InputError is a query field that failed validation.
type InputError struct {
	Field, Value, Fix string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Field, e.Value, e.Fix)
}

// priorityValue parses a priority name or number.
func priorityValue(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, l := range levels {
		if s == l {
			return i, true
		}
	}
	switch s {
	case "error":
		return 3, true
	case "warn":
		return 4, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 7 {
		return n, true
	}
	return 0, false
}

// Args validates q and returns the journalctl arguments for it. Every value
// is passed as --option=value, so none can be read as another option.
func (c Client) Args(q Query) ([]string, error) {
	// --all: without it journalctl writes null for fields over 4096 bytes.
	args := []string{"--output=json", "--all", "--no-pager"}
	if c.Source.Directory != "" {
		args = append(args, "--directory="+c.Source.Directory)
	}
	if c.Source.File != "" {
		args = append(args, "--file="+c.Source.File)
	}
	if q.Unit != "" {
		if len(q.Unit) > 256 || !unitRe().MatchString(q.Unit) {
			return nil, &InputError{"unit", q.Unit, "use a systemd unit name such as sshd.service (letters, digits and : _ . @ \\ - only)"}
		}
		args = append(args, "--unit="+q.Unit)
	}
	if q.Identifier != "" {
		if len(q.Identifier) > 256 || !identRe().MatchString(q.Identifier) {
			return nil, &InputError{"identifier", q.Identifier, "use a syslog identifier such as sshd or kernel (letters, digits and : _ . @ / + - only)"}
		}
		args = append(args, "--identifier="+q.Identifier)
	}
	if q.Priority != "" {
		p, ok := priorityValue(q.Priority)
		if !ok {
			return nil, &InputError{"priority", q.Priority, "use one of " + strings.Join(levels, ", ") + " or a number 0-7"}
		}
		args = append(args, "--priority="+strconv.Itoa(p))
	}
	for _, t := range []struct{ name, v string }{{"since", q.Since}, {"until", q.Until}} {
		if t.v == "" {
			continue
		}
		if len(t.v) > 64 || !timeRe().MatchString(t.v) {
			return nil, &InputError{t.name, t.v, `use a journalctl time such as "2026-01-31 12:00:00", "today", "-2h" or "@1767225600"`}
		}
		args = append(args, "--"+t.name+"="+t.v)
	}
	if q.Boot != "" {
		if !bootRe().MatchString(q.Boot) {
			return nil, &InputError{"boot", q.Boot, `use "0" for the current boot, "-1" for the previous one, or a 32-digit boot ID`}
		}
		args = append(args, "--boot="+q.Boot)
	}
	if q.Grep != "" {
		if len(q.Grep) > 256 || !utf8.ValidString(q.Grep) || strings.ContainsAny(q.Grep, "\x00\n") {
			return nil, &InputError{"grep", q.Grep, "use at most 256 characters of plain text on one line"}
		}
		args = append(args, "--grep="+literalPattern(q.Grep), "--case-sensitive=false")
	}
	n, err := limit("max_entries", q.MaxEntries, DefaultMaxEntries, MaxEntries)
	if err != nil {
		return nil, err
	}
	if _, err := limit("max_bytes", q.MaxBytes, DefaultMaxBytes, MaxBytes); err != nil {
		return nil, err
	}
	// One more than asked, to know whether more entries matched.
	args = append(args, "--lines="+strconv.Itoa(n+1))
	return args, nil
}

func limit(field string, v, def, max int) (int, error) {
	switch {
	case v == 0:
		return def, nil
	case v < 0 || v > max:
		return 0, &InputError{field, strconv.Itoa(v), fmt.Sprintf("use 1 to %d (0 means %d)", max, def)}
	}
	return v, nil
}

// literalPattern escapes every character that is not a letter or digit, so
// journalctl's PCRE2 --grep matches the text literally.
func literalPattern(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Query runs q.
func (c Client) Query(ctx context.Context, q Query) (*Result, error) {
	args, err := c.Args(q)
	if err != nil {
		return nil, err
	}
	prog := c.Journalctl
	if prog == "" {
		prog = "journalctl"
	}
	r := c.Runner
	if r == nil {
		r = runner.Exec{}
	}
	var stderr bytes.Buffer
	cmd := runner.Cmd{Name: prog, Args: args, Stderr: &stderr}
	out, err := r.Output(ctx, cmd)
	var exit *runner.ExitError
	if errors.As(err, &exit) && exit.Code == 1 && strings.TrimSpace(exit.Stderr) == "" && q.Grep != "" {
		// journalctl --grep exits 1, silently, when nothing matches.
		out, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("querying the journal: %w", err)
	}
	maxEntries, _ := limit("", q.MaxEntries, DefaultMaxEntries, MaxEntries)
	maxBytes, _ := limit("", q.MaxBytes, DefaultMaxBytes, MaxBytes)
	entries, err := parse(out)
	if err != nil {
		return nil, err
	}
	res := &Result{Entries: []Entry{}, Command: cmd.String()}
	if err == nil {
		for _, line := range strings.Split(stderr.String(), "\n") {
			if line = strings.TrimSpace(line); line != "" && len(res.Warnings) < 5 {
				res.Warnings = append(res.Warnings, line)
			}
		}
	}
	if len(entries) > maxEntries {
		entries = entries[len(entries)-maxEntries:]
		res.Truncated = true
		res.Note = fmt.Sprintf("more entries matched; only the newest %d are shown (raise max_entries up to %d or narrow the query)", maxEntries, MaxEntries)
	}
	// Keep the newest entries that fit the byte budget.
	used, first := 0, len(entries)
	for i := len(entries) - 1; i >= 0; i-- {
		size := len(entries[i].Message) + 64
		if used+size > maxBytes {
			res.Truncated = true
			res.Note = fmt.Sprintf("the result reached its %d-byte budget; only the newest %d entries are shown (narrow the query or raise max_bytes up to %d)", maxBytes, len(entries)-first, MaxBytes)
			break
		}
		used += size
		first = i
	}
	res.Entries = append(res.Entries, entries[first:]...)
	return res, nil
}

// parse decodes journalctl's JSON lines.
func parse(out []byte) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(line, &raw); err != nil {
			return nil, fmt.Errorf("decoding journalctl output: %w", err)
		}
		e := Entry{Priority: 6}
		if us, err := strconv.ParseInt(field(raw, "__REALTIME_TIMESTAMP"), 10, 64); err == nil {
			e.Time = time.UnixMicro(us).UTC()
		}
		e.Unit = field(raw, "_SYSTEMD_UNIT")
		if e.Unit == "" {
			e.Unit = field(raw, "UNIT")
		}
		e.Identifier = field(raw, "SYSLOG_IDENTIFIER")
		if p, err := strconv.Atoi(field(raw, "PRIORITY")); err == nil && p >= 0 && p <= 7 {
			e.Priority = p
		}
		e.Level = levels[e.Priority]
		e.PID, _ = strconv.Atoi(field(raw, "_PID"))
		e.Message = field(raw, "MESSAGE")
		if len(e.Message) > MaxMessageBytes {
			cut := MaxMessageBytes
			for cut > 0 && !utf8.RuneStart(e.Message[cut]) {
				cut--
			}
			e.Message, e.Cut = e.Message[:cut], true
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading journalctl output: %w", err)
	}
	return entries, nil
}

// field returns a journal field as text. journalctl writes a string, an
// array of byte values (binary or non-UTF-8 data), or an array of those when
// a field repeats (the first is used).
func field(raw map[string]json.RawMessage, name string) string {
	v, ok := raw[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b []byte
	var nums []int
	if json.Unmarshal(v, &nums) == nil {
		for _, n := range nums {
			b = append(b, byte(n))
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	var many []json.RawMessage
	if json.Unmarshal(v, &many) == nil && len(many) > 0 {
		return field(map[string]json.RawMessage{name: many[0]}, name)
	}
	return ""
}
