package incident

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The user notice and the compensation notice of 전기통신사업법 제33조제2항
// apply as 시행령 제37조의13제1항 says, in the version in force on the day
// the incident began. Sources of the expected values: the Decree's text
// on law.go.kr (as in force until 2025-03-27: items 3 to 5), and the
// amendment in force from 2025-03-28 (Kim & Chang, 2025-03; Bae, Kim &
// Lee, 2025-02: item 4 deleted, item 5's 4 hours for value-added services
// cut to 2).
func TestNoticeExemptions(t *testing.T) {
	rs := regimes(t)
	kakao := &Org{Revenue: ptr[int64](7_000_000_000_000), DailyUsers: ptr[int64](40_000_000)}
	svc := func(class, fee string, users *int64) *Service {
		return &Service{Name: "svc", Class: class, Fee: fee, DailyUsers: users, Regimes: []ServiceRegime{{ID: "kr-msit"}}}
	}
	free := svc("value-added", "free", nil) // 카카오톡: 부가통신역무, 무료
	paid := svc("value-added", "paid", nil) // a paid value-added service
	basic := svc("basic", "paid", nil)      // 기간통신역무
	unknown := &Service{Name: "svc", Regimes: []ServiceRegime{{ID: "kr-msit"}}}
	small := svc("value-added", "paid", ptr[int64](500_000))
	tests := []struct {
		name     string
		started  string
		outage   time.Duration // 0: still running
		service  *Service
		org      *Org
		required bool
		why      string // part of the reason, in Korean
	}{
		// Item 4 (until 2025-03-27): a free service is exempt. The May 2024
		// KakaoTalk outages (66 minutes in all) owed no notice.
		{"2024 free, 54 min", "2024-05-21T08:30:00+09:00", 54 * time.Minute, free, kakao, false, "제4호"},
		{"2024 free, 5 h", "2024-05-21T08:30:00+09:00", 5 * time.Hour, free, kakao, false, "제4호"},
		// Item 5: a value-added service within 4 hours; beyond, it owes.
		{"2024 paid value-added, 3 h", "2024-05-21T08:30:00+09:00", 3 * time.Hour, paid, kakao, false, "4시간 이내"},
		{"2024 paid value-added, 4 h 1 min", "2024-05-21T08:30:00+09:00", 4*time.Hour + time.Minute, paid, kakao, true, ""},
		// Item 5: a basic service within 2 hours.
		{"2024 basic, 2 h", "2024-05-21T08:30:00+09:00", 2 * time.Hour, basic, kakao, false, "2시간 이내"},
		{"2024 basic, 2 h 1 min", "2024-05-21T08:30:00+09:00", 2*time.Hour + time.Minute, basic, kakao, true, ""},
		// Item 3: small providers and small services are exempt.
		{"2024 small provider", "2024-05-21T08:30:00+09:00", 9 * time.Hour, paid, &Org{Revenue: ptr[int64](9_999_999_999)}, false, "100억원 미만"},
		{"2024 few users", "2024-05-21T08:30:00+09:00", 9 * time.Hour, small, kakao, false, "100만 명 미만"},
		// From 2025-03-28: item 4 is gone, value-added exempt within 2 h only.
		{"2025 free, 3 h", "2025-04-10T10:00:00+09:00", 3 * time.Hour, free, kakao, true, ""},
		{"2025 free, 90 min", "2025-04-10T10:00:00+09:00", 90 * time.Minute, free, kakao, false, "2시간 이내"},
		{"2025 paid value-added, 3 h", "2025-04-10T10:00:00+09:00", 3 * time.Hour, paid, kakao, true, ""},
		{"2025 small provider", "2025-04-10T10:00:00+09:00", 9 * time.Hour, paid, &Org{Revenue: ptr[int64](5_000_000_000)}, false, "100억원 미만"},
		// The day the amendment took effect, in Seoul: 23:30 the day
		// before is under the old text, 00:10 under the new.
		{"2025-03-27 23:30 KST, free, 3 h", "2025-03-27T23:30:00+09:00", 3 * time.Hour, free, kakao, false, "제4호"},
		{"2025-03-28 00:10 KST, free, 3 h", "2025-03-28T00:10:00+09:00", 3 * time.Hour, free, kakao, true, ""},
		// Never exempt on a guess: the class unknown, the size unknown,
		// the outage still running.
		{"class unknown", "2024-05-21T08:30:00+09:00", time.Hour, unknown, kakao, true, ""},
		{"size unknown", "2024-05-21T08:30:00+09:00", 9 * time.Hour, paid, &Org{}, true, ""},
		{"still running", "2024-05-21T08:30:00+09:00", 0, paid, kakao, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Incident{ID: 1, Services: []string{"svc"}, StartedAt: at(tt.started)}
			in.DetectedAt = in.StartedAt
			if tt.outage > 0 {
				end := in.StartedAt.Add(tt.outage)
				in.ResolvedAt = &end
			}
			x := dutyInputs{regimes: []*Regime{mustRegime(t, rs, "kr-msit")}, cat: newCatalogue([]Service{*tt.service}), org: tt.org}
			got := map[string]*Duty{}
			ds := in.duties(x)
			for i := range ds {
				got[ds[i].Kind] = &ds[i]
			}
			for _, kind := range []string{"user-notice", "compensation-notice"} {
				d := got[kind]
				if kind == "compensation-notice" && in.ResolvedAt == nil {
					assert.Nil(t, d, "its clock starts when service resumes")
					continue
				}
				require.NotNil(t, d, kind)
				if tt.required {
					assert.Nil(t, d.NotRequired, "%s is required", kind)
					assert.NotEqual(t, "not-required", d.Status(in.StartedAt.Add(time.Hour)))
				} else {
					require.NotNil(t, d.NotRequired, "%s is not required", kind)
					assert.Contains(t, d.NotRequired["ko"], tt.why)
					assert.Equal(t, "not-required", d.Status(in.StartedAt.Add(30*24*time.Hour)))
					assert.False(t, d.Overdue(in.StartedAt.Add(30*24*time.Hour)))
				}
				require.NotNil(t, d.Effective, "the version it was judged under")
				want := "2019-06-25"
				if !DateOf(*in.StartedAt, mustRegime(t, rs, "kr-msit").Location()).Before(NewDate(2025, 3, 28)) {
					want = "2025-03-28"
				}
				assert.Equal(t, want, d.Effective.String())
				assert.Contains(t, d.Cite["ko"], "시행령 제37조의13")
			}
			// The report to the ministry is not the Decree's: always owed.
			require.NotNil(t, got["ministry-report"])
			assert.Nil(t, got["ministry-report"].NotRequired)
		})
	}
}

