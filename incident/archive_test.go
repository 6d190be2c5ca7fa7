package incident

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An archived document changed behind postmortem's back (its bytes, with
// the triggers dropped) is found by verify and refused by Archived.
func TestArchiveTamperingIsFound(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	in := newIncident(t, s)
	o := &Order{Regime: "kr-msit", Authority: "MSIT", Received: NewDate(2024, 5, 31), Incidents: []int64{in.ID}}
	require.NoError(t, s.CreateOrder(ctx, o))
	_, err := s.Submit(ctx, o.ID, "improvement-plan", NewDate(2024, 6, 28), nil, false)
	require.NoError(t, err)
	require.NoError(t, s.Archive(ctx, o.ID, "improvement-plan", map[string][]byte{"pdf": []byte("%PDF original"), "md": []byte("# original")}, "1:abc"))
	assert.ErrorIs(t, s.Archive(ctx, o.ID, "improvement-plan", map[string][]byte{"pdf": []byte("%PDF other")}, "1:abc"), ErrInvalid, "archived once")
	a, err := s.Archived(ctx, o.ID, "improvement-plan", "pdf")
	require.NoError(t, err)
	assert.Equal(t, "%PDF original", string(a.Bytes))
	v, err := s.Verify(ctx, "")
	require.NoError(t, err)
	require.Empty(t, v.Problem)

	_, err = tamper(s, `UPDATE archives SET bytes = ? WHERE format = 'pdf'`, []byte("%PDF forged"))
	require.Error(t, err, "the trigger refuses an update")
	forge := `DROP TRIGGER archives_no_update; UPDATE archives SET bytes = x'2550444620666f72676564' WHERE format = 'pdf'`
	if s.d.pg {
		forge = `ALTER TABLE archives DISABLE TRIGGER archives_no_update; UPDATE archives SET bytes = '\x2550444620666f72676564' WHERE format = 'pdf'`
	}
	_, err = tamper(s, forge)
	require.NoError(t, err)
	_, err = s.Archived(ctx, o.ID, "improvement-plan", "pdf")
	assert.ErrorIs(t, err, ErrBroken)
	v, err = s.Verify(ctx, "")
	require.NoError(t, err)
	assert.Contains(t, v.Problem, "the archived pdf of improvement-plan was changed")
}
