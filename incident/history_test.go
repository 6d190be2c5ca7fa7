package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepClock is a store clock a test moves by hand.
type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time { return c.t }

func openClocked(t testing.TB, start time.Time) (*Store, *stepClock, string) {
	t.Helper()
	c := &stepClock{t: start}
	path := testdb.New(t)
	s, err := Open(context.Background(), path, WithClock(c.now), WithAuthor("kim"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, c, path
}

func mustVerify(t *testing.T, s *Store) *Verification {
	t.Helper()
	v, err := s.Verify(context.Background(), "")
	require.NoError(t, err)
	require.True(t, v.OK(), "verify: %s", v.Problem)
	return v
}

func TestEveryChangeIsInTheHistory(t *testing.T) {
	s, clock, _ := openClocked(t, time.Date(2024, 5, 20, 5, 52, 0, 0, time.UTC))
	ctx := context.Background()
	in := &Incident{Title: "메시지 송수신 실패", Severity: SEV2, StartedAt: at("2024-05-20T14:52:00+09:00")}
	require.NoError(t, s.CreateIncident(ctx, in))
	clock.t = clock.t.Add(time.Minute)
	_, err := s.As("", "ministry asked").UpdateIncident(ctx, in.ID, func(x *Incident) error {
		x.Severity = SEV1
		x.MitigatedAt = at("2024-05-20T14:57:00+09:00")
		return nil
	})
	require.NoError(t, err)
	ev := &Event{IncidentID: in.ID, At: clock.t, Kind: KindNote, Text: "wrong incident", Author: "lee"}
	require.NoError(t, s.AddEvent(ctx, ev))
	_, err = s.RetractEvent(ctx, in.ID, ev.ID, "logged on the wrong incident")
	require.NoError(t, err)

	hist, err := s.History(ctx, in.ID)
	require.NoError(t, err)
	byField := map[string]Change{}
	for _, c := range hist {
		byField[c.Entity+"."+c.Field] = c
	}
	sev := byField["incident.severity"]
	assert.Equal(t, "SEV2", *sev.Old)
	assert.Equal(t, "SEV1", *sev.New)
	assert.Equal(t, "ministry asked", sev.Reason)
	assert.Equal(t, "kim", sev.Author)
	mit := byField["incident.mitigated_at"]
	assert.Nil(t, mit.Old)
	assert.Equal(t, "2024-05-20T05:57:00Z", *mit.New)
	ret := byField["event.retract_reason"]
	assert.Equal(t, "logged on the wrong incident", *ret.New)
	assert.Equal(t, "logged on the wrong incident", ret.Reason)

	got, err := s.Incident(ctx, in.ID)
	require.NoError(t, err)
	var system []string
	var retracted *Event
	for i, e := range got.Timeline {
		if e.Kind == KindSystem {
			system = append(system, e.Text)
		}
		if e.ID == ev.ID {
			retracted = &got.Timeline[i]
		}
	}
	assert.Equal(t, []string{"declared SEV2: 메시지 송수신 실패", "severity SEV2 → SEV1", "mitigated"}, system)
	require.NotNil(t, retracted, "a retracted event stays on the timeline")
	assert.True(t, retracted.Retracted())
	assert.Equal(t, "logged on the wrong incident", retracted.RetractReason)

	_, err = s.RetractEvent(ctx, in.ID, ev.ID, "again")
	assert.ErrorIs(t, err, ErrConflict)
	_, err = s.RetractEvent(ctx, in.ID, ev.ID, " ")
	assert.ErrorIs(t, err, ErrInvalid)
	mustVerify(t, s)
}

func TestHistoryRowsCannotBeChanged(t *testing.T) {
	s, _, _ := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
	newIncident(t, s)
	for _, q := range []string{`UPDATE history SET author = 'x'`, `DELETE FROM history`} {
		_, err := tamper(s, q)
		require.Error(t, err, q)
		assert.Contains(t, err.Error(), "append-only")
	}
}

func TestVerifyNamesWhatChanged(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*Store, *Incident, string) {
		s, _, path := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
		in := newIncident(t, s)
		require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindDetect, Text: "경보"}))
		return s, in, path
	}
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"event text", `UPDATE events SET text = 'x' WHERE kind = 'detect'`, "event 2: text is \"x\""},
		{"incident row", `UPDATE incidents SET severity = 'SEV4'`, "incident 1: severity"},
		{"recovery step added", `INSERT INTO recovery_steps VALUES (1, 1, 'x')`, "incident 1: recovery_steps"},
		{"event added", `INSERT INTO events (incident_id, at, kind, text, recorded_at) VALUES (1, '2024-01-01T00:00:00Z', 'note', 'x', '2024-01-01T00:00:00Z')`, "event 3 is in the database but not in the history"},
		{"event deleted", `DELETE FROM events WHERE kind = 'detect'`, "event 2 is in the history but not in the database"},
		{"history row edited", `DROP TRIGGER history_no_update; UPDATE history SET new = replace(new, '경보', 'x') WHERE seq = 3`, "history row 3 (event 2 created): its content does not match its hash"},
		{"history row removed", `DROP TRIGGER history_no_delete; DELETE FROM history WHERE seq = 2`, "history row 3 follows row 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := setup(t)
			mustVerify(t, s)
			_, err := tamper(s, tc.sql)
			require.NoError(t, err)
			v, err := s.Verify(ctx, "")
			require.NoError(t, err)
			assert.False(t, v.OK())
			assert.Contains(t, v.Problem, tc.want)
		})
	}
	t.Run("cut tail", func(t *testing.T) {
		s, _, _ := setup(t)
		before := mustVerify(t, s)
		_, err := tamper(s, `DROP TRIGGER history_no_delete; DELETE FROM history WHERE seq = (SELECT max(seq) FROM history)`)
		require.NoError(t, err)
		v, err := s.Verify(ctx, before.Head)
		require.NoError(t, err)
		assert.False(t, v.OK())
		require.NotNil(t, v.HeadFound)
		assert.False(t, *v.HeadFound)
	})
	t.Run("appended normally", func(t *testing.T) {
		s, in, _ := setup(t)
		before := mustVerify(t, s)
		require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindNote, Text: "more"}))
		v, err := s.Verify(ctx, before.Head)
		require.NoError(t, err)
		assert.True(t, v.OK(), v.Problem)
		assert.Equal(t, before.Rows+1, v.Rows)
	})
}

