package testutil

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/axios-nix/axios/internal/testrunenv"
)

// replPool keeps `nix repl` processes (workers) that evaluate one
// expression after another. A worker keeps the files it has imported, so
// the second evaluation of the repository's harnesses costs nothing; a
// nix-instantiate process costs ≈70 ms of CPU to start and parses and
// evaluates lib/core again.
//
// A worker may only use what it imported before when those files cannot
// have changed since: files of the repository do not change while tests
// run, files in the temporary folder may. Before an expression that
// names a path in the temporary folder (outside the repository and not
// declared with FixedFile), or that is evaluated in a folder outside the
// repository, a worker that has evaluated such an expression before
// forgets every file it imported (the repl's :r).
//
// Workers run with a store that refuses to store anything (dummy://), so
// that an evaluation never writes to the Nix store: nix-instantiate
// --eval only computes store paths, and an evaluation that would store a
// file is evaluated again with nix-instantiate.
type replPool struct {
	slots chan struct{} // one per evaluation running
	max   int           // workers kept, running or idle

	mu   sync.Mutex
	idle []*replWorker
	live int

	reloads atomic.Int64 // the workers' :r commands
}

// newReplPool returns a pool that runs n evaluations at once and keeps
// twice as many workers, so that a folder evaluated in now and then does
// not take the place of the workers of the folder most evaluations use.
func newReplPool(n int) *replPool {
	return &replPool{slots: make(chan struct{}, n), max: 2 * n}
}

// eval evaluates expr in a worker for dir. ok is false when the answer may
// not be the one nix-instantiate gives: the repl did not take the
// expression as one input, or the worker died.
func (p *replPool) eval(nix, dir, expr string) (a replAnswer, ok bool) {
	p.slots <- struct{}{}
	defer func() { <-p.slots }()
	w := p.take(nix, dir)
	if w == nil {
		return replAnswer{}, false
	}
	a, ok = w.eval(expr, mayReadChangingFiles(dir, expr))
	p.put(w)
	return a, ok
}

// take returns an idle worker for nix in dir, or starts one (stopping the
// idle worker unused longest when the pool is full).
func (p *replPool) take(nix, dir string) *replWorker {
	p.mu.Lock()
	for i, w := range p.idle {
		if w.nix == nix && w.dir == dir {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			p.mu.Unlock()
			return w
		}
	}
	if p.live >= p.max && len(p.idle) > 0 {
		p.idle[0].stop()
		p.idle = p.idle[1:]
		p.live--
	}
	p.live++
	p.mu.Unlock()
	w, err := startReplWorker(nix, dir, &p.reloads)
	if err != nil {
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		return nil
	}
	return w
}

// put returns w to the idle workers, or forgets it when it has died.
func (p *replPool) put(w *replWorker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w.dead {
		p.live--
		return
	}
	p.idle = append(p.idle, w)
}

// replQuoted is line as the repl's line editor must read it to insert it
// as written: it acts on control characters (a tab asks for completion)
// and, without a UTF-8 locale, reads bytes above 0x7f as key sequences.
// Each such byte goes after a ^V (quoted insert).
func replQuoted(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c >= 0x7f {
			b.WriteByte(0x16)
		}
		b.WriteByte(line[i])
	}
	return b.String()
}

var fixedFiles sync.Map

// FixedFile declares that the file at path (in the temporary folder) will
// not change for the rest of the test run, so that evaluations that name
// it may use files imported by earlier evaluations.
func FixedFile(path string) { fixedFiles.Store(filepath.Clean(path), true) }

// mayReadChangingFiles reports whether an evaluation of expr in dir may
// read a file that can change while the tests run: dir is outside the
// repository (whose files do not change while tests run), or expr names a
// path in the temporary folder that is neither in the repository nor a
// FixedFile.
func mayReadChangingFiles(dir, expr string) bool {
	if !testrunenv.Within(repoRoot, dir) {
		return true
	}
	tmp := filepath.Clean(os.TempDir())
	for _, path := range namedPaths(dir, expr) {
		if _, fixed := fixedFiles.Load(path); !fixed && testrunenv.Within(tmp, path) && !testrunenv.Within(repoRoot, path) {
			return true
		}
	}
	return false
}

// replWorker is one `nix repl` in dir.
//
// Each expression goes in as
//
//	builtins.toJSON (
//	EXPR
//	)
//	builtins.trace "MARKER" "MARKER"
//
// (nix-instantiate --eval --strict --json prints the value with the
// printer builtins.toJSON uses, forcing what it prints). The repl prints a string value on a line of its own, in colour,
// and echoes each input line after its prompt: "nix-repl> " for the first
// line of an input, ten spaces for a line that continues one. The marker
// is printed as a value on standard output and as a trace on standard
// error, so both streams split at it. The echoed prompts show whether the
// repl took the expression as one input: a syntax error ends an input
// early, and an unclosed string or bracket takes the marker into the
// input, after which the repl waits for ever (the worker is stopped).
type replWorker struct {
	nix, dir string
	cmd      *exec.Cmd
	in       io.WriteCloser
	out, err *bufio.Reader
	nonce    string
	n        int
	dirty    bool          // has evaluated an expression that may read changing files
	reloads  *atomic.Int64 // counts its :r commands (the pool's count)
	dead     bool
}

const (
	replPrompt     = "nix-repl> "
	replContinued  = "          "
	replWrapOpen   = `builtins.toJSON (`
	replWrapClose  = `)`
	replDummyStore = "is not supported by store 'dummy'"
)

