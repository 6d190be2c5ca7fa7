package incident

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var seoul = mustZone("Asia/Seoul")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func pct(v float64) *float64 { return &v }

func TestValidate(t *testing.T) {
	base := func() Incident {
		return Incident{Title: "t", Severity: SEV2, Status: StatusOpen, StartedAt: at("2024-05-21T08:30:00+09:00")}
	}
	tests := []struct {
		name   string
		change func(*Incident)
		field  string // "" means valid
	}{
		{"valid", func(*Incident) {}, ""},
		{"empty title", func(in *Incident) { in.Title = "  " }, "title"},
		{"unknown severity", func(in *Incident) { in.Severity = "SEV5" }, "severity"},
		{"pct over 100", func(in *Incident) { in.UsersAffectedPct = pct(120) }, "users-affected"},
		{"pct negative", func(in *Incident) { in.UsersAffectedPct = pct(-1) }, "users-affected"},
		{"pct 100", func(in *Incident) { in.UsersAffectedPct = pct(100) }, ""},
		{"detected before start", func(in *Incident) { in.DetectedAt = at("2024-05-21T08:29:00+09:00") }, "detected"},
		{"resolved before start", func(in *Incident) { in.ResolvedAt = at("2024-05-20T08:29:00+09:00") }, "resolved"},
		{"mitigated before start", func(in *Incident) { in.MitigatedAt = at("2024-05-21T08:00:00+09:00") }, "mitigated"},
		{"resolved before mitigated", func(in *Incident) {
			in.MitigatedAt, in.ResolvedAt = at("2024-05-21T09:00:00+09:00"), at("2024-05-21T08:50:00+09:00")
		}, "resolved"},
		{"reviewed while open", func(in *Incident) { in.Status = StatusReviewed }, "status"},
		{"start before 1970", func(in *Incident) { in.StartedAt = at("1969-12-31T00:00:00Z") }, "started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			err := in.Validate()
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestEventValidate(t *testing.T) {
	now := time.Date(2024, 5, 21, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    Event
		ok   bool
	}{
		{"now", Event{At: now, Kind: KindNote, Text: "x"}, true},
		{"within the skew", Event{At: now.Add(MaxSkew), Kind: KindNote, Text: "x"}, true},
		{"past the skew", Event{At: now.Add(MaxSkew + time.Second), Kind: KindNote, Text: "x"}, false},
		{"before 1970", Event{At: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC), Kind: KindNote, Text: "x"}, false},
		{"empty text", Event{At: now, Kind: KindNote, Text: " "}, false},
		{"bad kind", Event{At: now, Kind: "panic", Text: "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.Validate(now)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestFigures(t *testing.T) {
	in := Incident{
		StartedAt:   at("2024-05-21T08:30:00+09:00"),
		DetectedAt:  at("2024-05-21T08:32:30+09:00"),
		MitigatedAt: at("2024-05-21T09:00:00+09:00"),
		ResolvedAt:  at("2024-05-21T09:24:00+09:00"),
	}
	users := int64(1000)
	in.UsersAffected = &users
	f := in.Figures()
	require.NotNil(t, f.Outage)
	assert.Equal(t, int64(54), WholeMinutes(*f.Outage))
	assert.Equal(t, int64(2), WholeMinutes(*f.TimeToDetect))
	assert.Equal(t, 2.5, ExactMinutes(*f.TimeToDetect))
	assert.Equal(t, 27.5, ExactMinutes(*f.TimeToMitigate))
	assert.Equal(t, 51.5, ExactMinutes(*f.TimeToResolve))
	require.NotNil(t, f.UserMinutes)
	assert.Equal(t, 54000.0, *f.UserMinutes)

	open := Incident{StartedAt: at("2024-05-21T08:30:00+09:00")}
	assert.Nil(t, open.Figures().Outage)
	assert.Equal(t, 10*time.Minute, open.Elapsed(at("2024-05-21T08:40:00+09:00").UTC()))
}

func TestParseTime(t *testing.T) {
	now := time.Date(2024, 5, 21, 1, 2, 3, 0, time.UTC) // 10:02:03 KST
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; "" means refused
	}{
		{"now", "2024-05-21T01:02:03Z"},
		{"2024-05-21T08:30:00+09:00", "2024-05-20T23:30:00Z"},
		{"2024-05-21 08:30", "2024-05-20T23:30:00Z"},
		{"2024-05-21 08:30:15", "2024-05-20T23:30:15Z"},
		{"08:30", "2024-05-20T23:30:00Z"},
		{"10:02", "2024-05-21T01:02:00Z"},
		{"10:03", "2024-05-21T01:03:00Z"}, // within a clock's drift: today
		{"10:10", ""},                     // 8 minutes ahead: a slip, refused, not yesterday's
		{"10:30", ""},                     // within the hour ahead: refused
		{"11:30", "2024-05-20T02:30:00Z"}, // further ahead: yesterday's
		{"23:59:59", "2024-05-20T14:59:59Z"},
		{"2024-05-21 08:30 +09:00", "2024-05-20T23:30:00Z"},
		{"25:99", ""},
		{"yesterday", ""},
		{"2024-13-01 00:00", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime("at", tt.in, seoul, now)
			if tt.want == "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalid)
				assert.Regexp(t, "HH:MM|not yet come", err.Error(), "says what is accepted")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.UTC().Format(time.RFC3339))
		})
	}
}

func TestDaylightSaving(t *testing.T) {
	ny := mustZone("America/New_York")
	now := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	_, err := ParseTime("at", "2024-03-10 02:30", ny, now)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "at: 2024-03-10 02:30 does not exist in America/New_York: the clocks go forward 1h0m0s there at that hour (daylight saving starts); give a time outside the skipped 1h0m0s", err.Error())

	_, err = ParseTime("at", "2024-11-03 01:30", ny, now)
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), `2024-11-03 01:30 happens twice in America/New_York (the clocks go back); give its offset: "2024-11-03 01:30 -04:00" or "2024-11-03 01:30 -05:00"`)
	for offset, want := range map[string]string{"-04:00": "2024-11-03T05:30:00Z", "-05:00": "2024-11-03T06:30:00Z"} {
		got, err := ParseTime("at", "2024-11-03 01:30 "+offset, ny, now)
		require.NoError(t, err)
		assert.Equal(t, want, got.UTC().Format(time.RFC3339))
	}
	got, err := ParseTime("at", "2024-11-03 03:30", ny, now)
	require.NoError(t, err, "after the change, one reading")
	assert.Equal(t, "2024-11-03T08:30:00Z", got.UTC().Format(time.RFC3339))
	got, err = ParseTime("at", "2024-03-10 03:30", ny, now)
	require.NoError(t, err)
	assert.Equal(t, "2024-03-10T07:30:00Z", got.UTC().Format(time.RFC3339))
}

