package incident

import (
	"regexp"
	"strings"
	"time"
)

// TimeForms lists, for messages, the forms ParseTime accepts.
const TimeForms = `RFC 3339 (2024-05-21T08:30:00+09:00), "YYYY-MM-DD HH:MM[:SS]" (an offset such as -04:00 may follow), "HH:MM[:SS]" (the latest such moment that has come) or "now"`

// MaxSkew is how far into the future a time that happened may lie: clocks
// on different machines drift by seconds, not by more. Anything later is
// refused, so that a past time typed in the wrong zone or on the wrong day
// is caught instead of stored in the future.
const MaxSkew = 10 * time.Minute

// ParseTime reads a time as people type it during an incident: RFC 3339,
// "YYYY-MM-DD HH:MM[:SS]" in loc (or with an offset), "HH:MM[:SS]" or
// "now". A bare clock time is the latest such moment that is not in the
// future, give or take a clock's drift of a minute (08:31 typed at 00:10
// is yesterday's, and so is 08:10 typed at 08:03). A wall time that does not
// exist in loc (the hour skipped when daylight saving starts) is refused
// naming the gap; one that happens twice (when it ends) asks for its
// offset. The result is truncated to the second, which is what the store
// keeps.
func ParseTime(field, s string, loc *time.Location, now time.Time) (time.Time, error) {
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
	for _, layout := range []string{"15:04:05", "15:04"} {
		w, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		y, m, d := now.In(loc).Date()
		day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
		t, err := wallTime(field, time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), 0, time.UTC), loc)
		if err == nil && t.After(now.Add(time.Minute)) {
			// Not yet today (beyond a clock's drift of seconds): the
			// latest such moment was yesterday.
			y, m, d = day.AddDate(0, 0, -1).Date()
			t, err = wallTime(field, time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), 0, time.UTC), loc)
		}
		return t, err
	}
	return time.Time{}, invalid(field, "%q is not a time; accepted: %s", s, TimeForms)
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
