// Package journal queries the systemd journal read-only through
// `journalctl --output=json`, with every argument built from validated input
// (no shell, no option injection), and returns bounded, structured entries.
package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// DefaultMaxRead is the most bytes of journalctl's output one query
	// reads (Client.MaxRead); journalctl is stopped when it is reached.
	DefaultMaxRead = 8 << 20
	maxStderr      = 16 << 10 // journalctl's standard error kept for warnings and errors
)

// Fields are the journal fields a query asks journalctl for
// (--output-fields); journalctl adds __CURSOR, __REALTIME_TIMESTAMP,
// __MONOTONIC_TIMESTAMP and _BOOT_ID itself.
var Fields = []string{"MESSAGE", "PRIORITY", "_SYSTEMD_UNIT", "UNIT", "SYSLOG_IDENTIFIER", "_PID", "__REALTIME_TIMESTAMP"}

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
	// MaxRead is the most bytes of journalctl's output a query reads; 0
	// means DefaultMaxRead.
	MaxRead int
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
	return fmt.Sprintf("invalid %s %s: %s", e.Field, Quote(e.Value, 64), e.Fix)
}

// Quote returns s quoted as Go does (%q), with at most max bytes of s: a
// longer value is cut and says how long it was, so an error never echoes a
// huge argument in full.
func Quote(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
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
	// Only the fields the result uses, and no --all: journalctl then writes
	// null for a field of 4096 bytes or more, so no entry is large however
	// large its fields are. --reverse: newest first, so reading can stop as
	// soon as the result is full.
	args := []string{"--output=json", "--output-fields=" + strings.Join(Fields, ","), "--reverse", "--no-pager"}
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

// Query runs q. journalctl's output is decoded as it arrives, newest entry
// first, and journalctl is stopped as soon as the result is full (the entry
// limit or the byte budget is reached) or MaxRead bytes were read, so
// neither a long journal nor huge entries make a query slow or large.
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
	maxRead := c.MaxRead
	if maxRead <= 0 {
		maxRead = DefaultMaxRead
	}
	maxEntries, _ := limit("", q.MaxEntries, DefaultMaxEntries, MaxEntries)
	maxBytes, _ := limit("", q.MaxBytes, DefaultMaxBytes, MaxBytes)

	stderr := &cappedBuffer{max: maxStderr}
	pr, pw := io.Pipe()
	cmd := runner.Cmd{Name: prog, Args: args, Stdout: pw, Stderr: stderr, KillGroup: true}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	ran := make(chan error, 1)
	go func() {
		err := r.Run(runCtx, cmd)
		pw.Close()
		ran <- err
	}()

	res := &Result{Entries: []Entry{}, Command: cmd.String()}
	in := &countingReader{r: pr, max: int64(maxRead)}
	dec := json.NewDecoder(in)
	var entries []Entry
	used, stopped := 0, false
	var decodeErr error
	for {
		var raw rawEntry
		if err := dec.Decode(&raw); err != nil {
			if in.over {
				res.Truncated, stopped = true, true
				res.Note = fmt.Sprintf("journalctl's output reached the %d MiB read limit; only the newest %d entries read are shown (narrow the query)", maxRead>>20, len(entries))
			} else if !errors.Is(err, io.EOF) {
				decodeErr = err
			}
			break
		}
		e := raw.entry()
		if len(entries) == maxEntries {
			res.Truncated, stopped = true, true
			res.Note = fmt.Sprintf("more entries matched; only the newest %d are shown (raise max_entries up to %d or narrow the query)", maxEntries, MaxEntries)
			break
		}
		size := len(e.Message) + 64
		if used+size > maxBytes {
			res.Truncated, stopped = true, true
			res.Note = fmt.Sprintf("the result reached its %d-byte budget; only the newest %d entries are shown (narrow the query or raise max_bytes up to %d)", maxBytes, len(entries), MaxBytes)
			break
		}
		used += size
		entries = append(entries, e)
	}
	if stopped || decodeErr != nil {
		// Enough read: stop journalctl and whatever it started.
		stop()
	}
	pr.CloseWithError(errStopped)
	err = <-ran
	if ctx.Err() != nil {
		return nil, fmt.Errorf("querying the journal: %w", context.Cause(ctx))
	}
	if stopped {
		err = nil // journalctl was killed on purpose
	}
	var exit *runner.ExitError
	if errors.As(err, &exit) && exit.Code == 1 && strings.TrimSpace(stderr.String()) == "" && q.Grep != "" {
		// journalctl --grep exits 1, silently, when nothing matches.
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("querying the journal: %w", err)
	}
	if decodeErr != nil {
		return nil, fmt.Errorf("decoding journalctl output: %w", decodeErr)
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if line = strings.TrimSpace(line); line != "" && len(res.Warnings) < 5 {
			if len(line) > 512 {
				line = line[:512] + "…"
			}
			res.Warnings = append(res.Warnings, strings.ToValidUTF8(line, "\uFFFD"))
		}
	}
	// Oldest first.
	for i := len(entries) - 1; i >= 0; i-- {
		res.Entries = append(res.Entries, entries[i])
	}
	return res, nil
}

