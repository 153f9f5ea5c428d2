package configdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mkConfig(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte("{ }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func resolver(env map[string]string, wd, home string) Resolver {
	return Resolver{
		Getenv: func(k string) string { return env[k] },
		Getwd: func() (string, error) {
			if wd == "" {
				return "", errors.New("no cwd")
			}
			return wd, nil
		},
		HomeDir: func() (string, error) { return home, nil },
	}
}

func TestResolveOrder(t *testing.T) {
	root := t.TempDir()
	flagDir := filepath.Join(root, "flag")
	envDir := filepath.Join(root, "env")
	cwd := filepath.Join(root, "cwd")
	home := filepath.Join(root, "home")
	def := filepath.Join(home, ".config", "nixos_config")
	for _, d := range []string{flagDir, envDir, cwd, def} {
		mkConfig(t, d)
	}
	env := map[string]string{EnvVar: envDir + "#myhost"}

	cases := []struct {
		name  string
		flag  string
		env   map[string]string
		wd    string
		want  string
		wantS Source
	}{
		{"flag wins", flagDir, env, cwd, flagDir, FromFlag},
		{"env next, #attr dropped", "", env, cwd, envDir, FromEnv},
		{"path: prefix dropped", "", map[string]string{EnvVar: "path:" + envDir}, cwd, envDir, FromEnv},
		{"cwd with flake.nix and hosts", "", nil, cwd, cwd, FromCwd},
		{"cwd without config falls to default", "", nil, root, def, FromDefault},
		{"no cwd", "", nil, "", def, FromDefault},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := resolver(c.env, c.wd, home).Resolve(c.flag)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != c.want || got.Source != c.wantS {
				t.Errorf("got %+v, want %s from %s", got, c.want, c.wantS)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, flag string
		env        map[string]string
		want       string
	}{
		{"missing flag dir", filepath.Join(root, "nope"), nil, "--dir"},
		{"flag is a file", file, nil, "not a directory"},
		{"missing env dir", "", map[string]string{EnvVar: filepath.Join(root, "gone")}, "$AXIOS_FLAKE"},
		{"nothing at all", "", nil, "no axiOS configuration directory found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := resolver(c.env, root, filepath.Join(root, "nohome")).Resolve(c.flag)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestIsConfig(t *testing.T) {
	d := t.TempDir()
	if IsConfig(d) {
		t.Error("empty dir is a config")
	}
	mkConfig(t, d)
	if !IsConfig(d) {
		t.Error("dir with flake.nix and hosts/ is not a config")
	}
}
