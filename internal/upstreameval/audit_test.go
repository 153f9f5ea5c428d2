package upstreameval

import (
	"strings"
	"testing"
)

const testTSV = "services.openssh.enable\tboolean\n" +
	"services.greetd.settings\tTOML value\n" +
	"users.users\tattribute set of (submodule)\n" +
	"services.resolved.extraConfig\tstrings concatenated with \"\\n\"\n" +
	"environment.etc.<name>.text\tnull or strings concatenated with \"\\n\"\n"

const testAllow = "# comment\n" +
	"programs.dms-greeter.enable AvengeMedia/dank-greeter:distro/nix/greeter.nix\n" +
	"services.resolved.settings.* nixos/modules/system/boot/resolved.nix\n" +
	"home:programs.foo.enable nix-community/home-manager:modules/programs/foo.nix\n"

const testRemoved = "services.resolved.extraConfig nixos/modules/system/boot/resolved.nix\n"

func newTestAuditor(t *testing.T) *Auditor {
	t.Helper()
	a, err := NewAuditor(strings.NewReader(testTSV), strings.NewReader(testAllow), strings.NewReader(testRemoved))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func def(path string, declared bool, ns ...string) Definition {
	return Definition{Loc: strings.Split(path, "."), Declared: declared, Namespace: ns}
}

func kinds(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind+" "+f.Path)
	}
	return out
}

func TestAuditPassesKnownDefinitions(t *testing.T) {
	a := newTestAuditor(t)
	r := HostResult{Toplevel: "toplevel-ok", Audit: []Definition{
		def("services.openssh.enable", false, "services"),                          // in the option list
		def("services.greetd.settings.default_session.command", false, "services"), // below a free-form option
		def("programs.dms-greeter.enable", true, "programs", "dms-greeter"),        // declared by a module
		def("programs.dms-greeter.enable", false, "programs"),                      // allowlisted
		def("services.resolved.settings.Resolve.DNSSEC", false, "services"),        // allowlisted ".*"
		def("environment.etc.hosts.text", false, "environment"),                    // <name> component
		def("services.gnome.gcr-ssh-agent.enable", false, "services"),              // the stand-in's own
	}, Homes: map[string]map[string]string{"alice": {"programs.git.enable": "ok"}}}
	if got := a.Check(r); len(got) != 0 {
		t.Errorf("findings on a good host: %v", got)
	}
}

// A definition under a namespace that a real input module declares, of an
// option it does not declare (DMS's removed greeter options).
func TestAuditStray(t *testing.T) {
	a := newTestAuditor(t)
	d := def("programs.dank-material-shell.greeter.enable", false, "programs", "dank-material-shell")
	d.DeclaredBy = []string{"/src/DankMaterialShell/distro/nix/options.nix"}
	got := a.Check(HostResult{Toplevel: "toplevel-ok", Audit: []Definition{d}})
	if len(got) != 1 || got[0].Kind != KindStray || got[0].Path != "programs.dank-material-shell.greeter.enable" {
		t.Fatalf("findings = %v, want one stray", kinds(got))
	}
	for _, want := range []string{"does not exist", "programs.dank-material-shell", "distro/nix/options.nix"} {
		if !strings.Contains(got[0].Message, want) {
			t.Errorf("message %q lacks %q", got[0].Message, want)
		}
	}
}

// A NixOS option path that neither the option list nor the allowlist knows;
// a home-manager allowlist line does not count for NixOS.
func TestAuditUnknownOption(t *testing.T) {
	a := newTestAuditor(t)
	got := a.Check(HostResult{Toplevel: "toplevel-ok", Audit: []Definition{
		def("services.opensshh.enable", false, "services"),
		def("programs.foo.enable", false, "programs"),
		def("services.openssh.enable.extra", false, "services"),
	}})
	want := []string{"unknown-option programs.foo.enable", "unknown-option services.openssh.enable.extra", "unknown-option services.opensshh.enable"}
	if g := kinds(got); strings.Join(g, "|") != strings.Join(want, "|") {
		t.Errorf("findings = %v, want %v", g, want)
	}
	if len(got) > 0 && !strings.Contains(got[0].Message, "options-allowlist.txt") {
		t.Errorf("message does not say how to fix it: %s", got[0].Message)
	}
}

func TestAuditRemovedOption(t *testing.T) {
	a := newTestAuditor(t)
	got := a.Check(HostResult{Toplevel: "toplevel-ok", Audit: []Definition{def("services.resolved.extraConfig", false, "services")}})
	if len(got) != 1 || got[0].Kind != KindRemoved {
		t.Errorf("findings = %v, want removed-option", kinds(got))
	}
}

func TestAuditHomeAndToplevel(t *testing.T) {
	a := newTestAuditor(t)
	got := a.Check(HostResult{
		Toplevel:       "something else",
		Homes:          map[string]map[string]string{"bob": {"xdg.configFile": "throws", "programs.git.enable": "ok"}},
		HomeAssertions: map[string][]string{"bob": {"programs.x needs y\n"}},
	})
	want := []string{"home-assertion home-manager.users.bob", "home-throws home-manager.users.bob.xdg.configFile", "toplevel "}
	if g := kinds(got); strings.Join(g, "|") != strings.Join(want, "|") {
		t.Errorf("findings = %v, want %v", g, want)
	}
}

// Attribute names with dots (environment.etc."foo.conf") stay one component.
func TestAuditQuotedComponents(t *testing.T) {
	a := newTestAuditor(t)
	d := Definition{Loc: []string{"environment", "etc", "xdg/foo.conf", "text"}, Namespace: []string{"environment"}}
	if got := a.Check(HostResult{Toplevel: "toplevel-ok", Audit: []Definition{d}}); len(got) != 0 {
		t.Errorf("findings = %v", kinds(got))
	}
	d.Loc[3] = "txt"
	got := a.Check(HostResult{Toplevel: "toplevel-ok", Audit: []Definition{d}})
	if len(got) != 1 || got[0].Path != `environment.etc."xdg/foo.conf".txt` {
		t.Errorf("findings = %v", kinds(got))
	}
}

func TestNewAuditorRejectsBadInput(t *testing.T) {
	if _, err := NewAuditor(strings.NewReader(""), strings.NewReader(""), nil); err == nil {
		t.Error("an empty option list was accepted")
	}
	if _, err := NewAuditor(strings.NewReader(testTSV), strings.NewReader("foo.bar\n"), nil); err == nil || !strings.Contains(err.Error(), "allowlist") {
		t.Errorf("a malformed allowlist: err = %v", err)
	}
}

func TestNixError(t *testing.T) {
	in := "warning: the group 'nixbld' specified in 'build-users-group' does not exist\ntrace: x\nerror: The option `a.b' does not exist.\n       at foo.nix:1:1\n"
	got := NixError(in)
	if !strings.HasPrefix(got, "error: The option `a.b' does not exist.") || strings.Contains(got, "nixbld") || strings.Contains(got, "trace:") {
		t.Errorf("NixError = %q", got)
	}
	long := "error: x\n" + strings.Repeat("line\n", 100)
	if n := strings.Count(NixError(long), "\n"); n > 41 {
		t.Errorf("NixError kept %d lines", n)
	}
	if NixError("") == "" {
		t.Error("an empty stderr gives no message")
	}
}
