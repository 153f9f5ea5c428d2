//go:build upstream

// The tests in this file evaluate hosts with real upstream module code, so
// they need the checkouts. CI cannot reach upstream: they are built only
// with the "upstream" tag, never skipped:
//
//	UPSTREAM_DIR=/work/upstream go test -tags upstream ./tools/eval-upstream

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

// upstreamEnv stops the test when the upstream checkouts are not given.
func upstreamEnv(t *testing.T) {
	t.Helper()
	if os.Getenv("UPSTREAM_DIR") == "" && os.Getenv("HM_SRC") == "" {
		t.Fatal("needs the upstream checkouts: set UPSTREAM_DIR (or HM_SRC, DMS_SRC, …; docs/upstream-eval.md)")
	}
	if _, err := upstreameval.LoadConfig(repoRoot(t), os.LookupEnv); err != nil {
		t.Fatal(err)
	}
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
