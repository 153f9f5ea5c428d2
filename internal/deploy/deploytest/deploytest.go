// Package deploytest builds fake deployment targets for tests: a fake ssh
// that runs the remote command in a per-destination fake tree (profile,
// /run/current-system, the activation state), a fake systemd-run that
// starts units detached from the caller (as systemd does) or waits for
// them, a fake sudo, a fake `nix copy` / `nix eval` on top of the fakenix
// tools, a fake nix-store --realise, and systems whose
// switch-to-configuration switches the fake tree, fails, or cuts the
// network on demand.
package deploytest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/activate/fakenix"
	"github.com/axios-nix/axios/internal/testutil"
)

// Kit is a fake deployer machine plus any number of fake targets.
type Kit struct {
	*fakenix.Fake
	Targets string // each target's tree is Targets/<dest>
}

const header = `#!/bin/sh
line=${0##*/}; for a in "$@"; do line="$line $a"; done; printf '%s\n' "$line" >> "$FAKE_LOG"
`

// ssh [options] -- DEST COMMAND: runs COMMAND with sh in this machine's
// processes; fails like a lost connection (exit 255) when the target's
// tree holds a file named "cut".
const sshScript = header + `
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
shift
dest=${1#*@}; shift
if [ -e "$FAKE_TARGETS/$dest/cut" ]; then echo "ssh: connect to host $dest port 22: Connection timed out" >&2; exit 255; fi
exec sh -c "$*"
`

// systemd-run [options] -- COMMAND: with --wait runs COMMAND and waits;
// otherwise starts it in a new session and returns at once. It exports
// the target root the activation script gets as its first argument, so
// the fake switch-to-configuration knows which tree to switch.
const systemdRunScript = header + `
wait=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  [ "$1" = "--wait" ] && wait=1
  shift
done
shift
export FAKE_TARGET_ROOT="$3"
if [ -n "$wait" ]; then exec "$@"; fi
setsid "$@" </dev/null >/dev/null 2>&1 &
`

const sudoScript = header + `
[ "$1" = "-n" ] && shift
[ "$1" = "--" ] && shift
exec "$@"
`

// nix: copy succeeds (one file system) unless $FAKE_FAIL_COPY is set;
// eval --raw ...drvPath prints the host's derivation; everything else goes
// to the fakenix nix.
const nixScript = header + `
for a in "$@"; do
  case "$a" in
    copy)
      if [ -n "$FAKE_FAIL_COPY" ]; then echo "error: cannot connect to '$FAKE_FAIL_COPY'" >&2; exit 1; fi
      exit 0;;
    *drvPath)
      h="${a##*#nixosConfigurations.}"; h="${h%%.config.*}"
      printf '%s' "$FAKE_STORE/system-$h.drv"; exit 0;;
  esac
done
FAKE_LOG=/dev/null exec nix-base "$@"
`

// nix-store --realise X.drv prints X (the fake build on the target).
const nixStoreScript = header + `
for a in "$@"; do last="$a"; done
printf '%s\n' "${last%.drv}"
`

// The fake switch-to-configuration: fails when a file "fail" sits in its
// system; "switch" and "test" point the target's run/current-system at
// the system; a file "cut" in the system cuts the target off the network
// once it is active.
const switchScript = header + `
sys=${0%/*}; sys=${sys%/*}
if [ -e "$sys/fail" ]; then echo "error: the following units failed: foo.service" >&2; exit 4; fi
case "$1" in
  switch|test) ln -sfn "$sys" "$FAKE_TARGET_ROOT/run/current-system";;
esac
if [ -e "$sys/cut" ]; then : > "$FAKE_TARGET_ROOT/cut"; fi
echo "activating the configuration..."
`

// TargetSecond is how long one second of a fake target's clock lasts.
// The activation script waits for the confirmation in steps of `sleep 1`
// and restores the previous system after confirmTimeout of them; on a fake
// target `sleep 1` lasts TargetSecond, so a confirmation is seen within
// TargetSecond instead of a second, and a 2 s confirmTimeout runs out
// after 0.4 s. The deployer's own timers (its polls, how long it tolerates
// a lost connection) keep real time. Tests that expect the deployer to
// confirm give a confirmTimeout of 30 s or more (6 s of real time to
// confirm, ample on a loaded machine).
const TargetSecond = 200 * time.Millisecond

