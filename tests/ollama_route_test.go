package tests

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestOllamaRouteServesInferenceOnly renders the Ollama route of
// lib/core/ollama.nix (the one modules/ai registers) with lib/core/caddy.nix,
// runs Debian's Caddy on it in front of a fake Ollama, and sends requests:
// the inference endpoints reach Ollama with the prefix stripped; pull,
// delete, create, copy, push and anything unlisted get 403 from Caddy and
// never reach Ollama.
func TestOllamaRouteServesInferenceOnly(t *testing.T) {
	t.Parallel()
	caddy := testutil.RequireTool(t, "caddy")
	var mu sync.Mutex
	var seen []string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		fmt.Fprint(w, "ollama")
	}))
	defer upstream.Close()
	upPort := upstream.Listener.Addr().(*net.TCPAddr).Port

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	var site string
	testutil.NixEval(t, testutil.RepoRoot(t), fmt.Sprintf(`(import ./lib/core/caddy.nix).render {
		routes.ollama = (import ./lib/core/ollama.nix).route { domain = "http://127.0.0.1:%d"; path = "/ai/ollama"; port = %d; };
	}`, port, upPort), &site)
	if !strings.Contains(site, "@notInference") {
		t.Fatalf("route has no inference filter:\n%s", site)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(conf, []byte("{\n\tadmin off\n\tauto_https off\n}\n\n"+site), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, caddy, "run", "--adapter", "caddyfile", "--config", conf)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	base := fmt.Sprintf("http://127.0.0.1:%d/ai/ollama", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("caddy did not listen:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	do := func(method, path string) int {
		req, err := http.NewRequest(method, base+path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	allowed := []string{"POST /api/generate", "POST /api/chat", "POST /api/embed", "POST /api/embeddings", "GET /api/tags", "GET /api/version",
		"POST /v1/chat/completions", "POST /v1/completions", "POST /v1/embeddings", "GET /v1/models"}
	for _, a := range allowed {
		m, p, _ := strings.Cut(a, " ")
		if code := do(m, p); code != http.StatusOK {
			t.Errorf("%s: status %d, want 200 from Ollama", a, code)
		}
	}
	denied := []string{"POST /api/pull", "DELETE /api/delete", "POST /api/create", "POST /api/copy", "POST /api/push",
		"POST /api/blobs/sha256:00", "POST /api/show", "GET /", "GET /api/tags/../pull", "POST /api/chat/x"}
	for _, d := range denied {
		m, p, _ := strings.Cut(d, " ")
		if code := do(m, p); code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403 from Caddy", d, code)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := make([]string, len(allowed))
	copy(want, allowed)
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("Ollama saw %q\nwant exactly %q", seen, want)
	}
}
