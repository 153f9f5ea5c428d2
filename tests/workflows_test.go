package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/axios-nix/axios/internal/testutil"
)

// The GitHub workflows in .github/workflows: these tests run actionlint
// over them (./scripts/test runs no second copy), prove actionlint rejects
// broken workflows, and check what actionlint cannot: actions pinned by
// commit SHA, the jobs CI must run, and a lock updater that opens a pull
// request only after every build passed.

const workflowDir = ".github/workflows"

type workflowFile struct {
	path  string
	lines []string
	wf    *actionlint.Workflow
}

func loadWorkflows(t *testing.T) map[string]workflowFile {
	t.Helper()
	root := testutil.RepoRoot(t)
	files, err := filepath.Glob(filepath.Join(root, workflowDir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]workflowFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wf, errs := actionlint.Parse(b)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f, errs[0])
		}
		out[filepath.Base(f)] = workflowFile{f, strings.Split(string(b), "\n"), wf}
	}
	for _, want := range []string{"ci.yml", "update-flake-lock.yml"} {
		if _, ok := out[want]; !ok {
			t.Fatalf("%s/%s is missing", workflowDir, want)
		}
	}
	return out
}

// actionlintBin is the go.mod tool actionlint (`go tool actionlint`,
// built into the build cache), found once
// with `go tool -n`, which builds it and prints its path: each `go tool`
// run costs as much CPU again as actionlint's own.
var actionlintBin struct {
	once sync.Once
	path string
	err  error
}

// runActionlint runs actionlint on args
// (flags, then workflow files).
func runActionlint(t *testing.T, args ...string) (string, int) {
	t.Helper()
	root := testutil.RepoRoot(t)
	actionlintBin.once.Do(func() {
		cmd := exec.Command("go", "tool", "-n", "actionlint")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			actionlintBin.err = fmt.Errorf("go tool -n actionlint: %v\n%s", err, out)
			return
		}
		actionlintBin.path = strings.TrimSpace(string(out))
	})
	bin, err := actionlintBin.path, actionlintBin.err
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"-no-color"}, args...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		t.Fatalf("actionlint (%s): %v\n%s", bin, err, out)
	}
	return string(out), 0
}

