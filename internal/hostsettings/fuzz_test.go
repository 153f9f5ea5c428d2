package hostsettings

import (
	"errors"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/axios-nix/axios/internal/diag"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostfile/hostfiletest"
	"github.com/axios-nix/axios/internal/hostrules"
)

// FuzzParseValidate feeds arbitrary bytes to Parse, Validate, Select and
// Settings: nothing may panic, a failure must be a *ParseError with a
// message, and the results must keep their invariants. The seed corpus is
// testdata/fuzz/FuzzParseValidate (the vectors plus broken files).
func FuzzParseValidate(f *testing.F) {
	f.Add([]byte(hostfiletest.ValidBase))
	known := map[string]bool{}
	for c := range ruleCodes() {
		known[c] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := hostfile.Parse(data, "hosts/fuzz.toml")
		if err != nil {
			var pe *hostfile.ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("error %v is not a ParseError with a message", err)
			}
			return
		}
		ds := hostrules.Validate(h, hostrules.Options{})
		if !sort.SliceIsSorted(ds, func(i, j int) bool {
			if ds[i].Field != ds[j].Field {
				return ds[i].Field < ds[j].Field
			}
			return ds[i].Code < ds[j].Code
		}) {
			t.Fatalf("diagnostics not sorted: %v", diagKeys(ds))
		}
		for _, d := range ds {
			if !known[d.Code] || d.Message == "" || d.Fix == "" || (d.Severity != diag.SeverityError && d.Severity != diag.SeverityWarning) {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		again := hostrules.Validate(h, hostrules.Options{})
		if !reflect.DeepEqual(ds, again) {
			t.Fatalf("Validate is not deterministic")
		}
		sel := hostrules.Select(h, hostrules.Options{})
		names := hostrules.Names(sel.NixOS)
		if !sort.StringsAreSorted(names) || !sort.StringsAreSorted(hostrules.Names(sel.Home)) {
			t.Fatalf("selection not sorted: %v", sel)
		}
		for _, core := range []string{"crashDiagnostics", "hardware", "services"} {
			if !slices.Contains(names, core) {
				t.Fatalf("core module %s not selected: %v", core, names)
			}
		}
		for _, s := range Settings(h, sel, hostrules.Options{}) {
			if len(s.Path) == 0 || s.Source == "" {
				t.Fatalf("bad setting %+v", s)
			}
		}
	})
}

func ruleCodes() map[string]bool {
	_, r := hostrules.Options{}.Resolve()
	out := map[string]bool{}
	for c := range r.Codes {
		out[c] = true
	}
	return out
}

func diagKeys(ds []diag.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Key())
	}
	return out
}
