package incident

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// BenchmarkStrictJSON is the strict reader's own cost on an import file:
// the May 2024 export, records repeated to 64 MiB.
func BenchmarkStrictJSON(b *testing.B) {
	one, err := os.ReadFile("../testdata/kakao-2024-05.json")
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(one, (64<<20)/len(one))
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := io.Copy(io.Discard, newStrictJSON(bytes.NewReader(data))); err != nil {
			b.Fatal(err)
		}
	}
}
