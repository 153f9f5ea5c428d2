package webmanifest

import (
	"net/url"
	"strings"
	"testing"
)

func TestSlugAndID(t *testing.T) {
	for in, want := range map[string]string{
		"Proton Mail":      "proton-mail",
		"  YouTube Music!": "youtube-music",
		"Ünïcode App 2":    "n-code-app-2",
		"---":              "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if ValidID("") || ValidID("-x") || ValidID("A") || !ValidID("x-1") {
		t.Error("ValidID")
	}
}

func TestCategoriesAndIcon(t *testing.T) {
	m, err := Parse([]byte(`{"name":"X","categories":["Music","social","nonsense"],"icons":[
		{"src":"a.png","sizes":"64x64 128x128"},
		{"src":"b.png","sizes":"256x256","purpose":"monochrome"},
		{"src":"c.webp","sizes":"512x512","type":"image/webp"},
		{"src":"d.png","sizes":"192x192","type":"image/png","purpose":"maskable any"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.DesktopCategories(), ","); got != "AudioVideo,Audio,Network,Chat" {
		t.Errorf("categories = %s", got)
	}
	if ic, ok := m.BestIcon(); !ok || ic.Src != "d.png" {
		t.Errorf("best icon = %+v, %v; want d.png (largest PNG usable as any)", ic, ok)
	}
	none, _ := Parse([]byte(`{"name":"Y"}`))
	if got := strings.Join(none.DesktopCategories(), ","); got != "Network" {
		t.Errorf("no categories → %s", got)
	}
	if _, ok := none.BestIcon(); ok {
		t.Error("no icons, but one was found")
	}
}

func TestOpenURL(t *testing.T) {
	base, _ := url.Parse("https://app.example/sub/manifest.json")
	for in, want := range map[string]string{
		`{"name":"a","start_url":"./?src=pwa"}`:        "https://app.example/sub/?src=pwa",
		`{"name":"a","scope":"/"}`:                     "https://app.example/",
		`{"name":"a","start_url":"https://x.example"}`: "https://x.example",
	} {
		m, _ := Parse([]byte(in))
		got, err := m.OpenURL(base)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", in, got, err, want)
		}
	}
	m, _ := Parse([]byte(`{"name":"a","start_url":"javascript:alert(1)"}`))
	if _, err := m.OpenURL(base); err == nil {
		t.Error("a javascript: start_url was accepted")
	}
}
