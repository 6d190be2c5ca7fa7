package incident

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"testing/iotest"
	"time"

	"github.com/postmortem/postmortem/incident/testdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(testdb.Run(m)) }

// openTemp opens a new database on the engine the suite runs on.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := testdb.New(t)
	s, err := Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

var dropTrigger = regexp.MustCompile(`DROP TRIGGER (\w+)`)

// tamper runs query on s's database behind the store's back, as anyone
// who can write it might; SQLite's DROP TRIGGER is written for the engine.
func tamper(s *Store, query string, args ...any) (sql.Result, error) {
	if s.d.pg {
		query = dropTrigger.ReplaceAllString(query, "DROP TRIGGER $1 ON history")
	}
	return s.db.Exec(query, args...)
}

// openFile opens a new SQLite file, for what only a file has.
func openFile(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "pm.db")
	s, err := Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func newIncident(t testing.TB, s *Store) *Incident {
	t.Helper()
	in := &Incident{Title: "메시지 지연", Services: []string{"talk"}, Severity: SEV1, StartedAt: at("2024-05-21T08:30:00+09:00")}
	require.NoError(t, s.CreateIncident(context.Background(), in))
	return in
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	_, path := openFile(t)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
}

func TestOpenPragmas(t *testing.T) {
	s, _ := openFile(t)
	ctx := context.Background()
	var mode string
	var fk, sync, version int
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync))
	require.NoError(t, s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version))
	assert.Equal(t, "wal", mode)
	assert.Equal(t, 1, fk)
	assert.Equal(t, 2, sync) // FULL
	assert.Equal(t, SchemaVersion(), version)
}

func TestNewerSchemaIsRefusedUntouched(t *testing.T) {
	s, path := openFile(t)
	_, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	_, err = Open(context.Background(), path)
	require.ErrorIs(t, err, ErrNewerSchema)
	assert.Contains(t, err.Error(), "upgrade postmortem")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(before, after), "database changed")
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := bytes.Repeat([]byte("this is not sqlite\n"), 300)
	require.NoError(t, os.WriteFile(path, content, 0o600))
	_, err := Open(context.Background(), path)
	require.ErrorIs(t, err, ErrNotDatabase)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, content, got)
}

func TestReadOnlyFile(t *testing.T) {
	s, path := openFile(t)
	in := newIncident(t, s)
	require.NoError(t, s.Close())
	require.NoError(t, os.Chmod(path, 0o400))
	ro, err := Open(context.Background(), path)
	require.NoError(t, err)
	defer ro.Close()
	got, err := ro.Incident(context.Background(), in.ID)
	require.NoError(t, err, "reads work on a read-only database")
	assert.Equal(t, in.Title, got.Title)
	err = ro.AddEvent(context.Background(), &Event{IncidentID: in.ID, At: time.Now(), Kind: KindNote, Text: "x"})
	assert.ErrorIs(t, err, ErrReadOnly)
}

func TestIncidentRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	prev := newIncident(t, s)
	in := &Incident{
		Title: "PC 로그인 실패", Services: []string{"talk-pc", "talk-mobile"}, Severity: SEV2,
		StartedAt: at("2024-05-21T08:30:00+09:00"), DetectedAt: at("2024-05-21T08:32:00+09:00"),
		UsersAffectedPct: pct(8), Symptoms: "로그인 실패", Cause: "Java 업데이트",
		Contributing: []string{"no change control"}, RecoverySteps: []string{"자동화 도구", "페일오버"},
		Related: []int64{prev.ID}, Lessons: Lessons{Lucky: "8% only"},
	}
	require.NoError(t, s.CreateIncident(ctx, in))
	assert.Equal(t, StatusOpen, in.Status)

	got, err := s.Incident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, in.Title, got.Title)
	assert.Equal(t, in.Services, got.Services)
	assert.Equal(t, in.RecoverySteps, got.RecoverySteps)
	assert.Equal(t, []int64{prev.ID}, got.Related)
	assert.Equal(t, in.Contributing, got.Contributing)
	assert.Equal(t, 8.0, *got.UsersAffectedPct)
	assert.True(t, in.StartedAt.Equal(*got.StartedAt))

	_, err = s.UpdateIncident(ctx, in.ID, func(x *Incident) error {
		x.ResolvedAt = at("2024-05-21T09:24:00+09:00")
		return nil
	})
	require.NoError(t, err)
	got, err = s.Incident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, StatusResolved, got.Status)
	assert.Equal(t, int64(54), WholeMinutes(*got.Figures().Outage))
}

func TestRejectedUpdateChangesNothing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	in := newIncident(t, s)
	_, err := s.UpdateIncident(ctx, in.ID, func(x *Incident) error {
		x.Title = "changed"
		x.ResolvedAt = at("2020-01-01T00:00:00Z") // before the start
		return nil
	})
	require.ErrorIs(t, err, ErrInvalid)
	got, err := s.Incident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, "메시지 지연", got.Title)
	assert.Nil(t, got.ResolvedAt)
}

