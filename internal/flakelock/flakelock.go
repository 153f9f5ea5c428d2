// Package flakelock reads flake.lock files: which node each input resolves
// to (following "follows" paths) and which inputs changed between two locks.
package flakelock

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Lock is a parsed flake.lock.
type Lock struct {
	Version int             `json:"version"`
	Root    string          `json:"root"`
	Nodes   map[string]Node `json:"nodes"`
}

// Node is one locked flake (or the root).
type Node struct {
	// Inputs maps an input name to a node name (a JSON string) or to a
	// follows path from the root (a JSON list of input names).
	Inputs   map[string]json.RawMessage `json:"inputs"`
	Locked   map[string]any             `json:"locked"`
	Original map[string]any             `json:"original"`
}

// Parse decodes a flake.lock.
func Parse(data []byte) (*Lock, error) {
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("flake.lock is not valid JSON: %w", err)
	}
	if l.Root == "" {
		l.Root = "root"
	}
	if _, ok := l.Nodes[l.Root]; !ok {
		return nil, fmt.Errorf("flake.lock has no root node %q", l.Root)
	}
	return &l, nil
}

// Input returns the node name that input of node resolves to, following
// "follows" paths. ok is false when the node has no such input.
func (l *Lock) Input(node, input string) (string, bool, error) {
	return l.input(node, input, 0)
}

func (l *Lock) input(node, input string, depth int) (string, bool, error) {
	if depth > 32 {
		return "", false, fmt.Errorf("flake.lock: follows of %s.%s loop", node, input)
	}
	n, ok := l.Nodes[node]
	if !ok {
		return "", false, fmt.Errorf("flake.lock has no node %q", node)
	}
	raw, ok := n.Inputs[input]
	if !ok {
		return "", false, nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		return name, true, nil
	}
	var path []string
	if err := json.Unmarshal(raw, &path); err != nil {
		return "", false, fmt.Errorf("flake.lock: input %s of %s is neither a node name nor a follows path", input, node)
	}
	cur := l.Root
	for _, p := range path {
		next, ok, err := l.input(cur, p, depth+1)
		if err != nil {
			return "", false, err
		}
		if !ok {
			return "", false, fmt.Errorf("flake.lock: %s.%s follows %s, which does not exist", node, input, strings.Join(path, "/"))
		}
		cur = next
	}
	return cur, true, nil
}

// Path resolves a path of input names from the root ("axios", "nixpkgs").
func (l *Lock) Path(inputs ...string) (string, bool, error) {
	cur := l.Root
	for _, in := range inputs {
		next, ok, err := l.Input(cur, in)
		if err != nil || !ok {
			return "", ok, err
		}
		cur = next
	}
	return cur, true, nil
}

// Change is one node whose locked revision changed.
type Change struct {
	Node   string `json:"node"`
	Before string `json:"before"` // "" when added
	After  string `json:"after"`  // "" when removed
}

// Describe renders a node's locked state: "abc1234 (2026-11-20)".
func (n Node) Describe() string {
	rev, _ := n.Locked["rev"].(string)
	if rev == "" {
		rev, _ = n.Locked["narHash"].(string)
	}
	if len(rev) > 12 && !strings.HasPrefix(rev, "sha256") {
		rev = rev[:7]
	}
	if lm, ok := n.Locked["lastModified"].(float64); ok && lm > 0 {
		rev += " (" + time.Unix(int64(lm), 0).UTC().Format("2006-01-02") + ")"
	}
	return rev
}

// Changes lists the nodes whose locked narHash (or rev) differ, sorted by
// node name.
func Changes(old, new *Lock) []Change {
	names := map[string]bool{}
	for n := range old.Nodes {
		names[n] = true
	}
	for n := range new.Nodes {
		names[n] = true
	}
	var out []Change
	for name := range names {
		if name == old.Root || name == new.Root {
			continue
		}
		o, ook := old.Nodes[name]
		n, nok := new.Nodes[name]
		switch {
		case ook && nok:
			if fmt.Sprint(o.Locked["narHash"], o.Locked["rev"]) != fmt.Sprint(n.Locked["narHash"], n.Locked["rev"]) {
				out = append(out, Change{Node: name, Before: o.Describe(), After: n.Describe()})
			}
		case nok:
			out = append(out, Change{Node: name, After: n.Describe()})
		default:
			out = append(out, Change{Node: name, Before: o.Describe()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}
