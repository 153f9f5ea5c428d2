package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/testutil"
)

// gdriveArgs are the home harness's arguments for home/desktop/gdrive-sync.nix
// alone, with the state folders under home (a path) and backup.enable,
// enable and the test's extra settings (a Nix attribute set merged into
// axios.gdriveSync).
func gdriveArgs(home string, enable, backup bool, extra string) string {
	return fmt.Sprintf(`{ modules = [ ./home/desktop/gdrive-sync.nix ]; home = {
	xdg.stateHome = "%[1]s/.local/state";
	axios.gdriveSync = {
		enable = %[2]v; remote = "gdrive"; interval = "15min"; maxDelete = 25;
		backup = { enable = %[3]v; directory = "%[1]s/.local/state/axios-gdrive/backup"; keepDays = 30; };
		folders = {
			documents = { remotePath = "Documents"; localPath = "Documents"; };
			music = { remotePath = "Music"; localPath = "Music"; };
		};
	} // %[4]s;
}; }`, home, enable, backup, extra)
}

// The harness's store path of a package (tests/nix/home-harness.nix mkPkg).
func storePath(name string) string {
	return "/nix/store/00000000000000000000000000000000-" + name
}

func TestGdriveUnits(t *testing.T) {
	t.Parallel()
	var units map[string]struct {
		Unit struct {
			ConditionPathExists []string
		}
		Service struct{ ExecStart string }
	}
	homeEval(t, gdriveArgs("/home/alice", true, true, "{ }"), "h.defined.systemd.user.services", &units)
	doc, ok := units["gdrive-documents-sync"]
	if _, music := units["gdrive-music-sync"]; !ok || !music {
		t.Fatalf("units: want gdrive-documents-sync and gdrive-music-sync, got %v", units)
	}
	for _, want := range []string{
		storePath("gdrive-sync-run") + "/bin/gdrive-sync-run documents bisync gdrive:Documents /home/alice/Documents",
		"--max-delete 25",
		"--check-access",
		"--config /home/alice/.config/rclone/rclone.conf",
		"--drive-use-trash",
	} {
		if !strings.Contains(doc.Service.ExecStart, want) {
			t.Errorf("ExecStart lacks %s:\n%s", want, doc.Service.ExecStart)
		}
	}
	if got := fmt.Sprint(doc.Unit.ConditionPathExists); got != "[/home/alice/.config/rclone/rclone.conf /home/alice/.local/state/axios-gdrive/documents]" {
		t.Errorf("the unit must be skipped until setup has run: %s", got)
	}
	var timers map[string]struct {
		Timer map[string]string
	}
	homeEval(t, gdriveArgs("/home/alice", true, true, "{ }"), "h.defined.systemd.user.timers", &timers)
	if got := fmt.Sprint(timers["gdrive-music-sync"].Timer); got != "map[OnBootSec:5min OnUnitActiveSec:15min]" {
		t.Errorf("music timer: %s", got)
	}

	// A user's extra rclone arguments reach every run, shell-quoted.
	homeEval(t, gdriveArgs("/home/alice", true, true, `{ extraArgs = [ "--exclude" "*.tmp" ]; }`), "h.defined.systemd.user.services", &units)
	if got := units["gdrive-music-sync"].Service.ExecStart; !strings.HasSuffix(got, " --exclude '*.tmp'") {
		t.Errorf("extraArgs do not end the music run: %s", got)
	}

	// enable = false guards everything the module defines.
	var off struct {
		Services map[string]any `json:"services"`
		Timers   map[string]any `json:"timers"`
		Packages []any          `json:"packages"`
	}
	homeEval(t, gdriveArgs("/home/alice", false, true, "{ }"),
		`let d = h.defined; in {
			services = d.systemd.user.services or { };
			timers = d.systemd.user.timers or { };
			packages = d.home.packages or [ ];
		}`, &off)
	if len(off.Services) != 0 || len(off.Timers) != 0 || len(off.Packages) != 0 {
		t.Errorf("axios.gdriveSync.enable = false still defines services %v, timers %v, packages %v", off.Services, off.Timers, off.Packages)
	}
}

// TestGdriveRejectsBadMaxDelete: maxDelete is a percentage (ints.between 1 100).
func TestGdriveRejectsBadMaxDelete(t *testing.T) {
	t.Parallel()
	got := homeEvalErr(t, gdriveArgs("/home/alice", true, true, "{ maxDelete = 0; }"), "h.defined.systemd.user.services")
	if !strings.Contains(got, "axios.gdriveSync.maxDelete = 0 is not of type integer between 1 and 100") {
		t.Errorf("maxDelete = 0: %s", got)
	}
}

func TestGdriveSetupKeepsTokensOutOfTheStore(t *testing.T) {
	t.Parallel()
	var text string
	homeEval(t, gdriveArgs("/home/alice", true, true, "{ }"), "(builtins.elemAt h.defined.home.packages 1).text", &text)
	for _, want := range []string{
		`rclone config create "$remote" drive scope=drive --config "$conf"`,
		"conf=/home/alice/.config/rclone/rclone.conf",
		"--resync",
		"touch /home/alice/.local/state/axios-gdrive/\"$name\"",
		"init documents gdrive:Documents /home/alice/Documents gdrive-documents-sync.service",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("setup script lacks %q", want)
		}
	}
	for _, secret := range []string{"client_secret", "refresh_token", "access_token"} {
		if strings.Contains(text, secret) {
			t.Errorf("the setup script must not carry credentials (%s)", secret)
		}
	}
}