// TestAsOfAndKnownAt is the order over the May 2024 incidents, written up
// long afterwards: one measure done on 07-10, one on 08-10, each with
// evidence of that day.
func TestAsOfAndKnownAt(t *testing.T) {
	ctx := context.Background()
	kst := mustZone("Asia/Seoul")
	s, clock, _ := openClocked(t, time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC))
	var ids []int64
	for _, day := range []int{13, 20, 21} {
		in := &Incident{Title: fmt.Sprintf("05-%d", day), Severity: SEV1,
			StartedAt: at(fmt.Sprintf("2024-05-%dT08:30:00+09:00", day)), ResolvedAt: at(fmt.Sprintf("2024-05-%dT09:24:00+09:00", day))}
		require.NoError(t, s.CreateIncident(ctx, in))
		ids = append(ids, in.ID)
	}
	o := &Order{Regime: "kr-msit", Authority: "과학기술정보통신부", Received: NewDate(2024, 5, 31), Incidents: ids}
	require.NoError(t, s.CreateOrder(ctx, o))
	var measures []int64
	for _, day := range []int{10, 10} {
		a := &Action{OrderID: &o.ID, Area: AreaPretest, Owner: "infra", Due: NewDate(2024, 8, day+5), Text: "test first"}
		require.NoError(t, s.AddAction(ctx, a))
		measures = append(measures, a.ID)
	}
	done := func(id int64, d Date, evidence string) {
		clock.t = clock.t.Add(time.Hour)
		_, err := s.UpdateAction(ctx, id, kst, func(a *Action) error {
			a.Status, a.DoneOn, a.Evidence = ActionDone, &d, evidence
			return nil
		})
		require.NoError(t, err)
	}
	done(measures[0], NewDate(2024, 7, 10), "July test report")
	beforeSecond := clock.t.Add(30 * time.Minute)
	done(measures[1], NewDate(2024, 8, 10), "August test report")
	rs, err := LoadRegimes()
	require.NoError(t, err)

	view := func(p Point) map[int64]Action {
		v, err := s.OrderView(ctx, o.ID, rs, p, kst)
		require.NoError(t, err)
		out := map[int64]Action{}
		for _, a := range v.Actions {
			out[a.ID] = a
		}
		return out
	}
	july := view(Point{AsOf: time.Date(2024, 7, 20, 23, 59, 59, 0, kst)})
	assert.Equal(t, ActionDone, july[measures[0]].Status)
	assert.Equal(t, "July test report", july[measures[0]].Evidence)
	assert.Equal(t, ActionInProgress, july[measures[1]].Status, "done on 08-10: open as of 07-20")
	assert.Empty(t, july[measures[1]].Evidence, "August evidence is not there in July")
	assert.Nil(t, july[measures[1]].DoneOn)

	sept := view(Point{AsOf: time.Date(2024, 9, 2, 23, 59, 59, 0, kst)})
	assert.Equal(t, ActionDone, sept[measures[0]].Status)
	assert.Equal(t, ActionDone, sept[measures[1]].Status)

	known := view(Point{KnownAt: beforeSecond})
	assert.Equal(t, ActionDone, known[measures[0]].Status)
	assert.Equal(t, ActionPlanned, known[measures[1]].Status, "not yet marked done when the database was asked, whatever date it carries")
	assert.Empty(t, known[measures[1]].Evidence)

	early, err := s.OrderView(ctx, o.ID, rs, Point{KnownAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}, kst)
	assert.ErrorIs(t, err, ErrNotFound, "before the order was recorded: %v", early)

	pm, err := s.Postmortem(ctx, ids[2], Point{AsOf: time.Date(2024, 5, 21, 9, 0, 0, 0, kst)}, nil)
	require.NoError(t, err)
	assert.Nil(t, pm.Incident.ResolvedAt, "resolved at 09:24: not yet at 09:00")
	assert.Equal(t, StatusOpen, pm.Incident.Status)
	assert.Len(t, pm.Incident.Actions, 2, "the order's measures cover each incident it names")
	mustVerify(t, s)
}