func TestNotFound(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	_, err := s.Incident(ctx, 42)
	assert.ErrorIs(t, err, ErrNotFound)
	err = s.AddEvent(ctx, &Event{IncidentID: 42, At: time.Now(), Kind: KindNote, Text: "x"})
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "incident 42")
	in := newIncident(t, s)
	_, err = s.UpdateIncident(ctx, in.ID, func(x *Incident) error { x.Related = []int64{99}; return nil })
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "related incident 99")
}

func TestEventsOrdered(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	in := newIncident(t, s)
	base := *in.StartedAt
	for i, off := range []int{5, 1, 3} {
		e := &Event{IncidentID: in.ID, At: base.Add(time.Duration(off) * time.Minute), Kind: KindAction, Text: fmt.Sprint("e", i)}
		require.NoError(t, s.AddEvent(ctx, e))
		assert.NotZero(t, e.ID)
	}
	got, err := s.Incident(ctx, in.ID)
	require.NoError(t, err)
	evs := logged(got.Timeline)
	require.Len(t, evs, 3)
	assert.Equal(t, []string{"e1", "e2", "e0"}, []string{evs[0].Text, evs[1].Text, evs[2].Text})

	_, err = s.EditEvent(ctx, in.ID, evs[0].ID, func(e *Event) error { e.Text = "edited"; return nil })
	require.NoError(t, err)
	again, err := s.Incident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, "edited", logged(again.Timeline)[0].Text)
}

// logged keeps the events people logged, leaving out system entries.
func logged(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind != KindSystem {
			out = append(out, e)
		}
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	a := newIncident(t, s)
	b := newIncident(t, s)
	_, err := s.UpdateIncident(ctx, b.ID, func(x *Incident) error { x.Related = []int64{a.ID}; return nil })
	require.NoError(t, err)
	require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: a.ID, At: *a.StartedAt, Kind: KindDetect, Text: "경보 🚨"}))
	require.NoError(t, s.AddAction(ctx, &Action{IncidentID: &a.ID, Area: AreaPretest, Text: "test first", Owner: "ops", Due: NewDate(2024, 6, 30)}))

	var first bytes.Buffer
	require.NoError(t, s.ExportTo(ctx, &first, nil))

	s2, _ := openTemp(t)
	d2, err := ReadDump(bytes.NewReader(first.Bytes()))
	require.NoError(t, err)
	_, err = s2.Import(ctx, d2, false)
	require.NoError(t, err)
	var second bytes.Buffer
	require.NoError(t, s2.ExportTo(ctx, &second, nil))
	assert.Equal(t, first.String(), second.String())

	// Into the same database the ids collide: refused whole.
	_, err = s2.Import(ctx, d2, false)
	require.ErrorIs(t, err, ErrConflict)
	list, err := s2.Incidents(ctx, ListFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 2)

	res, err := s2.Import(ctx, d2, true)
	require.NoError(t, err)
	got, err := s2.Incident(ctx, res.Incidents[b.ID])
	require.NoError(t, err)
	assert.Equal(t, []int64{res.Incidents[a.ID]}, got.Related, "links follow renumbering")
}

