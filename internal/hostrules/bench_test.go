package hostrules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/axios-nix/axios/internal/hostfile"
	"github.com/axios-nix/axios/internal/testutil"
)

func benchHost(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(b), "tests", "hosts", "multiple-problems.toml"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkValidate measures Validate on a parsed host with many problems.
func BenchmarkValidate(b *testing.B) {
	h, err := hostfile.Parse(benchHost(b), "multiple-problems.toml")
	if err != nil {
		b.Fatal(err)
	}
	Validate(h, Options{}) // parse the embedded catalog and rules once
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(Validate(h, Options{})) == 0 {
			b.Fatal("no diagnostics")
		}
	}
}

// BenchmarkParseValidateSelect measures the whole of `axios check` on one
// host, without process start-up.
func BenchmarkParseValidateSelect(b *testing.B) {
	data := benchHost(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, err := hostfile.Parse(data, "multiple-problems.toml")
		if err != nil {
			b.Fatal(err)
		}
		Validate(h, Options{})
		Select(h, Options{})
	}
}
