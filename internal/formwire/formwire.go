// Package formwire is how `axios init` and its form helper (axios-init-form)
// talk. The form owns the terminal (standard input and output), so the two
// exchange their data on two extra pipes: axios starts the helper with
// Args, writes a Request on the helper's file descriptor 3, and the helper
// answers with a Reply on file descriptor 4 and exits 0; it exits with exitcode.Aborted when the user
// cancels, and writes nothing then. Nothing touches the disk, and only the
// password's hash is ever sent.
package formwire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
)

// Protocol is the version of the exchange; both sides refuse another one
// (an axios-init-form from another axios package on PATH).
const Protocol = 1

// The file descriptors of the exchange in the helper.
const (
	RequestFD = 3
	ReplyFD   = 4
)

// Args are the helper's arguments that name the two descriptors.
var Args = []string{"--request-fd=3", "--reply-fd=4"}

// MaxSize bounds a message: an answer set is a few kilobytes.
const MaxSize = 1 << 20

// Request is what axios hands the form: the answers to pre-fill (from
// flags, detection and defaults) and the detection report they came from.
type Request struct {
	Protocol int              `json:"protocol"`
	Answers  generate.Answers `json:"answers"`
	Hardware hwdetect.Report  `json:"hardware"`
}

// Reply is the answers as the user left them.
type Reply struct {
	Protocol int              `json:"protocol"`
	Answers  generate.Answers `json:"answers"`
}

// Write encodes a message (Request or Reply) to w.
func Write(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the form message: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("sending the form message: %w", err)
	}
	return nil
}

// ReadRequest reads and checks a Request.
func ReadRequest(r io.Reader) (Request, error) {
	var req Request
	err := read(r, &req, func() int { return req.Protocol })
	return req, err
}

// ReadReply reads and checks a Reply.
func ReadReply(r io.Reader) (Reply, error) {
	var rep Reply
	err := read(r, &rep, func() int { return rep.Protocol })
	return rep, err
}

// ErrEmpty: the other side sent nothing.
var ErrEmpty = errors.New("no message")

func read(r io.Reader, v any, protocol func() int) error {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return fmt.Errorf("reading the form message: %w", err)
	}
	if len(b) > MaxSize {
		return fmt.Errorf("the form message is larger than %d bytes", MaxSize)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return ErrEmpty
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding the form message: %w", err)
	}
	if dec.More() {
		return errors.New("decoding the form message: data after the message")
	}
	if p := protocol(); p != Protocol {
		return fmt.Errorf("the form message speaks protocol %d, this program %d: axios and axios-init-form come from different packages; install them together (the axiOS flake's axios package ships both)", p, Protocol)
	}
	return nil
}
