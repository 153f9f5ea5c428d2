// Package mcpserver is the axiOS Model Context Protocol server (`axios
// mcp`): read-only tools over the systemd journal, this machine's host
// configuration, the module catalog and host schema, and the system
// generations. No tool writes anything or runs a shell; every result is
// bounded.
package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/checkdir"
	"github.com/axios-nix/axios/internal/configdir"
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/generations"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/rules"
	"github.com/axios-nix/axios/internal/runner"
)

// Config is what the server reads. The zero value reads this machine: the
// system journal, /nix/var/nix/profiles, the configuration directory found
// by configdir.Resolve, the embedded catalog and rules.
type Config struct {
	Version     string
	Journal     journal.Client
	Generations generations.Lister
	// ConfigDir is the configuration directory ("" searches like every
	// axios command: $AXIOS_FLAKE, the current directory,
	// ~/.config/nixos_config).
	ConfigDir string
	// Hostname returns this machine's name; nil means os.Hostname.
	Hostname func() (string, error)
	// Runner runs systemctl for failed_units; nil means runner.Exec{}.
	Runner  runner.Runner
	Catalog *catalog.Catalog // nil means catalog.Default()
	Rules   *rules.Rules     // nil means rules.Default()
	// ToolTimeout bounds every tool call; 0 means DefaultToolTimeout.
	ToolTimeout time.Duration
}

// Tool names.
const (
	ToolJournal     = "journal_query"
	ToolHost        = "host_config"
	ToolModules     = "list_modules"
	ToolHostFields  = "list_host_fields"
	ToolGenerations = "list_generations"
	ToolUnits       = "failed_units"
)

// MaxGenerations is the most generations list_generations returns.
const MaxGenerations = 200

const instructions = `Read-only tools for an axiOS (NixOS) machine: query the systemd journal, ` +
	`check this machine's host configuration, look up the modules and host fields axiOS offers, ` +
	`and list the system generations. Nothing here changes the system.`

// New returns the server with every tool registered.
func New(cfg Config) *mcp.Server {
	if cfg.Catalog == nil {
		cfg.Catalog = catalog.Default()
	}
	if cfg.Rules == nil {
		cfg.Rules = rules.Default()
	}
	if cfg.Hostname == nil {
		cfg.Hostname = os.Hostname
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "axios", Title: "axiOS", Version: version}, &mcp.ServerOptions{Instructions: instructions})
	s.AddReceivingMiddleware(bounds(cfg.ToolTimeout))
	h := handlers{cfg}
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(bool)}
	mcp.AddTool(s, &mcp.Tool{
		Name:  ToolJournal,
		Title: "Query the systemd journal",
		Description: "Read systemd journal entries (journalctl --output=json), oldest first, newest kept when " +
			"the limit is reached. Filter by unit, syslog identifier, priority (this level or more important), " +
			"time range, boot, and literal case-insensitive text. At most 1000 entries and 512 KiB of messages; " +
			"the result says when it was truncated.",
		Annotations: readOnly,
	}, h.journal)
	mcp.AddTool(s, &mcp.Tool{
		Name:  ToolHost,
		Title: "Check this machine's host configuration",
		Description: "Read and validate the axiOS host file (hosts/<name>.toml) of this machine or of a named host " +
			"in the configuration directory, as `axios check` does (its hardware.nix included): diagnostics with code, field, message and fix, " +
			"and the selected NixOS modules, home modules and nixos-hardware modules.",
		Annotations: readOnly,
	}, h.host)
	mcp.AddTool(s, &mcp.Tool{
		Name:        ToolModules,
		Title:       "List axiOS modules",
		Description: "List the modules of the axiOS catalog: NixOS modules (core, flagged by modules.<flag>, hardware) and home-manager modules and profiles, with what each does and what it pulls in.",
		Annotations: readOnly,
	}, h.modules)
	mcp.AddTool(s, &mcp.Tool{
		Name:        ToolHostFields,
		Title:       "List host fields",
		Description: "List the fields a host file may set (the schema in lib/rules.toml): type, default, allowed values, pattern and help.",
		Annotations: readOnly,
	}, h.fields)
	mcp.AddTool(s, &mcp.Tool{
		Name:        ToolGenerations,
		Title:       "List system generations",
		Description: "List NixOS system generations, newest first: number, date, NixOS version, kernel, specialisations, and which one is current.",
		Annotations: readOnly,
	}, h.generations)
	mcp.AddTool(s, &mcp.Tool{
		Name:        ToolUnits,
		Title:       "List failed systemd units",
		Description: "List the systemd units in the failed state (systemctl list-units --failed), system-wide or for the user; query journal_query with a unit for why.",
		Annotations: readOnly,
	}, h.units)
	return s
}

