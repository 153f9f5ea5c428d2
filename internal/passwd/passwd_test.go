package passwd

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-crypt/x/yescrypt"

	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/testutil"
)

// Hashes made by libxcrypt 4.4.33 through `mkpasswd -m yescrypt` (whois
// 5.5.17, Debian): the password and the hash crypt(3) returned.
var libxcryptVectors = []struct{ pw, hash string }{
	{"hunter2", "$y$j9T$vTCqkThyKeTgVOwOCwWkS1$FrukEPIaWfUU5.fvzhcMye5EuemOYsxb/R3ZEzXl/JB"},
	{"hunter2", "$y$j9T$uD.TYydj0t34OCELBkuSj0$0LW0/p3fcwPKSjnzGxQAujV.ZkRPq5G4gps6tSNclh8"},
	{"hunter2", "$y$j9T$TAbZiSVMqxx4WUvQ80NN5.$K3U8zlYapFby5ouwtly7Y/T51qHVzBfskXH./AqhyF7"},
}

func TestHashMatchesLibxcryptVectors(t *testing.T) {
	for _, v := range libxcryptVectors {
		got, err := HashWithSetting([]byte(v.pw), v.hash)
		if err != nil || got != v.hash {
			t.Errorf("HashWithSetting(%q, setting of %s) = %q, %v", v.pw, v.hash, got, err)
		}
		if !Verify([]byte(v.pw), v.hash) || Verify([]byte(v.pw+"x"), v.hash) {
			t.Errorf("Verify is wrong for %s", v.hash)
		}
	}
}

// TestHashAgreesWithMkpasswd checks both directions against the system's
// crypt(3), through mkpasswd: a hash made here is the hash mkpasswd makes
// with the same salt, and a hash mkpasswd makes verifies here. The first
// password goes through Hash at the production cost; the others, which
// vary the bytes hashed, use a quarter of it ("$y$j7T$", N = 1024, what
// `mkpasswd -R 3` writes), so the check also covers a second cost.
func TestHashAgreesWithMkpasswd(t *testing.T) {
	mkpasswd := testutil.RequireTool(t, "mkpasswd")
	passwords := []string{"correct horse battery staple", "pässwörd 山田 🚀", "'\"$`\\ ;", "x"}
	for i := 0; i < 3; i++ {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			t.Fatal(err)
		}
		// Printable random passwords (mkpasswd -s reads one line).
		passwords = append(passwords, strings.Map(func(r rune) rune {
			if r < 0x21 || r > 0x7e {
				return 'a' + r%26
			}
			return r
		}, string(b)))
	}
	mk := func(pw string, args ...string) string {
		t.Helper()
		cmd := exec.Command(mkpasswd, append([]string{"-m", "yescrypt", "-s"}, args...)...)
		cmd.Stdin = strings.NewReader(pw + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mkpasswd %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out))
	}
	for i, pw := range passwords {
		var h string
		var err error
		var cost []string // mkpasswd's flags for the cost of h
		if i == 0 {
			h, err = Hash([]byte(pw))
			if err == nil && (!strings.HasPrefix(h, "$y$j9T$") || len(h) != len("$y$j9T$")+22+1+43) {
				t.Errorf("hash %q has not mkpasswd's shape", h)
			}
		} else {
			salt := make([]byte, saltBytes)
			rand.Read(salt)
			h, err = HashWithSetting([]byte(pw), "$y$j7T$"+string(yescrypt.Encode64(salt)))
			cost = []string{"-R", "3"}
		}
		if err != nil {
			t.Fatal(err)
		}
		// mkpasswd takes a yescrypt salt as the whole setting.
		if got := mk(pw, "-S", h[:strings.LastIndexByte(h, '$')]); got != h {
			t.Errorf("password %q: mkpasswd with the same salt gives\n%s\nthis package\n%s", pw, got, h)
		}
		theirs := mk(pw, cost...)
		if theirs[:7] != h[:7] {
			t.Errorf("mkpasswd %v wrote the setting %s, want %s", cost, theirs[:7], h[:7])
		}
		if !Verify([]byte(pw), theirs) {
			t.Errorf("mkpasswd's hash %s of %q does not verify here", theirs, pw)
		}
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	a, err := Hash([]byte("same"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Hash([]byte("same"))
	if a == b {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !Verify([]byte("same"), a) || !Verify([]byte("same"), b) {
		t.Error("a fresh hash does not verify")
	}
}

// TestHashIsAValidHostValue: the hash passes the host rule for
// users.*.hashedPassword (the pattern both interpreters apply).
func TestHashIsAValidHostValue(t *testing.T) {
	f := rules.Default().Fields["users.*.hashedPassword"]
	for i := 0; i < 5; i++ {
		h, err := Hash([]byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		if !f.MatchPattern(h) {
			t.Errorf("%s does not match the rules' pattern", h)
		}
	}
	for _, v := range libxcryptVectors {
		if !f.MatchPattern(v.hash) {
			t.Errorf("%s does not match the rules' pattern", v.hash)
		}
	}
	if f.MatchPattern("hunter2") {
		t.Error("a plain password matches the hash pattern")
	}
}

func TestCheckRefusesUnusablePasswords(t *testing.T) {
	for name, pw := range map[string][]byte{
		"empty":      nil,
		"NUL":        []byte("a\x00b"),
		"line break": []byte("a\nb"),
		"too long":   bytes.Repeat([]byte("a"), MaxLen+1),
	} {
		if _, err := Hash(pw); err == nil {
			t.Errorf("%s: no error", name)
		} else if len(pw) > 0 && strings.Contains(err.Error(), string(pw)) {
			t.Errorf("%s: the error quotes the password: %v", name, err)
		}
	}
	if _, err := Hash(bytes.Repeat([]byte("a"), MaxLen)); err != nil {
		t.Errorf("a %d-byte password: %v", MaxLen, err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for content, want := range map[string]string{
		"s3cret\n":       "s3cret",
		"s3cret":         "s3cret",
		"s3cret\r\n":     "s3cret",
		" spaced out \n": " spaced out ",
	} {
		got, err := ReadFile(write("ok", content), nil)
		if err != nil || string(got) != want {
			t.Errorf("%q: %q, %v", content, got, err)
		}
	}
	got, err := ReadFile("-", strings.NewReader("from stdin\n"))
	if err != nil || string(got) != "from stdin" {
		t.Errorf("stdin: %q, %v", got, err)
	}
	for name, content := range map[string]string{
		"empty":          "",
		"only a newline": "\n",
		"two lines":      "s3cret\nother\n",
		"huge":           strings.Repeat("x", 10*MaxLen),
		"NUL":            "s3\x00cret",
	} {
		_, err := ReadFile(write("bad", content), nil)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "other") {
			t.Errorf("%s: the error shows the content: %v", name, err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("a missing file: no error")
	}
	if _, err := ReadFile(dir, nil); err == nil {
		t.Error("a folder: no error")
	}
}
