package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/journal/journaltest"
	"github.com/axios-nix/axios/internal/runner"
)

// memoryEnv makes the test binary run one journal_query through the real
// server and client and report its peak memory (see TestJournalToolMemory).
const memoryEnv = "AXIOS_TEST_MCP_MEMORY"

func TestMain(m *testing.M) {
	journaltest.RunFakeIfAsked()
	if os.Getenv(memoryEnv) != "" {
		os.Exit(memoryChild())
	}
	os.Exit(m.Run())
}

// memoryReport is what the child prints.
type memoryReport struct {
	Entries     int    `json:"entries"`
	Truncated   bool   `json:"truncated"`
	Note        string `json:"note"`
	ResultBytes int    `json:"resultBytes"`
	PeakRSS     int64  `json:"peakRSS"`
	Millis      int64  `json:"millis"`
	Error       string `json:"error,omitempty"`
}

// memoryChild calls journal_query with the largest limits (1000 entries,
// 512 KiB of messages) on the `journalctl` found on PATH, over in-memory
// transports, and prints a memoryReport with the peak RSS of the process.
func memoryChild() int {
	rep := memoryReport{}
	defer func() {
		rep.PeakRSS, _ = journaltest.PeakRSS()
		b, _ := json.Marshal(rep)
		fmt.Printf("MEMORY %s\n", b)
	}()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := New(Config{}).Connect(ctx, st, nil)
	if err != nil {
		rep.Error = err.Error()
		return 1
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "memory", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		rep.Error = err.Error()
		return 1
	}
	defer cs.Close()
	start := time.Now()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: ToolJournal, Arguments: map[string]any{"max_entries": journal.MaxEntries, "max_bytes": journal.MaxBytes}})
	rep.Millis = time.Since(start).Milliseconds()
	if err != nil {
		rep.Error = err.Error()
		return 1
	}
	raw, _ := json.Marshal(res.StructuredContent)
	rep.ResultBytes = len(raw)
	var out journal.Result
	if res.IsError || json.Unmarshal(raw, &out) != nil {
		rep.Error = fmt.Sprintf("tool error: %+v", res.Content)
		return 1
	}
	rep.Entries, rep.Truncated, rep.Note = len(out.Entries), out.Truncated, out.Note
	return 0
}

// MaxJournalRSS is the bound on the peak resident memory of a process
// answering one journal_query, whatever the journal holds (issue 11: 2.6 GB
// on entries with 1 MiB fields).
const MaxJournalRSS = 64 << 20

// TestJournalToolMemory runs the MCP journal_query, in a child process,
// against a journalctl that writes 200 entries with two 1 MiB fields each
// (400 MiB in all, every field in full as with --all), and requires the
// child's peak RSS to stay under MaxJournalRSS and the answer to be bounded.
func TestJournalToolMemory(t *testing.T) {
	log := journaltest.InstallFake(t, 200, 1<<20)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), memoryEnv+"=1")
	out, err := cmd.Output()
	line, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "MEMORY ")
	var rep memoryReport
	if !ok || json.Unmarshal([]byte(line), &rep) != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("journal_query on 1 MiB fields: peak RSS %.1f MiB, %d ms, %d entries, %d-byte result, note %q",
		float64(rep.PeakRSS)/(1<<20), rep.Millis, rep.Entries, rep.ResultBytes, rep.Note)
	if err != nil || rep.Error != "" {
		t.Fatalf("child: %v %s", err, rep.Error)
	}
	if rep.PeakRSS <= 0 || rep.PeakRSS > MaxJournalRSS {
		t.Errorf("peak RSS %d bytes, over %d", rep.PeakRSS, MaxJournalRSS)
	}
	if !rep.Truncated || rep.Entries == 0 || rep.ResultBytes > journal.MaxBytes+64<<10 {
		t.Errorf("result: %+v", rep)
	}
	// Under heavy load the deadline can pass before the fake has even
	// started; then there is no process to outlive the call.
	if _, err := os.Stat(log); err != nil {
		t.Logf("the fake journalctl had not started within the timeout: %v", err)
		return
	}
	pids, _ := journaltest.FakeRuns(t, log)
	for _, pid := range pids {
		journaltest.WaitGone(t, pid)
	}
}

// A tool call that does not finish within the timeout is answered with a
// tool error, and journalctl is stopped.
func TestToolTimeout(t *testing.T) {
	log := journaltest.InstallFake(t, -1, 0) // a journalctl that hangs
	// 2 s leaves the fake journalctl (this test binary, started again)
	// time to start on a loaded machine; the hang is what times out.
	cs := connect(t, Config{ToolTimeout: 2 * time.Second})
	start := time.Now()
	var res journal.Result
	msg := call(t, cs, ToolJournal, nil, &res)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("answered after %v", d)
	}
	if !strings.Contains(msg, "journal_query did not finish within 2s") {
		t.Errorf("error %q", msg)
	}
	pids, _ := journaltest.FakeRuns(t, log)
	for _, pid := range pids {
		journaltest.WaitGone(t, pid)
	}
}

// No error echoes a 100 kB argument in full (docs/mcp.md: every result is
// bounded).
func TestErrorsBounded(t *testing.T) {
	cs := connect(t, Config{ConfigDir: configDir(t), Journal: journal.Client{Runner: noRun{t}}})
	huge := strings.Repeat("x", 100_000)
	for _, tc := range []struct {
		tool string
		args map[string]any
	}{
		{ToolJournal, map[string]any{"unit": huge + "!"}},
		{ToolJournal, map[string]any{"since": huge}},
		{ToolHost, map[string]any{"host": huge + "/"}},
		{ToolHost, map[string]any{"host": huge}},
		{ToolModules, map[string]any{"kind": huge}},
		{ToolHostFields, map[string]any{"prefix": huge}},
		{ToolUnits, map[string]any{"scope": huge}},
		{ToolJournal, map[string]any{huge: 1}},
		{ToolJournal, map[string]any{"max_entries": huge}},
	} {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tc.tool, Arguments: tc.args})
		text := ""
		if err != nil {
			text = err.Error()
		} else if res.IsError {
			for _, c := range res.Content {
				if tx, ok := c.(*mcp.TextContent); ok {
					text += tx.Text
				}
			}
		} else {
			t.Errorf("%s %.40v: no error", tc.tool, tc.args)
			continue
		}
		if len(text) > MaxErrorBytes+256 {
			t.Errorf("%s: %d-byte error: %.200s…", tc.tool, len(text), text)
		}
	}
}

// noRun fails the test if a command runs.
type noRun struct{ t *testing.T }

func (n noRun) Run(_ context.Context, c runner.Cmd) error {
	n.t.Errorf("ran %s", c.Name)
	return nil
}

func (n noRun) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	n.t.Errorf("ran %s", c.Name)
	return nil, nil
}
