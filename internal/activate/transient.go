package activate

import (
	"os"
	"os/exec"

	"github.com/axios-nix/axios/internal/runner"
)

// TransientUnit is the name of the transient systemd unit activation runs
// in. It is the name nixos-rebuild uses, so an `axios switch` and a
// `nixos-rebuild switch` can never activate at the same time: systemd
// refuses a second unit of the same name while one runs.
const TransientUnit = "nixos-rebuild-switch-to-configuration"

// DefaultSystemdDir exists when systemd runs as PID 1 (sd_booted(3)).
const DefaultSystemdDir = "/run/systemd/system"

// TransientEnv are the variables of axios's environment that are passed
// into the transient unit when set (as nixos-rebuild-ng does with
// `-E NAME`): the locale archive for switch-to-configuration's messages,
// and the two switches switch-to-configuration reads.
var TransientEnv = []string{"LOCALE_ARCHIVE", "NIXOS_INSTALL_BOOTLOADER", "NIXOS_NO_CHECK"}

// Transient returns c wrapped so it runs in the transient systemd service
// unit TransientUnit and systemd-run waits for it, with the flags of
// nixos-rebuild-ng:
//
//	systemd-run -E NAME=VALUE… --collect --no-ask-password --pipe --quiet
//	  --service-type=exec --unit=nixos-rebuild-switch-to-configuration --wait CMD ARGS…
//
// The unit belongs to the service manager, not to the caller's session: a
// hang-up, a dropped SSH connection, Ctrl-C or even the caller being killed
// ends only systemd-run, never the activation. --pipe connects the unit's
// standard input and output to systemd-run's, --wait makes systemd-run exit
// with the unit's exit status, and --collect unloads the unit even when it
// failed, so the next activation can use the name again. Values are passed
// as NAME=VALUE (not bare -E NAME) because sudo clears the environment
// between axios and systemd-run, and because systemd releases before 248
// accept only that form. getenv nil means os.Getenv.
//
// The result can be prefixed (WithPrefix) to run through sudo or on
// another machine over ssh.
func Transient(c runner.Cmd, getenv func(string) string) runner.Cmd {
	if getenv == nil {
		getenv = os.Getenv
	}
	var args []string
	for _, k := range TransientEnv {
		if v := getenv(k); v != "" {
			args = append(args, "-E", k+"="+v)
		}
	}
	args = append(args, "--collect", "--no-ask-password", "--pipe", "--quiet",
		"--service-type=exec", "--unit="+TransientUnit, "--wait", c.Name)
	args = append(args, c.Args...)
	c.Name, c.Args = "systemd-run", args
	return c
}

// WithPrefix returns c run through prefix: WithPrefix(["ssh", "host",
// "--"], c) runs c on host; an empty prefix returns c unchanged.
func WithPrefix(prefix []string, c runner.Cmd) runner.Cmd {
	if len(prefix) == 0 {
		return c
	}
	args := append(append(append([]string{}, prefix[1:]...), c.Name), c.Args...)
	c.Name, c.Args = prefix[0], args
	return c
}

// SystemdRunUsable reports whether activation can run in a transient unit
// on this machine: systemd-run is found with lookPath (nil: exec.LookPath)
// and systemd is the running service manager (systemdDir, "" meaning
// DefaultSystemdDir, exists). Without it — a container, a chroot such as
// nixos-enter, or a machine booted without systemd — activation runs as a
// child of axios in a process group of its own instead.
func SystemdRunUsable(lookPath func(string) (string, error), systemdDir string) bool {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if systemdDir == "" {
		systemdDir = DefaultSystemdDir
	}
	if _, err := lookPath("systemd-run"); err != nil {
		return false
	}
	info, err := os.Stat(systemdDir)
	return err == nil && info.IsDir()
}
