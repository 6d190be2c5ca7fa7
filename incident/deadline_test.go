package incident

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func regimes(t *testing.T) *Regimes {
	t.Helper()
	rs, err := LoadRegimes()
	require.NoError(t, err)
	return rs
}

// TestKoreanDeadlines works the Civil Act cases through the kr-msit order
// deliverables (1 and 3 months from receipt).
func TestKoreanDeadlines(t *testing.T) {
	r, err := regimes(t).Regime("kr-msit")
	require.NoError(t, err)
	tests := []struct {
		name, received   string
		plan, correction string
	}{
		// The Kakao order: received Fri 2024-05-31. First day not counted;
		// 1 month ends 06-30 (Sun) → Mon 07-01. 3 months: 08-31 (Sat) → Mon 09-02.
		{"kakao order, last day of a month", "2024-05-31", "2024-07-01", "2024-09-02"},
		// Received 01-31: the period runs from 02-01; one month ends the day
		// before 03-01, i.e. 02-29 (2024 is a leap year), a Thursday.
		// Three months: the day before 05-01 is 04-30 (Tue).
		{"end of January, leap year", "2024-01-31", "2024-02-29", "2024-04-30"},
		// 2023-01-31: Feb has 28 days → 02-28 (Tue). 3 months → 04-30 (Sun) → 05-01 (Mon).
		{"end of January, common year", "2023-01-31", "2023-02-28", "2023-05-01"},
		// Received 2024-07-05: 1 month ends 08-05 (Mon). 3 months: 10-05 (Sat) → 10-07 (Mon).
		{"deadline on a Saturday", "2024-07-05", "2024-08-05", "2024-10-07"},
		// Received 2025-09-03: 1 month ends 10-03 (Fri, 개천절) → 10-04 Sat,
		// 10-05 Sun and 추석, 10-06, 10-07 추석, 10-08 substitute, 10-09 한글날 → Fri 10-10.
		{"holiday then weekend then 추석", "2025-09-03", "2025-10-10", "2025-12-03"},
		// Received 2024-09-10: 1 month ends 10-10 (Thu). 3 months: 12-10 (Tue).
		{"ordinary", "2024-09-10", "2024-10-10", "2024-12-10"},
		// At 00:00 the first day counts: from 06-01, one month ends 06-30 (Sun) → 07-01.
		// Received 2024-08-01 00:00: ends 08-31 (Sat) → 09-02 (Mon); 3 months 10-31 (Thu).
		{"start at 00:00", "2024-08-01 00:00", "2024-09-02", "2024-10-31"},
		// The same day at 09:00: first day not counted → 09-01 (Sun) → 09-02; 3 months 11-01 (Fri).
		{"start during the day", "2024-08-01 09:00", "2024-09-02", "2024-11-01"},
		// Received 2026-04-01 → 05-01 (Fri): 노동절 is a day off for employees,
		// not a public holiday of government offices, so the period ends then.
		{"2026 labour day", "2026-04-01", "2026-05-01", "2026-07-01"},
		// Received 2026-04-17 → 3 months end 07-17 (제헌절 from 2026) → 07-20 (Mon).
		{"2026 constitution day", "2026-04-17", "2026-05-18", "2026-07-20"},
		// Received 2024-03-10 → 04-10 is election day → 04-11.
		{"election day", "2024-03-10", "2024-04-11", "2024-06-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day, clock, err := ParseReceived(tt.received)
			require.NoError(t, err)
			o := &Order{Received: day, ReceivedClock: clock}
			ds := r.Deadlines(o, nil)
			got := map[string]string{}
			for _, d := range ds {
				got[d.Kind] = d.DueDate.String()
				assert.True(t, d.DateOnly)
			}
			assert.Equal(t, tt.plan, got["improvement-plan"], "improvement plan")
			assert.Equal(t, tt.correction, got["correction-report"], "correction report")
		})
	}
}

