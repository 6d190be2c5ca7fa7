package incident

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A regime bound to a service binds incidents declared from then on and
// those still unresolved then; an incident closed before is left alone, so
// filling in the catalogue does not make years of past incidents overdue.
func TestRegimeBindsFromItsAttachment(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pm.db"), WithClock(clock))
	require.NoError(t, err)
	defer s.Close()
	rs, err := LoadRegimes()
	require.NoError(t, err)

	closed := &Incident{Title: "old", Services: []string{"talk"}, Severity: SEV2, StartedAt: at("2024-05-21T08:30:00+09:00"),
		ResolvedAt: at("2024-05-21T09:24:00+09:00")}
	require.NoError(t, s.CreateIncident(ctx, closed))
	open := &Incident{Title: "running", Services: []string{"talk"}, Severity: SEV1, StartedAt: at("2026-11-27T20:00:00+09:00")}
	require.NoError(t, s.CreateIncident(ctx, open))

	now = now.Add(time.Hour)
	_, created, err := s.SetService(ctx, "talk", ServiceChange{SetRegimes: true, Regimes: []string{"kr-msit"}}, rs)
	require.NoError(t, err)
	assert.True(t, created)

	ds, err := s.Duties(ctx, closed.ID, rs)
	require.NoError(t, err)
	assert.Empty(t, ds, "resolved before the regime was bound")
	ds, err = s.Duties(ctx, open.ID, rs)
	require.NoError(t, err)
	assert.Len(t, ds, 2, "unresolved when it was bound: report and notice")

	// Set again: the moment it was first bound stays.
	now = now.Add(time.Hour)
	svc, created, err := s.SetService(ctx, "talk", ServiceChange{SetRegimes: true, Regimes: []string{"kr-msit"}, SetGroups: true, Groups: []string{"dc1"}}, rs)
	require.NoError(t, err)
	assert.False(t, created)
	require.Len(t, svc.Regimes, 1)
	assert.Equal(t, time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC), svc.Regimes[0].Since)
	assert.Equal(t, []string{"dc1"}, svc.Groups)

	// Cleared with an empty list.
	svc, _, err = s.SetService(ctx, "talk", ServiceChange{SetRegimes: true}, rs)
	require.NoError(t, err)
	assert.Empty(t, svc.Regimes)
	ds, err = s.Duties(ctx, open.ID, rs)
	require.NoError(t, err)
	assert.Empty(t, ds)
	v, err := s.Verify(ctx, "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)
}

// A field added after the history began is absent from the creation rows
// written before: it reads as NULL there, and only that field may be.
func TestCreationRowsBeforeAFieldWasAdded(t *testing.T) {
	old := `{"at":"2024-05-20T23:30:00Z","author":"","id":"1","incident_id":"1","kind":"note","recorded_at":"2024-05-20T23:30:00Z","retract_reason":"","retracted_at":null,"text":"x"}`
	r, err := rowFromJSON(eventEntity, old)
	require.NoError(t, err)
	assert.False(t, r[eventEntity.field("notice")].Valid)
	_, err = rowFromJSON(eventEntity, `{"at":"2024-05-20T23:30:00Z","author":"","id":"1","incident_id":"1","kind":"note","recorded_at":"2024-05-20T23:30:00Z","retract_reason":"","retracted_at":null,"notice":null}`)
	assert.Error(t, err, "text is no later field")
}

