// Package passwd turns a password into the crypt(3) hash a host file keeps
// as [users.<name>] hashedPassword, and reads a password from a file for
// `axios init --password-file`.
//
// The hash is yescrypt with libxcrypt's default cost ("$y$j9T$": N = 4096,
// r = 32, 16 MiB), the method NixOS's `mkpasswd` uses by default, computed by
// github.com/go-crypt/x/yescrypt (Solar Designer's Go yescrypt, as
// maintained in go-crypt/x). The tests check its output against the
// system's mkpasswd and against hashes libxcrypt produced.
//
// A password is never written anywhere, printed or put into an error.
package passwd

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/go-crypt/x/yescrypt"
)

// MaxLen is the longest password accepted, in bytes (a password file larger
// than this is refused without being read further).
const MaxLen = 4096

// setting is the yescrypt method and cost mkpasswd writes by default.
const setting = "$y$j9T$"

// saltBytes is the salt length libxcrypt's crypt_gensalt uses for yescrypt
// (22 characters once encoded).
const saltBytes = 16

// Check reports why a password cannot be used, without quoting it.
func Check(pw []byte) error {
	switch {
	case len(pw) == 0:
		return errors.New("the password is empty")
	case len(pw) > MaxLen:
		return fmt.Errorf("the password is longer than %d bytes", MaxLen)
	case bytes.IndexByte(pw, 0) >= 0:
		return errors.New("the password contains a NUL byte, which crypt(3) cannot hash")
	case bytes.ContainsAny(pw, "\n\r"):
		return errors.New("the password contains a line break")
	}
	return nil
}

// Hash returns the yescrypt hash of pw with a fresh random salt.
func Hash(pw []byte) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	return HashWithSetting(pw, setting+string(yescrypt.Encode64(salt)))
}

// HashWithSetting hashes pw with a given yescrypt setting ("$y$j9T$<salt>",
// or a whole hash whose setting is reused): what crypt(3) does, so a hash can
// be checked by hashing again with it.
func HashWithSetting(pw []byte, set string) (string, error) {
	if err := Check(pw); err != nil {
		return "", err
	}
	out, err := yescrypt.Hash(pw, []byte(set))
	if err != nil {
		return "", fmt.Errorf("yescrypt: %w", err)
	}
	return string(out), nil
}

// Verify reports whether pw hashes to hash (a "$y$…" yescrypt hash).
func Verify(pw []byte, hash string) bool {
	got, err := HashWithSetting(pw, hash)
	return err == nil && got == hash
}

// ReadFile reads a password from the first line of a file ("-" reads
// standard input): one trailing "\n" or "\r\n" is dropped, anything after
// it is an error (a file of several lines is ambiguous). At most MaxLen+2
// bytes are read. Errors never contain the content.
func ReadFile(path string, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("reading the password file: %w", err)
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return nil, fmt.Errorf("reading the password file: %s is a folder", path)
		}
		r = f
	}
	buf, err := io.ReadAll(io.LimitReader(r, MaxLen+3))
	if err != nil {
		return nil, fmt.Errorf("reading the password file: %w", err)
	}
	if len(buf) > MaxLen+2 {
		return nil, fmt.Errorf("the password file %s is larger than %d bytes; it must hold the password on one line", path, MaxLen)
	}
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	if bytes.ContainsAny(buf, "\n\r") {
		return nil, fmt.Errorf("the password file %s has more than one line; it must hold only the password", path)
	}
	if err := Check(buf); err != nil {
		return nil, fmt.Errorf("the password file %s: %w", path, err)
	}
	return buf, nil
}
