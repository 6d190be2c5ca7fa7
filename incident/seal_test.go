package incident

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sealedStore is a store with an incident, a seal, more changes, and a
// second seal: what an organisation that seals each submission holds.
func sealedStore(t *testing.T) (*Store, *stepClock, ed25519.PublicKey) {
	t.Helper()
	ctx := context.Background()
	s, clock, _ := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	in := newIncident(t, s)
	clock.t = clock.t.Add(time.Hour)
	require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: in.StartedAt.Add(2 * time.Minute), Kind: KindDetect, Text: "경보"}))
	_, err = s.Seal(ctx, key, "plan submitted")
	require.NoError(t, err)
	clock.t = clock.t.Add(time.Hour)
	require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: in.StartedAt.Add(9 * time.Minute), Kind: KindMitigate, Text: "페일오버"}))
	_, err = s.Seal(ctx, key, "report submitted")
	require.NoError(t, err)
	return s, clock, pub
}

// rewrite changes history row seq with edit (on the row as stored), then
// recomputes the hash of it and every row after, as anyone who can write
// the file and read the source can: the plain chain stays intact.
func rewrite(t *testing.T, s *Store, seq int64, edit func(c *Change)) {
	t.Helper()
	rows, err := s.db.Query(`SELECT ` + historyColumns + ` FROM history ORDER BY seq`)
	require.NoError(t, err)
	var all []Change
	for rows.Next() {
		c, err := scanChange(rows)
		require.NoError(t, err)
		all = append(all, c)
	}
	require.NoError(t, rows.Close())
	_, err = tamper(s, `DROP TRIGGER history_no_update`)
	require.NoError(t, err)
	prev := ""
	for i := range all {
		c := &all[i]
		if c.Seq == seq {
			edit(c)
		}
		c.Prev = prev
		c.Hash = c.sum()
		prev = c.Hash
		_, err := tamper(s, `UPDATE history SET at = ?, author = ?, new = ?, prev = ?, hash = ? WHERE seq = ?`, c.At, c.Author, c.New, c.Prev, c.Hash, c.Seq)
		require.NoError(t, err)
	}
	restore := guard[0].sql
	if s.d.pg {
		restore = pgGuard[1].sql
	}
	_, err = tamper(s, restore)
	require.NoError(t, err)
}

