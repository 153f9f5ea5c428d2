package mcpserver

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/generations"
	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/journal/journaltest"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func fixture() []journaltest.Entry {
	f := func(unit, id, pid string) map[string]string {
		return map[string]string{"_SYSTEMD_UNIT": unit, "SYSLOG_IDENTIFIER": id, "_PID": pid}
	}
	var entries []journaltest.Entry
	for i := 0; i < 30; i++ {
		entries = append(entries, journaltest.Entry{
			Time: t0.Add(time.Duration(i) * time.Minute), Priority: 6,
			Message: "tick " + strings.Repeat("x", i), Fields: f("ticker.service", "ticker", "300"),
		})
	}
	entries = append(entries,
		journaltest.Entry{Time: t0.Add(time.Hour), Priority: 3, Message: "Failed to start Disk Backup", Fields: f("backup.service", "systemd", "1")},
		journaltest.Entry{Time: t0.Add(2 * time.Hour), Priority: 4, Message: "disk space LOW on /boot", Fields: f("backup.service", "backup", "77")},
	)
	return entries
}

// configDir writes a configuration with a valid host (this machine,
// "alpha") and a host with errors ("beta").
func configDir(t *testing.T) string {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("flake.nix", "{ outputs = _: { }; }\n")
	write("hosts/alpha.toml", `hostname = "alpha"
timeZone = "Europe/Berlin"
formFactor = "desktop"

[hardware]
cpu = "amd"
gpu = "amd"

[modules]
desktop = true

[users.ana]
fullName = "Ana"
email = "ana@example.org"
hashedPasswordFile = "/run/agenix/ana-password"
`)
	write("hosts/alpha/hardware.nix", "{ }\n")
	write("hosts/beta.toml", `hostname = "beta"
timeZone = "UTC"
formFactor = "server"

[hardware]
gpu = "nvida"
`)
	return dir
}

func profiles(t *testing.T) string {
	root := t.TempDir()
	dir := filepath.Join(root, "profiles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		sp := filepath.Join(root, "store", "gen"+string(rune('0'+n)))
		if err := os.MkdirAll(filepath.Join(sp, "kernel-modules", "lib", "modules", "6.12."+string(rune('0'+n))), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sp, "nixos-version"), []byte("25.11.2026010"+string(rune('0'+n))+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(sp, filepath.Join(dir, "system-"+string(rune('0'+n))+"-link")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("system-2-link", filepath.Join(dir, "system")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// connect starts the server and a real SDK client over in-memory
// transports.
func connect(t *testing.T, cfg Config) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := New(cfg).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// call calls a tool and decodes its structured result into out; it
// returns the error text when the tool reported an error.
func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, out any) string {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	if res.IsError {
		var texts []string
		for _, c := range res.Content {
			if tc, ok := c.(*mcp.TextContent); ok {
				texts = append(texts, tc.Text)
			}
		}
		return strings.Join(texts, "\n")
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, raw, err)
	}
	return ""
}

func TestTools(t *testing.T) {
	cs := connect(t, Config{})
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("%s is not marked read-only", tool.Name)
		}
		if tool.Description == "" || tool.InputSchema == nil {
			t.Errorf("%s lacks a description or input schema", tool.Name)
		}
	}
	sort.Strings(names)
	want := []string{ToolHost, ToolGenerations, ToolHostFields, ToolModules, ToolJournal, ToolUnits}
	sort.Strings(want)
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("tools %v, want %v", names, want)
	}
}

