package report

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestZZScratch(t *testing.T) {
	out := os.Getenv("SCRATCH")
	if out == "" {
		t.Skip()
	}
	s := fixtureStoreAt(t, orderClock)
	v := orderView(t, s, kakaoOrder(t, s), docDate.AddDate(0, 2, 27))
	for _, f := range []Format{HTML, Markdown} {
		var page bytes.Buffer
		require.NoError(t, newRenderer(t, "ko", WithDate(docDate.AddDate(0, 2, 27))).Correction(&page, f, v))
		require.NoError(t, os.WriteFile(out+"."+string(f), page.Bytes(), 0o644))
	}
}
