package hostsettings

import (
	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
)

// DeploySettings is a host's [deploy] table with the defaults of the rules
// filled in: how `axios deploy`, colmena and deploy-rs reach the machine.
// lib/core/deploy.nix (deploySettings) computes the same from the same
// rules; a test keeps the two in agreement on the vectors.
type DeploySettings struct {
	TargetHost     string   `json:"targetHost"`
	TargetUser     string   `json:"targetUser,omitempty"` // "" lets ssh choose
	BuildOn        string   `json:"buildOn"`              // "local" or "target"
	SSHOpts        []string `json:"sshOpts"`
	ConfirmTimeout int64    `json:"confirmTimeout"` // seconds
}

// BuildOnTarget reports whether the system is built on the target.
func (d DeploySettings) BuildOnTarget() bool { return d.BuildOn == "target" }

// Deploy returns h's deployment settings, or nil when h has no [deploy]
// table or has errors (such a host is deployed nowhere).
func Deploy(h *hostfile.Host, opts hostrules.Options) *DeploySettings {
	t, ok := h.Values["deploy"].(map[string]any)
	if !ok || diag.HasErrors(hostrules.Validate(h, opts)) {
		return nil
	}
	_, r := opts.Resolve()
	get := func(key string) any {
		if v, ok := t[key]; ok {
			return v
		}
		if f, ok := r.Fields["deploy."+key]; ok {
			return f.Default
		}
		return nil
	}
	d := &DeploySettings{SSHOpts: []string{}}
	d.TargetHost, _ = get("targetHost").(string)
	d.TargetUser, _ = get("targetUser").(string)
	d.BuildOn, _ = get("buildOn").(string)
	if opts, ok := get("sshOpts").([]any); ok {
		for _, o := range opts {
			if s, ok := o.(string); ok {
				d.SSHOpts = append(d.SSHOpts, s)
			}
		}
	}
	d.ConfirmTimeout, _ = get("confirmTimeout").(int64)
	return d
}
