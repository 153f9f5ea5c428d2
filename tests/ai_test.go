package tests

import (
	"encoding/json"
	"fmt"
	"os/exec"
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
	nix := testutil.RequireTool(t, "nix-instantiate")
	root := testutil.RepoRoot(t)
	expr := fmt.Sprintf(`import %s { models = "qwen3:4b"; }`, filepath.Join(root, "modules", "ai", "opencode-config.nix"))
	out, err := exec.Command(nix, "--eval", "--strict", "--json", "-E", expr).CombinedOutput()
	if err == nil {
		t.Fatalf("expected an error, got %s", out)
	}
	if !strings.Contains(string(out), "services.ai.local.models must be a list") || !strings.Contains(string(out), "fix:") {
		t.Errorf("unexpected error:\n%s", out)
	}
}
