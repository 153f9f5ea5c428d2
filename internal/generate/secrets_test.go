package generate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/testutil"
)

func paths(files []File) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		m[f.Path] = string(f.Content)
	}
	return m
}

func TestSecretsFilesOnlyWithTheModule(t *testing.T) {
	a := answers()
	files, err := Render(a, Placeholder("tower", nil), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	got := paths(files)
	for _, p := range []string{SecretsReadmePath, "hosts/tower/secrets.nix"} {
		if _, ok := got[p]; ok {
			t.Errorf("%s written although modules.secrets is off", p)
		}
	}

	a.Modules["secrets"] = true
	files, err = Render(a, Placeholder("tower", nil), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	got = paths(files)
	readme, ok := got[SecretsReadmePath]
	if !ok {
		t.Fatalf("no %s with modules.secrets = true; files: %v", SecretsReadmePath, files)
	}
	// The quick start of spec 6.4: the host key, age -r into
	// secrets/<name>.age, tracking, rebuilding, /run/agenix/<name>.
	for _, want := range []string{
		"/etc/ssh/ssh_host_ed25519_key.pub",
		"age -r",
		"-o secrets/api-token.age",
		"git add secrets/api-token.age",
		"/run/agenix/api-token",
		"/run/agenix/<name>",
		"sudo nixos-rebuild switch --flake .#tower",
		`age.secrets.api-token.owner = "ada"`,
		"docs/secrets.md",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("secrets/README.md lacks %q:\n%s", want, readme)
		}
	}
	if !strings.Contains(got["README.md"], "secrets/README.md") {
		t.Errorf("README.md does not point to secrets/README.md:\n%s", got["README.md"])
	}
}

// The generated secrets.nix points lib/core/secrets.nix at the secrets
// folder: the README is ignored, a new <name>.age file becomes a secret.
func TestSecretsModuleFindsAgeFiles(t *testing.T) {
	testutil.RequireTool(t, "nix-instantiate")
	a := answers()
	a.Modules["secrets"] = true
	files, err := Render(a, Placeholder("tower", nil), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, files, false); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(testutil.RepoRoot(t), "lib/core/secrets.nix")
	expr := `builtins.mapAttrs (_: toString) ((import ` + core + `).discover (import ./hosts/tower/secrets.nix).secrets.secretsDir)`
	var found map[string]string
	testutil.NixEval(t, dir, expr, &found)
	if len(found) != 0 {
		t.Errorf("secrets found in a fresh configuration: %v", found)
	}
	age := filepath.Join(dir, "secrets", "api-token.age")
	if err := os.WriteFile(age, []byte("age-encryption.org/v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.NixEval(t, dir, expr, &found)
	if len(found) != 1 || found["api-token"] != age {
		t.Errorf("discover = %v, want api-token → %s", found, age)
	}
}

// `axios check` recognises the placeholder that init writes (AX406).
func TestPlaceholderIsReportedByCheck(t *testing.T) {
	files, err := Render(answers(), Placeholder("tower", []string{"no nixos-generate-config"}), catalog.Default(), rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, files, false); err != nil {
		t.Fatal(err)
	}
	rep, err := checkdir.CheckDir(context.Background(), dir, checkdir.DirOptions{Options: hostrules.Options{Catalog: catalog.Default(), Rules: rules.Default()}})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range rep.Diagnostics {
		codes = append(codes, d.Code+" "+d.Severity)
	}
	if !rep.Valid || len(codes) != 1 || codes[0] != checkdir.CodePlaceholderHardware+" "+diag.SeverityWarning {
		t.Errorf("check of a fresh configuration with a placeholder: valid=%v %v", rep.Valid, codes)
	}
}
