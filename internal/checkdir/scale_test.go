package checkdir

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axios-nix/axios/internal/cmdtest"
	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/hostrules"
)

// manyKeysHost returns a host file of n short unknown top-level keys after
// a valid header, just under MaxFileSize for n = 40000 (issue 11: a 256 KiB
// host of 40k short keys took 21 s because every key position rescanned the
// file from its start).
func manyKeysHost(n int) []byte {
	var b strings.Builder
	b.WriteString("hostname = \"tower\"\n")
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for i := 0; i < n; i++ {
		k := []byte{alphabet[i%62], alphabet[i/62%62], alphabet[i/62/62%62]}
		b.Write(k[:2+min(1, i/(62*62))])
		b.WriteString("=1\n")
	}
	return []byte(b.String())
}

func checkManyKeys(t testing.TB, data []byte) time.Duration {
	t.Helper()
	start := time.Now()
	rep := CheckBytes(data, "tower.toml", hostrules.Options{})
	d := time.Since(start)
	if len(rep.Diagnostics) == 0 {
		t.Fatal("no diagnostics for a host of unknown keys")
	}
	if rep.Diagnostics[len(rep.Diagnostics)-1].Line == 0 {
		t.Fatalf("the last diagnostic has no line: %+v", rep.Diagnostics[len(rep.Diagnostics)-1])
	}
	return d
}

// TestCheckLinearInKeys checks a 40k-key host against a 10k-key one: four
// times the keys may take at most ~10 times as long (a quadratic lookup
// takes 16 times as long), and the 40k-key host checks in well under a
// second even on a loaded machine.
func TestCheckLinearInKeys(t *testing.T) {
	small, big := manyKeysHost(10000), manyKeysHost(40000)
	if len(big) > hostfile.MaxFileSize {
		t.Fatalf("the 40k-key host is %d bytes, over MaxFileSize", len(big))
	}
	checkManyKeys(t, small) // warm up the embedded rules and catalog
	best := func(data []byte) time.Duration {
		var min time.Duration
		for i := 0; i < 3; i++ {
			if d := checkManyKeys(t, data); i == 0 || d < min {
				min = d
			}
		}
		return min
	}
	// Timing on a shared machine is noisy: a quadratic lookup is 16× on
	// every attempt, a linear one 4×, so one clean attempt of three proves
	// linearity and a noisy one is measured again.
	var ds, db time.Duration
	for attempt := 1; attempt <= 3; attempt++ {
		ds, db = best(small), best(big)
		t.Logf("attempt %d: 10k keys: %v, 40k keys: %v (ratio %.1f)", attempt, ds, db, float64(db)/float64(ds))
		if db <= 10*ds+20*time.Millisecond && db <= 2*time.Second {
			return
		}
	}
	if db > 10*ds+20*time.Millisecond {
		t.Errorf("40k keys took %v, 10k keys %v: more than linear", db, ds)
	}
	if db > 2*time.Second {
		t.Errorf("40k keys took %v (the goal is under 100 ms)", db)
	}
}

// TestCheckFileManyKeys is the same through a file, as `axios check` reads
// it: one AX001 naming the limit and the line of the first key over it.
func TestCheckFileManyKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tower.toml")
	cmdtest.Write(t, file, string(manyKeysHost(40000)))
	start := time.Now()
	rep, err := CheckFile(file, hostrules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CheckFile on 40k keys: %v", time.Since(start))
	if len(rep.Diagnostics) != 1 {
		t.Fatalf("want one diagnostic, got %d: %+v", len(rep.Diagnostics), rep.Diagnostics[:min(3, len(rep.Diagnostics))])
	}
	d := rep.Diagnostics[0]
	if d.Code != CodeSyntax || d.Line != hostfile.MaxKeys+1 || !strings.Contains(d.Message, fmt.Sprintf("40001 keys, more than %d", hostfile.MaxKeys)) || !strings.Contains(d.Fix, ".nix module") {
		t.Errorf("diagnostic: %+v", d)
	}
}

// atKeyLimit is a host of exactly MaxKeys keys: hostname, the extraConfig
// header and its keys.
func atKeyLimit() []byte {
	var b strings.Builder
	b.WriteString("hostname = \"tower\"\n[extraConfig]\n")
	for i := 0; i < hostfile.MaxKeys-2; i++ {
		fmt.Fprintf(&b, "k%d = %d\n", i, i)
	}
	return []byte(b.String())
}

// TestCheckAtKeyLimit: a host of MaxKeys keys is decoded and validated (not
// refused), quickly.
func TestCheckAtKeyLimit(t *testing.T) {
	data := atKeyLimit()
	start := time.Now()
	h, err := hostfile.Parse(data, "tower.toml")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Parse of %d keys: %v", hostfile.MaxKeys, time.Since(start))
	if got := len(h.Values["extraConfig"].(map[string]any)); got != hostfile.MaxKeys-2 {
		t.Errorf("extraConfig has %d keys, want %d", got, hostfile.MaxKeys-2)
	}
	if p, ok := h.Position(fmt.Sprintf("extraConfig.k%d", hostfile.MaxKeys-3)); !ok || p.Line != hostfile.MaxKeys {
		t.Errorf("position of the last key: %+v %v", p, ok)
	}
	_, err = hostfile.Parse(append(data, "one = 1\n"...), "tower.toml")
	var pe *hostfile.ParseError
	if !errors.As(err, &pe) || pe.Line != hostfile.MaxKeys+1 {
		t.Errorf("one key over the limit: %v", err)
	}
}

// BenchmarkCheckMaxKeys times the check of the largest host Parse decodes
// (MaxKeys keys).
func BenchmarkCheckMaxKeys(b *testing.B) {
	data := atKeyLimit()
	for i := 0; i < b.N; i++ {
		CheckBytes(data, "tower.toml", hostrules.Options{})
	}
}

// BenchmarkCheck40kKeys times `axios check`'s parse, validate on a 256 KiB
// host of 40k short keys: go test ./internal/checkdir -run '^$' -bench Check40kKeys
func BenchmarkCheck40kKeys(b *testing.B) {
	data := manyKeysHost(40000)
	checkManyKeys(b, data)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		CheckBytes(data, "tower.toml", hostrules.Options{})
	}
}