// replAnswer is a worker's answer to one expression.
type replAnswer struct {
	value  []byte // the JSON text nix-instantiate prints; nil when it failed
	stderr string // what the evaluation printed on standard error
}

// doubtful reports whether a failure may be the repl's alone:
// nix-instantiate computes the store paths of files that the repl's dummy
// store refuses to take.
func (a replAnswer) doubtful() bool {
	return strings.Contains(a.stderr, replDummyStore)
}

func startReplWorker(nix, dir string, reloads *atomic.Int64) (*replWorker, error) {
	cmd := exec.Command(nix, "--extra-experimental-features", "nix-command", "repl", "--store", "dummy://")
	cmd.Args[0] = "nix" // nix-instantiate is the nix program under another name
	cmd.Dir = dir
	// No terminal and no inputrc: the line editor inserts what it reads.
	cmd.Env = append(nixEnv(), "TERM=dumb", "INPUTRC=/dev/null")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	nixProcesses.Add(1)
	var nonce [6]byte
	rand.Read(nonce[:])
	w := &replWorker{
		nix: nix, dir: dir, cmd: cmd, in: in,
		out: bufio.NewReader(stdout), err: bufio.NewReader(stderr),
		nonce: fmt.Sprintf("%x", nonce), reloads: reloads,
	}
	// The first marker passes the greeting on standard error.
	if _, ok := w.eval("", false); !ok {
		w.stop()
		return nil, fmt.Errorf("nix repl in %s did not start", dir)
	}
	return w, nil
}

// stop ends the worker's process.
func (w *replWorker) stop() {
	w.dead = true
	w.in.Close()
	w.cmd.Process.Kill()
	w.cmd.Wait()
}

// eval sends expr (none: only the marker) and reads the answer. ok is
// false when the repl did not take expr as one input or the worker died.
func (w *replWorker) eval(expr string, changing bool) (replAnswer, bool) {
	var in strings.Builder
	var prompts []string // the prompt each input line is echoed after
	line := func(s, prompt string) {
		in.WriteString(s)
		in.WriteByte('\n')
		prompts = append(prompts, prompt)
	}
	if changing && w.dirty {
		line(":r", replPrompt)
		w.reloads.Add(1)
	}
	w.dirty = w.dirty || changing
	if expr != "" {
		line(replWrapOpen, replPrompt)
		for l := range strings.Lines(expr) {
			line(replQuoted(strings.TrimSuffix(l, "\n")), replContinued)
		}
		line(replWrapClose, replContinued)
	}
	w.n++
	marker := fmt.Sprintf("@@axios-%s-%d@@", w.nonce, w.n)
	line(fmt.Sprintf("builtins.trace %q %q", marker, marker), replPrompt)
	if _, err := io.WriteString(w.in, in.String()); err != nil {
		w.stop()
		return replAnswer{}, false
	}

	var a replAnswer
	stderrDone := make(chan bool, 1)
	go func() {
		var b strings.Builder
		for {
			l, err := w.err.ReadString('\n')
			if err != nil {
				stderrDone <- false
				return
			}
			if strings.TrimSuffix(l, "\n") == "trace: "+marker {
				a.stderr = b.String()
				stderrDone <- true
				return
			}
			b.WriteString(l)
		}
	}()
	asOneInput, done := w.readAnswer(prompts, marker, &a.value)
	if !done {
		w.stop() // also ends the standard error reader
		<-stderrDone
		return replAnswer{}, false
	}
	if !<-stderrDone {
		w.stop()
		return replAnswer{}, false
	}
	return a, asOneInput
}

// readAnswer reads standard output up to the marker's value: the echoed
// prompts, compared with prompts, and the expression's value. done is
// false when the marker will not come (the input took it in, or the repl
// ended).
func (w *replWorker) readAnswer(prompts []string, marker string, value *[]byte) (asOneInput, done bool) {
	asOneInput = true
	echoed := 0
	for {
		l, err := w.out.ReadString('\n')
		if err != nil {
			return false, false
		}
		l = strings.TrimSuffix(l, "\n")
		var prompt string
		switch {
		case strings.HasPrefix(l, replPrompt):
			prompt = replPrompt
		case strings.HasPrefix(l, replContinued):
			prompt = replContinued
		default:
			v, ok := replString(l)
			switch {
			case !ok:
			case v == marker:
				return asOneInput && echoed == len(prompts), true
			default:
				*value = []byte(v)
			}
			continue
		}
		if echoed >= len(prompts) || prompts[echoed] != prompt {
			asOneInput = false
		}
		echoed++
		if echoed == len(prompts) && prompt == replContinued {
			return false, false // the marker line went into an open input
		}
	}
}

// replString decodes a line the repl prints for a string value: the
// string as a Nix literal, in colour ("\x1b[35;1m"...""\x1b[0m").
func replString(line string) (string, bool) {
	const pre, post = "\x1b[35;1m\"", "\"\x1b[0m"
	if !strings.HasPrefix(line, pre) || !strings.HasSuffix(line, post) || len(line) < len(pre)+len(post) {
		return "", false
	}
	lit := line[len(pre) : len(line)-len(post)]
	var b strings.Builder
	for j := 0; j < len(lit); j++ {
		c := lit[j]
		if c != '\\' || j+1 == len(lit) {
			b.WriteByte(c)
			continue
		}
		j++
		switch lit[j] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default: // \\, \", \$
			b.WriteByte(lit[j])
		}
	}
	return b.String(), true
}
