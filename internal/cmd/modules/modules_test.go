package modules

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/axios-nix/axios/internal/catalog"
	"github.com/axios-nix/axios/internal/cmdtest"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return cmdtest.Execute(New(catalog.Default), args...)
}

func TestModulesHuman(t *testing.T) {
	out, err := run(t)
	if err != nil {
		t.Fatal(err)
	}
	c := catalog.Default()
	for _, e := range c.NixOS {
		if !strings.Contains(out, "  "+e.Name+" ") || !strings.Contains(out, e.Description) {
			t.Errorf("NixOS entry %s missing", e.Name)
		}
	}
	for _, e := range c.Home {
		if !strings.Contains(out, "  "+e.Name+" ") {
			t.Errorf("home entry %s missing", e.Name)
		}
	}
	for _, want := range []string{"modules.gaming (false)", "modules.system (true)", "vendor msi, desktop", "common-pc-ssd", "when hardware.hasSSD = true", `when hardware.cpu = "amd"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	var gaming string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  gaming ") {
			gaming = l
		}
	}
	if !strings.Contains(gaming, "graphics") {
		t.Errorf("gaming row lacks its requirement: %q", gaming)
	}
}

func TestModulesJSON(t *testing.T) {
	out, err := run(t, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		NixOS []struct {
			Name, Kind, Flag, Description string
			Default                       bool
			Requires, Home                []string
		} `json:"nixos"`
		Home          []struct{ Name, Kind string } `json:"home"`
		NixOSHardware []struct {
			Module string
			When   map[string]any
		} `json:"nixosHardware"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	c := catalog.Default()
	if len(got.NixOS) != len(c.NixOS) || len(got.Home) != len(c.Home) || len(got.NixOSHardware) != len(c.NixOSHardware) {
		t.Fatalf("counts differ: %d/%d/%d", len(got.NixOS), len(got.Home), len(got.NixOSHardware))
	}
	for _, e := range got.NixOS {
		if e.Name == "desktop" && (e.Flag != "desktop" || e.Default || len(e.Requires) != 1 || len(e.Home) != 3) {
			t.Errorf("desktop %+v", e)
		}
		if e.Requires == nil {
			t.Errorf("%s: requires is null, want []", e.Name)
		}
	}
	if _, err := run(t, "extra"); err == nil {
		t.Error("arguments are rejected")
	}
}