func TestInputReaders(t *testing.T) {
	ids, err := ParseIDs("relates-to", " 1, #2,,3 ")
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2, 3}, ids)
	_, err = ParseIDs("relates-to", "1,x")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), `relates-to: "x" is not an id`)
	_, err = ParseID("incident", "0")
	assert.ErrorIs(t, err, ErrInvalid)

	assert.Equal(t, []string{"talk", "login"}, SplitList(" talk, ,login,"))

	p, err := ParsePercent("12.5%")
	require.NoError(t, err)
	assert.Equal(t, 12.5, *p)
	p, err = ParsePercent("  ")
	assert.NoError(t, err)
	assert.Nil(t, p, "empty means not known")
	for _, bad := range []string{"120", "-1", "lots"} {
		_, err = ParsePercent(bad)
		assert.ErrorIs(t, err, ErrInvalid, bad)
	}
}

func TestStoredTimesRead(t *testing.T) {
	for _, s := range []string{"2024-05-21T08:30:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z"} {
		got, err := parseTime(s)
		require.NoError(t, err)
		want, _ := time.Parse(timeLayout, s)
		assert.True(t, want.Equal(got), s)
	}
	for _, s := range []string{"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-21T24:00:00Z", "2024-05-21 08:30:00", "x"} {
		_, err := parseTime(s)
		assert.Error(t, err, s)
	}
}

