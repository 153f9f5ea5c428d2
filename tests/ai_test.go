package tests

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/testutil"
)

// opencodeConfig mirrors the part of ~/.config/opencode/opencode.json that
// the ai module writes.
type opencodeConfig struct {
	Schema   string `json:"$schema"`
	Model    string `json:"model"`
	Provider map[string]struct {
		NPM     string `json:"npm"`
		Name    string `json:"name"`
		Options struct {
			BaseURL string `json:"baseURL"`
		} `json:"options"`
		Models map[string]struct {
			Name string `json:"name"`
		} `json:"models"`
	} `json:"provider"`
}

func evalOpencode(t *testing.T, args string) opencodeConfig {
	t.Helper()
	root := testutil.RepoRoot(t)
	expr := fmt.Sprintf("import %s %s", filepath.Join(root, "modules", "ai", "opencode-config.nix"), args)
	var raw json.RawMessage
	testutil.NixEval(t, root, expr, &raw)
	var cfg opencodeConfig
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return cfg
}

// TestOpencodeConfig checks the OpenCode provider for the local Ollama.
func TestOpencodeConfig(t *testing.T) {
	t.Parallel()
	cfg := evalOpencode(t, `{ host = "127.0.0.1"; port = 11434; models = [ "qwen3-coder:30b" "" "qwen3:4b" ]; }`)
	if cfg.Schema != "https://opencode.ai/config.json" {
		t.Errorf("$schema = %q", cfg.Schema)
	}
	if cfg.Model != "ollama/qwen3-coder:30b" {
		t.Errorf("model = %q, want the first model", cfg.Model)
	}
	p, ok := cfg.Provider["ollama"]
	if !ok {
		t.Fatalf("no ollama provider: %+v", cfg.Provider)
	}
	if p.NPM != "@ai-sdk/openai-compatible" || p.Options.BaseURL != "http://127.0.0.1:11434/v1" {
		t.Errorf("provider = %+v", p)
	}
	if len(p.Models) != 2 || p.Models["qwen3:4b"].Name != "qwen3:4b" {
		t.Errorf("models = %+v, want the two non-empty names", p.Models)
	}
}

// TestOpencodeConfigHosts checks the client address for wildcard binds and
// a custom port, and that no default model is set without models.
func TestOpencodeConfigHosts(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{ host = "0.0.0.0"; port = 11500; }`: "http://127.0.0.1:11500/v1",
		`{ host = "[::]"; }`:                  "http://[::1]:11434/v1",
		`{ host = "100.64.0.7"; }`:            "http://100.64.0.7:11434/v1",
		`{ }`:                                 "http://127.0.0.1:11434/v1",
	}
	for args, want := range cases {
		cfg := evalOpencode(t, args)
		if got := cfg.Provider["ollama"].Options.BaseURL; got != want {
			t.Errorf("%s: baseURL = %q, want %q", args, got, want)
		}
		if cfg.Model != "" {
			t.Errorf("%s: model = %q, want none without models", args, cfg.Model)
		}
	}
}

// TestOpencodeConfigBadInput checks the error for models that are not a list.
func TestOpencodeConfigBadInput(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	expr := fmt.Sprintf(`import %s { models = "qwen3:4b"; }`, filepath.Join(root, "modules", "ai", "opencode-config.nix"))
	out := testutil.NixEvalError(t, root, expr)
	if !strings.Contains(out, "services.ai.local.models must be a list") || !strings.Contains(out, "fix:") {
		t.Errorf("unexpected error:\n%s", out)
	}
}

// TestAiVendorSwitches: all four vendors by default (the seed's three agents
// and the workflow tools); each switch drops exactly its own packages, and
// the missing-input assertion names only what is wanted.
func TestAiVendorSwitches(t *testing.T) {
	t.Parallel()
	all := []string{"backlog-md", "claude-code", "claude-code", "claude-monitor", "copilot-cli", "gemini-cli", "nodejs", "spec-kit", "whisper-cpp"}
	cases := map[string]struct {
		host string
		want []string
	}{
		"defaults":    {``, all},
		"no claude":   {`services.ai.claude.enable = false;`, []string{"backlog-md", "copilot-cli", "gemini-cli", "nodejs", "spec-kit", "whisper-cpp"}},
		"no openai":   {`services.ai.openai.enable = false;`, []string{"backlog-md", "claude-code", "claude-code", "claude-monitor", "gemini-cli", "nodejs", "spec-kit", "whisper-cpp"}},
		"no gemini":   {`services.ai.gemini.enable = false;`, []string{"backlog-md", "claude-code", "claude-code", "claude-monitor", "copilot-cli", "nodejs", "spec-kit", "whisper-cpp"}},
		"no workflow": {`services.ai.workflow.enable = false;`, []string{"claude-code", "claude-code", "claude-monitor", "copilot-cli", "gemini-cli", "nodejs", "whisper-cpp"}},
		"none":        {`services.ai = { claude.enable = false; openai.enable = false; gemini.enable = false; workflow.enable = false; };`, []string{"nodejs", "whisper-cpp"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got []string
			moduleEval(t, `{ host = { services.ai.enable = true; `+c.host+` }; }`,
				`builtins.sort builtins.lessThan (map (p: p._pkg) c.environment.systemPackages)`, &got)
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("environment.systemPackages = %v\nwant %v", got, c.want)
			}
		})
	}
	msgs := assertionsOf(t, `{ withAiTools = false; host = { services.ai = { enable = true; claude.enable = false; workflow.enable = false; }; }; }`)
	wantAssertion(t, msgs, "needs the nix-ai-tools flake input for copilot-cli, gemini-cli")
	for _, m := range msgs {
		if strings.Contains(m, "claude-code") || strings.Contains(m, "spec-kit") {
			t.Errorf("assertion names a tool of a switched-off vendor: %q", m)
		}
	}
}

// TestAiHomeFollowsClaudeSwitch: the home module's Claude Code follows
// services.ai.claude.enable on the system.
func TestAiHomeFollowsClaudeSwitch(t *testing.T) {
	t.Parallel()
	for os, want := range map[string]bool{
		`{ services.ai.enable = true; }`:                                    true,
		`{ services.ai.enable = true; services.ai.claude.enable = false; }`: false,
		`null`: true,
	} {
		var got bool
		homeEval(t, `{ os = `+os+`; }`, `h.config.axios.ai.enable`, &got)
		if got != want {
			t.Errorf("os %s: axios.ai.enable = %v, want %v", os, got, want)
		}
	}
}
