// Package exposure computes which ports a host opens on loopback, the
// tailnet and every other interface, from lib/ports.toml — the file the NixOS
// modules open their firewall ports from. lib/core/exposure.nix computes the
// same report in Nix; the tests require both to agree (docs/security.md).
package exposure

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/axios-nix/axios"
	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
	"github.com/axios-nix/axios/internal/hostsettings"
)

// Service is one [service.<id>] table of lib/ports.toml.
type Service struct {
	ID            string         `toml:"-"`
	Module        string         `toml:"module"`
	Description   string         `toml:"description"`
	When          map[string]any `toml:"when"`
	TCP           []int64        `toml:"tcp"`
	UDP           []int64        `toml:"udp"`
	TCPRanges     [][]int64      `toml:"tcpRanges"`
	UDPRanges     [][]int64      `toml:"udpRanges"`
	PortOption    string         `toml:"portOption"`
	Loopback      bool           `toml:"loopback"`
	Tailnet       bool           `toml:"tailnet"`
	Other         []string       `toml:"other"`
	OtherUpstream []string       `toml:"otherUpstream"`
}

// Data is lib/ports.toml.
type Data struct {
	// Services sorted by id.
	Services []Service
	// Defaults maps an option path to the value it has when the host does
	// not set it.
	Defaults map[string]any
}

type rawData struct {
	Service map[string]Service `toml:"service"`
	Option  map[string]struct {
		Default any `toml:"default"`
	} `toml:"option"`
}

// Parse parses lib/ports.toml and checks it against the catalog: every
// service names an active-able NixOS entry, has ports, and every option it
// reads has a default.
func Parse(data []byte, cat *catalog.Catalog) (*Data, error) {
	var raw rawData
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("ports:%d:%d: %s", row, col, de.Error())
		}
		return nil, fmt.Errorf("ports: %w", err)
	}
	d := &Data{Defaults: map[string]any{}}
	for o, v := range raw.Option {
		if v.Default == nil {
			return nil, fmt.Errorf("ports: option %q has no default", o)
		}
		d.Defaults[o] = v.Default
	}
	for id, s := range raw.Service {
		s.ID = id
		if _, ok := cat.NixOSEntry(s.Module); !ok {
			return nil, fmt.Errorf("ports: service.%s.module = %q is not a catalog NixOS entry", id, s.Module)
		}
		if s.Description == "" {
			return nil, fmt.Errorf("ports: service.%s has no description", id)
		}
		if len(s.TCP)+len(s.UDP)+len(s.TCPRanges)+len(s.UDPRanges) == 0 && s.PortOption == "" {
			return nil, fmt.Errorf("ports: service.%s opens no port", id)
		}
		for _, r := range append(append([][]int64{}, s.TCPRanges...), s.UDPRanges...) {
			if len(r) != 2 || r[0] > r[1] {
				return nil, fmt.Errorf("ports: service.%s: range %v is not [from, to]", id, r)
			}
		}
		read := append(append([]string{}, s.Other...), s.OtherUpstream...)
		for o := range s.When {
			read = append(read, o)
		}
		if s.PortOption != "" {
			read = append(read, s.PortOption)
		}
		for _, o := range read {
			if _, ok := d.Defaults[o]; !ok {
				return nil, fmt.Errorf("ports: service.%s reads %s, which has no [option.%q] default", id, o, o)
			}
		}
		d.Services = append(d.Services, s)
	}
	sort.Slice(d.Services, func(i, j int) bool { return d.Services[i].ID < d.Services[j].ID })
	return d, nil
}

var (
	defaultOnce sync.Once
	defaultData *Data
	defaultErr  error
)

// Default returns the embedded lib/ports.toml, parsed once. It panics when
// the embedded file is invalid: a build defect this package's tests catch.
func Default() *Data {
	defaultOnce.Do(func() { defaultData, defaultErr = Parse(axios.PortsTOML, catalog.Default()) })
	if defaultErr != nil {
		panic("embedded lib/ports.toml is invalid: " + defaultErr.Error())
	}
	return defaultData
}

// Range is a port range, both ends included.
type Range struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// Entry is one service in one interface class.
type Entry struct {
	Service     string `json:"service"`
	Module      string `json:"module"`
	Description string `json:"description"`
	// TCP holds port numbers; a port read from a host option is the host's
	// value as written.
	TCP       []any   `json:"tcp"`
	UDP       []int64 `json:"udp"`
	TCPRanges []Range `json:"tcpRanges"`
	UDPRanges []Range `json:"udpRanges"`
	// Interfaces: ["lo"], ["tailscale0"], or for the other class the
	// interface names the host gave, ["*"] meaning every interface.
	Interfaces []string `json:"interfaces"`
	// AskedBy is the option that opened the entry on other interfaces ("" in
	// the loopback and tailnet classes).
	AskedBy string `json:"askedBy"`
}

// Report lists the open ports per interface class.
type Report struct {
	Loopback []Entry `json:"loopback"`
	Tailnet  []Entry `json:"tailnet"`
	Other    []Entry `json:"other"`
}

// Options are the data a report is computed from; zero values mean the
// embedded files.
type Options struct {
	Host hostrules.Options
	Data *Data
}

