package options

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// rawMode puts the terminal f in raw mode: no echo, no line editing, every
// key read as it is typed, Ctrl-C a key rather than a signal. restore puts
// the old mode back; a hang-up or SIGTERM meanwhile restores it before the
// signal ends the program. A file that is not a terminal is left alone.
func rawMode(f *os.File) (restore func(), err error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return func() {}, nil // not a terminal: a pipe or a file
	}
	raw := *old
	raw.Iflag &^= unix.ICRNL | unix.IXON | unix.BRKINT | unix.INPCK | unix.ISTRIP
	raw.Lflag &^= unix.ECHO | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			_ = unix.IoctlSetTermios(fd, unix.TCSETS, old)
			signal.Reset(s)
			_ = syscall.Kill(os.Getpid(), s.(syscall.Signal))
		case <-done:
		}
	}()
	return func() {
		close(done)
		signal.Stop(sigs)
		_ = unix.IoctlSetTermios(fd, unix.TCSETS, old)
	}, nil
}