func TestBackupWhileWritersRun(t *testing.T) {
	ctx := context.Background()
	s, _ := openFile(t)
	in := newIncident(t, s)
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				if err := s.AddEvent(ctx, &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindAction, Text: fmt.Sprint("step ", i)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	var before int
	require.NoError(t, s.rdb.QueryRow(`SELECT count(*) FROM events`).Scan(&before))
	path := filepath.Join(t.TempDir(), "backup.db")
	v, err := s.Backup(ctx, path)
	close(stop)
	for w := 0; w < 4; w++ {
		require.NoError(t, <-errs)
	}
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)

	b, err := Open(ctx, path)
	require.NoError(t, err)
	defer b.Close()
	var copied int
	require.NoError(t, b.rdb.QueryRow(`SELECT count(*) FROM events`).Scan(&copied))
	assert.GreaterOrEqual(t, copied, before, "every event committed before the backup began")
	mustVerify(t, b)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".backup.db.*"))
	assert.Empty(t, left, "no temporary file left")
}

func TestForeignAndNewerFilesUntouched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite3", other)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me')`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before, err := os.ReadFile(other)
	require.NoError(t, err)
	_, err = Open(ctx, other)
	assert.ErrorIs(t, err, ErrForeign)
	after, err := os.ReadFile(other)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	_, err = os.Stat(other + "-wal")
	assert.True(t, os.IsNotExist(err), "not switched to WAL")

	for _, name := range []string{":memory:", "", "file:x.db?mode=memory"} {
		_, err := Open(ctx, name)
		assert.ErrorIs(t, err, ErrInvalid, name)
	}
}

