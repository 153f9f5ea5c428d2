// Package deploy builds an axiOS host and activates it on another machine
// over SSH, with a rollback the target performs on its own: the activation
// and the wait for the deployer's confirmation run on the target in a
// transient systemd unit, so a cut connection, a closed terminal or a
// Ctrl-C on the deploying side cannot stop them. When no confirmation
// arrives within the host's confirmTimeout, the target restores the system
// it was running before (docs/deploy.md).
package deploy

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/runner"
)

// ActivateScript is the script the target runs; exported for --dry-run.
func ActivateScript() string { return activateScript }

// activateScript runs on the target as root, in a transient unit. Its
// arguments are: the target's file-system root ("" on a real machine; tests
// point it at a fake tree), the system to activate, the mode (switch, boot
// or test), a token naming this run's state files and the seconds to wait
// for the confirmation. The text is fixed: everything variable comes in as
// an argument, never spliced into the script.
//
// The state file <root>/run/axios-deploy/<token> says where the run is:
//
//	activating PREV       started; PREV is the system that was running
//	failed profile        the system profile could not be set; nothing changed
//	activated PREV        activated; waiting for <token>.confirm
//	confirmed             the deployer confirmed; done
//	rolled-back WHY       PREV was restored (WHY: activation or timeout)
//	restore-failed WHY    restoring PREV failed too (see <token>.log)
const activateScript = `set -u
root=$1 sys=$2 mode=$3 token=$4 timeout=$5
dir=$root/run/axios-deploy
state=$dir/$token
profile=$root/nix/var/nix/profiles/system
mkdir -p "$dir" || exit 1
say() { printf '%s\n' "$1" > "$state.new" && mv -f "$state.new" "$state"; }
prev=$(readlink -f "$root/run/current-system" 2>/dev/null || true)
restore() {
  if [ -z "$prev" ]; then say "restore-failed $1 (no running system to go back to)"; return; fi
  if [ "$mode" != test ]; then
    nix-env -p "$profile" --set "$prev" >>"$state.log" 2>&1 || { say "restore-failed $1"; return; }
  fi
  if "$prev/bin/switch-to-configuration" "$mode" >>"$state.log" 2>&1; then say "rolled-back $1"; else say "restore-failed $1"; fi
}
say "activating $prev"
if [ "$mode" != test ]; then
  nix-env -p "$profile" --set "$sys" >>"$state.log" 2>&1 || { say "failed profile"; exit 1; }
fi
if ! "$sys/bin/switch-to-configuration" "$mode" >>"$state.log" 2>&1; then restore activation; exit 1; fi
say "activated $prev"
i=0
while [ "$i" -lt "$timeout" ]; do
  if [ -e "$state.confirm" ]; then say confirmed; exit 0; fi
  sleep 1
  i=$((i + 1))
done
restore timeout
exit 1
`

// Machine is one SSH destination with the settings to reach it.
type Machine struct {
	Dest    string   // host name or address (no user@)
	User    string   // "" lets ssh choose
	SSHOpts []string // extra ssh arguments
	// Root is the machine's file-system root as the remote commands see it:
	// "" on a real machine, a folder of a fake tree in tests.
	Root string
}

// Login is user@dest, or dest when no user is set.
func (m Machine) Login() string {
	if m.User == "" {
		return m.Dest
	}
	return m.User + "@" + m.Dest
}

// StoreURI is the Nix store of the machine for `nix copy`.
func (m Machine) StoreURI() string { return "ssh://" + m.Login() }

// privileged reports whether remote root steps need sudo: any user but
// root. ssh's own default user is assumed to be root only when it is named.
func (m Machine) privileged() bool { return m.User != "" && m.User != "root" }

// SSH is the command that runs argv on the machine. ssh joins the remote
// arguments with spaces and hands the line to the remote shell, so each is
// quoted here.
func (m Machine) SSH(argv ...string) runner.Cmd {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = runner.Quote(a)
	}
	args := append(append([]string{}, m.SSHOpts...), "--", m.Login(), strings.Join(quoted, " "))
	return runner.Cmd{Name: "ssh", Args: args}
}

// Root runs argv as root on the machine: through `sudo -n` (never asking
// for a password) when the SSH user is not root.
func (m Machine) RootCmd(argv ...string) runner.Cmd {
	if m.privileged() {
		argv = append([]string{"sudo", "-n", "--"}, argv...)
	}
	return m.SSH(argv...)
}

// NixSSHOpts is the NIX_SSHOPTS environment entry that gives `nix copy`
// the machine's ssh options (Nix splits it at white space).
func (m Machine) NixSSHOpts() []string {
	if len(m.SSHOpts) == 0 {
		return nil
	}
	return []string{"NIX_SSHOPTS=" + strings.Join(m.SSHOpts, " ")}
}

func (m Machine) path(p string) string { return m.Root + p }

// stateFile is where a run with token keeps its state on the machine.
func (m Machine) stateFile(token string) string {
	return m.path("/run/axios-deploy/" + token)
}

// UploadScript writes the activation script to the machine, readable by
// root only, as <root>/run/axios-deploy/<token>.sh.
func (m Machine) UploadScript(token string) runner.Cmd {
	c := m.RootCmd("sh", "-c", `umask 077 && mkdir -p "$1" && cat > "$1/$2.sh"`, "sh", m.path("/run/axios-deploy"), token)
	c.Stdin = strings.NewReader(activateScript)
	return c
}

// StartActivation starts the uploaded script in a transient unit on the
// machine and returns at once; the unit outlives the SSH session.
func (m Machine) StartActivation(system string, mode activate.Mode, token string, confirmTimeout int) runner.Cmd {
	return m.RootCmd("systemd-run",
		"--unit=axios-deploy-"+token,
		"--description=axiOS deployment "+token,
		"--collect", "--service-type=exec", "--quiet",
		"--setenv=PATH=/run/current-system/sw/bin",
		"--", "/bin/sh", m.stateFile(token)+".sh",
		m.Root, system, string(mode), token, strconv.Itoa(confirmTimeout))
}

// ReadState reads the run's state file.
func (m Machine) ReadState(token string) runner.Cmd {
	return m.RootCmd("cat", m.stateFile(token))
}

// ReadLog prints the last lines the activation wrote.
func (m Machine) ReadLog(token string) runner.Cmd {
	return m.RootCmd("tail", "-n", "20", m.stateFile(token)+".log")
}

// Confirm tells the waiting unit that the deployer still reaches the
// machine, over a new connection made after the activation.
func (m Machine) Confirm(token string) runner.Cmd {
	return m.RootCmd("touch", m.stateFile(token)+".confirm")
}

// RunningSystemCmd prints the store path of the system the machine runs.
func (m Machine) RunningSystemCmd() runner.Cmd {
	return m.SSH("readlink", "-f", m.path("/run/current-system"))
}

// NewToken returns a fresh name for one run's state files and unit.
func NewToken() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // cannot happen on Linux
	}
	return hex.EncodeToString(b)
}
