package incident

import (
	"regexp"
	"strings"
	"time"
)

// TimeForms lists, for messages, the forms ParseTime accepts.
const TimeForms = `RFC 3339 (2024-05-21T08:30:00+09:00), "YYYY-MM-DD HH:MM[:SS]" (an offset such as -04:00 may follow), "M/D HH:MM", "HH:MM[:SS]" (on the incident's day), "-5m" or "5m ago", or "now"`

// MaxSkew is how far into the future a time that happened may lie: clocks
// on different machines drift by seconds, not by more. Anything later is
// refused, so that a past time typed in the wrong zone or on the wrong day
// is caught instead of stored in the future.
const MaxSkew = 10 * time.Minute

// soonAhead is how far ahead a bare clock time, read with no incident, is
// taken as a slip (refused) rather than as the day before's.
const soonAhead = time.Hour

// drift is how far ahead of the clock a time typed by hand may be and
// still be the present: people read their watch, not the server's.
const drift = time.Minute

// Span is what a typed clock time is read against: an incident's start.
// Zero for none.
type Span struct{ Start *time.Time }

// SpanOf is the span of an incident.
func SpanOf(in *Incident) Span {
	if in == nil {
		return Span{}
	}
	return Span{Start: in.StartedAt}
}

// Before reports how long before the span's start t lies, if it does.
func (sp Span) Before(t time.Time) (time.Duration, bool) {
	if sp.Start == nil || !t.Before(*sp.Start) {
		return 0, false
	}
	return sp.Start.Sub(t), true
}

// ParseTime reads a time as people type it, with no incident to read it
// against: a bare clock time ("HH:MM[:SS]") or day ("M/D HH:MM") is the
// latest such moment that has come, give or take a clock's drift of a
// minute (08:31 typed at 00:10 is yesterday's); one less than an hour
// ahead is refused as not yet come (12:03 typed at 12:01 is a slip, not
// yesterday's). See ParseTimeIn.
func ParseTime(field, s string, loc *time.Location, now time.Time) (time.Time, error) {
	return ParseTimeIn(field, s, loc, now, Span{})
}

// ParseTimeIn reads a time as people type it during an incident and after
// it: RFC 3339, "YYYY-MM-DD HH:MM[:SS]" in loc (or with an offset), "M/D
// HH:MM[:SS]", "HH:MM[:SS]", "-5m" / "5m ago" (before now), or "now".
//
// A bare clock time (or day) is read against the incident: that time on
// the day it began (08:32 on the day an incident began at 08:30, however
// long ago); when that is before the start, the nearer to the start of it
// and the next day's (00:05 on an incident begun at 23:50 is the next
// day's; 08:20 on one begun at 08:30 is ten minutes before it). One that
// comes out in the future is refused, naming it, rather than moved a day
// back: at 02:23, "02:25" is not yesterday's. One before the start is
// returned (the change that triggered an outage comes before it):
// Span.Before tells the caller to have it confirmed. With no incident, the
// latest such moment that has come.
//
// A wall time that does not exist in loc (the hour skipped when daylight
// saving starts) is refused naming the gap; one that happens twice (when
// it ends) asks for its offset. The result is truncated to the second,
// which is what the store keeps.
func ParseTimeIn(field, s string, loc *time.Location, now time.Time, span Span) (time.Time, error) {
	v := strings.TrimSpace(s)
	if strings.EqualFold(v, "now") {
		return now.Truncate(time.Second), nil
	}
	if fraction.MatchString(v) {
		// time.Parse takes a fraction after the seconds in every layout;
		// times are kept to the second, and one cut would not be the time
		// typed.
		return time.Time{}, invalid(field, "%q has a fraction of a second; accepted: whole seconds (times are kept to the second)", s)
	}
	if d, ok := agoDuration(v); ok {
		if d <= 0 {
			return time.Time{}, invalid(field, "%q is not before now; accepted: a duration ago such as -5m, 5m ago or 1h30m ago", s)
		}
		return now.Add(-d).Truncate(time.Second), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05 -07:00", "2006-01-02 15:04 -07:00", "2006-01-02 15:04:05-07:00",
		"2006-01-02 15:04-07:00", "2006-01-02T15:04-07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if w, err := time.Parse(layout, v); err == nil {
			return wallTime(field, w, loc)
		}
	}
	for _, layout := range []string{"1/2 15:04:05", "1/2 15:04", "15:04:05", "15:04"} {
		w, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		step := func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }
		if strings.Contains(layout, "/") {
			step = func(t time.Time, n int) time.Time { return t.AddDate(n, 0, 0) }
		}
		return nearest(field, v, w, strings.Contains(layout, "/"), step, loc, now, span)
	}
	return time.Time{}, invalidAs(ErrNotATime, field, "%q is not a time; accepted: %s", s, TimeForms)
}

// agoDuration reads "-5m", "5m ago", "1h30m ago".
func agoDuration(v string) (time.Duration, bool) {
	var d string
	switch {
	case strings.HasPrefix(v, "-"):
		d = v[1:]
	case strings.HasSuffix(v, " ago"):
		d = strings.TrimSpace(strings.TrimSuffix(v, " ago"))
	default:
		return 0, false
	}
	x, err := time.ParseDuration(d)
	return x, err == nil
}

