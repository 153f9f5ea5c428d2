package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxLineLength bounds one inbound message (a line of JSON).
const MaxLineLength = mcp.DefaultMaxLineLength

// Run serves cfg on standard input and output until the input ends or ctx
// is cancelled.
func Run(ctx context.Context, cfg Config) error {
	return RunIO(ctx, cfg, os.Stdin, os.Stdout, os.Stderr)
}

// DrainTimeout bounds how long the server keeps answering requests that
// were read before its input ended.
var DrainTimeout = time.Minute

// RunIO serves cfg over in and out. A line of in that is not a JSON-RPC
// message (or is longer than MaxLineLength) is reported on logw and skipped:
// the SDK would otherwise end the session on it, and with it every later
// request. When in ends, requests already read are still answered (for at
// most DrainTimeout) before the session closes, so
// `printf '…' | axios mcp` prints every answer.
func RunIO(ctx context.Context, cfg Config, in io.Reader, out io.Writer, logw io.Writer) error {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pend := newPending()
	go func() {
		err := filterLines(in, pw, logw, MaxLineLength, pend.sent)
		if err == nil {
			pend.wait(ctx, DrainTimeout)
		}
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	return New(cfg).Run(ctx, &mcp.IOTransport{Reader: pr, Writer: &answerWriter{w: out, done: pend.answered}})
}

// pending tracks the ids of requests passed to the server and not yet
// answered.
type pending struct {
	mu      sync.Mutex
	ids     map[string]bool
	changed chan struct{}
}

func newPending() *pending {
	return &pending{ids: map[string]bool{}, changed: make(chan struct{}, 1)}
}

func (p *pending) sent(id string) {
	p.mu.Lock()
	p.ids[id] = true
	p.mu.Unlock()
}

func (p *pending) answered(id string) {
	p.mu.Lock()
	delete(p.ids, id)
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

func (p *pending) empty() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ids) == 0
}

// wait returns when every request is answered, after timeout, or when ctx
// ends.
func (p *pending) wait(ctx context.Context, timeout time.Duration) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !p.empty() {
		select {
		case <-p.changed:
		case <-deadline.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// answerWriter passes the server's output through and reports the id of
// every response (a message with an id and no method).
type answerWriter struct {
	w    io.Writer
	buf  []byte
	done func(id string)
}

func (a *answerWriter) Write(p []byte) (int, error) {
	n, err := a.w.Write(p)
	a.buf = append(a.buf, p[:n]...)
	for {
		i := bytes.IndexByte(a.buf, '\n')
		if i < 0 {
			break
		}
		for _, m := range messages(a.buf[:i]) {
			if m.ID != nil && m.Method == "" {
				a.done(string(*m.ID))
			}
		}
		a.buf = a.buf[i+1:]
	}
	return n, err
}

func (a *answerWriter) Close() error { return nil }

// rpcMessage is the part of a JSON-RPC message that matters here.
type rpcMessage struct {
	Version *string          `json:"jsonrpc"`
	ID      *json.RawMessage `json:"id"`
	Method  string           `json:"method"`
}

// messages decodes a line holding one JSON-RPC message or a batch; nil when
// it is neither.
func messages(b []byte) []rpcMessage {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	var raw []json.RawMessage
	if b[0] == '[' {
		if json.Unmarshal(b, &raw) != nil || len(raw) == 0 {
			return nil
		}
	} else {
		raw = []json.RawMessage{b}
	}
	out := make([]rpcMessage, 0, len(raw))
	for _, r := range raw {
		r = bytes.TrimSpace(r)
		var m rpcMessage
		if len(r) == 0 || r[0] != '{' || json.Unmarshal(r, &m) != nil || m.Version == nil || *m.Version != "2.0" {
			return nil
		}
		if m.ID != nil {
			id := json.RawMessage(bytes.TrimSpace(*m.ID))
			m.ID = &id
		}
		out = append(out, m)
	}
	return out
}

// filterLines copies the lines of in that are valid JSON to out, one per
// line, and reports the others on logw. It returns nil at the end of in.
func filterLines(in io.Reader, out io.Writer, logw io.Writer, max int, sent func(id string)) error {
	r := bufio.NewReaderSize(in, 64*1024)
	n := 0
	for {
		line, tooLong, err := readLine(r, max)
		if len(line) > 0 || tooLong || err == nil {
			n++
			trimmed := bytes.TrimSpace(line)
			switch {
			case tooLong:
				fmt.Fprintf(logw, "axios mcp: ignored input line %d: longer than %d bytes\n", n, max)
			case len(trimmed) == 0:
			case !json.Valid(trimmed):
				fmt.Fprintf(logw, "axios mcp: ignored input line %d: not JSON (each line must be one JSON-RPC message)\n", n)
			case messages(trimmed) == nil:
				fmt.Fprintf(logw, "axios mcp: ignored input line %d: not a JSON-RPC 2.0 message (an object with \"jsonrpc\": \"2.0\")\n", n)
			default:
				if sent != nil {
					for _, m := range messages(trimmed) {
						if m.ID != nil && m.Method != "" {
							sent(string(*m.ID))
						}
					}
				}
				if _, werr := out.Write(append(trimmed, '\n')); werr != nil {
					return werr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads up to and without the next '\n'. A line longer than max is
// consumed and reported as tooLong, with no content.
func readLine(r *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if !tooLong {
			line = bytes.TrimSuffix(line, []byte{'\n'})
		}
		return line, tooLong, err
	}
}
