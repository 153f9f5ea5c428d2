package activate

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Interruptible returns ctx (context.Background when nil) cancelled by
// Ctrl-C (SIGINT) or SIGTERM, so a command stops its child processes and
// puts back what it changed.
func Interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// HasNom reports whether nix-output-monitor (nom) is installed, found with
// lookPath (nil means exec.LookPath).
func HasNom(lookPath func(string) (string, error)) bool {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	_, err := lookPath("nom")
	return err == nil
}
