package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/journal/journaltest"
	"github.com/axios-nix/axios/internal/mcpserver"
	"github.com/axios-nix/axios/internal/testutil"
)

// callTool calls a tool over the session and decodes its structured result;
// a tool error fails the test.
func callTool(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s: tool error: %+v", name, res.Content)
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, raw, err)
	}
}

// TestMCPOverStdio starts the built `axios mcp` as a child process and talks
// to it with the official SDK client over its standard input and output:
// the journal tool on a real journal file, the host tool on a configuration
// directory, the catalog and the generations.
func TestMCPOverStdio(t *testing.T) {
	bin := axiosBinary(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	journalDir := journaltest.Write(t, []journaltest.Entry{
		{Time: t0, Priority: 6, Message: "started", Fields: map[string]string{"_SYSTEMD_UNIT": "backup.service", "SYSLOG_IDENTIFIER": "backup", "_PID": "41"}},
		{Time: t0.Add(time.Minute), Priority: 3, Message: "backup failed: disk full", Fields: map[string]string{"_SYSTEMD_UNIT": "backup.service", "SYSLOG_IDENTIFIER": "backup", "_PID": "41"}},
		{Time: t0.Add(2 * time.Minute), Priority: 6, Message: "unrelated", Fields: map[string]string{"_SYSTEMD_UNIT": "other.service", "SYSLOG_IDENTIFIER": "other", "_PID": "7"}},
	})

	config := t.TempDir()
	testutil.WriteFile(t, filepath.Join(config, "flake.nix"), "{ outputs = _: { }; }\n")
	testutil.WriteFile(t, filepath.Join(config, "hosts", "tower.toml"), "hostname = \"tower\"\ntimeZone = \"UTC\"\nformFactor = \"desktop\"\n[hardware]\ncpu = \"amd\"\n[modules]\ngaming = true\ngraphics = true\n")
	testutil.WriteFile(t, filepath.Join(config, "hosts", "tower", "hardware.nix"), "{ }\n")

	root := t.TempDir()
	profiles := filepath.Join(root, "profiles")
	for n, version := range map[string]string{"1": "25.11.1", "2": "25.11.2"} {
		store := filepath.Join(root, "store", "system-"+n)
		testutil.WriteFile(t, filepath.Join(store, "nixos-version"), version+"\n")
		if err := os.MkdirAll(profiles, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(store, filepath.Join(profiles, "system-"+n+"-link")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("system-2-link", filepath.Join(profiles, "system")); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "mcp", "--dir", config, "--journal-directory", journalDir, "--profiles", profiles)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "axios-e2e", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connecting to axios mcp: %v\nstderr: %s", err, stderr.String())
	}

	if got := cs.InitializeResult().ServerInfo.Name; got != "axios" {
		t.Errorf("server name %q", got)
	}
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools.Tools) < 4 {
		t.Errorf("only %d tools listed", len(tools.Tools))
	}

	var jr journal.Result
	callTool(t, cs, mcpserver.ToolJournal, map[string]any{"unit": "backup.service", "priority": "err"}, &jr)
	if len(jr.Entries) != 1 || jr.Entries[0].Message != "backup failed: disk full" || jr.Entries[0].PID != 41 || !jr.Entries[0].Time.Equal(t0.Add(time.Minute)) {
		t.Errorf("journal_query unit+priority: %+v", jr.Entries)
	}

	var host mcpserver.HostOutput
	callTool(t, cs, mcpserver.ToolHost, map[string]any{"host": "tower"}, &host)
	if host.Host != "tower" || !host.Valid || host.ConfigDir != config {
		t.Errorf("host_config: host %q valid %v dir %q (want %q): %+v", host.Host, host.Valid, host.ConfigDir, config, host.Diagnostics)
	}
	var mods []string
	for _, s := range host.Selection.NixOS {
		mods = append(mods, s.Name)
	}
	if joined := "," + strings.Join(mods, ",") + ","; !strings.Contains(joined, ",gaming,") || !strings.Contains(joined, ",graphics,") {
		t.Errorf("host_config selection %v lacks gaming and graphics", mods)
	}

	var gens mcpserver.GenerationsOutput
	callTool(t, cs, mcpserver.ToolGenerations, nil, &gens)
	if gens.Total != 2 || len(gens.Generations) != 2 || gens.Generations[0].Number != 2 || !gens.Generations[0].Current || gens.Generations[0].NixOSVersion != "25.11.2" {
		t.Errorf("list_generations: %+v", gens)
	}

	var modules mcpserver.ModulesOutput
	callTool(t, cs, mcpserver.ToolModules, map[string]any{}, &modules)
	if len(modules.Modules) == 0 {
		t.Error("list_modules returned no module")
	}

	// Closing the session closes the server's standard input; the process
	// must end on its own, without an error.
	if err := cs.Close(); err != nil {
		t.Errorf("closing: %v", err)
	}
	if cmd.ProcessState == nil || !cmd.ProcessState.Success() {
		t.Errorf("axios mcp did not exit cleanly: %v\nstderr: %s", cmd.ProcessState, stderr.String())
	}
}
