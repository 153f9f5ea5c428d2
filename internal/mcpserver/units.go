package mcpserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/axios-nix/axios/internal/journal"
	"github.com/axios-nix/axios/internal/runner"
)

// UnitsInput is the input of failed_units.
type UnitsInput struct {
	Scope string `json:"scope,omitempty" jsonschema:"'system' (default) or 'user' (the user's own systemd instance)"`
}

// Unit is one failed unit.
type Unit struct {
	Unit        string `json:"unit"`
	Load        string `json:"load"`
	Active      string `json:"active"`
	Sub         string `json:"sub"`
	Description string `json:"description"`
}

// UnitsOutput is the result of failed_units.
type UnitsOutput struct {
	Scope     string `json:"scope"`
	Units     []Unit `json:"units"`
	Truncated bool   `json:"truncated"`
	Command   string `json:"command"`
}

// MaxUnits is the most units failed_units returns.
const MaxUnits = 200

func (h handlers) units(ctx context.Context, _ *mcp.CallToolRequest, in UnitsInput) (*mcp.CallToolResult, *UnitsOutput, error) {
	scope := in.Scope
	if scope == "" {
		scope = "system"
	}
	args := []string{"list-units", "--failed", "--all", "--plain", "--no-legend", "--no-pager", "--full"}
	switch scope {
	case "system":
	case "user":
		args = append([]string{"--user"}, args...)
	default:
		return nil, nil, fmt.Errorf("invalid scope %s: use system or user", journal.Quote(in.Scope, 64))
	}
	r := h.cfg.Runner
	if r == nil {
		r = runner.Exec{}
	}
	cmd := runner.Cmd{Name: "systemctl", Args: args, KillGroup: true}
	out, err := r.Output(ctx, cmd)
	if err != nil {
		return nil, nil, fmt.Errorf("listing failed units: %w", err)
	}
	res := &UnitsOutput{Scope: scope, Units: []Unit{}, Command: cmd.String()}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		if len(res.Units) == MaxUnits {
			res.Truncated = true
			break
		}
		u := Unit{Unit: f[0], Load: f[1], Active: f[2], Sub: f[3]}
		// The description is the rest of the line, spaces included.
		rest := line
		for i := 0; i < 4; i++ {
			rest = strings.TrimLeft(rest, " \t")
			rest = rest[len(f[i]):]
		}
		u.Description = strings.TrimSpace(rest)
		res.Units = append(res.Units, u)
	}
	return nil, res, nil
}