// nearest places a wall clock time w (with its month and day when dated)
// on the calendar: the candidates are the moments loc's clocks read it,
// one step (a day, or a year for a dated one) apart; which is taken is as
// ParseTimeIn says.
func nearest(field, typed string, w time.Time, dated bool, step func(time.Time, int) time.Time, loc *time.Location, now time.Time, span Span) (time.Time, error) {
	at := func(ref time.Time) (time.Time, error) {
		r := ref.In(loc)
		y, m, d := r.Date()
		if dated {
			m, d = w.Month(), w.Day()
			if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Month() != m {
				return time.Time{}, invalid(field, "%q: %s %d has no day %d", typed, m, y, d)
			}
		}
		return wallTime(field, time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), 0, time.UTC), loc)
	}
	ahead := now.Add(drift)
	if span.Start == nil {
		// The latest such moment that has come; one within the hour
		// ahead is a watch off or a slip, refused rather than taken as
		// the day before.
		t, err := at(now)
		if err == nil && t.After(ahead) {
			before, berr := at(step(now.In(loc), -1))
			if t.Sub(now) <= soonAhead {
				return time.Time{}, invalid(field, "%q would be %s, %s from now: not yet come; accepted: a time up to now (for the day before, give the date: %s)",
					typed, t.In(loc).Format("2006-01-02 15:04:05 MST"), roundDur(t.Sub(now)), before.In(loc).Format("2006-01-02 15:04"))
			}
			t, err = before, berr
		}
		return t, err
	}
	// On the start's own day; when that is before the start, the nearer
	// of it and the next day's to the start.
	start := *span.Start
	t, err := at(start)
	if err != nil {
		return time.Time{}, err
	}
	if t.Before(start) {
		next, err := at(step(start.In(loc), 1))
		if err != nil {
			return time.Time{}, err
		}
		if next.Sub(start) < start.Sub(t) {
			t = next
		}
	}
	if t.After(ahead) {
		before, _ := at(step(t.In(loc), -1))
		return time.Time{}, invalid(field, "%q would be %s, %s from now: not yet come; accepted: a time up to now (for the day before, give the date: %s)",
			typed, t.In(loc).Format("2006-01-02 15:04:05 MST"), roundDur(t.Sub(now)), before.In(loc).Format("2006-01-02 15:04"))
	}
	return t, nil
}

// roundDur is d to the minute, for messages.
func roundDur(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

// fraction is a fraction of a second that is not zero, after the seconds.
var fraction = regexp.MustCompile(`:\d\d[.,]\d*[1-9]`)

// wallTime is the instant at which loc's clocks read w's date and time
// (w's own zone is ignored): refused when there is none or more than one.
func wallTime(field string, w time.Time, loc *time.Location) (time.Time, error) {
	y, mo, d := w.Date()
	h, mi, sec := w.Clock()
	reads := func(t time.Time) bool {
		ty, tmo, td := t.In(loc).Date()
		th, tmi, tsec := t.In(loc).Clock()
		return ty == y && tmo == mo && td == d && th == h && tmi == mi && tsec == sec
	}
	// The offsets in force a little before and after: a transition between
	// them is what makes a wall time missing or double.
	guess := time.Date(y, mo, d, h, mi, sec, 0, loc)
	_, before := guess.Add(-3 * time.Hour).Zone()
	_, after := guess.Add(3 * time.Hour).Zone()
	var found []time.Time
	for _, off := range uniq(before, after) {
		t := time.Date(y, mo, d, h, mi, sec, 0, time.FixedZone("", off))
		if reads(t) {
			found = append(found, t.In(loc))
		}
	}
	shown := w.Format("2006-01-02 15:04")
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return time.Time{}, invalid(field, "%s does not exist in %s: the clocks go forward %s there at that hour (daylight saving starts); give a time outside the skipped %s",
			shown, loc, time.Duration(after-before)*time.Second, time.Duration(after-before)*time.Second)
	}
	return time.Time{}, invalid(field, "%s happens twice in %s (the clocks go back); give its offset: %q or %q",
		shown, loc, shown+" "+offsetText(found[0]), shown+" "+offsetText(found[1]))
}

func uniq(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

func offsetText(t time.Time) string { return t.Format("-07:00") }

// happened refuses a time of something that happened that lies more than
// MaxSkew after now.
func happened(field string, t *time.Time, now time.Time) error {
	if t != nil && t.After(now.Add(MaxSkew)) {
		return invalid(field, "%s is in the future (now is %s); a time that happened can be at most %s ahead",
			t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), MaxSkew)
	}
	return nil
}

// latestZone is where the date changes first: a date that has not begun
// there has not begun anywhere.
var latestZone = time.FixedZone("UTC+14", 14*3600)

// earliestZone is where the date changes last.
var earliestZone = time.FixedZone("UTC-12", -12*3600)

// happenedOn refuses a day of something that happened that has not yet
// begun anywhere on earth.
func happenedOn(field string, d *Date, now time.Time) error {
	if d != nil && !d.IsZero() && d.After(DateOf(now, latestZone)) {
		return invalid(field, "%s is in the future (today is %s); a day that happened cannot be later", d, DateOf(now, latestZone))
	}
	return nil
}

// ReadsAgainstSpan reports whether a typed time is a bare clock time or day
// ("08:32", "5/21 08:32"): one read against the incident's span.
func ReadsAgainstSpan(s string) bool {
	v := strings.TrimSpace(s)
	for _, layout := range []string{"1/2 15:04:05", "1/2 15:04", "15:04:05", "15:04"} {
		if _, err := time.Parse(layout, v); err == nil {
			return true
		}
	}
	return false
}
