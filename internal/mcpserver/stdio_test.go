package mcpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFilterLines(t *testing.T) {
	ok1, ok2, ok3 := `{"jsonrpc":"2.0","id":1}`, `[{"jsonrpc":"2.0","id":2}]`, `{"jsonrpc":"2.0","id":3}`
	in := ok1 + "\r\nnot json\n\n   \n" + ok2 + "\n" + strings.Repeat("x", 60) + "\n42\n[1]\n{\"x\":1}\n{\"jsonrpc\":\"1.0\"}\n[]\n" + ok3
	var out, logw strings.Builder
	if err := filterLines(strings.NewReader(in), &out, &logw, 40, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), ok1+"\n"+ok2+"\n"+ok3+"\n"; got != want {
		t.Errorf("passed %q, want %q", got, want)
	}
	for _, want := range []string{"line 2: not JSON", "line 6: longer than 40 bytes",
		"line 7: not a JSON-RPC", "line 8: not a JSON-RPC", "line 9: not a JSON-RPC", "line 10: not a JSON-RPC", "line 11: not a JSON-RPC"} {
		if !strings.Contains(logw.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logw.String())
		}
	}
}

type syncBuilder struct {
	mu sync.Mutex
	strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Builder.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Builder.String()
}

// A malformed line does not end the session: the next request is answered.
func TestRunIOSurvivesGarbage(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var logw syncBuilder
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- RunIO(ctx, Config{}, inR, outW, &logw) }()

	responses := bufio.NewScanner(outR)
	responses.Buffer(nil, MaxLineLength)
	next := func() map[string]any {
		t.Helper()
		if !responses.Scan() {
			t.Fatalf("no response: %v (log: %s)", responses.Err(), logw.String())
		}
		var m map[string]any
		if err := json.Unmarshal(responses.Bytes(), &m); err != nil {
			t.Fatalf("response %q: %v", responses.Text(), err)
		}
		return m
	}
	send := func(s string) {
		t.Helper()
		if _, err := io.WriteString(inW, s+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if r := next(); r["id"] != float64(1) || r["result"] == nil {
		t.Fatalf("initialize: %v", r)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`garbage{`)
	send(`42`)
	send(`{"id":9}`)
	send(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)
	r := next()
	if r["id"] != float64(2) || r["result"] == nil {
		t.Fatalf("tools/list after a bad line: %v", r)
	}
	if !strings.Contains(logw.String(), "not JSON") {
		t.Errorf("the bad line was not reported: %q", logw.String())
	}
	inW.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server ended with %v", err)
		}
	case <-ctx.Done():
		t.Fatal("server did not end at the end of input")
	}
}

// Requests read before the input ends are all answered, as with
// `printf '…' | axios mcp`.
func TestRunIOAnswersBeforeClosing(t *testing.T) {
	in := strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":"three","method":"tools/call","params":{"name":"list_modules","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}`,
	}, "\n") + "\n"
	var out, logw syncBuilder
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	if err := RunIO(ctx, Config{}, strings.NewReader(in), &out, &logw); err != nil {
		t.Fatalf("RunIO: %v (log %s)", err, logw.String())
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v: waited for the drain timeout", time.Since(start))
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m struct{ ID json.RawMessage }
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("output line %q: %v", line, err)
		}
		ids[string(m.ID)] = true
	}
	for _, id := range []string{"1", "2", `"three"`, "4"} {
		if !ids[id] {
			t.Errorf("no answer to request %s; output:\n%s", id, out.String())
		}
	}
}

func TestMessages(t *testing.T) {
	for line, want := range map[string]int{
		`{"jsonrpc":"2.0","id":1,"method":"x"}`:        1,
		`[{"jsonrpc":"2.0","id":1},{"jsonrpc":"2.0"}]`: 2,
		`{"jsonrpc":"1.0","id":1}`:                     0,
		`[{"jsonrpc":"2.0"}, 3]`:                       0,
		`[]`:                                           0,
		`"jsonrpc"`:                                    0,
		`{"id":1}`:                                     0,
	} {
		if got := len(messages([]byte(line))); got != want {
			t.Errorf("messages(%s) = %d, want %d", line, got, want)
		}
	}
}

// FuzzFilterLines: whatever the bytes, filterLines neither panics nor
// passes a line the SDK could not take.
func FuzzFilterLines(f *testing.F) {
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"method":"x"}` + "\n" + "garbage\n[1]\n"))
	f.Add([]byte("[{\"jsonrpc\":\"2.0\",\"id\":\"a\"}]\r\n\x00\xff{"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out, logw strings.Builder
		if err := filterLines(strings.NewReader(string(in)), &out, &logw, 64, func(string) {}); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
			if out.Len() > 0 && messages([]byte(line)) == nil {
				t.Errorf("passed %q", line)
			}
		}
	})
}
