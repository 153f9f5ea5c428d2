package deploy

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/axios-nix/axios/internal/activate"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/hostsettings"
	"github.com/axios-nix/axios/internal/rules"
)

// Overrides are the command line's say over a host's [deploy] table.
type Overrides struct {
	TargetHost string // --target-host [user@]host
	BuildHost  string // --build-host [user@]host
}

// ParseDest splits "[user@]host" and checks both parts with the rules of
// deploy.targetHost and deploy.targetUser, so a destination can never be
// read by ssh as an option. flag names the flag for the error.
func ParseDest(s, flag string) (Machine, error) {
	user, host := "", s
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		user, host = s[:i], s[i+1:]
	}
	r := rules.Default()
	if f := r.Fields["deploy.targetHost"]; host == "" || !f.MatchPattern(host) {
		return Machine{}, fmt.Errorf("%s %q: %s", flag, s, r.Fields["deploy.targetHost"].Help)
	}
	if f := r.Fields["deploy.targetUser"]; user != "" && !f.MatchPattern(user) {
		return Machine{}, fmt.Errorf("%s %q: the user before @ must be a login name (%s)", flag, s, f.Help)
	}
	return Machine{Dest: host, User: user}, nil
}

// TargetFor returns where host of the configuration at dir is deployed:
// its [deploy] table with the overrides applied. ok is false when the host
// has neither [deploy] nor --target-host (it is activated locally).
func TargetFor(dir, host string, ov Overrides) (t Target, ok bool, err error) {
	t = Target{Host: host, ConfirmTimeout: 30 * time.Second}
	var ds *hostsettings.DeploySettings
	file := filepath.Join(dir, "hosts", host+".toml")
	if h, err := hostfile.ParseFile(file); err == nil {
		ds = hostsettings.Deploy(h, hostrules.Options{})
	}
	if ds != nil {
		t.Machine = Machine{Dest: ds.TargetHost, User: ds.TargetUser, SSHOpts: ds.SSHOpts}
		t.ConfirmTimeout = time.Duration(ds.ConfirmTimeout) * time.Second
		if ds.BuildOnTarget() {
			m := t.Machine
			t.BuildOn = &m
		}
	}
	if ov.TargetHost != "" {
		m, err := ParseDest(ov.TargetHost, "--target-host")
		if err != nil {
			return t, false, err
		}
		m.SSHOpts = t.Machine.SSHOpts
		if m.User == "" {
			m.User = t.Machine.User
		}
		t.Machine = m
		if t.BuildOn != nil {
			b := m
			t.BuildOn = &b
		}
	}
	if ov.BuildHost != "" {
		m, err := ParseDest(ov.BuildHost, "--build-host")
		if err != nil {
			return t, false, err
		}
		m.SSHOpts = t.Machine.SSHOpts
		t.BuildOn = &m
	}
	return t, t.Machine.Dest != "", nil
}

// DeployableHosts lists the TOML hosts of dir that have [deploy] (and no
// errors), sorted.
func DeployableHosts(dir string) ([]string, error) {
	names, err := activate.TOMLHosts(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		h, err := hostfile.ParseFile(filepath.Join(dir, "hosts", n+".toml"))
		if err != nil {
			continue
		}
		if _, has := h.Values["deploy"]; has {
			out = append(out, n)
		}
	}
	return out, nil
}