// An incident on two services owes a notice when one of them does.
func TestNoticeExemptionNeedsEveryService(t *testing.T) {
	rs := regimes(t)
	org := &Org{Revenue: ptr[int64](7_000_000_000_000), DailyUsers: ptr[int64](40_000_000)}
	bound := []ServiceRegime{{ID: "kr-msit"}}
	cat := newCatalogue([]Service{{Name: "Talk", Class: "value-added", Fee: "free", Regimes: bound},
		{Name: "Pay", Class: "value-added", Fee: "paid", Regimes: bound}})
	in := &Incident{ID: 1, Services: []string{"talk", "PAY"}, StartedAt: at("2024-05-21T08:30:00+09:00"), ResolvedAt: at("2024-05-21T14:30:00+09:00")}
	x := dutyInputs{regimes: []*Regime{mustRegime(t, rs, "kr-msit")}, cat: cat, org: org}
	for _, d := range in.duties(x) {
		assert.Nil(t, d.NotRequired, "%s: the paid service is down 6 h", d.Kind)
	}
	in.Services = []string{"talk"}
	for _, d := range in.duties(x) {
		if d.Kind == "user-notice" {
			assert.NotNil(t, d.NotRequired)
		}
	}
}

// "Without delay" is not late at second one: with no target the duty
// says how long it took; a regime's target judges it, the organisation's
// replaces the regime's, and --grace (per duty or for all) replaces both.
func TestWithoutDelayTargets(t *testing.T) {
	rs := regimes(t)
	in := &Incident{ID: 1, Services: []string{"svc"}, DetectedAt: at("2024-05-21T08:32:00+09:00")}
	in.StartedAt = in.DetectedAt
	notice := Event{ID: 7, IncidentID: 1, At: in.DetectedAt.Add(28 * time.Minute), Kind: KindComms, Notice: NoticeUsers}
	x := dutyInputs{regimes: []*Regime{mustRegime(t, rs, "kr-msit")}, notices: []Event{notice}}
	byKind := func(x dutyInputs) map[string]*Duty {
		out := map[string]*Duty{}
		ds := in.duties(x)
		for i := range ds {
			out[ds[i].Kind] = &ds[i]
		}
		return out
	}
	later := in.DetectedAt.Add(3 * time.Hour)
	d := byKind(x)
	// kr-msit names 1 h: met 28 min after is met; the report, unmet at 3 h, is overdue.
	assert.Equal(t, "met", d["user-notice"].Status(later))
	took, ok := d["user-notice"].Took()
	assert.True(t, ok)
	assert.Equal(t, 28*time.Minute, took)
	assert.Equal(t, "overdue", d["ministry-report"].Status(later))

	// The organisation's 15 min: the same notice is late.
	x.org = &Org{Targets: map[string]string{"user-notice": "15m"}}
	d = byKind(x)
	assert.Equal(t, "late", d["user-notice"].Status(later))
	assert.Equal(t, 15*time.Minute, d["user-notice"].Target)

	// --grace user-notice=10m: late; --grace for all is 4 h; zero is refused.
	require.NoError(t, rs.SetGrace("user-notice", 10*time.Minute))
	assert.Equal(t, "late", byKind(x)["user-notice"].Status(later))
	assert.ErrorIs(t, rs.SetGrace("user-notice", 0), ErrInvalid, "never judged on a zero")
	require.NoError(t, rs.SetGrace("", 4*time.Hour))
	d = byKind(x)
	assert.Equal(t, "late", d["user-notice"].Status(later), "the per-duty grace stays over the general one")
	assert.Equal(t, "open", d["ministry-report"].Status(later))
	assert.ErrorIs(t, rs.SetGrace("improvement-plan", time.Hour), ErrInvalid, "a duty with a period has no grace")

	// A regime without a target: never late by a zero, its time shown.
	r := *mustRegime(t, regimes(t), "kr-msit")
	r.Deliverables = append([]DeliverableSpec(nil), r.Deliverables...)
	for i := range r.Deliverables {
		r.Deliverables[i].target = 0
	}
	d = byKind(dutyInputs{regimes: []*Regime{&r}, notices: []Event{notice}})
	assert.Equal(t, "met", d["user-notice"].Status(later))
	assert.Equal(t, "open", d["ministry-report"].Status(later.Add(72*time.Hour)), "never overdue without a time")
	assert.False(t, d["ministry-report"].Overdue(later.Add(72*time.Hour)))
}

