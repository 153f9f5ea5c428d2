// Command axios-init-form is the interactive form of `axios init`: a helper
// program that axios starts, so that the axios binary itself carries no
// terminal UI library (Bubble Tea, huh) and every other command starts
// fast. It is not meant to be run by hand.
//
// axios starts it on the terminal, in axios's process group, with two pipes
// (internal/formwire) named by --request-fd and --reply-fd: it reads the
// pre-filled answers and the hardware report from the first, shows the form
// on standard input and output, and writes the answers on the second. Exit status: 0 with
// the answers; 3 (cancelled) when the user cancels, on Ctrl-C, SIGTERM or a
// hang-up, without writing anything; 2 when the hand-off fails or the form
// cannot run.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/sys/unix"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/formwire"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/initform"
	_ "github.com/axios-nix/axios/internal/nocolor" // before Bubble Tea's terminal query
	"github.com/axios-nix/axios/internal/rules"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(start(os.Args[1:], os.Stderr))
}

// start reads the command line: axios passes the two descriptors of the
// hand-off (formwire.Args); anything else is a person running the helper
// by hand, who is sent to axios init.
func start(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("axios-init-form", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	reqFD := fs.Int("request-fd", -1, "")
	repFD := fs.Int("reply-fd", -1, "")
	showVersion := fs.Bool("version", false, "")
	err := fs.Parse(args)
	switch {
	case err == nil && *showVersion:
		fmt.Fprintln(stderr, "axios-init-form version", version)
		return exitcode.OK
	case err != nil || fs.NArg() > 0 || *reqFD < 3 || *repFD < 3 || *reqFD == *repFD:
		fmt.Fprintln(stderr, "axios-init-form: this is the interactive form of `axios init`, which starts it with the answers on two pipes (--request-fd, --reply-fd); run axios init")
		return exitcode.Usage
	}
	signalsEndForm(int(os.Stdin.Fd()))
	request := os.NewFile(uintptr(*reqFD), "request")
	reply := os.NewFile(uintptr(*repFD), "reply")
	defer reply.Close()
	return run(request, reply, stderr, initform.Ask)
}

// signalsEndForm keeps Go's default action for Ctrl-C, SIGTERM and a
// hang-up (death, with the terminal left as the form set it) away from the
// helper for its whole life. A hang-up becomes SIGTERM, which the form
// library handles like Ctrl-C: it restores the terminal and returns. If the
// form has not ended a second after the first signal (a second Ctrl-C came
// while the full-screen form was tearing down) — at once for the
// line-by-line form, which has no handler of its own — the terminal mode
// saved at start is put back and the helper exits 3 (cancelled) without
// writing a reply.
func signalsEndForm(tty int) {
	saved, err := unix.IoctlGetTermios(tty, unix.TCGETS)
	if err != nil {
		saved = nil // not a terminal: nothing to restore
	}
	// The line-by-line form has no handler of its own: nothing to wait for.
	grace := time.Second
	if os.Getenv("ACCESSIBLE") != "" {
		grace = 0
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		armed := false
		for s := range sigs {
			if s == syscall.SIGHUP {
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
			}
			if armed {
				continue
			}
			armed = true
			time.AfterFunc(grace, func() {
				if saved != nil {
					_ = unix.IoctlSetTermios(tty, unix.TCSETS, saved)
				}
				os.Exit(exitcode.Aborted)
			})
		}
	}()
}

// ask runs the form (initform.Ask, or a stand-in in tests).
type ask = func(*generate.Answers, *hwdetect.Report, *catalog.Catalog, *rules.Rules) error

// run reads the request, runs the form and writes the reply.
func run(request io.Reader, reply io.Writer, stderr io.Writer, ask ask) int {
	req, err := formwire.ReadRequest(request)
	if err != nil {
		fmt.Fprintf(stderr, "axios-init-form: %v (it is the form of `axios init`, which starts it: run axios init)\n", err)
		return exitcode.Usage
	}
	a, hw := req.Answers, req.Hardware
	if err := ask(&a, &hw, catalog.Default(), rules.Default()); err != nil {
		if errors.Is(err, initform.ErrAborted) || errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
			return exitcode.Aborted
		}
		fmt.Fprintln(stderr, "axios-init-form:", err)
		return exitcode.Usage
	}
	if err := formwire.Write(reply, formwire.Reply{Protocol: formwire.Protocol, Answers: a}); err != nil {
		fmt.Fprintln(stderr, "axios-init-form:", err)
		return exitcode.Usage
	}
	return exitcode.OK
}
