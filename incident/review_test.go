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

// The May 2024 case as a quarter: every figure worked out by hand.
//
//	#1 05-13 13:44–13:50, detected 13:45: 6 min, detect 1, resolve 5
//	#2 05-20 14:52–14:58, detected 14:53: 6 min, detect 1, resolve 5
//	#3 05-21 08:30–09:24, detected 08:32: 54 min, detect 2, resolve 52
//
// 66 outage minutes; median duration 6, mean 22, worst 54 (#3); median
// time to resolve from detection 5; one chain, #2 → #3.
func TestReviewOfTheMay2024Case(t *testing.T) {
	ctx := context.Background()
	kst, _ := time.LoadLocation("Asia/Seoul")
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pm.db"), WithClock(func() time.Time { return time.Date(2024, 7, 10, 0, 0, 0, 0, kst) }))
	require.NoError(t, err)
	defer s.Close()
	f, err := os.Open(filepath.Join("..", "testdata", "kakao-2024-05.json"))
	require.NoError(t, err)
	_, err = s.ImportFrom(ctx, f, false, nil)
	f.Close()
	require.NoError(t, err)
	rs, err := LoadRegimes()
	require.NoError(t, err)

	w, err := ParseQuarter("2024Q2", kst)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 4, 1, 0, 0, 0, 0, kst), w.From)
	assert.Equal(t, time.Date(2024, 7, 1, 0, 0, 0, 0, kst), w.To)
	r, err := s.Review(ctx, w, ReviewFilter{}, rs)
	require.NoError(t, err)

	assert.Equal(t, 3, r.Incidents)
	assert.Equal(t, 0, r.Unresolved)
	assert.InDelta(t, 66, r.OutageMinutes, 1e-9)
	assert.InDelta(t, 6, r.Duration.Median, 1e-9)
	assert.InDelta(t, 22, r.Duration.Mean, 1e-9)
	assert.InDelta(t, 54, r.Duration.Worst, 1e-9)
	assert.Equal(t, int64(3), r.Duration.WorstID)
	assert.InDelta(t, 5, r.Resolve.Median, 1e-9)
	assert.InDelta(t, 52, r.Resolve.Worst, 1e-9)
	assert.InDelta(t, 1, r.Detect.Median, 1e-9)
	// share-weighted: 6×0.8 + 6×0.8 + 54×0.08 = 13.92
	assert.InDelta(t, 13.92, r.ShareMinutes, 1e-9)
	assert.Equal(t, []Count{{"SEV1", 2, 12}, {"SEV2", 1, 54}, {"SEV3", 0, 0}, {"SEV4", 0, 0}}, r.BySeverity)
	assert.Equal(t, []Count{{"2024-04", 0, 0}, {"2024-05", 3, 66}, {"2024-06", 0, 0}}, r.ByMonth)
	assert.Equal(t, []Count{{"카카오톡", 2, 12}, {"카카오톡 PC", 1, 54}, {"카카오톡 모바일", 1, 54}}, r.ByService)
	assert.Equal(t, []Count{{"change", 3, 66}}, r.ByCause, "what repeats: three changes")
	require.Len(t, r.Chains, 1)
	require.Len(t, r.Chains[0], 2)
	assert.Equal(t, int64(2), r.Chains[0][0].ID, "05-20 →")
	assert.Equal(t, int64(3), r.Chains[0][1].ID, "→ 05-21")
	require.Len(t, r.Longest, 3)
	assert.Equal(t, int64(3), r.Longest[0].ID)
	// The quarter before had none.
	assert.Equal(t, 0, r.Previous.Incidents)
	assert.Equal(t, 3, r.Current.Incidents)

	// Narrowed to a service, and to a window of days.
	r, err = s.Review(ctx, w, ReviewFilter{Services: []string{"카카오톡 pc"}}, rs)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Incidents)
	assert.Empty(t, r.Chains, "#3's link is to #2, which the filter leaves out")
	d, err := DaysWindow(NewDate(2024, 5, 20), NewDate(2024, 5, 20), kst)
	require.NoError(t, err)
	r, err = s.Review(ctx, d, ReviewFilter{}, rs)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Incidents)
	assert.Empty(t, r.Chains, "#2's link is to #3, started the day after")
	assert.Equal(t, "2024-05-19 ~ 2024-05-19", d.Previous().Label)

	_, err = ParseQuarter("2024Q5", kst)
	assert.ErrorContains(t, err, "YYYYQn")
}