func TestLegacyDatabaseEntersTheHistory(t *testing.T) {
	// A database written before the history: schema 2, no application id.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=1")
	require.NoError(t, err)
	ms, err := migrations(dialect{})
	require.NoError(t, err)
	for _, m := range ms[:2] {
		_, err := db.Exec(m.sql)
		require.NoError(t, err)
	}
	_, err = db.Exec(`PRAGMA user_version = 2;
		INSERT INTO incidents (id, title, severity, status, created_at, updated_at) VALUES (1, 'old', 'SEV2', 'open', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
		INSERT INTO events (incident_id, at, kind, text, recorded_at) VALUES (1, '2024-01-01T00:00:00Z', 'note', 'kept', '2024-01-01T00:00:00Z')`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	s, err := Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	v := mustVerify(t, s)
	assert.Equal(t, int64(2), v.Rows, "the incident and its event, as they stood")
	var app int
	require.NoError(t, s.rdb.QueryRow(`PRAGMA application_id`).Scan(&app))
	assert.Equal(t, ApplicationID, app)
}

// BenchmarkLogEventNoHistory is BenchmarkLogEvent without the history: the
// same event and transaction, no snapshot and no chained row.
func BenchmarkLogEventNoHistory(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	in := newIncident(b, s)
	now := time.Now().UTC().Truncate(time.Second)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := &Event{IncidentID: in.ID, At: now, Kind: KindAction, Text: "failover started", Author: "ic", RecordedAt: now}
		if err := s.withTx(ctx, func(t *txn) error { t.quiet = true; return insertEvent(t, e, "") }); err != nil {
			b.Fatal(err)
		}
	}
}

// seedHistory writes incidents with events in one transaction until the
// history holds at least rows rows, as the store writes them.
func seedHistory(b *testing.B, s *Store, rows int) {
	b.Helper()
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := s.withTx(ctx, func(t *txn) error {
		for n := 0; n < rows; {
			in := &Incident{Title: fmt.Sprint("incident ", n), Severity: SEV3, StartedAt: &start, CreatedAt: start, UpdatedAt: start}
			in.fillDefaults()
			if err := insertIncident(t, in); err != nil {
				return err
			}
			n++
			for i := 0; i < 99 && n < rows; i++ {
				e := &Event{IncidentID: in.ID, At: start.Add(time.Duration(i) * time.Minute), Kind: KindAction,
					Text: fmt.Sprint("step ", i), Author: "ic", RecordedAt: start}
				if err := insertEvent(t, e, ""); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	require.NoError(b, err)
}

// peakHeap runs fn and reports the most heap it held, sampled.
func peakHeap(b *testing.B, fn func()) {
	b.Helper()
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var max uint64
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > max {
				max = m.HeapAlloc
			}
			select {
			case <-done:
				peak <- max
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkVerify walks and replays a history of 100,000 and 1,000,000 rows.
func BenchmarkVerify(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) {
			s, _ := openTemp(b)
			seedHistory(b, s, rows)
			runtime.GC()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				peakHeap(b, func() {
					v, err := s.Verify(context.Background(), "")
					require.NoError(b, err)
					require.True(b, v.OK(), v.Problem)
					require.GreaterOrEqual(b, v.Rows, int64(rows))
				})
			}
		})
	}
}

// BenchmarkKnownAt reads an incident with 1,000 changes as known half way.
func BenchmarkKnownAt(b *testing.B) {
	ctx := context.Background()
	c := &stepClock{t: time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC)}
	s, err := Open(ctx, filepath.Join(b.TempDir(), "pm.db"), WithClock(c.now))
	require.NoError(b, err)
	defer s.Close()
	in := newIncident(b, s)
	var mid time.Time
	for i := 0; i < 1000; i++ {
		c.t = c.t.Add(time.Minute)
		if i == 500 {
			mid = c.t
		}
		if i%2 == 0 {
			_, err = s.UpdateIncident(ctx, in.ID, func(x *Incident) error { x.Cause = fmt.Sprint("cause ", i); return nil })
		} else {
			err = s.AddEvent(ctx, &Event{IncidentID: in.ID, At: c.t, Kind: KindAction, Text: fmt.Sprint("step ", i)})
		}
		require.NoError(b, err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := s.Postmortem(ctx, in.ID, Point{KnownAt: mid, AsOf: mid}, nil)
		require.NoError(b, err)
		if v.Incident.Cause != "cause 500" {
			b.Fatalf("cause %q", v.Incident.Cause)
		}
	}
}

func TestImportRefusesUnknownRegime(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	d := &Dump{Format: DumpFormat, Version: DumpVersion,
		Incidents: []IncidentRecord{{ID: 1, Title: "x", Severity: SEV3, Status: StatusOpen}},
		Orders:    []OrderRecord{{ID: 1, Regime: "no-such", Received: "2024-05-31", Incidents: []int64{1}}}}
	_, err := s.Import(ctx, d, false)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), `order 1: regime: "no-such" is not a regime`)
	list, err := s.Incidents(ctx, ListFilter{})
	require.NoError(t, err)
	assert.Empty(t, list, "nothing imported")
}