func mustRegime(t *testing.T, rs *Regimes, id string) *Regime {
	t.Helper()
	r, err := rs.Regime(id)
	require.NoError(t, err)
	return r
}

func ptr[T any](v T) *T { return &v }

// Each clock starts where the law starts it.
func TestClockStarts(t *testing.T) {
	rs := regimes(t)
	due := func(regime string, in *Incident, kind string) string {
		t.Helper()
		for _, d := range in.duties(dutyInputs{regimes: []*Regime{mustRegime(t, rs, regime)}}) {
			if d.Kind == kind {
				if d.DateOnly {
					return d.DueDate.String()
				}
				return d.Due.UTC().Format(time.RFC3339)
			}
		}
		return "none"
	}
	tests := []struct {
		name, regime, kind string
		in                 *Incident
		want               string
	}{
		// 전기통신사업법 제33조제2항: 30 days from the day service resumed.
		// Restored Tue 2024-05-21 09:00, closed Sat 05-25: Civil Act art.
		// 157 counts from 05-22, the 30th day is Thu 06-20.
		{"compensation from restoration", "kr-msit", "compensation-notice",
			&Incident{StartedAt: at("2024-05-21T08:30:00+09:00"), MitigatedAt: at("2024-05-21T09:00:00+09:00"), ResolvedAt: at("2024-05-25T18:00:00+09:00")}, "2024-06-20"},
		// Without a mitigation the resolution is when service resumed:
		// from 05-26, the 30th day is Mon 06-24.
		{"compensation from resolution", "kr-msit", "compensation-notice",
			&Incident{StartedAt: at("2024-05-21T08:30:00+09:00"), ResolvedAt: at("2024-05-25T18:00:00+09:00")}, "2024-06-24"},
		{"compensation before service resumes", "kr-msit", "compensation-notice",
			&Incident{StartedAt: at("2024-05-21T08:30:00+09:00")}, "none"},
		// DORA, Delegated Regulation (EU) 2025/301 art. 5(1)(a): 4 hours
		// from classification, at most 24 hours from detection.
		{"DORA classified 10 h after detection", "eu-dora", "initial-notification",
			&Incident{DetectedAt: at("2025-02-03T08:00:00Z"), ClassifiedAt: at("2025-02-03T18:00:00Z")}, "2025-02-03T22:00:00Z"},
		{"DORA classified 22 h after detection: the 24 h bound", "eu-dora", "initial-notification",
			&Incident{DetectedAt: at("2025-02-03T08:00:00Z"), ClassifiedAt: at("2025-02-04T06:00:00Z")}, "2025-02-04T08:00:00Z"},
		{"DORA not yet classified: from detection", "eu-dora", "initial-notification",
			&Incident{DetectedAt: at("2025-02-03T08:00:00Z")}, "2025-02-03T12:00:00Z"},
		// The intermediate report runs 72 h from the initial one's due
		// when not yet submitted (art. 5(1)(b)).
		{"DORA intermediate after a classification", "eu-dora", "intermediate-report",
			&Incident{DetectedAt: at("2025-02-03T08:00:00Z"), ClassifiedAt: at("2025-02-03T18:00:00Z")}, "2025-02-06T22:00:00Z"},
		// SEC Form 8-K General Instruction B.1: four business days after
		// the materiality determination; none before it.
		{"SEC not yet determined", "us-sec-8k", "form-8k", &Incident{DetectedAt: at("2024-05-13T09:00:00-04:00")}, "none"},
		{"SEC determined Thu 2024-05-30", "us-sec-8k", "form-8k",
			&Incident{DetectedAt: at("2024-05-13T09:00:00-04:00"), MaterialAt: at("2024-05-30T16:00:00-04:00")}, "2024-06-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.ID = 1
			assert.Equal(t, tt.want, due(tt.regime, tt.in, tt.kind))
		})
	}
}

