package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// DefaultToolTimeout is how long one tool call may take (Config.ToolTimeout).
const DefaultToolTimeout = 30 * time.Second

// MaxErrorBytes bounds the text of every error the server answers (a tool
// error or a protocol error): a longer one is cut, so an argument of 100 kB
// is never echoed back in full.
const MaxErrorBytes = 1024

// bounds is the server's receiving middleware: every tools/call gets a
// context with a deadline and is answered with a tool error when the
// deadline passes, whether or not the tool noticed; every error answered is
// cut to MaxErrorBytes.
func bounds(timeout time.Duration) mcp.Middleware {
	if timeout <= 0 {
		timeout = DefaultToolTimeout
	}
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if method != "tools/call" {
				res, err := next(ctx, method, req)
				return res, cutError(err)
			}
			name := "the tool"
			if r, ok := req.(*mcp.CallToolRequest); ok && r.Params != nil {
				name = cutText(r.Params.Name, 64)
			}
			tctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			type answer struct {
				res mcp.Result
				err error
			}
			done := make(chan answer, 1)
			go func() {
				res, err := next(tctx, method, req)
				done <- answer{res, err}
			}()
			var a answer
			select {
			case a = <-done:
			case <-tctx.Done():
			}
			if ctx.Err() != nil {
				return nil, ctx.Err() // the session or the request ended
			}
			if errors.Is(tctx.Err(), context.DeadlineExceeded) {
				res := &mcp.CallToolResult{}
				res.SetError(fmt.Errorf("%s did not finish within %v and was stopped: narrow the query (axios mcp --tool-timeout sets the limit)", name, timeout))
				return res, nil
			}
			if r, ok := a.res.(*mcp.CallToolResult); ok && r != nil && r.IsError {
				for _, c := range r.Content {
					if t, ok := c.(*mcp.TextContent); ok {
						t.Text = cutText(t.Text, MaxErrorBytes)
					}
				}
			}
			return a.res, cutError(a.err)
		}
	}
}

// cutError returns err with its message cut to MaxErrorBytes, keeping the
// JSON-RPC error code.
func cutError(err error) error {
	if err == nil || len(err.Error()) <= MaxErrorBytes {
		return err
	}
	var wire *jsonrpc.Error
	if errors.As(err, &wire) {
		return &jsonrpc.Error{Code: wire.Code, Message: cutText(wire.Message, MaxErrorBytes)}
	}
	return errors.New(cutText(err.Error(), MaxErrorBytes))
}

// cutText returns s when it has at most max bytes, else its first bytes (at
// a character boundary) and how much was left out.
func cutText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 32
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}