// sleepScript is the fake targets' sleep: `sleep 1` lasts TargetSecond,
// anything else goes to the real sleep (%s).
const sleepScript = `#!/bin/sh
if [ "$#" = 1 ] && [ "$1" = 1 ]; then exec %s %s; fi
exec %[1]s "$@"
`

// New creates the kit and puts its tools first on PATH.
func New(t *testing.T) *Kit {
	t.Helper()
	testutil.RequireTool(t, "setsid")
	realSleep := testutil.RequireTool(t, "sleep")
	f := fakenix.New(t)
	base, err := os.ReadFile(filepath.Join(f.Bin, "nix"))
	if err != nil {
		t.Fatal(err)
	}
	f.Script(t, "nix-base", string(base))
	f.Script(t, "nix", nixScript)
	f.Script(t, "ssh", sshScript)
	f.Script(t, "systemd-run", systemdRunScript)
	f.Script(t, "sudo", sudoScript)
	f.Script(t, "nix-store", nixStoreScript)
	f.Script(t, "sleep", fmt.Sprintf(sleepScript, realSleep, strconv.FormatFloat(TargetSecond.Seconds(), 'f', -1, 64)))
	k := &Kit{Fake: f, Targets: filepath.Join(f.Root, "targets")}
	t.Setenv("FAKE_TARGETS", k.Targets)
	t.Setenv("FAKE_FAIL_COPY", "")
	// Activation units outlive the deployer by design; let them finish
	// before the temporary tree is removed (cleanups run last first).
	t.Cleanup(func() { k.waitUnits(t, 30*time.Second) })
	return k
}

// waitUnits waits until the state file of every activation in every
// target is final (the unit's script has nothing left to write).
func (k *Kit) waitUnits(t *testing.T, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		busy := false
		states, _ := filepath.Glob(filepath.Join(k.Targets, "*", "run", "axios-deploy", "*"))
		for _, st := range states {
			if filepath.Ext(st) != "" {
				continue // .sh, .log, .confirm, .new
			}
			b, err := os.ReadFile(st)
			if err != nil || !final(string(b)) {
				busy = true
			}
		}
		if !busy {
			time.Sleep(100 * time.Millisecond) // the script's exit after its last word
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("activation units still running after %s", limit)
}

func final(state string) bool {
	for _, p := range []string{"confirmed", "rolled-back", "restore-failed", "failed"} {
		if strings.HasPrefix(state, p) {
			return true
		}
	}
	return false
}

// System creates a fake system named name (linked by a fake build of a
// host called like its "system-" suffix) with the closure of fixture.
func (k *Kit) System(t *testing.T, name, fixture string) string {
	t.Helper()
	sys := k.FixtureSystem(t, name, fixture)
	if err := os.WriteFile(filepath.Join(sys, "bin", "switch-to-configuration"), []byte(switchScript), 0o755); err != nil {
		t.Fatal(err)
	}
	return sys
}

// Mark creates an empty file in dir (a system's "fail" or "cut").
func Mark(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Target creates a target tree for dest running system, with a system
// profile whose one generation is system, and returns its root.
func (k *Kit) Target(t *testing.T, dest, system string) string {
	t.Helper()
	root := filepath.Join(k.Targets, dest)
	profiles := filepath.Join(root, "nix", "var", "nix", "profiles")
	for _, d := range []string{filepath.Join(root, "run"), profiles} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		filepath.Join(root, "run", "current-system"): system,
		filepath.Join(profiles, "system-1-link"):     system,
		filepath.Join(profiles, "system"):            "system-1-link",
	}
	for l, to := range links {
		if err := os.Symlink(to, l); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Running is where the target's run/current-system points.
func Running(t *testing.T, root string) string {
	t.Helper()
	p, err := filepath.EvalSymlinks(filepath.Join(root, "run", "current-system"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Profile is the system the target's system profile points at.
func Profile(t *testing.T, root string) string {
	t.Helper()
	p, err := filepath.EvalSymlinks(filepath.Join(root, "nix", "var", "nix", "profiles", "system"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// WaitRunning waits until the target runs want, up to limit, and reports
// whether it does.
func WaitRunning(t *testing.T, root, want string, limit time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if p, err := filepath.EvalSymlinks(filepath.Join(root, "run", "current-system")); err == nil && p == want {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
