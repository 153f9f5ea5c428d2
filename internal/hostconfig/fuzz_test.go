package hostconfig

import (
	"errors"
	"reflect"
	"sort"
	"testing"
)

// FuzzParseValidate feeds arbitrary bytes to Parse, Validate, Select and
// Settings: nothing may panic, a failure must be a *ParseError with a
// message, and the results must keep their invariants. The seed corpus is
// testdata/fuzz/FuzzParseValidate (the vectors plus broken files).
func FuzzParseValidate(f *testing.F) {
	f.Add([]byte(validBase))
	known := map[string]bool{}
	for c := range ruleCodes() {
		known[c] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Parse(data, "hosts/fuzz.toml")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("error %v is not a ParseError with a message", err)
			}
			return
		}
		ds := Validate(h, Options{})
		if !sort.SliceIsSorted(ds, func(i, j int) bool {
			if ds[i].Field != ds[j].Field {
				return ds[i].Field < ds[j].Field
			}
			return ds[i].Code < ds[j].Code
		}) {
			t.Fatalf("diagnostics not sorted: %v", keys(ds))
		}
		for _, d := range ds {
			if !known[d.Code] || d.Message == "" || d.Fix == "" || (d.Severity != SeverityError && d.Severity != SeverityWarning) {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		again := Validate(h, Options{})
		if !reflect.DeepEqual(ds, again) {
			t.Fatalf("Validate is not deterministic")
		}
		sel := Select(h, Options{})
		names := Names(sel.NixOS)
		if !sort.StringsAreSorted(names) || !sort.StringsAreSorted(Names(sel.Home)) {
			t.Fatalf("selection not sorted: %v", sel)
		}
		for _, core := range []string{"crashDiagnostics", "hardware", "services"} {
			if !contains(names, core) {
				t.Fatalf("core module %s not selected: %v", core, names)
			}
		}
		for _, s := range Settings(h, sel, Options{}) {
			if len(s.Path) == 0 || s.Source == "" {
				t.Fatalf("bad setting %+v", s)
			}
		}
	})
}

func ruleCodes() map[string]bool {
	in := newInterp(&Host{}, Options{})
	out := map[string]bool{}
	for c := range in.rules.Codes {
		out[c] = true
	}
	return out
}