// ForHost computes the report of a parsed host file: the options mkSystem
// sets from the host (hostsettings.Settings) and then its extraConfig table
// give the option values; [option] defaults fill the rest. Only the host
// file is read: options set in the host's .nix modules are not seen.
func ForHost(h *hostfile.Host, opts Options) (*Report, error) {
	d := opts.Data
	if d == nil {
		d = Default()
	}
	cat := opts.Host.Catalog
	if cat == nil {
		cat = catalog.Default()
	}
	sel := hostrules.Select(h, opts.Host)
	tree := map[string]any{}
	for _, s := range hostsettings.Settings(h, sel, opts.Host) {
		tree = merge(tree, nest(s.Path, s.Value)).(map[string]any)
	}
	if extra, ok := h.Values["extraConfig"].(map[string]any); ok {
		e := make(map[string]any, len(extra))
		for k, v := range extra {
			if k != "imports" {
				e[k] = v
			}
		}
		tree = merge(tree, e).(map[string]any)
	}
	active := map[string]bool{}
	for _, e := range cat.NixOS {
		if sel.Active(e) {
			active[e.Name] = true
		}
	}
	return Classify(d, tree, active)
}

// Classify computes the report for option values given as a nested tree and
// the set of active catalog entries.
func Classify(d *Data, tree map[string]any, active map[string]bool) (*Report, error) {
	get := func(option string) any {
		if v, ok := lookup(tree, option); ok {
			return v
		}
		return d.Defaults[option]
	}
	r := &Report{Loopback: []Entry{}, Tailnet: []Entry{}, Other: []Entry{}}
	for _, s := range d.Services {
		if !active[s.Module] || !holdsAll(get, s.When) {
			continue
		}
		base := Entry{
			Service: s.ID, Module: s.Module, Description: s.Description,
			TCP: []any{}, UDP: nonNil(s.UDP), TCPRanges: ranges(s.TCPRanges), UDPRanges: ranges(s.UDPRanges),
		}
		if s.PortOption != "" {
			base.TCP = []any{get(s.PortOption)}
		} else {
			for _, p := range s.TCP {
				base.TCP = append(base.TCP, p)
			}
		}
		if s.Loopback {
			e := base
			e.Interfaces = []string{"lo"}
			r.Loopback = append(r.Loopback, e)
		}
		if s.Tailnet {
			e := base
			e.Interfaces = []string{"tailscale0"}
			r.Tailnet = append(r.Tailnet, e)
		}
		for _, o := range append(append([]string{}, s.Other...), s.OtherUpstream...) {
			ifs, err := interfaces(o, get(o))
			if err != nil {
				return nil, err
			}
			if len(ifs) == 0 {
				continue
			}
			e := base
			e.Interfaces, e.AskedBy = ifs, o
			r.Other = append(r.Other, e)
		}
	}
	return r, nil
}

// interfaces turns an `other` option's value into interface names: true is
// ["*"] (every interface), false and [] are none.
func interfaces(option string, v any) ([]string, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return []string{"*"}, nil
		}
		return nil, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, i := range x {
			s, ok := i.(string)
			if !ok {
				return nil, fmt.Errorf("%s must be a bool or a list of interface names (fix: set it to true/false or to [\"enp3s0\"])", option)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s must be a bool or a list of interface names (fix: set it to true/false or to [\"enp3s0\"])", option)
}

func holdsAll(get func(string) any, when map[string]any) bool {
	for o, want := range when {
		v := get(o)
		if list, ok := want.([]any); ok {
			found := false
			for _, w := range list {
				if reflect.DeepEqual(v, w) {
					found = true
				}
			}
			if !found {
				return false
			}
		} else if !reflect.DeepEqual(v, want) {
			return false
		}
	}
	return true
}

func lookup(tree map[string]any, option string) (any, bool) {
	var cur any = tree
	for _, k := range strings.Split(option, ".") {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = t[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func nest(path []string, v any) any {
	for i := len(path) - 1; i >= 0; i-- {
		v = map[string]any{path[i]: v}
	}
	return v
}

// merge merges b into a: tables merge, b's other values win.
func merge(a, b any) any {
	ta, okA := a.(map[string]any)
	tb, okB := b.(map[string]any)
	if !okA || !okB {
		return b
	}
	out := make(map[string]any, len(ta)+len(tb))
	for k, v := range ta {
		out[k] = v
	}
	for k, v := range tb {
		if old, ok := out[k]; ok {
			out[k] = merge(old, v)
		} else {
			out[k] = v
		}
	}
	return out
}

func ranges(in [][]int64) []Range {
	out := make([]Range, 0, len(in))
	for _, r := range in {
		out = append(out, Range{r[0], r[1]})
	}
	return out
}

func nonNil(in []int64) []int64 {
	if in == nil {
		return []int64{}
	}
	return in
}

// Ports renders an entry's ports for people: "22/tcp, 27031-27035/udp".
func (e Entry) Ports() string {
	var parts []string
	for _, p := range e.TCP {
		parts = append(parts, fmt.Sprintf("%v/tcp", p))
	}
	for _, r := range e.TCPRanges {
		parts = append(parts, fmt.Sprintf("%d-%d/tcp", r.From, r.To))
	}
	for _, p := range e.UDP {
		parts = append(parts, fmt.Sprintf("%d/udp", p))
	}
	for _, r := range e.UDPRanges {
		parts = append(parts, fmt.Sprintf("%d-%d/udp", r.From, r.To))
	}
	return strings.Join(parts, ", ")
}