// An incident as known at a moment names the incidents that linked to it
// then, and the measures filed under it then, reading only those: a link
// made at creation and removed later, a link added later, a measure filed
// later.
func TestKnownAtLinksAndMeasures(t *testing.T) {
	ctx := context.Background()
	s, c, _ := openClocked(t, time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC))
	target := newIncident(t, s)
	other := newIncident(t, s)
	c.t = c.t.Add(time.Minute)
	early := &Incident{Title: "linked at birth", Services: []string{"talk"}, Severity: SEV2, StartedAt: at("2024-05-21T08:40:00+09:00"), Related: []int64{target.ID}}
	require.NoError(t, s.CreateIncident(ctx, early))
	a := &Action{IncidentID: &target.ID, Area: AreaPretest, Text: "test first", Owner: "infra", Due: NewDate(2024, 6, 30)}
	require.NoError(t, s.AddAction(ctx, a))
	t1 := c.t
	c.t = c.t.Add(time.Minute)
	_, err := s.UpdateIncident(ctx, early.ID, func(in *Incident) error { in.Related = nil; return nil })
	require.NoError(t, err)
	_, err = s.UpdateIncident(ctx, other.ID, func(in *Incident) error { in.Related = []int64{target.ID}; return nil })
	require.NoError(t, err)
	b := &Action{IncidentID: &target.ID, Area: AreaPretest, Text: "review the plan", Owner: "infra", Due: NewDate(2024, 6, 30)}
	require.NoError(t, s.AddAction(ctx, b))
	o := &Order{Regime: "kr-msit", Received: NewDate(2024, 5, 21), Incidents: []int64{target.ID}}
	require.NoError(t, s.CreateOrder(ctx, o))
	require.NoError(t, s.AddAction(ctx, &Action{OrderID: &o.ID, Area: AreaManuals, Text: "manual", Owner: "ops", Due: NewDate(2024, 7, 1)}))
	t2 := c.t

	ids := func(v *PostmortemView) []int64 {
		var out []int64
		for _, r := range v.Related {
			out = append(out, r.ID)
		}
		return out
	}
	v, err := s.Postmortem(ctx, target.ID, Point{KnownAt: t1}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{early.ID}, ids(v), "at t1 only the incident created with the link")
	require.Len(t, v.Incident.Actions, 1, "the measure was filed under it then")
	v, err = s.Postmortem(ctx, target.ID, Point{KnownAt: t2}, nil)
	require.NoError(t, err)
	assert.Equal(t, []int64{other.ID}, ids(v), "at t2 the link moved")
	assert.Len(t, v.Incident.Actions, 3, "the second measure and the order's were filed by then")
	v, err = s.Postmortem(ctx, other.ID, Point{KnownAt: t2}, nil)
	require.NoError(t, err)
	assert.Empty(t, v.Incident.Actions)
}

// Verify walks the chain and replays the records on two connections at
// once; a writer committing all the while never makes it report a
// problem that is not there (the replay is run again when its read began
// on another last row).
func TestVerifyWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	in := newIncident(t, s)
	for i := 0; i < 300; i++ {
		require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: in.StartedAt.Add(time.Duration(i) * time.Second), Kind: KindNote, Text: fmt.Sprint("before ", i)}))
	}
	w, err := Open(ctx, path) // another writer, as another terminal
	require.NoError(t, err)
	defer w.Close()
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := w.AddEvent(ctx, &Event{IncidentID: in.ID, At: in.StartedAt.Add(time.Hour), Kind: KindNote, Text: fmt.Sprint("during ", i)}); err != nil && !errors.Is(err, ErrConflict) {
				done <- err
				return
			}
		}
	}()
	for i := 0; i < 20; i++ {
		v, err := s.Verify(ctx, "")
		require.NoError(t, err)
		assert.True(t, v.OK(), "verify %d: %s", i, v.Problem)
	}
	close(stop)
	require.NoError(t, <-done)
}