func TestSealsCatchARewrittenHistory(t *testing.T) {
	ctx := context.Background()
	t.Run("untouched", func(t *testing.T) {
		s, _, pub := sealedStore(t)
		v, err := s.Verify(ctx, "", pub)
		require.NoError(t, err)
		assert.True(t, v.OK(), v.Problem)
		require.Len(t, v.Seals, 2)
		for _, sc := range v.Seals {
			assert.Empty(t, sc.Problem)
			assert.Equal(t, Fingerprint(pub), sc.Fingerprint)
		}
		other, _, err := ed25519.GenerateKey(rand.Reader)
		require.NoError(t, err)
		v, err = s.Verify(ctx, "", other)
		require.NoError(t, err)
		assert.False(t, v.OK(), "a seal by a key not given does not pass")
		assert.Contains(t, v.Seals[0].Problem, "not a key given")
	})
	t.Run("recomputed chain", func(t *testing.T) {
		s, _, pub := sealedStore(t)
		// The detect event's text is changed in the record and in its
		// creation row, and every hash after it recomputed.
		_, err := tamper(s, `UPDATE events SET text = '정상' WHERE kind = 'detect'`)
		require.NoError(t, err)
		var seq int64
		require.NoError(t, s.db.QueryRow(`SELECT seq FROM history WHERE entity = 'event' AND new LIKE '%경보%'`).Scan(&seq))
		rewrite(t, s, seq, func(c *Change) { n := strings.Replace(*c.New, "경보", "정상", 1); c.New = &n })
		v, err := s.Verify(ctx, "")
		require.NoError(t, err)
		assert.True(t, v.OK(), "without a key the rewrite passes: %s", v.Problem)
		v, err = s.Verify(ctx, "", pub)
		require.NoError(t, err)
		assert.False(t, v.OK())
		require.NotEmpty(t, v.Seals)
		assert.Regexp(t, `sealed head [0-9a-f]{12} of 2024-05-21 is no longer in the history`, v.Seals[0].Problem)
	})
	t.Run("seal moved to the new head", func(t *testing.T) {
		s, _, pub := sealedStore(t)
		var seq int64
		require.NoError(t, s.db.QueryRow(`SELECT seq FROM history WHERE entity = 'seal' ORDER BY seq LIMIT 1`).Scan(&seq))
		rewrite(t, s, seq, func(c *Change) { n := strings.Replace(*c.New, `"rows":`, `"rows":1`, 1); c.New = &n })
		v, err := s.Verify(ctx, "", pub)
		require.NoError(t, err)
		assert.Contains(t, v.Seals[0].Problem, "its signature does not verify")
	})
	t.Run("forged row dated 2020", func(t *testing.T) {
		s, _, pub := sealedStore(t)
		// An "auditor" row appended at the end, dated 2020, changing the
		// severity, and the record changed to match.
		var last Change
		rows, err := s.db.Query(`SELECT ` + historyColumns + ` FROM history ORDER BY seq DESC LIMIT 1`)
		require.NoError(t, err)
		require.True(t, rows.Next())
		last, err = scanChange(rows)
		require.NoError(t, err)
		require.NoError(t, rows.Close())
		one, old, sev := int64(1), "SEV1", "SEV4"
		c := Change{Seq: last.Seq + 1, At: "2020-01-01T00:00:00Z", Author: "auditor", Entity: "incident", RecordID: 1, IncidentID: &one,
			Field: "severity", Old: &old, New: &sev, Prev: last.Hash}
		c.Hash = c.sum()
		_, err = tamper(s, `INSERT INTO history (`+historyColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.Seq, c.At, c.Author, c.Entity, c.RecordID, c.IncidentID, c.Field, c.Old, c.New, c.Reason, c.Prev, c.Hash)
		require.NoError(t, err)
		_, err = tamper(s, `UPDATE incidents SET severity = 'SEV4'`)
		require.NoError(t, err)
		for _, keys := range [][]ed25519.PublicKey{nil, {pub}} {
			v, err := s.Verify(ctx, "", keys...)
			require.NoError(t, err)
			assert.False(t, v.OK())
			assert.Contains(t, v.Problem, fmt.Sprintf("history row %d (incident 1 severity) is dated 2020-01-01T00:00:00Z, before the row ahead of it", c.Seq))
		}
	})
	t.Run("row dated in the future", func(t *testing.T) {
		s, clock, _ := sealedStore(t)
		clock.t = clock.t.Add(24 * time.Hour)
		require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: 1, At: clock.t.Add(-time.Hour), Kind: KindNote, Text: "x"}))
		clock.t = clock.t.Add(-12 * time.Hour) // verify runs on a machine whose clock says half a day earlier
		v, err := s.Verify(ctx, "")
		require.NoError(t, err)
		assert.Contains(t, v.Problem, "in the future")
	})
	t.Run("guard dropped", func(t *testing.T) {
		s, _, pub := sealedStore(t)
		_, err := tamper(s, `DROP TRIGGER history_no_delete; DROP TRIGGER history_no_update`)
		require.NoError(t, err)
		v, err := s.Verify(ctx, "", pub)
		require.NoError(t, err)
		assert.False(t, v.OK())
		assert.Contains(t, v.Problem, "append-only guard is missing (trigger history_no_update, history_no_delete dropped)")
		// The next write puts it back.
		require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: 1, At: time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC), Kind: KindNote, Text: "x"}))
		v, err = s.Verify(ctx, "", pub)
		require.NoError(t, err)
		assert.True(t, v.OK(), v.Problem)
		_, err = tamper(s, `DELETE FROM history`)
		assert.ErrorContains(t, err, "append-only")
	})
	t.Run("guard altered", func(t *testing.T) {
		s, _, _ := sealedStore(t)
		altered := `DROP TRIGGER history_no_delete; CREATE TRIGGER history_no_delete BEFORE DELETE ON history BEGIN SELECT 1; END`
		if s.d.pg {
			altered = `ALTER TABLE history DISABLE TRIGGER history_no_delete`
		}
		_, err := tamper(s, altered)
		require.NoError(t, err)
		v, err := s.Verify(ctx, "")
		require.NoError(t, err)
		assert.Contains(t, v.Problem, "guard was altered (trigger history_no_delete)")
	})
}

// --head says what became of a head printed earlier: found, rows removed,
// or the history rewritten (between which seals).
func TestVerifyHeadSaysWhatHappened(t *testing.T) {
	ctx := context.Background()
	s, _, _ := sealedStore(t)
	before := mustVerify(t, s)
	head := fmt.Sprintf("%d:%s", before.Rows, strings.ToUpper(before.Head))
	v, err := s.Verify(ctx, head)
	require.NoError(t, err)
	assert.True(t, v.OK(), "upper case and ROWS:HASH are taken: %s", v.HeadProblem)

	t.Run("removed", func(t *testing.T) {
		s, _, _ := sealedStore(t)
		before := mustVerify(t, s)
		_, err := tamper(s, `DROP TRIGGER history_no_delete; DELETE FROM history WHERE seq = (SELECT max(seq) FROM history)`)
		require.NoError(t, err)
		v, err := s.Verify(ctx, fmt.Sprintf("%d:%s", before.Rows, before.Head))
		require.NoError(t, err)
		assert.False(t, v.OK())
		assert.Contains(t, v.HeadProblem, fmt.Sprintf("rows %d to %d were removed", before.Rows, before.Rows))
	})
	t.Run("rewritten", func(t *testing.T) {
		s, _, _ := sealedStore(t)
		before := mustVerify(t, s)
		rewrite(t, s, before.Rows, func(c *Change) { c.Author = "someone else" })
		v, err := s.Verify(ctx, fmt.Sprintf("%d:%s", before.Rows, before.Head))
		require.NoError(t, err)
		assert.False(t, v.OK())
		assert.Contains(t, v.HeadProblem, fmt.Sprintf("the history up to row %d was rewritten", before.Rows))
		assert.Contains(t, v.HeadProblem, "it still passes through the head sealed at row")
		v, err = s.Verify(ctx, before.Head)
		require.NoError(t, err)
		assert.Contains(t, v.HeadProblem, "cut or rewritten")
		assert.NotContains(t, v.HeadProblem, "removed")
	})
	_, err = ParseHead("12:zz")
	assert.ErrorContains(t, err, "not a head hash")
}

