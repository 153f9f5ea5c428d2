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

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxLineLength bounds one inbound message (a line of JSON).
const MaxLineLength = mcp.DefaultMaxLineLength

// Run serves cfg on standard input and output until the input ends or ctx
// is cancelled.
func Run(ctx context.Context, cfg Config) error {
	return RunIO(ctx, cfg, os.Stdin, os.Stdout, os.Stderr)
}

// RunIO serves cfg over in and out. A line of in that is not JSON (or is
// longer than MaxLineLength) is reported on logw and skipped: the SDK would
// otherwise end the session on it, and with it every later request.
func RunIO(ctx context.Context, cfg Config, in io.Reader, out io.Writer, logw io.Writer) error {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(filterLines(in, pw, logw, MaxLineLength))
	}()
	defer pr.Close()
	return New(cfg).Run(ctx, &mcp.IOTransport{Reader: pr, Writer: nopWriteCloser{out}})
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// filterLines copies the lines of in that are valid JSON to out, one per
// line, and reports the others on logw. It returns nil at the end of in.
func filterLines(in io.Reader, out io.Writer, logw io.Writer, max int) error {
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
			case !isMessage(trimmed):
				fmt.Fprintf(logw, "axios mcp: ignored input line %d: not a JSON-RPC 2.0 message (an object with \"jsonrpc\": \"2.0\")\n", n)
			default:
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

// isMessage reports whether b (valid JSON) is a JSON-RPC 2.0 object, or a
// non-empty batch of them (the SDK decides whether the protocol version
// allows batches).
func isMessage(b []byte) bool {
	if b[0] == '[' {
		var batch []json.RawMessage
		if json.Unmarshal(b, &batch) != nil || len(batch) == 0 {
			return false
		}
		for _, m := range batch {
			if !isObject(m) {
				return false
			}
		}
		return true
	}
	return isObject(b)
}

func isObject(b []byte) bool {
	var m struct {
		Version *string `json:"jsonrpc"`
	}
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &m) == nil && m.Version != nil && *m.Version == "2.0"
}
