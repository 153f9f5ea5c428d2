package initcmd

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/exitcode"
	"github.com/axios-nix/axios/internal/formwire"
	"github.com/axios-nix/axios/internal/generate"
	"github.com/axios-nix/axios/internal/helper"
	"github.com/axios-nix/axios/internal/hwdetect"
	"github.com/axios-nix/axios/internal/rules"
)

// errAborted: the user cancelled the form; nothing is written.
var errAborted = errors.New("cancelled")

// formHelper runs the interactive form, which lives in the helper program
// axios-init-form (so that axios links no terminal UI library): the
// answers go to it and come back on two pipes (internal/formwire), while
// it owns the terminal.
type formHelper struct {
	find func() (string, error)
	// The terminal the form runs on.
	stdin, stdout, stderr *os.File
}

func realFormHelper() formHelper {
	return formHelper{
		find: func() (string, error) {
			return helper.Default.Find(helper.InitForm, "axios init (its interactive form)")
		},
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
	}
}

// ask runs the form pre-filled with a and puts the answers back in a. It
// returns errAborted when the user cancels (or a signal ends the form), and
// an *exitcode.Error with the helper's status when the helper fails.
func (h formHelper) ask(a *generate.Answers, hw *hwdetect.Report, _ *catalog.Catalog, _ *rules.Rules) error {
	path, err := h.find()
	if err != nil {
		return exitcode.New(exitcode.Usage, fmt.Errorf("%w; or answer with flags: axios init --yes (axios init --help lists them)", err))
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("starting the form: %w", err)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return fmt.Errorf("starting the form: %w", err)
	}
	cmd := exec.Command(path, formwire.Args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = h.stdin, h.stdout, h.stderr
	cmd.ExtraFiles = []*os.File{reqR, repW}

	// The request goes in while the helper starts; the reply is read to
	// its end (the helper's exit closes it), both beside the wait.
	sent := make(chan error, 1)
	go func() {
		err := formwire.Write(reqW, formwire.Request{Protocol: formwire.Protocol, Answers: *a, Hardware: *hw})
		reqW.Close()
		sent <- err
	}()
	type result struct {
		rep formwire.Reply
		err error
	}
	got := make(chan result, 1)
	go func() {
		rep, err := formwire.ReadReply(repR)
		// Closed as soon as read: a helper that writes more than a reply
		// may hold gets an error instead of blocking forever.
		repR.Close()
		got <- result{rep, err}
	}()
	out, err := helper.Run(cmd, func() { reqR.Close(); repW.Close() })
	reply := <-got
	sendErr := <-sent
	if err != nil {
		return fmt.Errorf("the form (%s): %w", path, err)
	}
	switch {
	case out.Interrupted() || out.Code == exitcode.Aborted:
		// A second Ctrl-C or hang-up must not end init before it has said
		// that nothing was written; nor one that came to this process
		// with the helper's end, after helper.Run stopped listening (the
		// helper saw it and ended with Aborted).
		signal.Ignore(os.Interrupt, syscall.SIGHUP, syscall.SIGTERM)
		return errAborted
	case out.Code != 0:
		// The helper said what went wrong on the terminal.
		return exitcode.New(out.Code, fmt.Errorf("the form (%s) failed with exit status %d", path, out.Code))
	case reply.err != nil:
		return fmt.Errorf("the form (%s) gave no answers: %w", path, reply.err)
	case sendErr != nil:
		return fmt.Errorf("the form (%s) did not take the pre-filled answers: %w", path, sendErr)
	}
	*a = reply.rep.Answers
	return nil
}