// A database written by the build before the catalogue (schema 6, with
// its history) opens, migrates, and verifies: the history is copied whole,
// the events' creation rows without "notice" still replay.
func TestUpgradeFromSchema6(t *testing.T) {
	ctx := context.Background()
	s := openCopy(t, "schema-6.db")
	v, err := s.Verify(ctx, "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)

	rs, err := LoadRegimes()
	require.NoError(t, err)
	ds, err := s.Duties(ctx, 3, rs)
	require.NoError(t, err)
	status := map[string]string{}
	for _, d := range ds {
		status[d.Kind] = d.Status(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	}
	assert.Equal(t, map[string]string{"ministry-report": "met", "user-notice": "overdue", "compensation-notice": "open"}, status,
		"the order's submission meets the report; the order's regime binds the incident")

	e := &Event{IncidentID: 3, At: time.Date(2024, 5, 21, 0, 50, 0, 0, time.UTC), Kind: KindComms, Text: "공지", Notice: NoticeUsers}
	require.NoError(t, s.AddEvent(ctx, e))
	v, err = s.Verify(ctx, "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)
	ds, err = s.Duties(ctx, 3, rs)
	require.NoError(t, err)
	for _, d := range ds {
		if d.Kind == "user-notice" {
			assert.Equal(t, "late", d.Status(time.Now()))
		}
	}
}

// A database of schema 11 (one finding per area, replaced in place) opens
// and numbers its findings in the ministry's order of areas; the history
// records the change of form, so the chain verifies, and the state known
// before the upgrade still reads.
func TestUpgradeNumbersFindings(t *testing.T) {
	ctx := context.Background()
	s := openCopy(t, "schema-11.db")
	v, err := s.Verify(ctx, "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)

	orders, err := s.Orders(ctx)
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.Equal(t, []Finding{
		{No: 1, Area: AreaPretest, Text: "사전 테스트 미흡 (고침)"},
		{No: 2, Area: AreaRCA, Text: "근본 원인 분석 미흡"},
	}, orders[0].Findings)

	var hist []Change
	require.NoError(t, s.read(ctx, func(q querier) error {
		hist, err = queryHistory(ctx, q, `WHERE entity = 'order'`)
		return err
	}))
	var reshaped *Change
	for i := range hist {
		if hist[i].Entity == "order" && hist[i].Field == "findings" && hist[i].Author == "postmortem" {
			reshaped = &hist[i]
		}
	}
	require.NotNil(t, reshaped, "the upgrade's change of form is in the history")
	assert.Equal(t, "schema upgrade", reshaped.Reason)

	rs, err := LoadRegimes()
	require.NoError(t, err)
	at, err := parseTime(reshaped.At)
	require.NoError(t, err)
	before, err := s.OrderView(ctx, 1, rs, Point{KnownAt: at.Add(-time.Second)}, time.UTC)
	require.NoError(t, err)
	assert.Equal(t, orders[0].Findings, before.Order.Findings, "history of the old form reads as the upgrade numbered it")

	no, err := s.AddFinding(ctx, 1, AreaPretest, "변경 통제 미흡", "")
	require.NoError(t, err)
	assert.Equal(t, 3, no, "an area now holds several findings")
	v, err = s.Verify(ctx, "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)
}

// openCopy opens a copy of a database kept in testdata (written by an
// older build), closed when the test ends.
func openCopy(t *testing.T, name string) *Store {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "pm.db")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	s, err := Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// One rule for a service's name everywhere (foldName): a service the
// catalogue spells with capitals, and an incident that spells it another
// way, meet in the duties, the deadlines, the home screen, the gate and the
// review alike.
func TestCapitalisedServiceNames(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pm.db"), WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	defer s.Close()
	rs, err := LoadRegimes()
	require.NoError(t, err)
	for _, name := range []string{"Java-API", "카카오톡 PC"} {
		_, _, err = s.SetService(ctx, name, ServiceChange{SetRegimes: true, Regimes: []string{"kr-msit"}}, rs)
		require.NoError(t, err)
	}
	for _, svc := range []string{"JAVA-api", "카카오톡 pc"} {
		t.Run(svc, func(t *testing.T) {
			in := &Incident{Title: "down", Services: []string{svc}, Severity: SEV1, StartedAt: at("2026-11-27T20:00:00+09:00")}
			require.NoError(t, s.CreateIncident(ctx, in))
			ds, err := s.Duties(ctx, in.ID, rs)
			require.NoError(t, err)
			require.NotEmpty(t, ds, "duty list")

			dues, _, err := s.OpenDues(ctx, rs, now, time.UTC, 0)
			require.NoError(t, err)
			var mine int
			for _, d := range dues {
				if d.IncidentID == in.ID {
					mine++
				}
			}
			assert.Equal(t, len(ds), mine, "deadlines list every duty of the incident")

			home, err := s.Overview(ctx, ListFilter{}, rs, now, time.UTC, 20)
			require.NoError(t, err)
			mine = 0
			for _, d := range home.Dues {
				if d.IncidentID == in.ID {
					mine++
				}
			}
			assert.Equal(t, len(ds), mine, "the home screen lists them")

			g, err := s.CheckGate(ctx, []string{svc}, now)
			require.NoError(t, err)
			assert.True(t, g.Blocked(), "the gate stops work on it")

			w, err := DaysWindow(NewDate(2026, 11, 27), NewDate(2026, 11, 27), time.UTC)
			require.NoError(t, err)
			r, err := s.Review(ctx, w, ReviewFilter{Services: []string{svc}}, rs)
			require.NoError(t, err)
			assert.Equal(t, 1, r.Current.Incidents, "stats for the service count it")
			_, err = s.UpdateIncident(ctx, in.ID, func(in *Incident) error {
				in.Status, in.ResolvedAt = StatusResolved, &now
				return nil
			})
			require.NoError(t, err)
		})
	}
	assert.Equal(t, "java-api", foldName(" Java-API "))
	assert.Equal(t, "카카오톡 pc", foldName("카카오톡 PC"))
}