// BenchmarkLogEvent is one durable timeline write through the store.
func BenchmarkLogEvent(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	in := newIncident(b, s)
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := &Event{IncidentID: in.ID, At: now, Kind: KindAction, Text: "failover started", Author: "ic"}
		if err := s.AddEvent(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsert is the floor for BenchmarkLogEvent: the same row
// inserted with the same pragmas, straight through database/sql.
func BenchmarkBareInsert(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	in := newIncident(b, s)
	stamp := fmtTime(time.Now())
	db := s.db
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO events (incident_id, at, kind, text, author, recorded_at) VALUES (?,?,?,?,?,?)`,
			in.ID, stamp, "action", "failover started", "ic", stamp); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOrderActionsAndCovered(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	a, b, other := newIncident(t, s), newIncident(t, s), newIncident(t, s)
	o := &Order{Regime: "kr-msit", Received: NewDate(2024, 5, 31), Incidents: []int64{a.ID, b.ID}}
	require.NoError(t, s.CreateOrder(ctx, o))
	add := func(act *Action) int64 {
		act.Area, act.Owner, act.Text = AreaRCA, "ops", "x"
		require.NoError(t, s.AddAction(ctx, act))
		return act.ID
	}
	byOrder := add(&Action{OrderID: &o.ID, Due: NewDate(2024, 7, 1)})
	byIncident := add(&Action{IncidentID: &b.ID, Due: NewDate(2024, 6, 1)})
	both := add(&Action{OrderID: &o.ID, IncidentID: &a.ID, Due: NewDate(2024, 8, 1)})
	add(&Action{IncidentID: &other.ID, Due: NewDate(2024, 6, 2)})

	rs, err := LoadRegimes()
	require.NoError(t, err)
	v, err := s.OrderView(ctx, o.ID, rs, Point{}, time.UTC)
	require.NoError(t, err)
	var ids []int64
	for _, x := range v.Actions {
		ids = append(ids, x.ID)
	}
	assert.Equal(t, []int64{byIncident, byOrder, both}, ids, "by due date, each once, not the other incident's")

	require.Len(t, v.Covered, 2)
	assert.Equal(t, a.ID, v.Covered[0].I.ID)
	assert.Empty(t, v.Covered[0].I.Timeline, "rows only")
}

func TestReadStringsAgreesWithJSON(t *testing.T) {
	for _, in := range [][]string{
		nil, {"api"}, {"api", "network-lb"}, {"카카오톡", "talk,messaging"},
		{`quote"d`, `back\slash`}, {"<b>&amp;"}, {"tab\there", "\x1b[2J"}, {""}, {"", "x"},
	} {
		list := jsonList(in)
		got, err := readStrings(list, nil)
		require.NoError(t, err, list)
		if len(in) == 0 {
			assert.Empty(t, got, list)
			continue
		}
		assert.Equal(t, in, got, list)
	}
	for _, bad := range []string{`["a"`, `["a",]`, `["a" "b"]`, `[1]`, `nope`} {
		_, err := readStrings(bad, nil)
		assert.Error(t, err, bad)
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"4500000": 4500000, "4,500,000": 4500000, " 12 ": 12, "0": 0} {
		n, err := ParseCount(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, *n, in)
	}
	n, err := ParseCount("")
	assert.NoError(t, err)
	assert.Nil(t, n, "not known")
	for _, bad := range []string{"4500만", "-1", "1.5", "12 users"} {
		_, err := ParseCount(bad)
		assert.ErrorContains(t, err, "users-affected-count: ", bad)
	}
}

// A database in a folder that takes no new file (read-only media, an
// archive copy) is read, listed and verified without the -wal and -shm
// files SQLite would make there; writing is refused as read-only.
func TestReadOnlyFolder(t *testing.T) {
	s, path := openFile(t)
	in := newIncident(t, s)
	require.NoError(t, s.Close())
	dir := filepath.Dir(path)
	require.NoError(t, os.Chmod(dir, 0o555))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	ctx := context.Background()
	ro, err := Open(ctx, path)
	require.NoError(t, err)
	defer ro.Close()
	got, err := ro.Incident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, in.Title, got.Title)
	list, err := ro.Incidents(ctx, ListFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 1)
	mustVerify(t, ro)
	err = ro.AddEvent(ctx, &Event{IncidentID: in.ID, At: time.Now(), Kind: KindNote, Text: "x"})
	assert.ErrorIs(t, err, ErrReadOnly)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing made beside the database")
}

// An export read in pieces of any size, a character split between two of
// them, imports to the same records and the same chain: the JSON reader
// once turned such a split Korean character into U+FFFD (a stream
// decoder's bug), which the chain check then refused as a broken history.
func TestImportReadInPieces(t *testing.T) {
	ctx := context.Background()
	src, _ := openTemp(t)
	in := newIncident(t, src)
	for i := 0; i < 40; i++ {
		require.NoError(t, src.AddEvent(ctx, &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindNote,
			Text: fmt.Sprintf("%d번째 기록: 메시지 수발신 지연, 판교 데이터센터 전원 점검", i)}))
	}
	var want bytes.Buffer
	require.NoError(t, src.ExportTo(ctx, &want, nil))
	for name, r := range map[string]func(io.Reader) io.Reader{"one byte": iotest.OneByteReader, "halves": iotest.HalfReader} {
		dst, _ := openTemp(t)
		res, err := dst.ImportFrom(ctx, r(bytes.NewReader(want.Bytes())), false, nil)
		require.NoError(t, err, name)
		assert.True(t, res.HistoryKept, name)
		var got bytes.Buffer
		require.NoError(t, dst.ExportTo(ctx, &got, nil))
		assert.Equal(t, want.String(), got.String(), name)
	}
}

// A server that cannot be reached is said on one line, naming it; a
// mistyped address is not taken for a file name.
func TestServerAddressesSaidPlainly(t *testing.T) {
	_, err := Open(context.Background(), "postgres://pm@127.0.0.1:1/x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot reach the PostgreSQL server at postgres://pm@127.0.0.1:1/x")
	assert.NotContains(t, err.Error(), "\n")
	dir := t.TempDir()
	t.Chdir(dir)
	_, err = Open(context.Background(), "pg://x")
	assert.ErrorIs(t, err, ErrInvalid)
	_, serr := os.Stat(filepath.Join(dir, "pg:"))
	assert.True(t, os.IsNotExist(serr), "no file made")
}
