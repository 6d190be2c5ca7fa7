package incident

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The canonical text of a gathered field is SQLite's own: written again
// in Go it is the same bytes (so every history kept so far still
// verifies), and PostgreSQL's spaced JSON becomes those bytes too.
func TestCanonicalJSONIsSQLites(t *testing.T) {
	s, _ := openFile(t)
	tricky := []string{"plain", "메시지 \"지연\"", `back\slash`, "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "\u2028\u2029 <&> 😀", ""}
	for c := 0; c < 0x80; c++ {
		tricky = append(tricky, string(rune(c)))
	}
	list, err := json.Marshal(tricky)
	require.NoError(t, err)
	var sqlite string
	require.NoError(t, s.db.QueryRowContext(context.Background(),
		`SELECT json_group_array(json_object('no', key, 'text', value)) FROM json_each(?)`, string(list)).Scan(&sqlite))
	got, err := canonicalJSON(sqlite)
	require.NoError(t, err)
	assert.Equal(t, sqlite, got)

	for pg, want := range map[string]string{
		`[ "a" , 1, null ]`:                  `["a",1,null]`,
		`{ "a" : "b", "c" : { "d" : [] } }`:  `{"a":"b","c":{"d":[]}}`,
		`[{"no" : 2, "text" : "\u0007\/x"}]`: `[{"no":2,"text":"\u0007/x"}]`,
		`{"z" : 1, "a" : 2}`:                 `{"z":1,"a":2}`,
		`[ ]`:                                `[]`,
	} {
		got, err := canonicalJSON(pg)
		require.NoError(t, err)
		assert.Equal(t, want, got, pg)
	}
}