// An import checks the history's times as verify does: each a time, in
// order, none in the future.
func TestImportChecksHistoryTime(t *testing.T) {
	ctx := context.Background()
	src, clock, _ := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
	newIncident(t, src)
	clock.t = clock.t.Add(time.Hour)
	require.NoError(t, src.AddEvent(ctx, &Event{IncidentID: 1, At: time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC), Kind: KindNote, Text: "x"}))
	var buf bytes.Buffer
	require.NoError(t, src.ExportTo(ctx, &buf, nil))
	good := buf.String()
	d, err := ReadDump(strings.NewReader(good))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(d.History), 2)
	for name, at := range map[string][2]string{
		"not a time":    {"yesterday", `its time "yesterday" is not a time`},
		"fraction":      {"2024-05-21T00:00:00.5Z", `is not a time`},
		"backwards":     {"2020-01-01T00:00:00Z", "before the row ahead of it"},
		"in the future": {"2099-01-01T00:00:00Z", "in the future"},
	} {
		t.Run(name, func(t *testing.T) {
			d, err := ReadDump(strings.NewReader(good))
			require.NoError(t, err)
			last := len(d.History) - 1
			d.History[last].At = at[0]
			prev := ""
			if last > 0 {
				prev = d.History[last-1].Hash
			}
			d.History[last].Prev = prev
			d.History[last].Hash = d.History[last].sum()
			dst, _ := openTemp(t)
			_, err = dst.Import(ctx, d, false)
			require.Error(t, err)
			assert.Contains(t, err.Error(), at[1])
		})
	}
}

func TestSmallerRefusals(t *testing.T) {
	loc := time.UTC
	now := time.Date(2024, 5, 21, 12, 0, 0, 0, time.UTC)
	for _, v := range []string{"2024-05-21T08:30:00.5Z", "2024-05-21 08:30:00.250", "08:30:00.1", "2024-05-21 08:30:00.9 +09:00"} {
		_, err := ParseTime("at", v, loc, now)
		assert.ErrorContains(t, err, "has a fraction of a second", v)
	}
	got, err := ParseTime("at", "2024-05-21T08:30:00.000Z", loc, now)
	require.NoError(t, err, "a fraction of zero loses nothing")
	assert.Equal(t, time.Date(2024, 5, 21, 8, 30, 0, 0, time.UTC), got)

	for _, zw := range []string{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} {
		assert.NotContains(t, Printable("a"+zw+"b"), zw, "zero-width %U is escaped", []rune(zw)[0])
	}
	_, err = checkName("service", "s\x1b[1m")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"s\x1b[1m" holds control characters`, "escaped once")
}

// A store made by SealingWith seals the head of each change it writes in
// the change's own transaction; a refused change leaves no seal either.
func TestSealingStoreSealsWithTheChange(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
	in := newIncident(t, s)
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	var seals []*Seal
	sealing, err := s.SealingWith(key, "with the change", func(sl *Seal) { seals = append(seals, sl) })
	require.NoError(t, err)
	require.NoError(t, sealing.AddEvent(ctx, &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindNote, Text: "x"}))
	require.Len(t, seals, 1)
	v, err := s.Verify(ctx, "", pub)
	require.NoError(t, err)
	require.True(t, v.OK(), v.Problem)
	assert.Equal(t, v.Rows-1, seals[0].Rows, "the seal is the row after the change it seals")
	assert.Equal(t, "with the change", v.Seals[0].Note)

	err = sealing.AddEvent(ctx, &Event{IncidentID: 99, At: *in.StartedAt, Kind: KindNote, Text: "x"})
	require.Error(t, err)
	assert.Len(t, seals, 1, "a refused change is not sealed")
	after := mustVerify(t, s)
	assert.Equal(t, v.Rows, after.Rows)
	_, err = s.SealingWith(key[:10], "", nil)
	assert.ErrorContains(t, err, "not an Ed25519 private key")
}
