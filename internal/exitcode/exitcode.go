// Package exitcode carries a process exit status through returned errors.
package exitcode

// Exit statuses shared by every axios command.
const (
	OK      = 0 // success
	Failed  = 1 // the command ran and found a problem (invalid host, failed build)
	Usage   = 2 // bad usage, unreadable input, I/O error
	Aborted = 3 // the user declined a confirmation
)

// Error is an error with the exit status the process should end with. A nil
// Err exits silently (the command has already printed its report).
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "exit status"
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with the given code wrapping err.
func New(code int, err error) *Error { return &Error{Code: code, Err: err} }
