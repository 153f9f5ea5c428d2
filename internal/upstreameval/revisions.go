package upstreameval

import (
	"bytes"
	"fmt"
	"strings"
)

// RevisionsFile is where a passing run records the upstream revisions.
const RevisionsFile = "tests/fixtures/upstream-revs.toml"

// Revisions renders the record of a passing run: the date, the hosts, and
// each input's repository, revision and commit date. It fails when a
// revision is unknown, naming the variable that supplies it.
func Revisions(c *Config, date string, hosts []string) ([]byte, error) {
	var missing []string
	for _, s := range c.Sources {
		if s.Rev == "" {
			missing = append(missing, fmt.Sprintf("%s (set %s, or list it in UPSTREAM_REVISIONS)", s.Name, s.RevEnv))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cannot record revisions; unknown for: %s", strings.Join(missing, "; "))
	}
	var b bytes.Buffer
	b.WriteString("# The upstream revisions scripts/eval-upstream last passed against, written by\n")
	b.WriteString("# `scripts/eval-upstream --record` (docs/upstream-eval.md). Do not edit by hand.\n\n")
	fmt.Fprintf(&b, "date = %q\n", date)
	b.WriteString("hosts = [\n")
	for _, h := range hosts {
		fmt.Fprintf(&b, "  %q,\n", h)
	}
	b.WriteString("]\n")
	for _, s := range c.Sources {
		fmt.Fprintf(&b, "\n[inputs.%q]\nrepo = %q\nrev = %q\n", s.Name, s.Repo, s.Rev)
		if s.Date != "" {
			fmt.Fprintf(&b, "date = %q\n", s.Date)
		}
	}
	return b.Bytes(), nil
}