// A bare clock time is read against the incident: on its day, however
// long ago; just before its start (to be confirmed) rather than a day
// earlier; never in the future, which is refused rather than moved back.
func TestParseTimeIn(t *testing.T) {
	kst := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, seoul)
		require.NoError(t, err)
		return v
	}
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name, in        string
		now             string
		start, resolved string // the incident: its resolution does not change the reading
		want            string // KST "2006-01-02 15:04"; "" refused
		before          bool
	}{
		{"live, just now", "02:20", "2026-12-03 02:23", "2026-12-03 02:00", "", "2026-12-03 02:20", false},
		{"live, ahead is refused", "02:25", "2026-12-03 02:23", "2026-12-03 02:00", "", "", false},
		{"live, a drift ahead", "02:24", "2026-12-03 02:23", "2026-12-03 02:00", "", "2026-12-03 02:24", false},
		{"live, the trigger before the start", "01:50", "2026-12-03 02:23", "2026-12-03 02:00", "", "2026-12-03 01:50", true},
		{"over midnight, yesterday's", "23:55", "2026-12-03 00:10", "2026-12-02 23:50", "", "2026-12-02 23:55", false},
		{"over midnight, today's", "00:05", "2026-12-03 00:10", "2026-12-02 23:50", "", "2026-12-03 00:05", false},
		{"over midnight, ahead is refused", "00:15", "2026-12-03 00:10", "2026-12-02 23:50", "", "", false},
		{"after the fact, on its day", "08:32", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 08:32", false},
		{"after the fact, just before", "07:00", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 07:00", true},
		{"after the fact, after the end", "13:00", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 13:00", false},
		{"after the fact, nearer the start than the end", "01:00", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 01:00", true},
		{"after the fact, nearer the end", "20:00", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 20:00", false},
		{"running for days, before its start", "08:00", "2026-12-03 02:23", "2024-05-21 08:30", "", "2024-05-21 08:00", true},
		{"running for days, on its day", "23:00", "2026-12-03 02:23", "2024-05-21 08:30", "", "2024-05-21 23:00", false},
		{"dated", "5/21 08:32", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-21 08:32", false},
		{"dated, the day before", "5/20 23:00", "2026-12-03 02:23", "2024-05-21 08:30", "2024-05-21 12:00", "2024-05-20 23:00", true},
		{"dated, without an incident", "5/21 08:32", "2026-12-03 02:23", "", "", "2026-05-21 08:32", false},
		{"dated, no such day", "2/30 08:32", "2026-12-03 02:23", "", "", "", false},
		{"minutes ago", "-5m", "2026-12-03 02:23", "2026-12-03 02:00", "", "2026-12-03 02:18", false},
		{"words ago", "1h30m ago", "2026-12-03 02:23", "", "", "2026-12-03 00:53", false},
		{"ahead is not ago", "-0m", "2026-12-03 02:23", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sp Span
			if tt.start != "" {
				sp.Start = ptr(kst(tt.start))
			}
			got, err := ParseTimeIn("at", tt.in, seoul, kst(tt.now), sp)
			if tt.want == "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.In(seoul).Format("2006-01-02 15:04"))
			_, before := sp.Before(got)
			assert.Equal(t, tt.before, before)
		})
	}
	_, err := ParseTimeIn("at", "02:25", seoul, kst("2026-12-03 02:23"), Span{Start: ptr(kst("2026-12-03 02:00"))})
	assert.ErrorContains(t, err, "2026-12-03 02:25:00 KST, 2m0s from now")
	assert.ErrorContains(t, err, "2026-12-02 02:25")
}