type handlers struct{ cfg Config }

// JournalInput is the input of journal_query.
type JournalInput struct {
	Unit       string `json:"unit,omitempty" jsonschema:"systemd unit, e.g. sshd.service (the .service suffix may be omitted)"`
	Identifier string `json:"identifier,omitempty" jsonschema:"syslog identifier, e.g. kernel or sudo"`
	Priority   string `json:"priority,omitempty" jsonschema:"keep this priority or more important: emerg, alert, crit, err, warning, notice, info, debug, or 0-7"`
	Since      string `json:"since,omitempty" jsonschema:"start time in journalctl syntax: '2026-01-31 12:00:00', 'today', 'yesterday', '-2h', '@UNIXSECONDS'"`
	Until      string `json:"until,omitempty" jsonschema:"end time, same syntax as since"`
	Grep       string `json:"grep,omitempty" jsonschema:"keep entries whose message contains this text (literal, case-insensitive)"`
	Boot       string `json:"boot,omitempty" jsonschema:"'0' for the current boot, '-1' for the previous one, or a boot ID; empty means all boots"`
	MaxEntries int    `json:"max_entries,omitempty" jsonschema:"most entries to return (default 100, at most 1000)"`
	MaxBytes   int    `json:"max_bytes,omitempty" jsonschema:"budget of message bytes (default 65536, at most 524288)"`
}

func (h handlers) journal(ctx context.Context, _ *mcp.CallToolRequest, in JournalInput) (*mcp.CallToolResult, *journal.Result, error) {
	res, err := h.cfg.Journal.Query(ctx, journal.Query{
		Unit: in.Unit, Identifier: in.Identifier, Priority: in.Priority, Since: in.Since, Until: in.Until,
		Grep: in.Grep, Boot: in.Boot, MaxEntries: in.MaxEntries, MaxBytes: in.MaxBytes,
	})
	if err != nil {
		return nil, nil, err
	}
	return nil, res, nil
}

// HostInput is the input of host_config.
type HostInput struct {
	Host string `json:"host,omitempty" jsonschema:"host name (hosts/<host>.toml); empty means this machine's hostname"`
}

// HostOutput is the result of host_config.
type HostOutput struct {
	ConfigDir   string              `json:"configDir"`
	FoundBy     string              `json:"foundBy"`
	Host        string              `json:"host"`
	File        string              `json:"file"`
	Valid       bool                `json:"valid"`
	Diagnostics []diag.Diagnostic   `json:"diagnostics"`
	Selection   hostrules.Selection `json:"selection"`
	Hosts       []string            `json:"hosts"` // every host in the configuration
}