func TestJournalTool(t *testing.T) {
	dir := journaltest.Write(t, fixture())
	cs := connect(t, Config{Journal: journal.Client{Source: journal.Source{Directory: dir}}})

	var r journal.Result
	if msg := call(t, cs, ToolJournal, map[string]any{"unit": "backup.service"}, &r); msg != "" {
		t.Fatal(msg)
	}
	if len(r.Entries) != 2 || r.Entries[0].Message != "Failed to start Disk Backup" || r.Entries[1].PID != 77 ||
		r.Entries[1].Level != "warning" || !r.Entries[1].Time.Equal(t0.Add(2*time.Hour)) || r.Truncated {
		t.Errorf("unit filter: %+v", r)
	}

	r = journal.Result{}
	call(t, cs, ToolJournal, map[string]any{"priority": "err"}, &r)
	if len(r.Entries) != 1 || r.Entries[0].Unit != "backup.service" {
		t.Errorf("priority filter: %+v", r.Entries)
	}

	r = journal.Result{}
	call(t, cs, ToolJournal, map[string]any{"grep": "disk", "since": "@1767229200"}, &r)
	if len(r.Entries) != 2 {
		t.Errorf("grep+since: %+v", r.Entries)
	}

	// Default cap and explicit cap: newest entries kept, truncation said.
	r = journal.Result{}
	call(t, cs, ToolJournal, map[string]any{"max_entries": 5, "unit": "ticker.service"}, &r)
	if len(r.Entries) != 5 || !r.Truncated || !strings.Contains(r.Note, "newest 5") || r.Entries[4].Message != "tick "+strings.Repeat("x", 29) {
		t.Errorf("max_entries: %d entries, truncated %v, note %q", len(r.Entries), r.Truncated, r.Note)
	}
	r = journal.Result{}
	call(t, cs, ToolJournal, map[string]any{"max_bytes": 700}, &r)
	if !r.Truncated || len(r.Entries) == 0 || len(r.Entries) >= 32 {
		t.Errorf("max_bytes: %d entries, truncated %v", len(r.Entries), r.Truncated)
	}

	// Bad input is a tool error naming the field, and runs nothing.
	for args, want := range map[string]map[string]any{
		`invalid unit "x; reboot"`:   {"unit": "x; reboot"},
		`invalid priority "loud"`:    {"priority": "loud"},
		`invalid max_entries "5000"`: {"max_entries": 5000},
		"invalid since \"`date`\"":   {"since": "`date`"},
	} {
		if msg := call(t, cs, ToolJournal, want, &r); !strings.Contains(msg, args) {
			t.Errorf("%v: error %q, want %q", want, msg, args)
		}
	}
	// Unknown arguments are rejected by the schema.
	if msg := call(t, cs, ToolJournal, map[string]any{"command": "rm"}, &r); msg == "" {
		t.Error("unknown argument accepted")
	}
}