// TestActionlintRejectsBrokenWorkflows: the real workflows pass actionlint,
// and copies of ci.yml with one mistake each fail it, naming the mistake —
// a YAML error, an undefined matrix property, an unknown runner, and a
// shell bug in a run: script (found by shellcheck, which actionlint runs;
// the test needs it, so CI cannot pass without it).
func TestActionlintRejectsBrokenWorkflows(t *testing.T) {
	t.Parallel()
	testutil.RequireTool(t, "shellcheck")
	root := testutil.RepoRoot(t)
	real, _ := filepath.Glob(filepath.Join(root, workflowDir, "*.yml"))
	if out, code := runActionlint(t, real...); code != 0 {
		t.Fatalf("actionlint on %s: exit %d\n%s", workflowDir, code, out)
	}
	src, err := os.ReadFile(filepath.Join(root, workflowDir, "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, old, new, want string }{
		{"yaml", "\njobs:\n", "\njobs:\n  test\n", "could not parse as YAML"},
		{"matrix property", "${{ matrix.shell }}\n", "${{ matrix.shel }}\n", `property "shel" is not defined`},
		{"runner label", "runs-on: ubuntu-latest", "runs-on: ubuntu-lastest", `label "ubuntu-lastest" is unknown`},
		{"shellcheck", `--command "$info"`, `--command $info`, "shellcheck reported issue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(src), tc.old) {
				t.Fatalf("ci.yml no longer contains %q; pick another mistake to inject", tc.old)
			}
			broken := filepath.Join(t.TempDir(), "ci.yml")
			if err := os.WriteFile(broken, []byte(strings.Replace(string(src), tc.old, tc.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{broken}
			if tc.name != "shellcheck" {
				// actionlint's own checks: no shellcheck run per step
				args = append([]string{"-shellcheck="}, args...)
			}
			out, code := runActionlint(t, args...)
			if code != 1 || !strings.Contains(out, tc.want) {
				t.Errorf("actionlint on ci.yml with %s: exit %d, want 1 and %q in:\n%s", tc.name, code, tc.want, out)
			}
		})
	}
}

var (
	pinnedUses = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	tagComment = regexp.MustCompile(`@[0-9a-f]{40} # v[0-9]+(\.[0-9]+)*\s*$`)
)

// TestWorkflowActionsPinned: every third-party action (and reusable
// workflow) is pinned by a full commit SHA with its release tag beside it.
func TestWorkflowActionsPinned(t *testing.T) {
	t.Parallel()
	n := 0
	for name, w := range loadWorkflows(t) {
		for _, job := range w.wf.Jobs {
			var uses []*actionlint.String
			if job.WorkflowCall != nil {
				uses = append(uses, job.WorkflowCall.Uses)
			}
			for _, s := range job.Steps {
				if a, ok := s.Exec.(*actionlint.ExecAction); ok {
					uses = append(uses, a.Uses)
				}
			}
			for _, u := range uses {
				if strings.HasPrefix(u.Value, "./") {
					continue
				}
				n++
				line := w.lines[u.Pos.Line-1]
				if !pinnedUses.MatchString(u.Value) || !tagComment.MatchString(line) {
					t.Errorf("%s:%d: %q is not pinned as owner/repo@<40-hex SHA> # vX.Y.Z", name, u.Pos.Line, strings.TrimSpace(line))
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no action found in the workflows")
	}
}

func runScripts(job *actionlint.Job) []string {
	var out []string
	for _, s := range job.Steps {
		if r, ok := s.Exec.(*actionlint.ExecRun); ok {
			out = append(out, r.Run.Value)
		}
	}
	return out
}

func hooks(wf *actionlint.Workflow) map[string]bool {
	out := map[string]bool{}
	for _, e := range wf.On {
		switch e := e.(type) {
		case *actionlint.WebhookEvent:
			out[e.Hook.Value] = true
		case *actionlint.ScheduledEvent:
			out["schedule"] = len(e.Schedules) > 0
		case *actionlint.WorkflowDispatchEvent:
			out["workflow_dispatch"] = true
		}
	}
	return out
}

// TestCIWorkflowJobs: on every push and pull request, CI runs the test
// command, builds every flake check, enters every development shell the
// flake defines, and runs scripts/eval-upstream on the locked inputs; every
// script a workflow calls exists; nothing may write to the repository.
func TestCIWorkflowJobs(t *testing.T) {
	t.Parallel()
	root := testutil.RepoRoot(t)
	ws := loadWorkflows(t)
	ci := ws["ci.yml"].wf
	if h := hooks(ci); !h["push"] || !h["pull_request"] {
		t.Errorf("ci.yml runs on %v, want push and pull_request", h)
	}
	if p := ci.Permissions; p == nil || len(p.Scopes) != 1 || p.Scopes["contents"] == nil || p.Scopes["contents"].Value.Value != "read" {
		t.Error("ci.yml must have top-level permissions contents: read and nothing else")
	}
	var all []string
	for _, job := range ci.Jobs {
		if job.Permissions != nil {
			t.Errorf("ci.yml job %s widens the permissions", job.ID.Value)
		}
		all = append(all, runScripts(job)...)
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"./scripts/install-deps", "./scripts/test", "nix flake check", "./scripts/upstream-from-lock", "./scripts/eval-upstream", "nix develop"} {
		if !strings.Contains(joined, want) {
			t.Errorf("ci.yml runs no %q", want)
		}
	}

	// The devshell matrix is exactly the flake's development shells.
	var shells []string
	for _, job := range ci.Jobs {
		if job.Strategy != nil && job.Strategy.Matrix != nil {
			if row := job.Strategy.Matrix.Rows["shell"]; row != nil {
				for _, v := range row.Values {
					shells = append(shells, v.(*actionlint.RawYAMLString).Value)
				}
			}
		}
	}
	var got struct {
		Names []string `json:"names"`
	}
	testutil.NixEval(t, root, "import ./tests/nix/devshells-harness.nix", &got)
	sort.Strings(shells)
	sort.Strings(got.Names)
	if strings.Join(shells, ",") != strings.Join(got.Names, ",") {
		t.Errorf("ci.yml devshell matrix %v, flake devShells %v", shells, got.Names)
	}

	// Every ./scripts/… a workflow runs exists and is executable.
	script := regexp.MustCompile(`\./scripts/[A-Za-z0-9_.-]+`)
	for name, w := range ws {
		for _, job := range w.wf.Jobs {
			for _, s := range runScripts(job) {
				for _, p := range script.FindAllString(s, -1) {
					st, err := os.Stat(filepath.Join(root, p))
					if err != nil || st.Mode()&0o111 == 0 {
						t.Errorf("%s runs %s, which is not an executable file of the repository", name, p)
					}
				}
			}
		}
	}
}

// TestLockUpdaterOpensPullRequestOnlyWhenGreen: the weekly workflow updates
// the lock, then builds every check and runs eval-upstream, and only then —
// no step may continue on error or run under its own condition — opens the
// pull request carrying flake.lock.
func TestLockUpdaterOpensPullRequestOnlyWhenGreen(t *testing.T) {
	t.Parallel()
	up := loadWorkflows(t)["update-flake-lock.yml"].wf
	if h := hooks(up); !h["schedule"] {
		t.Errorf("update-flake-lock.yml triggers %v, want a schedule", h)
	}
	if len(up.Jobs) != 1 {
		t.Fatalf("update-flake-lock.yml has %d jobs, want one (steps in one job run in order and stop at the first failure)", len(up.Jobs))
	}
	for _, job := range up.Jobs {
		if job.ContinueOnError != nil || job.If != nil {
			t.Error("the update job must not continue on error or be conditional")
		}
		order := []string{"nix flake update", "nix flake check", "./scripts/eval-upstream", "peter-evans/create-pull-request@"}
		at := make([]int, len(order))
		for i := range at {
			at[i] = -1
		}
		for i, s := range job.Steps {
			if s.ContinueOnError != nil || s.If != nil {
				t.Errorf("step %d (%s) has continue-on-error or if:, so a failure could still reach the pull request", i, stepName(s))
			}
			text := ""
			switch e := s.Exec.(type) {
			case *actionlint.ExecRun:
				text = e.Run.Value
			case *actionlint.ExecAction:
				text = e.Uses.Value + "\n"
				if e.Uses.Value != "" && strings.HasPrefix(e.Uses.Value, "peter-evans/create-pull-request@") {
					if p := e.Inputs["add-paths"]; p == nil || !strings.Contains(p.Value.Value, "flake.lock") {
						t.Error("the pull request step must add flake.lock (add-paths)")
					}
				}
			}
			for k, o := range order {
				if at[k] < 0 && strings.Contains(text, o) {
					at[k] = i
				}
			}
		}
		for k := range order {
			if at[k] < 0 {
				t.Errorf("no step runs %q", order[k])
			} else if k > 0 && at[k] <= at[k-1] {
				t.Errorf("%q (step %d) must come after %q (step %d)", order[k], at[k], order[k-1], at[k-1])
			}
		}
		if at[len(order)-1] != len(job.Steps)-1 {
			t.Error("opening the pull request must be the last step")
		}
	}
}

func stepName(s *actionlint.Step) string {
	if s.Name != nil {
		return s.Name.Value
	}
	return "unnamed"
}
