package migrate

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/axios-nix/axios/internal/runner"
)

//go:embed eval.nix
var evalNix string

// MaxInput is the largest file Eval reads (a host is a few KiB).
const MaxInput = 1 << 20

// MaxOutput is the most JSON Eval accepts from the evaluation.
const MaxOutput = 8 << 20

// EvalTimeout bounds one evaluation.
const EvalTimeout = 60 * time.Second

// Eval modes.
const (
	ModeHost   = "host"   // the file is a host (or { hostConfig = host; }), or a function returning one
	ModeModule = "module" // the file is a NixOS module
	ModeFlake  = "flake"  // the file is a configuration's flake.nix: { <name> = host; } of its mkSystem calls
)

// Evaluator reads original host and module files with nix-instantiate.
type Evaluator struct {
	Runner runner.Runner // nil means runner.Exec{}
	Nix    string        // nix-instantiate; "" means from PATH
}

// Eval evaluates file (an absolute path) with eval.nix. root is the folder
// the evaluation may read (the configuration directory): it runs with
// restrict-eval, so a host file cannot read or fetch anything outside it.
// Errors carry Nix's message without its trace.
func (e Evaluator) Eval(ctx context.Context, file, root, mode string) (map[string]any, error) {
	r := e.Runner
	if r == nil {
		r = runner.Exec{}
	}
	nix := e.Nix
	if nix == "" {
		nix = "nix-instantiate"
	}
	ctx, cancel := context.WithTimeout(ctx, EvalTimeout)
	defer cancel()
	out, err := r.Output(ctx, runner.Cmd{
		Name: nix,
		Args: []string{"--eval", "--strict", "--json",
			"--option", "restrict-eval", "true",
			"--option", "allowed-uris", "",
			"-I", "migrate=" + root,
			"-E", evalNix, "--argstr", "file", file, "--argstr", "root", root, "--argstr", "mode", mode},
		Env:       []string{"NIX_PATH="},
		KillGroup: true,
	})
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("evaluating %s took longer than %s", file, EvalTimeout)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ee *runner.ExitError
		if errors.As(err, &ee) {
			msg := NixMessage(ee.Stderr)
			if strings.Contains(msg, "attribute '") && strings.Contains(msg, "' missing") || strings.Contains(msg, "undefined variable") {
				msg += " (migrate evaluates without nixpkgs: lib is a stand-in with the common functions, pkgs, config and inputs are absent; docs/migrate.md says what a host may use)"
			}
			return nil, fmt.Errorf("evaluating %s: %s", file, msg)
		}
		return nil, fmt.Errorf("evaluating %s: %w (is Nix installed? nix-instantiate reads the original host)", file, err)
	}
	if len(out) > MaxOutput {
		return nil, fmt.Errorf("evaluating %s: the result is larger than %d MiB; a host is a short attribute set", file, MaxOutput>>20)
	}
	return Decode(out)
}

// NixMessage keeps the message of a Nix error: the "error:" lines without
// the trace ("… while evaluating", "at file:line:col", source excerpts) and
// without eval.nix's own places, at most 6 lines.
func NixMessage(stderr string) string {
	var keep []string
	started := false
	for _, l := range strings.Split(stderr, "\n") {
		t := strings.TrimSpace(l)
		if !started {
			if strings.HasPrefix(t, "error:") {
				started = true
			} else {
				continue
			}
		}
		if t == "" || strings.HasPrefix(t, "…") || strings.HasPrefix(t, "at ") || strings.HasPrefix(t, "(stack trace") || strings.HasPrefix(t, "(use '--show-trace'") ||
			strings.HasPrefix(t, "while evaluating") || strings.Contains(t, "|") && isExcerpt(t) {
			continue
		}
		keep = append(keep, strings.Replace(t, Marker+": ", "", 1))
		if len(keep) == 6 {
			break
		}
	}
	if len(keep) == 0 {
		return "nix-instantiate failed without a message"
	}
	msg := strings.Join(keep, " ")
	msg = strings.TrimPrefix(msg, "error: ")
	return msg
}

// isExcerpt: a source line as Nix quotes it ("12| foo = 1;").
func isExcerpt(t string) bool {
	i := strings.IndexByte(t, '|')
	head := strings.TrimSpace(t[:i])
	if head == "" {
		return true
	}
	for _, c := range head {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Decode reads eval.nix's JSON: numbers become int64 or float64.
func Decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("reading the evaluation's JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("reading the evaluation's JSON: trailing data")
	}
	m, ok := numbers(v).(map[string]any)
	if !ok {
		return nil, errors.New("the evaluation did not return an attribute set")
	}
	return m, nil
}

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}

// Root returns the folder an original host's evaluation may read: the
// configuration directory above hosts/ for hosts/<name>.nix, else the
// file's folder.
func Root(file string) string {
	dir := filepath.Dir(file)
	if filepath.Base(dir) == "hosts" {
		return filepath.Dir(dir)
	}
	return dir
}
