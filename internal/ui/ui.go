// Package ui formats the axios command's human and machine output.
package ui

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Style names a kind of emphasis.
type Style int

// Styles understood by Paint.
const (
	Plain Style = iota
	Bold
	Red
	Green
	Yellow
	Blue
	Dim
)

var codes = map[Style]string{
	Bold:   "\x1b[1m",
	Red:    "\x1b[31m",
	Green:  "\x1b[32m",
	Yellow: "\x1b[33m",
	Blue:   "\x1b[34m",
	Dim:    "\x1b[2m",
}

// ColorEnabled reports whether w should receive ANSI colour: never when
// NO_COLOR is set (https://no-color.org) or TERM is "dumb", and only when w is
// a terminal.
func ColorEnabled(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	if os.Getenv("TERM") == "dumb" {
		return false
	}
	if b, ok := w.(*Buffered); ok {
		return b.color
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	return info.Mode()&os.ModeCharDevice != 0
}

// Painter colours text for one writer.
type Painter struct{ color bool }

// Buffered collects a report's lines into writes of 8 KiB to the underlying
// writer (a report of many lines otherwise costs a system call per line)
// and keeps that writer's colour decision (ColorEnabled of a Buffered is
// that of the writer it wraps). Flush writes what is buffered.
type Buffered struct {
	*bufio.Writer
	color bool
}

// Buffer wraps w in a Buffered.
func Buffer(w io.Writer) *Buffered {
	return &Buffered{Writer: bufio.NewWriterSize(w, 8<<10), color: ColorEnabled(w)}
}

// NewPainter returns a Painter that colours only when ColorEnabled(w).
func NewPainter(w io.Writer) Painter { return Painter{color: ColorEnabled(w)} }

// Paint wraps s in the escape codes of style, when colour is on.
func (p Painter) Paint(style Style, s string) string {
	c, ok := codes[style]
	if !p.color || !ok {
		return s
	}
	return c + s + "\x1b[0m"
}

// Sprintf formats and paints in one step.
func (p Painter) Sprintf(style Style, format string, args ...any) string {
	return p.Paint(style, fmt.Sprintf(format, args...))
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}