// Submissions have a time: an EDGAR filing after 17:30 ET counts the next
// business day, EDGAR's one-off closures are days off, and a clock chained
// to a submission starts at its moment.
func TestSubmissionTimes(t *testing.T) {
	rs := regimes(t)
	sec := mustRegime(t, rs, "us-sec-8k")
	// 17 CFR 232.13(a)(2): after 5:30 p.m. ET, the next business day.
	for when, want := range map[string]string{
		"2024-06-05T17:29:00-04:00": "2024-06-05",
		"2024-06-05T17:30:00-04:00": "2024-06-05",
		"2024-06-05T17:31:00-04:00": "2024-06-06",
		"2024-06-07T18:00:00-04:00": "2024-06-10", // Friday evening → Monday
		"2024-06-08T10:00:00-04:00": "2024-06-10", // a Saturday
		"2025-01-08T20:00:00-05:00": "2025-01-10", // the next day EDGAR was closed
	} {
		assert.Equal(t, want, sec.FiledOn(*at(when)).String(), when)
	}
	// Determined material Mon 2025-01-06: Tue 7, Wed 8, (Thu 9 closed:
	// the national day of mourning), Fri 10, Mon 13.
	in := Incident{ID: 1, DetectedAt: at("2025-01-02T09:00:00-05:00"), MaterialAt: at("2025-01-06T10:00:00-05:00")}
	ds := sec.Deadlines(&Order{}, []Incident{in})
	require.Len(t, ds, 1)
	assert.Equal(t, "2025-01-13", ds[0].DueDate.String())

	// Filed on the due day: before the cut-off on time, after it late;
	// the same through a duty marked done at a time.
	in = Incident{ID: 1, DetectedAt: at("2024-05-13T09:00:00-04:00"), MaterialAt: at("2024-05-30T16:00:00-04:00")}
	for filed, late := range map[string]bool{"2024-06-05T17:00:00-04:00": false, "2024-06-05T18:00:00-04:00": true} {
		o := &Order{Incidents: []int64{1}, Submitted: map[string]Date{"form-8k#1": NewDate(2024, 6, 5)},
			SubmittedAt: map[string]time.Time{"form-8k#1": *at(filed)}}
		ds := sec.Deadlines(o, []Incident{in})
		require.Len(t, ds, 1)
		assert.Equal(t, late, ds[0].Late(), "order submission at %s", filed)
		x := dutyInputs{regimes: []*Regime{sec}, records: []dutyRecord{{IncidentID: 1, Kind: "form-8k", State: "met", At: *at(filed)}}}
		d := in.duties(x)
		require.Len(t, d, 1)
		assert.Equal(t, late, d[0].Late(), "marked done at %s", filed)
		x = dutyInputs{regimes: []*Regime{sec}, submitted: submissionsFor(1, []Order{*o})}
		d = in.duties(x)
		require.Len(t, d, 1)
		assert.Equal(t, late, d[0].Late(), "duty met by the order's submission at %s", filed)
	}

	// DORA art. 5(1)(b): the intermediate report runs 72 h from the
	// initial notification as submitted, to the minute.
	dora := mustRegime(t, rs, "eu-dora")
	in = Incident{ID: 1, DetectedAt: at("2025-02-03T08:00:00Z"), ClassifiedAt: at("2025-02-03T09:00:00Z")}
	o := &Order{Incidents: []int64{1}, Submitted: map[string]Date{"initial-notification#1": NewDate(2025, 2, 3)},
		SubmittedAt: map[string]time.Time{"initial-notification#1": *at("2025-02-03T12:10:00Z")}}
	due := map[string]string{}
	for _, d := range dora.Deadlines(o, []Incident{in}) {
		due[d.Kind] = d.Due.UTC().Format(time.RFC3339)
	}
	assert.Equal(t, "2025-02-06T12:10:00Z", due["intermediate-report"])
	x := dutyInputs{regimes: []*Regime{dora}, submitted: submissionsFor(1, []Order{*o})}
	for _, d := range in.duties(x) {
		if d.Kind == "intermediate-report" {
			assert.Equal(t, "2025-02-06T12:10:00Z", d.Due.UTC().Format(time.RFC3339))
		}
	}
}

