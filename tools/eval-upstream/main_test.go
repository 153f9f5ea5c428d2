package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

type jsonReport struct {
	Hosts []hostReport `json:"hosts"`
	Faked []string     `json:"faked"`
}

// A missing checkout stops the run before anything is evaluated, naming
// the variable.
func TestEvalUpstreamNamesMissingCheckout(t *testing.T) {
	env := func(k string) (string, bool) {
		if k == "HM_SRC" {
			return t.TempDir() + "/nope", true
		}
		return "", false
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--project", repoRoot(t)}, env, &out, &errb)
	if code != 2 {
		t.Fatalf("exit status %d, want 2", code)
	}
	for _, v := range []string{"HM_SRC", "DMS_SRC", "DANK_GREETER_SRC", "NIRI_SRC", "NIXPKGS_STUB", "UPSTREAM_DIR"} {
		if !strings.Contains(errb.String(), v) {
			t.Errorf("message does not name %s:\n%s", v, errb.String())
		}
	}
}

func TestEvalUpstreamUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--record", "examples/"}, os.LookupEnv, &out, &errb); code != 2 {
		t.Errorf("--record with a host prefix: exit status %d, want 2", code)
	}
	if code := run(context.Background(), []string{"--project", t.TempDir()}, os.LookupEnv, &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "not an axiOS checkout") {
		t.Errorf("a folder that is no checkout: exit status %d, %s", code, errb.String())
	}
}

func TestSelectTargets(t *testing.T) {
	all := []string{"examples/minimal/a", "examples/multi-host/b", "tests/hosts/c", "/x/hosts/d"}
	cases := []struct {
		prefixes, dirs []string
		want           string
	}{
		{nil, nil, "examples/minimal/a examples/multi-host/b tests/hosts/c /x/hosts/d"},
		{[]string{"examples"}, nil, "examples/minimal/a examples/multi-host/b"},
		{[]string{"examples/mini"}, nil, ""},
		{[]string{"tests/hosts/c"}, nil, "tests/hosts/c"},
		{nil, []string{"/x/hosts"}, "/x/hosts/d"},
	}
	for _, c := range cases {
		if got := strings.Join(selectTargets(all, c.prefixes, c.dirs), " "); got != c.want {
			t.Errorf("selectTargets(%v, %v) = %q, want %q", c.prefixes, c.dirs, got, c.want)
		}
	}
}