func TestIncidentDuties(t *testing.T) {
	rs := regimes(t)
	r, _ := rs.Regime("kr-msit")
	in := Incident{ID: 3, DetectedAt: at("2024-05-21T08:32:00+09:00"), ResolvedAt: at("2024-05-21T09:24:00+09:00")}
	o := &Order{Received: NewDate(2024, 5, 31), Incidents: []int64{3}, Submitted: map[string]Date{"user-notice#3": NewDate(2024, 5, 21)}}
	due := map[string]Deadline{}
	for _, d := range r.Deadlines(o, []Incident{in}) {
		due[d.Key()] = d
	}
	require.Contains(t, due, "ministry-report#3")
	assert.Equal(t, "2024-05-21T09:32:00+09:00", due["ministry-report#3"].Due.Format(time.RFC3339), "without delay: judged on the regime's 1 h target")
	assert.NotNil(t, due["user-notice#3"].Submitted)
	// 30 days from recovery on 05-21: 05-22 + 29 = 06-20 (Thu).
	assert.Equal(t, "2024-06-20", due["compensation-notice#3"].DueDate.String())

	require.NoError(t, rs.SetGrace("", 2*time.Hour))
	for _, d := range r.Deadlines(o, []Incident{in}) {
		if d.Kind == "ministry-report" {
			assert.Equal(t, "2024-05-21T10:32:00+09:00", d.Due.Format(time.RFC3339))
		}
	}
}