// fakeRclone records its arguments and, like rclone bisync with
// --backup-dir2, moves the local file named by $FAKE_DELETE into the backup
// folder; it exits with $FAKE_STATUS.
const fakeRclone = `#!/bin/sh
printf '%s\n' "$@" > "$FAKE_LOG"
backup=
while [ $# -gt 0 ]; do
  if [ "$1" = --backup-dir2 ]; then backup=$2; fi
  shift
done
if [ -n "$FAKE_DELETE" ]; then
  mv "$FAKE_DELETE" "$backup/"
fi
exit "${FAKE_STATUS:-0}"
`

// runnerScript returns the text of gdrive-sync-run for a home at dir.
func runnerScript(t *testing.T, dir string, backup bool) string {
	t.Helper()
	var text string
	homeEval(t, gdriveArgs(dir, true, backup, "{ }"), "(builtins.elemAt h.defined.home.packages 2).text", &text)
	// writeShellApplication's preamble.
	return "#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n" + text
}

type runResult struct {
	status int
	args   []string
	out    string
}

func runRunner(t *testing.T, dir, script string, env ...string) runResult {
	t.Helper()
	bash := testutil.RequireTool(t, "bash")
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "rclone"), []byte(fakeRclone), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "gdrive-sync-run")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(dir, "rclone-args")
	os.Remove(logFile)
	cmd := exec.Command(bash, path, "documents", "bisync", "gdrive:Documents", filepath.Join(dir, "Documents"))
	cmd.Env = append([]string{"PATH=" + bin + ":" + os.Getenv("PATH"), "FAKE_LOG=" + logFile}, env...)
	out, err := cmd.CombinedOutput()
	res := runResult{out: string(out)}
	if ee, ok := err.(*exec.ExitError); ok {
		res.status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if raw, err := os.ReadFile(logFile); err == nil {
		res.args = strings.Split(strings.TrimSpace(string(raw)), "\n")
	}
	return res
}

// TestGdriveRunKeepsWhatItDeletes runs the real gdrive-sync-run script with
// a fake rclone: a file the run deletes locally survives in this run's
// backup folder, a run that backs nothing up leaves no folder, run folders
// older than keepDays are removed and younger ones kept, rclone's failure is
// the script's exit status (after the clean-up), and when the backup folder
// cannot be made rclone never runs.
func TestGdriveRunKeepsWhatItDeletes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	script := runnerScript(t, dir, true)
	root := filepath.Join(dir, ".local/state/axios-gdrive/backup/documents")
	docs := filepath.Join(dir, "Documents")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(docs, "report.odt")
	if err := os.WriteFile(report, []byte("quarterly numbers"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Two earlier runs: 31 and 29 days old.
	old, young := filepath.Join(root, "2026-01-01T000000Z-aaaaaa"), filepath.Join(root, "2026-01-03T000000Z-bbbbbb")
	for p, age := range map[string]time.Duration{old: 31 * 24 * time.Hour, young: 29 * 24 * time.Hour} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "kept.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}

	res := runRunner(t, dir, script, "FAKE_DELETE="+report)
	if res.status != 0 {
		t.Fatalf("run failed (%d): %s", res.status, res.out)
	}
	if len(res.args) != 5 || res.args[0] != "bisync" || res.args[len(res.args)-2] != "--backup-dir2" {
		t.Fatalf("rclone arguments: %q", res.args)
	}
	backup := res.args[len(res.args)-1]
	if filepath.Dir(backup) != root {
		t.Errorf("backup folder %s is not under %s", backup, root)
	}
	if got, err := os.ReadFile(filepath.Join(backup, "report.odt")); err != nil || string(got) != "quarterly numbers" {
		t.Errorf("the deleted file is not in the run's backup folder: %v %q", err, got)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a 31-day-old run folder was kept (keepDays = 30): %v", err)
	}
	if _, err := os.Stat(filepath.Join(young, "kept.txt")); err != nil {
		t.Errorf("a 29-day-old run folder was removed: %v", err)
	}
	if info, err := os.Stat(filepath.Dir(root)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("the backup folder must be private (0700): %v %v", info.Mode(), err)
	}

	// A run that deletes nothing and fails: no empty folder left, status kept.
	res = runRunner(t, dir, script, "FAKE_STATUS=7")
	if res.status != 7 {
		t.Errorf("rclone exited 7, the script %d: %s", res.status, res.out)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("want the first run's folder and the young one, got %d entries", len(entries))
	}

	// The backup folder cannot be made (here: a file in its place, as a
	// full disk would fail mkdir/mktemp): rclone must not run at all.
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	res = runRunner(t, dir, script)
	if res.status == 0 || res.args != nil {
		t.Errorf("with no backup folder the run must stop before rclone: status %d, rclone args %q", res.status, res.args)
	}
}

// TestGdriveRunWithoutBackup: backup.enable = false runs rclone as given.
func TestGdriveRunWithoutBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := runRunner(t, dir, runnerScript(t, dir, false))
	if res.status != 0 || strings.Contains(strings.Join(res.args, " "), "--backup-dir") {
		t.Errorf("status %d, args %q", res.status, res.args)
	}
	if _, err := os.Stat(filepath.Join(dir, ".local/state/axios-gdrive")); !os.IsNotExist(err) {
		t.Errorf("no backup folder expected: %v", err)
	}
}
