// Package fakenix puts fake nix and nix-env programs on PATH for tests (nom
// stays absent), and builds fake NixOS machines, systems, profiles and
// configuration directories in a temporary tree.
// Every fake program appends its command line to a log, and each can be
// made to fail on demand, so tests check the exact command sequences the
// axios commands run through the real runner.
package fakenix

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/testutil"
)

// Fake is one fake tool set.
type Fake struct {
	Root    string // the temporary tree
	Bin     string // the folder put first on PATH
	LogFile string
	Store   string // fake store folder holding the systems
}

// LogHeader logs the command line, one line per call, arguments separated by
// spaces, in a single write so that commands running at once (a deployment's
// activation beside the ssh polls) never interleave within a line.
const LogHeader = `#!/bin/sh
line=$0; for a in "$@"; do line="$line $a"; done; printf '%s\n' "$line" >> "$FAKE_LOG"
`

// The fake nix: build links --out-link to $FAKE_BUILD_RESULT (or fails when
// $FAKE_FAIL_BUILD is set, printing it); path-info prints the closure.json
// of the system it is given; eval prints $FAKE_HOSTS; flake update writes
// $FAKE_NEW_LOCK into the flake's flake.lock (or fails with
// $FAKE_FAIL_UPDATE; with $FAKE_REPLACE_LOCK it first removes flake.lock,
// replacing a symbolic link with a file, as a tool that writes a new file
// does); config show prints $FAKE_FEATURES. A build waits while the file
// $FAKE_HOLD exists (creating $FAKE_HOLD.started first), an update after
// writing the lock while $FAKE_HOLD_UPDATE exists.
const nixScript = LogHeader + `
# hold: while the file $FAKE_HOLD exists, create $FAKE_HOLD.started and wait.
hold() {
  if [ -n "$FAKE_HOLD" ] && [ -e "$FAKE_HOLD" ]; then
    : > "$FAKE_HOLD.started"
    while [ -e "$FAKE_HOLD" ]; do sleep 0.02; done
  fi
}
sub=""
for a in "$@"; do
  case "$a" in
    build|path-info|eval|flake|config) sub="$a"; break;;
  esac
done
case "$sub" in
  build)
    target=""; out=""; prev=""
    for a in "$@"; do
      if [ "$prev" = "--out-link" ]; then out="$a"; fi
      case "$a" in *'#nixosConfigurations.'*) target="${a##*#nixosConfigurations.}"; target="${target%%.config.*}";; esac
      prev="$a"
    done
    echo "building $target..." >&2
    hold
    for f in $FAKE_FAIL_BUILD; do
      if [ "$f" = "$target" ] || [ "$f" = "all" ]; then
        echo "error: builder for '/nix/store/xxx-$target.drv' failed with exit code 1" >&2
        echo "error: option 'services.foo' does not exist ($target)" >&2
        exit 1
      fi
    done
    result="$FAKE_BUILD_RESULT"
    if [ -e "$FAKE_STORE/system-$target" ]; then result="$FAKE_STORE/system-$target"; fi
    ln -sfn "$result" "$out"
    echo "$result"
    ;;
  path-info)
    for a in "$@"; do last="$a"; done
    p=$(readlink -f "$last")
    cat "$p/closure.json"
    ;;
  eval)
    printf '%s\n' "$FAKE_HOSTS"
    ;;
  flake)
    dir="."; prev=""
    for a in "$@"; do
      if [ "$prev" = "--flake" ]; then dir="$a"; fi
      prev="$a"
    done
    if [ -n "$FAKE_FAIL_UPDATE" ]; then echo "error: $FAKE_FAIL_UPDATE" >&2; exit 1; fi
    if [ -n "$FAKE_REPLACE_LOCK" ]; then rm -f "$dir/flake.lock"; fi
    printf '%s' "$FAKE_NEW_LOCK" > "$dir/flake.lock"
    FAKE_HOLD="$FAKE_HOLD_UPDATE" hold
    ;;
  config)
    if [ -n "$FAKE_FAIL_CONFIG" ]; then echo "error: unrecognised command" >&2; exit 1; fi
    printf '%s\n' "$FAKE_FEATURES"
    ;;
  *) echo "fake nix: unsupported command" >&2; exit 2;;
esac
`

// The fake nix-env: -p PROFILE --set PATH adds a generation;
// --switch-generation N points the profile at generation N. It fails when
// $FAKE_FAIL_NIXENV is set.
const nixEnvScript = LogHeader + `
if [ -n "$FAKE_FAIL_NIXENV" ]; then echo "error: permission denied" >&2; exit 1; fi
profile="$2"; op="$3"; arg="$4"
dir=${profile%/*}; name=${profile##*/}
case "$op" in
  --set)
    n=0
    for l in "$dir/$name"-*-link; do
      [ -e "$l" ] || [ -L "$l" ] || continue
      k=${l##*/$name-}; k=${k%-link}
      [ "$k" -gt "$n" ] && n="$k"
    done
    n=$((n+1))
    ln -sfn "$arg" "$dir/$name-$n-link"
    ln -sfn "$name-$n-link" "$profile"
    ;;
  --switch-generation)
    [ -L "$dir/$name-$arg-link" ] || { echo "error: generation $arg does not exist" >&2; exit 1; }
    ln -sfn "$name-$arg-link" "$profile"
    ;;
  *) echo "fake nix-env: unsupported $op" >&2; exit 2;;
esac
`