var errStopped = errors.New("journal query: enough output read")

// countingReader reads at most max bytes from r; after that it fails and
// sets over.
type countingReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.max {
		c.over = true
		return 0, fmt.Errorf("more than %d bytes of journalctl output", c.max)
	}
	if int64(len(p)) > c.max-c.n {
		p = p[:c.max-c.n]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// cappedBuffer keeps the first max bytes written to it and drops the rest.
type cappedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// rawEntry is one line of journalctl --output=json, with only the fields a
// result uses (the decoder skips the others without keeping them).
type rawEntry struct {
	Realtime   json.RawMessage `json:"__REALTIME_TIMESTAMP"`
	SystemUnit json.RawMessage `json:"_SYSTEMD_UNIT"`
	Unit       json.RawMessage `json:"UNIT"`
	Identifier json.RawMessage `json:"SYSLOG_IDENTIFIER"`
	Priority   json.RawMessage `json:"PRIORITY"`
	PID        json.RawMessage `json:"_PID"`
	Message    json.RawMessage `json:"MESSAGE"`
}

// fieldMax is the most bytes kept of a field other than MESSAGE.
const fieldMax = 256

func (raw rawEntry) entry() Entry {
	e := Entry{Priority: 6}
	if us, err := strconv.ParseInt(field(raw.Realtime, fieldMax), 10, 64); err == nil {
		e.Time = time.UnixMicro(us).UTC()
	}
	e.Unit = field(raw.SystemUnit, fieldMax)
	if e.Unit == "" {
		e.Unit = field(raw.Unit, fieldMax)
	}
	e.Identifier = field(raw.Identifier, fieldMax)
	if p, err := strconv.Atoi(field(raw.Priority, fieldMax)); err == nil && p >= 0 && p <= 7 {
		e.Priority = p
	}
	e.Level = levels[e.Priority]
	e.PID, _ = strconv.Atoi(field(raw.PID, fieldMax))
	if string(raw.Message) == "null" {
		// journalctl leaves out a field of 4096 bytes or more (no --all).
		e.Cut = true
	} else {
		e.Message, e.Cut = fieldCut(raw.Message, MaxMessageBytes)
	}
	return e
}

// field returns a journal field as text, at most max bytes of it (cut at a
// character boundary). journalctl writes a string, an array of byte values
// (binary or non-UTF-8 data), or an array of those when a field repeats (the
// first is used); null when the field was left out.
func field(v json.RawMessage, max int) string {
	s, _ := fieldCut(v, max)
	return s
}

// fieldCut is field, also reporting whether the text was cut.
func fieldCut(v json.RawMessage, max int) (string, bool) {
	if len(v) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return cutText(s, max)
	}
	var nums []int
	if json.Unmarshal(v, &nums) == nil {
		b := make([]byte, 0, min(len(nums), max+1))
		for _, n := range nums {
			if len(b) > max {
				break
			}
			b = append(b, byte(n))
		}
		return cutText(strings.ToValidUTF8(string(b), "\uFFFD"), max)
	}
	var many []json.RawMessage
	if json.Unmarshal(v, &many) == nil && len(many) > 0 {
		return fieldCut(many[0], max)
	}
	return "", false
}

// cutText returns s cut to at most max bytes at a character boundary, as a
// copy when it was cut (so the long original can be freed), and whether it
// was cut.
func cutText(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.Clone(s[:cut]), true
}