// An order's periods are the order's: the May 2024 order gave 1 and 3
// months, another gives its own, counted under the same Civil Act rule.
func TestOrderTerms(t *testing.T) {
	r := mustRegime(t, regimes(t), "kr-msit")
	due := func(terms map[string]Term) map[string]string {
		out := map[string]string{}
		for _, d := range r.Deadlines(&Order{Received: NewDate(2024, 5, 31), Terms: terms}, nil) {
			out[d.Kind] = d.DueDate.String()
		}
		return out
	}
	// Default (the regime's): 1 month → 07-01, 3 months → 09-02 (see
	// TestKoreanDeadlines).
	assert.Equal(t, map[string]string{"improvement-plan": "2024-07-01", "correction-report": "2024-09-02"}, due(nil))
	day := NewDate(2024, 8, 30)
	// 14 days from Fri 05-31, the first day not counted (art. 157): the
	// 14th day from 06-01 is Fri 06-14. Two months: the day before 08-01
	// is Wed 07-31 (art. 160). A day the order names is that day.
	assert.Equal(t, map[string]string{"improvement-plan": "2024-06-14", "correction-report": "2024-08-30"},
		due(map[string]Term{"improvement-plan": {Within: "14d"}, "correction-report": {Due: &day}}))
	assert.Equal(t, "2024-07-31", due(map[string]Term{"improvement-plan": {Within: "2m"}})["improvement-plan"])

	o := &Order{Received: NewDate(2024, 5, 31)}
	for _, bad := range []map[string]Term{
		{"ministry-report": {Within: "1m"}},                   // runs from detection, not receipt
		{"improvement-plan": {Within: "2w"}},                  // not a period
		{"improvement-plan": {}},                              // neither
		{"improvement-plan": {Within: "1m", Due: &day}},       // both
		{"press-release": {Within: "1m"}},                     // not a deliverable
		{"improvement-plan": {Due: ptr(NewDate(2024, 5, 1))}}, // before receipt
	} {
		o.Terms = bad
		assert.ErrorIs(t, o.checkTerms(r), ErrInvalid, "%v", bad)
	}
}

// The law reads the provider's revenue of the year before the incident:
// a year's own figure, else the single one.
func TestRevenueOfTheYearBefore(t *testing.T) {
	rs := regimes(t)
	org := &Org{Revenue: ptr[int64](7_000_000_000_000), DailyUsers: ptr[int64](40_000_000),
		Yearly: map[int]OrgYear{2023: {Revenue: ptr[int64](5_000_000_000)}}}
	cat := newCatalogue([]Service{{Name: "svc", Class: "value-added", Fee: "paid", Regimes: []ServiceRegime{{ID: "kr-msit"}}}})
	for started, exempt := range map[string]bool{
		"2024-05-21T08:30:00+09:00": true,  // 2023: KRW 5 bn, under 10 bn (item 3가)
		"2025-05-21T08:30:00+09:00": false, // 2024: the single figure, 7 tn
		"2024-01-01T00:30:00+09:00": true,  // still 2024 in Seoul (2023-12-31 in UTC)
	} {
		in := &Incident{ID: 1, Services: []string{"svc"}, StartedAt: at(started), ResolvedAt: at("2025-12-31T00:00:00+09:00")}
		for _, d := range in.duties(dutyInputs{regimes: []*Regime{mustRegime(t, rs, "kr-msit")}, cat: cat, org: org}) {
			if d.Kind == "user-notice" {
				assert.Equal(t, exempt, d.NotRequired != nil, "%s: %v", started, d.NotRequired)
				if exempt {
					assert.Contains(t, d.NotRequired["ko"], "100억원 미만")
				}
			}
		}
	}
}
