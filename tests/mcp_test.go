package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// mcpSelection mirrors the result of lib/core/mcp.nix select.
type mcpSelection struct {
	On map[string]struct {
		Type    string            `json:"type"`
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
		Secret  *struct {
			Name    string   `json:"name"`
			Env     string   `json:"env"`
			Hint    string   `json:"hint"`
			File    string   `json:"file"`
			Command []string `json:"command"`
		} `json:"secret"`
	} `json:"on"`
	Off []struct {
		Name    string `json:"name"`
		Reason  string `json:"reason"`
		Message string `json:"message"`
	} `json:"off"`
	Messages []string `json:"messages"`
}

func selectMCP(t *testing.T, args string) mcpSelection {
	t.Helper()
	var got mcpSelection
	testutil.NixEval(t, testutil.RepoRoot(t), "(import ./lib/core/mcp.nix).select "+args, &got)
	return got
}

// A server list shaped like the one home/ai builds: one plain server, two
// that need secrets, one whose package is missing, one turned off.
const mcpServers = `{
  git = { command = "/store/git/bin/mcp-server-git"; };
  brave-search = {
    command = "/store/node/bin/npx";
    args = [ "-y" "@brave/brave-search-mcp-server" ];
    secret = { name = "brave-api-key"; env = "BRAVE_API_KEY"; hint = "set axios.ai.mcp.secrets.brave-api-key"; };
  };
  github = {
    command = "/store/gh-mcp/bin/github-mcp-server";
    args = [ "stdio" ];
    secret = { name = "github-token"; env = "GITHUB_PERSONAL_ACCESS_TOKEN"; hint = "run gh auth login"; };
  };
  example = { command = null; unavailable = "the example-mcp input is not in the flake"; };
  time = { enable = false; command = "/store/time/bin/mcp-server-time"; };
}`

func TestMCPSelectWithoutSecrets(t *testing.T) {
	t.Parallel()
	got := selectMCP(t, "{ servers = "+mcpServers+"; }")

	if names := sortedKeys(got.On); !reflect.DeepEqual(names, []string{"git"}) {
		t.Fatalf("on = %v, want only git (every other server lacks a secret, a package or is disabled)", names)
	}
	git := got.On["git"]
	if git.Type != "stdio" || git.Command != "/store/git/bin/mcp-server-git" || len(git.Args) != 0 || git.Secret != nil {
		t.Errorf("git = %+v", git)
	}
	var off []string
	for _, o := range got.Off {
		off = append(off, o.Name+":"+o.Reason)
	}
	want := []string{"brave-search:missing-secret", "example:unavailable", "github:missing-secret", "time:disabled"}
	if !reflect.DeepEqual(off, want) {
		t.Errorf("off = %v, want %v (sorted by name)", off, want)
	}
	if len(got.Messages) != 3 {
		t.Fatalf("messages = %q, want 3 (none for the disabled server)", got.Messages)
	}
	if m := got.Messages[0]; !strings.Contains(m, "brave-search is off") || !strings.Contains(m, "BRAVE_API_KEY") || !strings.Contains(m, "set axios.ai.mcp.secrets.brave-api-key") {
		t.Errorf("brave message %q must name the server, the variable and the fix", m)
	}
	if m := got.Messages[1]; !strings.Contains(m, "example-mcp input is not in the flake") {
		t.Errorf("unavailable message %q must carry the reason", m)
	}
}

func TestMCPSelectWithSecrets(t *testing.T) {
	t.Parallel()
	got := selectMCP(t, `{ servers = `+mcpServers+`; secrets = {
      brave-api-key = { file = "/run/user/1000/agenix/brave-api-key"; };
      github-token = { command = [ "/store/gh/bin/gh" "auth" "token" ]; };
      tavily-api-key = null;
    }; }`)

	if names := sortedKeys(got.On); !reflect.DeepEqual(names, []string{"brave-search", "git", "github"}) {
		t.Fatalf("on = %v", names)
	}
	brave := got.On["brave-search"]
	if brave.Secret == nil || brave.Secret.File != "/run/user/1000/agenix/brave-api-key" || brave.Secret.Env != "BRAVE_API_KEY" || brave.Secret.Command != nil {
		t.Errorf("brave secret = %+v", brave.Secret)
	}
	if !reflect.DeepEqual(brave.Args, []string{"-y", "@brave/brave-search-mcp-server"}) {
		t.Errorf("brave args = %v", brave.Args)
	}
	gh := got.On["github"]
	if gh.Secret == nil || gh.Secret.File != "" || !reflect.DeepEqual(gh.Secret.Command, []string{"/store/gh/bin/gh", "auth", "token"}) {
		t.Errorf("github secret = %+v", gh.Secret)
	}
	if gh.Secret != nil && gh.Secret.Hint != "run gh auth login" {
		t.Errorf("github hint = %q (the wrapper prints it when the token is missing at run time)", gh.Secret.Hint)
	}
	if len(got.Messages) != 1 || !strings.Contains(got.Messages[0], "MCP server example is off") {
		t.Errorf("messages = %q, want only the unavailable example server", got.Messages)
	}
}

