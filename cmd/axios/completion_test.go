package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// completionEnv is a configuration with two hosts and the built axios on
// PATH, for the shells' completion scripts (which run `axios __complete`).
func completionEnv(t *testing.T) []string {
	t.Helper()
	bin := axiosBinary(t)
	cfg := t.TempDir()
	for name, content := range map[string]string{
		"flake.nix":         "{ }\n",
		"hosts/tower.toml":  "hostname = \"tower\"\ntimeZone = \"UTC\"\n",
		"hosts/laptop.toml": "hostname = \"laptop\"\ntimeZone = \"UTC\"\n",
	} {
		p := filepath.Join(cfg, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "AXIOS_FLAKE="+cfg, "HOME="+t.TempDir(), "NO_COLOR=1")
}

// completionScript writes what `axios completion <shell>` prints into a
// file, once per shell: every case sources that file, as a user's shell
// sources the script once.
func completionScript(t *testing.T, env []string, shell string) string {
	t.Helper()
	cmd := exec.Command(axiosBinary(t), "completion", shell)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("axios completion %s: %v\n%s", shell, err, out)
	}
	if len(out) == 0 {
		t.Fatalf("axios completion %s printed nothing", shell)
	}
	p := filepath.Join(t.TempDir(), "axios."+shell)
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func shellLines(t *testing.T, env []string, shell string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(shell, args...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", shell, err, out)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			// fish prints "value<TAB>description".
			v, _, _ := strings.Cut(l, "\t")
			lines = append(lines, v)
		}
	}
	return lines
}

// The cases every shell must complete: host names for the commands that
// take a host, and init's answer flags.
var completionCases = []struct {
	words []string // the command line; the last word is being completed
	want  string   // the candidates, joined by ","
}{
	{[]string{"switch", ""}, "laptop,tower"},
	{[]string{"build", "t"}, "tower"},
	{[]string{"plan", ""}, "laptop,tower"},
	{[]string{"boot", "l"}, "laptop"},
	{[]string{"test", ""}, "laptop,tower"},
	{[]string{"switch", "tower", ""}, ""}, // one host only
	{[]string{"doctor", "--host", ""}, "laptop,tower"},
	{[]string{"options", "--host", ""}, "laptop,tower"},
	{[]string{"init", "--form-factor", ""}, "desktop,laptop"},
	{[]string{"init", "--system", ""}, "aarch64-linux,x86_64-linux"},
	{[]string{"init", "--gpu", ""}, "amd,intel,none,nvidia"},
	{[]string{"init", "--cpu", ""}, "amd,intel,none"},
	{[]string{"init", "--vendor", ""}, "msi,none,system76"},
	{[]string{"init", "--profile", ""}, "laptop,workstation"},
	{[]string{"host", "add", "x", "--form-factor", ""}, "desktop,laptop"},
	{[]string{"init", "--enable", "virt,ga"}, "virt,gaming"},
	{[]string{"init", "--timezone", "Europe/Berl"}, "Europe/Berlin"},
}

