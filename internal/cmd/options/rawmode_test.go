package options

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/axios-nix/axios/internal/optindex/optindextest"
	"github.com/axios-nix/axios/internal/testutil"
)

// On a real terminal the picker reads keys one by one without echo (raw
// mode), Ctrl-C is a key that quits, arrows move, and the terminal's mode
// is restored afterwards.
func TestPickerOnAPTY(t *testing.T) {
	ix := optindextest.Shared(t)
	for _, tc := range []struct {
		name, typed string
		want        string
	}{
		{"down and enter", "\x1b[B\r", ""},
		{"ctrl-c", "\x03", "nothing"},
		{"esc", "\x1b", "nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, term := testutil.OpenPTY(t, io.Discard)
			before, err := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			p := newPicker(ix, "fwupd")
			if len(p.matches) < 2 {
				t.Fatalf("too few matches for fwupd: %+v", p.matches)
			}
			second := p.matches[1].Name
			var out bytes.Buffer
			done := make(chan error, 1)
			go func() { done <- RunPicker(ix, "fwupd", term, &out) }()
			// Typed in one piece once raw mode is on: canonical mode
			// would hold the bytes until a newline.
			for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				now, _ := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
				if now != nil && now.Lflag&unix.ICANON == 0 {
					break
				}
				if time.Now().After(end) {
					t.Fatal("the picker never put the terminal in raw mode")
				}
			}
			if _, err := master.Write([]byte(tc.typed)); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("the picker did not end on %q", tc.typed)
			}
			// What stays on the screen: after the last frame is cleared.
			final := out.String()[strings.LastIndex(out.String(), "\x1b[J")+3:]
			described := strings.Contains(final, "type: ")
			if tc.want == "nothing" && described {
				t.Errorf("%q chose an option:\n%q", tc.typed, final)
			}
			if tc.want == "" && (!described || !strings.HasPrefix(final, second)) {
				t.Errorf("down and enter did not show %s:\n%q", second, final)
			}
			after, _ := unix.IoctlGetTermios(int(term.Fd()), unix.TCGETS)
			if after == nil || after.Lflag != before.Lflag || after.Iflag != before.Iflag {
				t.Errorf("terminal mode not restored: lflag %#x → %#x", before.Lflag, after.Lflag)
			}
		})
	}
}
