package closure

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, name string) Closure {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data, "")
	if err != nil {
		t.Fatalf("parsing %s: %v", name, err)
	}
	return c
}

func TestParseBothForms(t *testing.T) {
	old := load(t, "old-list.json")
	if len(old) != 7 || old.Size() != 1054123336 {
		t.Errorf("list form: %d paths, %d bytes", len(old), old.Size())
	}
	neu := load(t, "new-object.json")
	if len(neu) != 7 || neu.Size() != 486123900 {
		t.Errorf("object form: %d paths, %d bytes", len(neu), neu.Size())
	}
	if neu[0].Path != "/nix/store/2vkdz1g6zakgi4wavq1ajlxbzq4iyj2d-linux-6.6.66" {
		t.Errorf("not sorted by path: first %s", neu[0].Path)
	}
}

func TestParseBareNamesAndErrors(t *testing.T) {
	c, err := Parse([]byte(`{"abc-hello-2.12":{"narSize":5}}`), "/gnu/store")
	if err != nil || len(c) != 1 || c[0].Path != "/gnu/store/abc-hello-2.12" || c[0].NarSize != 5 {
		t.Errorf("bare key: %v %v", c, err)
	}
	for input, want := range map[string]string{
		``:                          "printed nothing",
		`{"/nix/store/x-a-1":null}`: "not valid",
		`[{"path":"/nix/store/x-a-1","valid":false}]`: "not valid",
		`[{"narSize":1}]`: `no "path"`,
		`"text"`:          "expected a list or an object",
		`[{"path":`:       "parsing nix path-info JSON list",
	} {
		if _, err := Parse([]byte(input), ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", input, err, want)
		}
	}
}

func TestSplitName(t *testing.T) {
	for in, want := range map[string][2]string{
		"/nix/store/7azxbf9ssr0yqwjjh6ccvaw388mfwsaf-firefox-133.0":        {"firefox", "133.0"},
		"/nix/store/7azxbf9ssr0yqwjjh6ccvaw388mfwsaf-etc":                  {"etc", ""},
		"/nix/store/7azxbf9ssr0yqwjjh6ccvaw388mfwsaf-python3.12-foo-1":     {"python3.12-foo", "1"},
		"/nix/store/7azxbf9ssr0yqwjjh6ccvaw388mfwsaf-linux-6.6.63-modules": {"linux", "6.6.63-modules"},
		"hello-2.12": {"hello", "2.12"},
	} {
		n, v := SplitName(in)
		if n != want[0] || v != want[1] {
			t.Errorf("SplitName(%s) = %q %q, want %q", in, n, v, want)
		}
	}
}

func TestCompareRecordedClosures(t *testing.T) {
	d := Compare("old", load(t, "old-list.json"), "new", load(t, "new-object.json"))
	got := map[string]Change{}
	for _, c := range d.Changes {
		got[c.Name] = c
	}
	if len(got) != 4 {
		t.Fatalf("changes %+v", d.Changes)
	}
	if c := got["ghostty"]; c.Kind != Added || c.After[0] != "1.0.0" || c.SizeDelta != 30000000 {
		t.Errorf("ghostty %+v", c)
	}
	if c := got["libreoffice"]; c.Kind != Removed || c.Before[0] != "24.8.3" || c.SizeDelta != -600000000 {
		t.Errorf("libreoffice %+v", c)
	}
	if c := got["linux"]; c.Kind != Updated || strings.Join(c.Before, ",") != "6.6.63,6.6.63-modules" || strings.Join(c.After, ",") != "6.6.66,6.6.66-modules" || c.SizeDelta != 2000000 {
		t.Errorf("linux %+v", c)
	}
	if c := got["nixos-system-tower"]; c.Kind != Updated {
		t.Errorf("system %+v", c)
	}
	if _, ok := got["firefox"]; ok {
		t.Error("firefox has the same version and must not be listed")
	}
	if d.SizeDelta != 486123900-1054123336 {
		t.Errorf("size delta %d", d.SizeDelta)
	}
	var buf bytes.Buffer
	d.Write(&buf)
	out := buf.String()
	for _, want := range []string{
		"  + ghostty 1.0.0  +28.6 MiB\n",
		"  - libreoffice 24.8.3  -572.2 MiB\n",
		"  ~ linux 6.6.63, 6.6.63-modules → 6.6.66, 6.6.66-modules  +1.9 MiB\n",
		"1 added, 1 removed, 2 updated; closure size 1005.3 MiB → 463.6 MiB (-541.7 MiB)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	js, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(js), `"kind":"added"`) {
		t.Errorf("json %s %v", js, err)
	}
}

func TestCompareSame(t *testing.T) {
	c := load(t, "old-list.json")
	d := Compare("a", c, "b", c)
	if !d.Empty() || d.SizeDelta != 0 {
		t.Errorf("%+v", d)
	}
	var buf bytes.Buffer
	d.Write(&buf)
	if !strings.Contains(buf.String(), "no package changes") {
		t.Error(buf.String())
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", -3 << 30: "-3.0 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
