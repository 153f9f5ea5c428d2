package privilege

import (
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/runner"
)

func TestRequire(t *testing.T) {
	user := func() int { return 1000 }
	root := func() int { return 0 }
	err := Checker{Geteuid: user}.Require("switch", "activate the new system")
	if err == nil || !strings.Contains(err.Error(), "switch needs root to activate the new system: run `sudo axios switch`, or add --sudo") {
		t.Errorf("not root: %v", err)
	}
	if err := (Checker{Geteuid: user, Sudo: true}).Require("switch", "x"); err != nil {
		t.Errorf("--sudo: %v", err)
	}
	if err := (Checker{Geteuid: root}).Require("switch", "x"); err != nil {
		t.Errorf("root: %v", err)
	}
}

func TestWrap(t *testing.T) {
	cmd := runner.Cmd{Name: "nix-env", Args: []string{"-p", "/nix/var/nix/profiles/system", "--set", "/nix/store/x"}}
	if got := (Checker{Geteuid: func() int { return 0 }, Sudo: true}).Wrap(cmd).String(); got != cmd.String() {
		t.Errorf("root with --sudo must not use sudo: %s", got)
	}
	if got := (Checker{Geteuid: func() int { return 1000 }}).Wrap(cmd).String(); got != cmd.String() {
		t.Errorf("without --sudo: %s", got)
	}
	got := (Checker{Geteuid: func() int { return 1000 }, Sudo: true}).Wrap(cmd).String()
	if got != "sudo -- nix-env -p /nix/var/nix/profiles/system --set /nix/store/x" {
		t.Errorf("sudo: %s", got)
	}
}
