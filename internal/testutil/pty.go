package testutil

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"unsafe"
)

// OpenPTY opens a pseudo-terminal pair of 40 rows and 120 columns: the
// program under test runs on the terminal side (term), the test types on
// the other (master). Everything
// the terminal shows is copied to shown (io.Discard when the test does not
// read it), so the terminal never blocks on a full buffer. Without
// /dev/ptmx the test is skipped locally and fails when CI=true.
func OpenPTY(t testing.TB, shown io.Writer) (master, term *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Fatalf("TIOCGPTN: %v", e)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Fatalf("TIOCSPTLCK: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	// A terminal of 40 rows and 120 columns, as a user's: a new pseudo-
	// terminal has no size (0×0), and a full-screen program that learns
	// the size before it first draws lays its screen out in no lines.
	ws := struct{ row, col, xpixel, ypixel uint16 }{row: 40, col: 120}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, s.Fd(), syscall.TIOCSWINSZ, uintptr(unsafe.Pointer(&ws))); e != 0 {
		s.Close()
		m.Close()
		t.Fatalf("TIOCSWINSZ: %v", e)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	go func() { _, _ = io.Copy(shown, m) }()
	return m, s
}