func TestHostTool(t *testing.T) {
	dir := configDir(t)
	cs := connect(t, Config{ConfigDir: dir, Hostname: func() (string, error) { return "alpha.example.org", nil }})
	var out HostOutput
	if msg := call(t, cs, ToolHost, nil, &out); msg != "" {
		t.Fatal(msg)
	}
	if out.Host != "alpha" || !out.Valid || len(out.Diagnostics) != 0 || strings.Join(out.Hosts, ",") != "alpha,beta" {
		t.Errorf("this machine: %+v", out)
	}
	var mods []string
	for _, s := range out.Selection.NixOS {
		mods = append(mods, s.Name)
	}
	if !strings.Contains(","+strings.Join(mods, ",")+",", ",desktop,") {
		t.Errorf("selection lacks desktop: %v", mods)
	}

	out = HostOutput{}
	call(t, cs, ToolHost, map[string]any{"host": "beta"}, &out)
	if out.Valid || len(out.Diagnostics) == 0 {
		t.Fatalf("beta should be invalid: %+v", out)
	}
	found := false
	for _, d := range out.Diagnostics {
		if d.Field == "hardware.gpu" && d.Code == "AX104" && d.Fix != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no AX104 hardware.gpu diagnostic: %+v", out.Diagnostics)
	}
	// beta has no hardware.nix: the same AX403 as `axios check DIR`.
	found = false
	for _, d := range out.Diagnostics {
		found = found || d.Code == "AX403" && strings.HasSuffix(d.File, "hosts/beta/hardware.nix")
	}
	if !found {
		t.Errorf("no AX403 for the missing hardware.nix: %+v", out.Diagnostics)
	}

	// The placeholder of `axios init` is a warning (AX406); the host stays valid.
	if err := os.WriteFile(filepath.Join(dir, "hosts", "alpha", "hardware.nix"), []byte(checkdir.PlaceholderMarker+"\n_: throw \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out = HostOutput{}
	call(t, cs, ToolHost, map[string]any{"host": "alpha"}, &out)
	if !out.Valid || len(out.Diagnostics) != 1 || out.Diagnostics[0].Code != checkdir.CodePlaceholderHardware {
		t.Errorf("alpha with the placeholder: %+v", out)
	}

	if msg := call(t, cs, ToolHost, map[string]any{"host": "gamma"}, &out); !strings.Contains(msg, "alpha, beta") {
		t.Errorf("unknown host: %q", msg)
	}
	if msg := call(t, cs, ToolHost, map[string]any{"host": "../etc/passwd"}, &out); !strings.Contains(msg, "invalid host") {
		t.Errorf("path host: %q", msg)
	}
}

func TestCatalogTools(t *testing.T) {
	cs := connect(t, Config{})
	var mods ModulesOutput
	if msg := call(t, cs, ToolModules, nil, &mods); msg != "" {
		t.Fatal(msg)
	}
	byName := map[string]Module{}
	for _, m := range mods.Modules {
		byName[m.Scope+"."+m.Name] = m
	}
	if d, ok := byName["nixos.desktop"]; !ok || d.Flag != "desktop" || d.Description == "" {
		t.Errorf("nixos.desktop: %+v", d)
	}
	var flagged ModulesOutput
	call(t, cs, ToolModules, map[string]any{"kind": "flagged"}, &flagged)
	if len(flagged.Modules) == 0 || len(flagged.Modules) >= len(mods.Modules) {
		t.Errorf("kind filter: %d of %d", len(flagged.Modules), len(mods.Modules))
	}
	for _, m := range flagged.Modules {
		if m.Kind != "flagged" {
			t.Errorf("kind filter let %s (%s) through", m.Name, m.Kind)
		}
	}
	if msg := call(t, cs, ToolModules, map[string]any{"kind": "nope"}, &flagged); !strings.Contains(msg, "invalid kind") {
		t.Errorf("bad kind: %q", msg)
	}

	var fields FieldsOutput
	call(t, cs, ToolHostFields, map[string]any{"prefix": "hardware."}, &fields)
	var gpu *HostField
	for i, f := range fields.Fields {
		if !strings.HasPrefix(f.Path, "hardware.") {
			t.Errorf("prefix filter let %s through", f.Path)
		}
		if f.Path == "hardware.gpu" {
			gpu = &fields.Fields[i]
		}
	}
	if gpu == nil || len(gpu.Enum) == 0 {
		t.Errorf("hardware.gpu missing or without allowed values: %+v", gpu)
	}
	if msg := call(t, cs, ToolHostFields, map[string]any{"prefix": "zzz"}, &fields); !strings.Contains(msg, "no host field") {
		t.Errorf("bad prefix: %q", msg)
	}
}

func TestGenerationsTool(t *testing.T) {
	cs := connect(t, Config{Generations: generations.Lister{Dir: profiles(t)}})
	var out GenerationsOutput
	if msg := call(t, cs, ToolGenerations, nil, &out); msg != "" {
		t.Fatal(msg)
	}
	if out.Total != 3 || len(out.Generations) != 3 || out.Generations[0].Number != 3 || !out.Generations[1].Current ||
		out.Generations[1].KernelVersion != "6.12.2" || out.Generations[2].NixOSVersion != "25.11.20260101" {
		t.Errorf("generations: %+v", out)
	}
	call(t, cs, ToolGenerations, map[string]any{"limit": 1}, &out)
	if len(out.Generations) != 1 || !out.Truncated {
		t.Errorf("limit: %+v", out)
	}
	if msg := call(t, cs, ToolGenerations, map[string]any{"limit": 1000}, &out); !strings.Contains(msg, "invalid limit") {
		t.Errorf("bad limit: %q", msg)
	}
	cs2 := connect(t, Config{Generations: generations.Lister{Dir: filepath.Join(t.TempDir(), "none")}})
	if msg := call(t, cs2, ToolGenerations, nil, &out); !strings.Contains(msg, "does not exist") {
		t.Errorf("no profiles: %q", msg)
	}
}

// A named pipe at hosts/<name>/hardware.nix or at the host file is reported
// by host_config, naming the file, and never opened (issue 11: it hung).
func TestHostToolFIFO(t *testing.T) {
	dir := configDir(t)
	hw := filepath.Join(dir, "hosts", "alpha", "hardware.nix")
	if err := os.Remove(hw); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(hw, 0o644); err != nil {
		t.Fatal(err)
	}
	gamma := filepath.Join(dir, "hosts", "gamma.toml")
	if err := syscall.Mkfifo(gamma, 0o644); err != nil {
		t.Fatal(err)
	}
	cs := connect(t, Config{ConfigDir: dir, Hostname: func() (string, error) { return "alpha", nil }})
	done := make(chan struct{})
	var alpha, g HostOutput
	var msgA, msgG string
	go func() {
		defer close(done)
		msgA = call(t, cs, ToolHost, nil, &alpha)
		msgG = call(t, cs, ToolHost, map[string]any{"host": "gamma"}, &g)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("host_config did not answer in 10 s: a named pipe was opened")
	}
	if msgA != "" || msgG != "" {
		t.Fatalf("tool errors: %q %q", msgA, msgG)
	}
	if alpha.Valid || len(alpha.Diagnostics) != 1 || alpha.Diagnostics[0].Code != checkdir.CodeNoHardware ||
		!strings.Contains(alpha.Diagnostics[0].Message, hw+" is a named pipe (FIFO), not a regular file") {
		t.Errorf("alpha: %+v", alpha)
	}
	if g.Valid || len(g.Diagnostics) == 0 || g.Diagnostics[0].Code != checkdir.CodeSyntax ||
		!strings.Contains(g.Diagnostics[0].Message, gamma+" is a named pipe (FIFO), not a regular file") {
		t.Errorf("gamma: %+v", g)
	}
}