func (h handlers) host(_ context.Context, _ *mcp.CallToolRequest, in HostInput) (*mcp.CallToolResult, *HostOutput, error) {
	name := in.Host
	if name == "" {
		hn, err := h.cfg.Hostname()
		if err != nil {
			return nil, nil, fmt.Errorf("reading this machine's hostname: %w (pass host explicitly)", err)
		}
		name, _, _ = strings.Cut(hn, ".")
	}
	// The host rules' hostname pattern: also keeps the name a plain file stem.
	if !h.cfg.Rules.Fields["hostname"].MatchPattern(name) {
		return nil, nil, fmt.Errorf("invalid host %s: use a host name of letters, digits, '-' and '_' (the stem of hosts/<name>.toml)", journal.Quote(name, 64))
	}
	dir, err := configdir.Resolve(h.cfg.ConfigDir)
	if err != nil {
		return nil, nil, err
	}
	hosts := listHosts(dir.Path)
	file := filepath.Join(dir.Path, "hosts", name+".toml")
	if _, err := os.Stat(file); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("host %q has no file %s; hosts in %s: %s", name, file, dir.Path, listOrNone(hosts))
		}
		return nil, nil, fmt.Errorf("reading %s: %w", file, err)
	}
	opts := hostrules.Options{Catalog: h.cfg.Catalog, Rules: h.cfg.Rules}
	report, err := checkdir.CheckFile(file, opts)
	if err != nil {
		return nil, nil, err
	}
	hw, err := checkdir.HardwareDiagnostics(dir.Path, name)
	if err != nil {
		return nil, nil, err
	}
	diags := append(append([]diag.Diagnostic{}, report.Diagnostics...), hw...)
	out := &HostOutput{
		ConfigDir: dir.Path, FoundBy: string(dir.Source), Host: name, File: file,
		Valid: !diag.HasErrors(diags), Diagnostics: diags, Hosts: hosts,
		// An empty selection when the file does not parse (the output
		// schema wants lists and an object, not null).
		Selection: hostrules.Selection{NixOS: []hostrules.Selected{}, Home: []hostrules.Selected{},
			NixOSHardware: []hostrules.Selected{}, Flags: map[string]bool{}},
	}
	if parsed, err := hostfile.ParseFile(file); err == nil {
		out.Selection = hostrules.Select(parsed, opts)
	}
	return nil, out, nil
}

func listHosts(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "hosts", "*.toml"))
	hosts := []string{}
	for _, m := range matches {
		hosts = append(hosts, strings.TrimSuffix(filepath.Base(m), ".toml"))
	}
	sort.Strings(hosts)
	return hosts
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// ModulesInput is the input of list_modules.
type ModulesInput struct {
	Kind string `json:"kind,omitempty" jsonschema:"only entries of this kind: core, flagged, hardware (NixOS) or profile, module (home-manager)"`
}

// Module is one catalog entry in list_modules.
type Module struct {
	Name        string   `json:"name"`
	Scope       string   `json:"scope"` // "nixos" or "home"
	Kind        string   `json:"kind"`
	Description string   `json:"description"`
	Flag        string   `json:"flag,omitempty"` // modules.<flag> in the host file
	Default     *bool    `json:"default,omitempty"`
	Requires    []string `json:"requires,omitempty"`
	Home        []string `json:"home,omitempty"`
	Vendors     []string `json:"vendors,omitempty"`
	FormFactors []string `json:"formFactors,omitempty"`
}

// ModulesOutput is the result of list_modules.
type ModulesOutput struct {
	Modules []Module `json:"modules"`
}

func (h handlers) modules(_ context.Context, _ *mcp.CallToolRequest, in ModulesInput) (*mcp.CallToolResult, *ModulesOutput, error) {
	kinds := []catalog.Kind{catalog.Core, catalog.Flagged, catalog.Hardware, catalog.Profile, catalog.Module}
	if in.Kind != "" {
		ok := false
		for _, k := range kinds {
			ok = ok || string(k) == in.Kind
		}
		if !ok {
			return nil, nil, fmt.Errorf("invalid kind %s: use core, flagged, hardware, profile or module", journal.Quote(in.Kind, 64))
		}
	}
	out := &ModulesOutput{Modules: []Module{}}
	for _, e := range h.cfg.Catalog.NixOS {
		if in.Kind != "" && string(e.Kind) != in.Kind {
			continue
		}
		m := Module{Name: e.Name, Scope: "nixos", Kind: string(e.Kind), Description: e.Description, Flag: e.Flag,
			Requires: e.Requires, Home: e.Home, Vendors: e.Vendors, FormFactors: e.FormFactors}
		if e.Flag != "" {
			d := e.Default
			m.Default = &d
		}
		out.Modules = append(out.Modules, m)
	}
	for _, e := range h.cfg.Catalog.Home {
		if in.Kind != "" && string(e.Kind) != in.Kind {
			continue
		}
		out.Modules = append(out.Modules, Module{Name: e.Name, Scope: "home", Kind: string(e.Kind), Description: e.Description, Requires: e.Requires})
	}
	return nil, out, nil
}