func TestOtherRegimes(t *testing.T) {
	rs := regimes(t)
	in := Incident{ID: 1, DetectedAt: at("2024-05-13T13:45:00+09:00"), MaterialAt: at("2024-05-30T10:00:00-04:00")}
	tests := []struct {
		regime string
		want   map[string]string // kind → due (RFC 3339 UTC, or a date)
	}{
		{"eu-nis2", map[string]string{"early-warning": "2024-05-14T04:45:00Z", "notification": "2024-05-16T04:45:00Z", "final-report": "2024-06-16"}},
		{"eu-dora", map[string]string{"initial-notification": "2024-05-13T08:45:00Z", "intermediate-report": "2024-05-16T08:45:00Z", "final-report": "2024-06-16"}},
		{"us-fcc-nors", map[string]string{"notification": "2024-05-13T06:45:00Z", "initial-report": "2024-05-16T04:45:00Z", "final-report": "2024-06-12"}},
		// Determined material Thu 2024-05-30: 4 business days → Wed 06-05.
		{"us-sec-8k", map[string]string{"form-8k": "2024-06-05"}},
	}
	for _, tt := range tests {
		t.Run(tt.regime, func(t *testing.T) {
			r, err := rs.Regime(tt.regime)
			require.NoError(t, err)
			o := &Order{Received: NewDate(2024, 5, 30)}
			got := map[string]string{}
			for _, d := range r.Deadlines(o, []Incident{in}) {
				if d.DateOnly {
					got[d.Kind] = d.DueDate.String()
				} else {
					got[d.Kind] = d.Due.UTC().Format(time.RFC3339)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSECBusinessDaysSkipFederalHolidays(t *testing.T) {
	r, err := regimes(t).Regime("us-sec-8k")
	require.NoError(t, err)
	for determined, want := range map[string]string{
		"2024-07-01": "2024-07-08", // Tue, Wed, (Thu 07-04 Independence Day), Fri, Mon
		"2024-11-26": "2024-12-03", // Wed, (Thu Thanksgiving), Fri, Mon, Tue
		"2026-12-22": "2026-12-29", // Wed, Thu, (Fri 12-25), Mon, Tue
		"2021-12-28": "2022-01-04", // Wed, Thu, (Fri 12-31, New Year observed), Mon, Tue
	} {
		in := Incident{ID: 1, MaterialAt: at(determined + "T11:00:00-05:00")}
		ds := r.Deadlines(&Order{}, []Incident{in})
		require.Len(t, ds, 1)
		assert.Equal(t, want, ds[0].DueDate.String(), "determined %s", determined)
	}
}

func TestHolidayCalendar(t *testing.T) {
	rs := regimes(t)
	r, _ := rs.Regime("kr-msit")
	cal := r.Calendar()
	for _, d := range []string{"2024-04-10", "2025-06-03", "2025-01-27", "2026-07-17", "2024-10-01", "2023-10-02",
		"2030-03-27", "2030-06-12"} {
		day, _ := ParseDate("d", d)
		_, ok := cal.Holiday(day)
		assert.True(t, ok, d)
	}
	// 2030-06-05 is not the local election (moved a week: 06-06 is 현충일);
	// 05-01 is no public holiday; 2027-07-19 is unconfirmed, so not listed.
	for _, d := range []string{"2025-05-01", "2025-07-17", "2024-05-21", "2026-05-01", "2030-06-05", "2027-07-19"} {
		day, _ := ParseDate("d", d)
		_, ok := cal.Holiday(day)
		assert.False(t, ok, "%s is not a holiday", d)
	}
	// Every year 2020-2030 has its fixed national days.
	for y := 2020; y <= 2030; y++ {
		for _, md := range [][2]int{{1, 1}, {3, 1}, {5, 5}, {6, 6}, {8, 15}, {10, 3}, {10, 9}, {12, 25}} {
			_, ok := cal.Holiday(NewDate(y, time.Month(md[0]), md[1]))
			assert.True(t, ok, "%d-%02d-%02d", y, md[0], md[1])
		}
	}
	// A holiday declared later, from a file.
	require.NoError(t, rs.AddHolidays(strings.NewReader("# declared later\n2030-03-27 대통령 선거\n")))
	_, ok := cal.Holiday(NewDate(2030, 3, 27))
	assert.True(t, ok)
	assert.ErrorIs(t, rs.AddHolidays(strings.NewReader("2030-13-01\n")), ErrInvalid)
}

func TestDeadlineStatus(t *testing.T) {
	due := NewDate(2024, 7, 1)
	d := Deadline{DueDate: due, Due: due.AddDays(1).In(time.UTC).Add(-time.Second)}
	before, after := due.In(time.UTC), due.AddDays(2).In(time.UTC)
	assert.Equal(t, "open", d.Status(before))
	assert.Equal(t, "overdue", d.Status(after))
	onTime, late := NewDate(2024, 6, 28), NewDate(2024, 7, 2)
	d.Submitted = &onTime
	assert.Equal(t, "submitted", d.Status(after))
	d.Submitted = &late
	assert.Equal(t, "late", d.Status(after))
}

// Every command that judges a deadline reads the embedded regimes and
// calendars first.
func BenchmarkLoadRegimes(b *testing.B) {
	for b.Loop() {
		if _, err := LoadRegimes(); err != nil {
			b.Fatal(err)
		}
	}
}

// The orders as the deadlines read them (each table in one pass) agree
// with the orders read whole on everything a clock runs on: two orders,
// one covering two incidents, submissions with and without a moment, and
// terms.
func TestOrderClocksAgreeWithOrders(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	a, b := newIncident(t, s), newIncident(t, s)
	o1 := &Order{Regime: "kr-msit", Authority: "MSIT", Reference: "과제-1", Received: NewDate(2024, 5, 31), Incidents: []int64{b.ID, a.ID},
		Terms: map[string]Term{"improvement-plan": {Within: "20d"}}}
	o2 := &Order{Regime: "kr-msit", Authority: "MSIT", Received: NewDate(2024, 6, 3), Incidents: []int64{a.ID}}
	require.NoError(t, s.CreateOrder(ctx, o1))
	require.NoError(t, s.CreateOrder(ctx, o2))
	at := time.Date(2024, 6, 28, 17, 30, 0, 0, time.UTC)
	_, err := s.Submit(ctx, o1.ID, "improvement-plan", NewDate(2024, 6, 28), &at, false)
	require.NoError(t, err)
	_, err = s.Submit(ctx, o1.ID, "interim-report", NewDate(2024, 7, 1), nil, false)
	require.NoError(t, err)

	var whole, clocks []Order
	require.NoError(t, s.read(ctx, func(q querier) error {
		var err error
		if whole, err = queryOrders(ctx, q); err == nil {
			clocks, err = queryOrderClocks(ctx, q)
		}
		return err
	}))
	require.Len(t, clocks, 2)
	for i, o := range whole {
		c := clocks[i]
		assert.Equal(t, []any{o.ID, o.Regime, o.Authority, o.Reference, o.Received, o.ReceivedClock, o.Created, o.Incidents, o.Terms, o.Submitted, o.SubmittedAt},
			[]any{c.ID, c.Regime, c.Authority, c.Reference, c.Received, c.ReceivedClock, c.Created, c.Incidents, c.Terms, c.Submitted, c.SubmittedAt}, "order %d", o.ID)
	}
	assert.Len(t, clocks[0].Submitted, 2)
	assert.Len(t, clocks[0].SubmittedAt, 1)
	assert.Equal(t, []int64{a.ID, b.ID}, clocks[0].Incidents)
}