// sorted keeps the candidates starting with prefix, once each, sorted.
// Shell quoting is undone first: bash escapes a comma ("virt\,gaming"), and
// fish gets a second candidate with a "." appended so that it adds no space
// after a list value (cobra's NoSpace directive).
func sorted(lines []string, prefix string) string {
	var keep []string
	seen := map[string]bool{}
	for _, l := range lines {
		l = strings.TrimSuffix(strings.ReplaceAll(l, `\`, ""), ".")
		if strings.HasPrefix(l, prefix) && !strings.HasPrefix(l, ":") && !seen[l] {
			seen[l] = true
			keep = append(keep, l)
		}
	}
	slicesSort(keep)
	return strings.Join(keep, ",")
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := testutil.RequireTool(t, "fish")
	env := completionEnv(t)
	script := completionScript(t, env, "fish")
	got := caseLines(t, env, fish, []string{"--no-config", "-c"}, "source "+shellQuote(script), func(words []string) string {
		return "complete -C " + shellQuote("axios "+strings.Join(words, " "))
	})
	for i, c := range completionCases {
		if s := sorted(got[i], c.words[len(c.words)-1]); s != c.want {
			t.Errorf("fish %q: %q, want %q", "axios "+strings.Join(c.words, " "), s, c.want)
		}
	}
}

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash := testutil.RequireTool(t, "bash")
	lib := "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(lib); err != nil {
		if testutil.InCI() {
			t.Fatalf("%s is missing (./scripts/install-deps installs bash-completion)", lib)
		}
		t.Skip("bash-completion is not installed")
	}
	env := completionEnv(t)
	completion := completionScript(t, env, "bash")
	got := caseLines(t, env, bash, []string{"--norc", "--noprofile", "-c"}, "source "+lib+"; source "+shellQuote(completion), func(cwords []string) string {
		var words []string
		for _, w := range append([]string{"axios"}, cwords...) {
			words = append(words, shellQuote(w))
		}
		return "COMPREPLY=(); COMP_WORDS=(" + strings.Join(words, " ") + "); COMP_CWORD=" + itoa(len(cwords)) +
			"; COMP_LINE=" + shellQuote("axios "+strings.Join(cwords, " ")) + "; COMP_POINT=${#COMP_LINE}; __start_axios 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""
	})
	for i, c := range completionCases {
		if s := sorted(got[i], c.words[len(c.words)-1]); s != c.want {
			t.Errorf("bash %q: %q, want %q", "axios "+strings.Join(c.words, " "), s, c.want)
		}
	}
}

// zsh completes only inside its line editor; the test runs the generated
// _axios function with the completion system's output functions replaced
// by ones that print their candidates.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := testutil.RequireTool(t, "zsh")
	env := completionEnv(t)
	completion := completionScript(t, env, "zsh")
	setup := `compdef() { :; }; source ` + shellQuote(completion) + `; ` +
		`_describe() { print -l -- ${(P)2}; }; compadd() { print -l -- "$@"; }; _arguments() { :; }`
	got := caseLines(t, env, zsh, []string{"-f", "-c"}, setup, func(cwords []string) string {
		var words []string
		for _, w := range append([]string{"axios"}, cwords...) {
			words = append(words, shellQuote(w))
		}
		return `words=(` + strings.Join(words, " ") + `); CURRENT=` + itoa(len(cwords)+1) + `; _axios`
	})
	for i, c := range completionCases {
		// _describe entries are "value:description"; colons in values are escaped.
		for j, l := range got[i] {
			if v, _, ok := strings.Cut(l, ":"); ok && !strings.Contains(v, `\`) {
				got[i][j] = v
			}
		}
		line := "axios " + strings.Join(c.words, " ")
		if s := sorted(got[i], c.words[len(c.words)-1]); s != c.want {
			t.Errorf("zsh %q: %q, want %q (got %q)", line, s, c.want, got[i])
		}
	}
}

// caseLines runs every completion case in one shell, as a user's shell
// completes one line after another: setup (sourcing the completion script)
// once, then the command complete(words) of each case after a marker line,
// and returns each case's output lines (shellLines' form).
func caseLines(t *testing.T, env []string, shell string, args []string, setup string, complete func(words []string) string) [][]string {
	t.Helper()
	const marker = "--axios-completion-case--"
	script := []string{setup}
	for _, c := range completionCases {
		script = append(script, "echo "+marker, complete(c.words))
	}
	var cases [][]string
	for _, l := range shellLines(t, env, shell, append(args, strings.Join(script, "\n"))...) {
		if l == marker {
			cases = append(cases, nil)
		} else if len(cases) > 0 {
			cases[len(cases)-1] = append(cases[len(cases)-1], l)
		} else {
			t.Errorf("%s printed %q before the first case", shell, l)
		}
	}
	if len(cases) != len(completionCases) {
		t.Fatalf("%s ran %d of the %d completion cases", shell, len(cases), len(completionCases))
	}
	return cases
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func itoa(n int) string { return strconv.Itoa(n) }
