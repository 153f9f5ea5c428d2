package mcpserver

import (
	"context"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/runner"
)

// fakeSystemctl records the commands it is asked to run and answers with
// out, or fails with err.
type fakeSystemctl struct {
	out  string
	err  error
	cmds []string
}

func (f *fakeSystemctl) Run(_ context.Context, c runner.Cmd) error {
	f.cmds = append(f.cmds, c.String())
	return f.err
}

func (f *fakeSystemctl) Output(_ context.Context, c runner.Cmd) ([]byte, error) {
	f.cmds = append(f.cmds, c.String())
	return []byte(f.out), f.err
}

func TestFailedUnitsTool(t *testing.T) {
	fake := &fakeSystemctl{out: "backup.service        loaded failed failed Nightly  Disk Backup\n" +
		"nix-gc.service loaded failed failed Nix Garbage Collector\n\n"}
	cs := connect(t, Config{Runner: fake})
	var out UnitsOutput
	if msg := call(t, cs, ToolUnits, nil, &out); msg != "" {
		t.Fatal(msg)
	}
	if len(out.Units) != 2 || out.Units[0] != (Unit{"backup.service", "loaded", "failed", "failed", "Nightly  Disk Backup"}) ||
		out.Units[1].Description != "Nix Garbage Collector" || out.Scope != "system" {
		t.Errorf("units: %+v", out)
	}
	call(t, cs, ToolUnits, map[string]any{"scope": "user"}, &out)
	want := []string{
		"systemctl list-units --failed --all --plain --no-legend --no-pager --full",
		"systemctl --user list-units --failed --all --plain --no-legend --no-pager --full",
	}
	if strings.Join(fake.cmds, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(fake.cmds, "\n"), strings.Join(want, "\n"))
	}
	if msg := call(t, cs, ToolUnits, map[string]any{"scope": "root; reboot"}, &out); !strings.Contains(msg, "invalid scope") {
		t.Errorf("bad scope: %q", msg)
	}
	if len(fake.cmds) != 2 {
		t.Errorf("a rejected call ran %v", fake.cmds[2:])
	}

	failing := &fakeSystemctl{err: &runner.ExitError{Cmd: "systemctl", Code: 1, Stderr: "Failed to connect to bus"}}
	cs2 := connect(t, Config{Runner: failing})
	if msg := call(t, cs2, ToolUnits, nil, &out); !strings.Contains(msg, "Failed to connect to bus") {
		t.Errorf("systemctl failure: %q", msg)
	}
}