// The longest outages are the five longest, longest first, and of equal
// ones the first to start; the worst of a figure is the last to start of
// its equals, as the list of them in order of length ends.
func TestLongestOfEquals(t *testing.T) {
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	minutes := []int{10, 30, 30, 5, 30, 20, 30, 1, 30}
	var ins []Incident
	for i, m := range minutes {
		s := start.Add(time.Duration(i) * time.Hour)
		e := s.Add(time.Duration(m) * time.Minute)
		ins = append(ins, Incident{ID: int64(i + 1), Severity: SEV3, StartedAt: &s, DetectedAt: &s, ResolvedAt: &e})
	}
	var r Review
	r.Window = Window{From: start, To: start.AddDate(0, 1, 0)}
	r.tally(ins, start.AddDate(0, 1, 0))
	var ids []int64
	for _, x := range r.Longest {
		ids = append(ids, x.ID)
	}
	assert.Equal(t, []int64{2, 3, 5, 7, 9}, ids)
	assert.Equal(t, int64(9), r.Duration.WorstID)
	assert.InDelta(t, 30, r.Duration.Worst, 1e-9)
	assert.InDelta(t, 30, r.Duration.Median, 1e-9)
	assert.Equal(t, []float64{1, 5, 10, 20, 30, 30, 30, 30, 30}, r.Duration.Values)
}

// A review held later counts what was done since; one judged before the
// window began is refused.
func TestReviewAsOf(t *testing.T) {
	ctx := context.Background()
	kst, _ := time.LoadLocation("Asia/Seoul")
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pm.db"), WithClock(func() time.Time { return time.Date(2024, 9, 1, 0, 0, 0, 0, kst) }))
	require.NoError(t, err)
	defer s.Close()
	in := &Incident{Title: "x", Severity: SEV2, StartedAt: at("2024-05-21T08:30:00+09:00"), ResolvedAt: at("2024-05-21T09:00:00+09:00")}
	require.NoError(t, s.CreateIncident(ctx, in))
	a := &Action{IncidentID: &in.ID, Area: AreaRCA, Owner: "ops", Due: NewDate(2024, 6, 15), Text: "fix"}
	require.NoError(t, s.AddAction(ctx, a))
	done := NewDate(2024, 7, 20)
	_, err = s.UpdateAction(ctx, a.ID, kst, func(x *Action) error { x.Status, x.DoneOn = ActionDone, &done; return nil })
	require.NoError(t, err)
	w, _ := ParseQuarter("2024Q2", kst)
	r, err := s.Review(ctx, w, ReviewFilter{}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Measures.Overdue, "open at the quarter's end")
	r, err = s.Review(ctx, w, ReviewFilter{AsOf: time.Date(2024, 8, 1, 0, 0, 0, 0, kst)}, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, r.Measures.Overdue, "done on 07-20: no longer open when the review is held")
	_, err = s.Review(ctx, w, ReviewFilter{AsOf: time.Date(2024, 1, 1, 0, 0, 0, 0, kst)}, nil)
	assert.ErrorContains(t, err, "before the window begins")
}

// A service named with capitals binds its regime to an incident that names
// it otherwise, in the review and in the record as known at a moment (the
// history's catalogue is keyed as the live one is); an incident entered
// after the binding, about an outage resolved before it, is bound too: the
// review reads when each incident was entered.
func TestRegimesBindWhateverTheCaseAndWhenEntered(t *testing.T) {
	ctx := context.Background()
	kst, _ := time.LoadLocation("Asia/Seoul")
	now := time.Date(2024, 9, 1, 0, 0, 0, 0, kst)
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pm.db"), WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	defer s.Close()
	rs, err := LoadRegimes()
	require.NoError(t, err)
	_, _, err = s.SetService(ctx, "KakaoTalk", ServiceChange{Regimes: []string{"kr-msit"}, SetRegimes: true}, rs)
	require.NoError(t, err)
	now = now.Add(time.Hour)
	in := &Incident{Title: "x", Severity: SEV2, Services: []string{"kakaotalk"},
		StartedAt: at("2024-05-21T08:30:00+09:00"), DetectedAt: at("2024-05-21T08:32:00+09:00"), ResolvedAt: at("2024-05-21T09:24:00+09:00")}
	require.NoError(t, s.CreateIncident(ctx, in))
	now = now.Add(time.Hour)

	live, err := s.Postmortem(ctx, in.ID, Point{}, rs)
	require.NoError(t, err)
	require.Len(t, live.Duties, 3, "ministry report, user notice, compensation notice")
	known, err := s.Postmortem(ctx, in.ID, Point{KnownAt: now}, rs)
	require.NoError(t, err)
	assert.Len(t, known.Duties, 3, "the history's catalogue finds the service whatever the case")

	w, _ := ParseQuarter("2024Q2", kst)
	r, err := s.Review(ctx, w, ReviewFilter{}, rs)
	require.NoError(t, err)
	assert.Len(t, r.Duties, 3, "entered after the binding: bound")
	assert.Equal(t, map[string]int{"open": 3}, r.DutyCounts)

	// A mark and a notice entry of an incident of the window reach the
	// review (read through the incidents the window starts).
	_, err = s.MeetDuty(ctx, in.ID, "ministry-report", time.Date(2024, 5, 21, 9, 0, 0, 0, kst), "", false, rs)
	require.NoError(t, err)
	require.NoError(t, s.AddEvent(ctx, &Event{IncidentID: in.ID, At: time.Date(2024, 5, 21, 8, 50, 0, 0, kst), Kind: KindComms, Text: "공지", Notice: NoticeUsers}))
	r, err = s.Review(ctx, w, ReviewFilter{}, rs)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"met": 2, "open": 1}, r.DutyCounts)
}