// FieldsInput is the input of list_host_fields.
type FieldsInput struct {
	Prefix string `json:"prefix,omitempty" jsonschema:"only fields whose dotted path starts with this, e.g. hardware or modules"`
}

// HostField is one schema field in list_host_fields.
type HostField struct {
	Path     string `json:"path"`
	Type     string `json:"type"`
	Required bool   `json:"required,omitempty"`
	Default  any    `json:"default,omitempty"`
	Enum     []any  `json:"enum,omitempty"`
	EnumFrom string `json:"enumFrom,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
	Items    string `json:"items,omitempty"`
	NixOnly  bool   `json:"nixOnly,omitempty"`
	Help     string `json:"help,omitempty"`
}

// FieldsOutput is the result of list_host_fields.
type FieldsOutput struct {
	Fields []HostField `json:"fields"`
}

func (h handlers) fields(_ context.Context, _ *mcp.CallToolRequest, in FieldsInput) (*mcp.CallToolResult, *FieldsOutput, error) {
	if len(in.Prefix) > 128 {
		return nil, nil, errors.New("invalid prefix: use at most 128 characters, e.g. hardware")
	}
	out := &FieldsOutput{Fields: []HostField{}}
	for _, p := range h.cfg.Rules.FieldPaths() {
		if !strings.HasPrefix(p, in.Prefix) {
			continue
		}
		f := h.cfg.Rules.Fields[p]
		hf := HostField{Path: p, Type: f.Type, Required: f.Required, Enum: f.Enum, EnumFrom: f.EnumFrom,
			Pattern: f.Pattern, Items: f.Items, NixOnly: f.NixOnly, Help: f.Help}
		if f.HasDefault {
			hf.Default = f.Default
		}
		out.Fields = append(out.Fields, hf)
	}
	if len(out.Fields) == 0 && in.Prefix != "" {
		return nil, nil, fmt.Errorf("no host field starts with %q: call %s without a prefix to see them all", in.Prefix, ToolHostFields)
	}
	return nil, out, nil
}

// GenerationsInput is the input of list_generations.
type GenerationsInput struct {
	Limit int `json:"limit,omitempty" jsonschema:"most generations to return, newest first (default 20, at most 200)"`
}

// GenerationsOutput is the result of list_generations.
type GenerationsOutput struct {
	Generations []generations.Generation `json:"generations"`
	Total       int                      `json:"total"`
	Truncated   bool                     `json:"truncated"`
}

func (h handlers) generations(_ context.Context, _ *mcp.CallToolRequest, in GenerationsInput) (*mcp.CallToolResult, *GenerationsOutput, error) {
	limit := in.Limit
	switch {
	case limit == 0:
		limit = 20
	case limit < 0 || limit > MaxGenerations:
		return nil, nil, fmt.Errorf("invalid limit %d: use 1 to %d (0 means 20)", limit, MaxGenerations)
	}
	gens, err := h.cfg.Generations.List()
	if err != nil {
		return nil, nil, err
	}
	out := &GenerationsOutput{Generations: []generations.Generation{}, Total: len(gens)}
	for i := len(gens) - 1; i >= 0 && len(out.Generations) < limit; i-- {
		out.Generations = append(out.Generations, gens[i])
	}
	out.Truncated = len(out.Generations) < len(gens)
	return nil, out, nil
}