func TestMCPSelectNoSecretInEnv(t *testing.T) {
	t.Parallel()
	// A secret never appears in the rendered server: only its source does.
	got := selectMCP(t, `{ servers = { s = { command = "/bin/s"; env = { MODE = "x"; }; secret = { name = "k"; env = "K"; hint = ""; }; }; }; secrets = { k = { file = "/run/agenix/k"; }; }; }`)
	s := got.On["s"]
	if _, ok := s.Env["K"]; ok {
		t.Errorf("secret variable K leaked into env: %v", s.Env)
	}
	if s.Env["MODE"] != "x" {
		t.Errorf("env = %v", s.Env)
	}
}

func TestMCPSelectRejectsBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, args, want string
	}{
		{"command type", `{ servers = { a = { command = 3; }; }; }`, `server "a": ` + "`command`" + ` must be a string`},
		{"no command", `{ servers = { a = { args = [ ]; }; }; }`, "`command` is missing"},
		{"args", `{ servers = { a = { command = "x"; args = "-y"; }; }; }`, "`args` must be a list of strings"},
		{"env", `{ servers = { a = { command = "x"; env = { A = 1; }; }; }; }`, "`env` must be an attribute set of strings"},
		{"enable", `{ servers = { a = { command = "x"; enable = "yes"; }; }; }`, "`enable` must be true or false"},
		{"secret shape", `{ servers = { a = { command = "x"; secret = "k"; }; }; }`, "`secret` must be null or { name; env; hint; }"},
		{"secret source", `{ servers = { a = { command = "x"; secret = { name = "k"; env = "K"; }; }; }; secrets = { k = "/run/k"; }; }`, `secret "k": must be null, { file`},
		{"store path", `{ servers = { a = { command = "x"; secret = { name = "k"; env = "K"; }; }; }; secrets = { k = { file = "/nix/store/abc-k"; }; }; }`, "is in the Nix store"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			msg := testutil.NixEvalError(t, testutil.RepoRoot(t), "(import ./lib/core/mcp.nix).select "+c.args)
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q does not contain %q", msg, c.want)
			}
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// wrapperFor evaluates select + wrapperScript for one server "s" that runs
// `sh` and needs the secret "k" in $TOKEN, with the given secret source, and
// writes the script to a file.
func wrapperFor(t *testing.T, source string) string {
	t.Helper()
	sh := testutil.RequireTool(t, "sh")
	expr := `let m = import ./lib/core/mcp.nix;
	  sel = m.select {
	    servers.s = { command = "` + sh + `"; secret = { name = "k"; env = "TOKEN"; hint = "provide k"; }; };
	    secrets.k = ` + source + `;
	  };
	in m.wrapperScript "s" sel.on.s`
	var script string
	testutil.NixEval(t, testutil.RepoRoot(t), expr, &script)
	path := filepath.Join(t.TempDir(), "wrapper.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runWrapper runs the wrapper with bash; the server (sh) prints $TOKEN.
func runWrapper(t *testing.T, script string, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	bash := testutil.RequireTool(t, "bash")
	cmd := exec.Command(bash, script, "-c", `printf '[%s]' "$TOKEN"`)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestMCPWrapperReadsSecretFileAtRunTime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := filepath.Join(dir, "agenix", "k")
	// The path is given the way agenix's home module writes it, with a
	// variable the shell expands when the server starts.
	script := wrapperFor(t, `{ file = "\${SECRETS_ROOT}/agenix/k"; }`)

	text, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), "hunter2") {
		t.Fatal("the secret value is in the script")
	}

	// Missing file: off, with the hint, exit 78.
	_, stderr, code := runWrapper(t, script, "SECRETS_ROOT="+dir)
	if code != 78 || !strings.Contains(stderr, "axios: MCP server s is off: cannot read the secret file "+secret) || !strings.Contains(stderr, "provide k") {
		t.Fatalf("missing secret: code %d, stderr %q", code, stderr)
	}

	// Present: the server gets it, without the trailing newline.
	if err := os.MkdirAll(filepath.Dir(secret), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, []byte("hunter2\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runWrapper(t, script, "SECRETS_ROOT="+dir)
	if code != 0 || stdout != "[hunter2]" {
		t.Fatalf("with secret: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// Empty: off.
	if err := os.Chmod(secret, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runWrapper(t, script, "SECRETS_ROOT="+dir); code != 78 || !strings.Contains(stderr, "the secret k is empty") {
		t.Fatalf("empty secret: code %d, stderr %q", code, stderr)
	}
}

func TestMCPWrapperTakesSecretFromCommand(t *testing.T) {
	t.Parallel()
	sh := testutil.RequireTool(t, "sh")
	ok := wrapperFor(t, `{ command = [ "`+sh+`" "-c" "echo it\\'s-a-token" ]; }`)
	if stdout, stderr, code := runWrapper(t, ok); code != 0 || stdout != "[it's-a-token]" {
		t.Fatalf("command source: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	failing := wrapperFor(t, `{ command = [ "`+sh+`" "-c" "exit 4" ]; }`)
	if _, stderr, code := runWrapper(t, failing); code != 78 || !strings.Contains(stderr, "failed; provide k") {
		t.Fatalf("failing command: code %d, stderr %q", code, stderr)
	}
}
