package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/upstreameval"
)

// upstreamEnv skips the test when the upstream checkouts are not given:
// CI has no upstream, and this is the one skip it accepts
// (docs/upstream-eval.md).
func upstreamEnv(t *testing.T) {
	t.Helper()
	if os.Getenv("UPSTREAM_DIR") == "" && os.Getenv("HM_SRC") == "" {
		t.Skip("needs the upstream checkouts: set UPSTREAM_DIR (or HM_SRC, DMS_SRC, …; docs/upstream-eval.md)")
	}
	if _, err := upstreameval.LoadConfig(repoRoot(t), os.LookupEnv); err != nil {
		t.Fatal(err)
	}
}

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

// Each way a host can fail is reported, and a good host passes.
func TestEvalUpstreamDetectsEachFailure(t *testing.T) {
	upstreamEnv(t)
	root := repoRoot(t)
	dir := filepath.Join(root, "tests", "fixtures", "upstream-eval", "hosts")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--project", root, "--json", "--hosts", dir}, os.LookupEnv, &out, &errb)
	if code != 1 {
		t.Fatalf("exit status %d, want 1 (hosts fail)\nstderr: %s", code, errb.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(rep.Faked) == 0 {
		t.Error("the report does not say what was faked")
	}
	byHost := map[string]hostReport{}
	for _, h := range rep.Hosts {
		byHost[filepath.Base(h.Target)] = h
	}
	want := map[string]struct{ kind, text string }{
		"stray-dms":      {upstreameval.KindStray, "programs.dank-material-shell.greeter.enable"},
		"bad-home":       {upstreameval.KindEval, "programs.gitt"},
		"eval-error":     {upstreameval.KindEval, "noSuchAttribute"},
		"unknown-option": {upstreameval.KindUnknown, "services.openssh.enablee"},
	}
	for host, w := range want {
		h, ok := byHost[host]
		if !ok {
			t.Errorf("%s: not evaluated (hosts: %v)", host, byHost)
			continue
		}
		found := false
		for _, f := range h.Findings {
			if f.Kind == w.kind && strings.Contains(f.Path+" "+f.Message, w.text) {
				found = true
			}
		}
		if h.OK || !found {
			t.Errorf("%s: want a %s finding naming %s, got ok=%v %+v", host, w.kind, w.text, h.OK, h.Findings)
		}
	}
	if g := byHost["good"]; !g.OK {
		t.Errorf("good: %+v", g.Findings)
	}
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
