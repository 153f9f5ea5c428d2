package tests

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// TestChangelogFormat: CHANGELOG.md keeps the Keep a Changelog layout with
// calendar versions — "## [Unreleased]" first, then "## [YYYY.MM.DD]"
// releases, newest first, each a real date; subsections only of the kinds
// Keep a Changelog names; and every **Breaking** line says how to get the
// old behaviour back.
func TestChangelogFormat(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(testutil.RepoRoot(t), "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kinds := map[string]bool{"Added": true, "Changed": true, "Deprecated": true, "Removed": true, "Fixed": true, "Security": true}
	version := regexp.MustCompile(`^## \[(\d{4}\.\d{2}\.\d{2})\]$`)
	var versions []string
	var entry []string // the current bullet, line by line
	n, sections := 0, 0
	checkEntry := func() {
		text := strings.Join(entry, " ")
		if strings.Contains(text, "**Breaking") && !regexp.MustCompile("(?i)(old behaviou?r|restore|bring|back|keep|migrat).*`[^`]+`").MatchString(text) {
			t.Errorf("a **Breaking** entry must name the line that restores the old behaviour: %q", text)
		}
		entry = nil
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			checkEntry()
			sections++
			if sections == 1 {
				if line != "## [Unreleased]" {
					t.Errorf("line %d: the first section must be ## [Unreleased], got %q", n, line)
				}
				continue
			}
			m := version.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("line %d: %q is not ## [YYYY.MM.DD]", n, line)
				continue
			}
			if _, err := time.Parse("2006.01.02", m[1]); err != nil {
				t.Errorf("line %d: %s is not a date", n, m[1])
			}
			if len(versions) > 0 && m[1] >= versions[len(versions)-1] {
				t.Errorf("line %d: %s must be older than %s above it", n, m[1], versions[len(versions)-1])
			}
			versions = append(versions, m[1])
		case strings.HasPrefix(line, "### "):
			checkEntry()
			if !kinds[strings.TrimPrefix(line, "### ")] {
				t.Errorf("line %d: %q is not a Keep a Changelog kind (Added, Changed, Deprecated, Removed, Fixed, Security)", n, line)
			}
		case strings.HasPrefix(line, "- "):
			checkEntry()
			entry = []string{line}
		case strings.TrimSpace(line) == "":
			checkEntry()
		case entry != nil:
			entry = append(entry, strings.TrimSpace(line))
		}
	}
	checkEntry()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 {
		t.Error("CHANGELOG.md has no release entry")
	}
}