// The fake switch-to-configuration logs every signal it receives ("signal
// INT to …/switch-to-configuration"), as a line of the log, so a test that
// expects an exact log fails when a terminal's signal reaches activation.
// While a file named "hold" sits next to its system's closure.json it
// creates "started" there and waits until "hold" is removed; it fails when
// a file named "fail" is there, and creates "cwd" holding its working
// directory, then prints, then creates "finished" (its last write in the
// tree, after any signal it logs: a test that saw "finished" may remove
// the tree).
const switchScript = LogHeader + `
sys=${0%/*}; sys=${sys%/*}
for s in INT HUP TERM PIPE; do
  trap "echo \"signal $s to $0\" >> \"\$FAKE_LOG\"" "$s"
done
if [ -e "$sys/hold" ]; then
  : > "$sys/started"
  while [ -e "$sys/hold" ]; do sleep 0.02; done
fi
pwd > "$sys/cwd"
# "finished" comes after the last output: writing to the pipe of an axios
# that was killed raises SIGPIPE, whose trap appends to the log.
if [ -e "$sys/fail" ]; then
  echo "error: the following units failed: foo.service" >&2
  : > "$sys/finished"
  exit 4
fi
echo "activating the configuration..."
: > "$sys/finished"
`

// The fake systemd-run runs its command (the first argument that is not an
// option) with the -E NAME=VALUE variables set, and exits with its status,
// as systemd-run --wait does. It fails when $FAKE_FAIL_SYSTEMD_RUN is set.
const systemdRunScript = LogHeader + `
if [ -n "$FAKE_FAIL_SYSTEMD_RUN" ]; then echo "Failed to start transient service unit: $FAKE_FAIL_SYSTEMD_RUN" >&2; exit 1; fi
while [ $# -gt 0 ]; do
  case "$1" in
    -E) export "$2"; shift 2;;
    -*) shift;;
    *) break;;
  esac
done
"$@"
`

// New creates the fake tools and puts them first on PATH (t.Setenv). nom
// is absent, so builds go through the fake nix. The fakes are shell
// scripts: without sh the test is skipped (and fails in CI).
func New(t *testing.T) *Fake {
	t.Helper()
	testutil.RequireTool(t, "sh")
	root := t.TempDir()
	f := &Fake{Root: root, Bin: filepath.Join(root, "bin"), LogFile: filepath.Join(root, "log"), Store: filepath.Join(root, "store")}
	for _, d := range []string{f.Bin, f.Store} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.Script(t, "nix", nixScript)
	f.Script(t, "nix-env", nixEnvScript)
	t.Setenv("PATH", f.Bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_LOG", f.LogFile)
	t.Setenv("FAKE_STORE", f.Store)
	for _, v := range []string{"FAKE_FAIL_BUILD", "FAKE_FAIL_UPDATE", "FAKE_FAIL_NIXENV", "FAKE_FAIL_CONFIG", "FAKE_HOSTS", "FAKE_NEW_LOCK", "FAKE_FEATURES", "FAKE_BUILD_RESULT", "FAKE_HOLD", "FAKE_FAIL_SYSTEMD_RUN", "FAKE_REPLACE_LOCK", "FAKE_HOLD_UPDATE"} {
		t.Setenv(v, "")
	}
	return f
}

// Script writes an executable fake program into the bin folder.
func (f *Fake) Script(t *testing.T, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.Bin, name), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// System creates a fake NixOS system in the store: a folder with
// bin/switch-to-configuration, nixos-version, and closure.json holding the
// `nix path-info --json` answer (closureJSON). Named "system-HOST", it is
// what the fake nix build of HOST links to.
func (f *Fake) System(t *testing.T, name, closureJSON string) string {
	t.Helper()
	dir := filepath.Join(f.Store, name)
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"closure.json": closureJSON, "nixos-version": "24.11.20241201.abc1234\n"}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "switch-to-configuration"), []byte(switchScript), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Systemd makes the machine of env (from Machine) one booted with systemd:
// its systemd directory exists and a fake systemd-run is on PATH, so
// activation runs through systemd-run.
func (f *Fake) Systemd(t *testing.T, env activate.Env) {
	t.Helper()
	if err := os.MkdirAll(env.SystemdDir, 0o755); err != nil {
		t.Fatal(err)
	}
	f.Script(t, "systemd-run", systemdRunScript)
}

// Hold makes the system's switch-to-configuration wait, after creating
// SYSTEM/started, until the returned release function is called.
func (f *Fake) Hold(t *testing.T, system string) (release func()) {
	t.Helper()
	hold := filepath.Join(system, "hold")
	if err := os.WriteFile(hold, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return func() { os.Remove(hold) }
}

// FailActivation makes the system's switch-to-configuration fail.
func (f *Fake) FailActivation(t *testing.T, system string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(system, "fail"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Profile creates a system profile with one generation per system (numbered
// from 1), the last one current, and returns the profile path.
func (f *Fake) Profile(t *testing.T, systems ...string) string {
	t.Helper()
	dir := filepath.Join(f.Root, "profiles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range systems {
		if err := os.Symlink(s, filepath.Join(dir, fmt.Sprintf("system-%d-link", i+1))); err != nil {
			t.Fatal(err)
		}
	}
	profile := filepath.Join(dir, "system")
	if len(systems) > 0 {
		if err := os.Symlink(fmt.Sprintf("system-%d-link", len(systems)), profile); err != nil {
			t.Fatal(err)
		}
	}
	return profile
}

// Log returns the recorded command lines, with the fake tree's path
// replaced by "$ROOT" and the bin folder dropped from program names.
func (f *Fake) Log(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(f.LogFile)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if l == "" {
			continue
		}
		l = strings.ReplaceAll(l, f.Bin+"/", "")
		l = strings.ReplaceAll(l, f.Root, "$ROOT")
		lines = append(lines, l)
	}
	return lines
}

// Target returns where the profile link currently points (the generation
// link name).
func Target(t *testing.T, profile string) string {
	t.Helper()
	l, err := os.Readlink(profile)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
