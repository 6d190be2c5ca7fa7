package incident

import (
	"strings"
	"time"
)

// TimeForms lists, for messages, the forms ParseTime accepts.
const TimeForms = `RFC 3339 (2024-05-21T08:30:00+09:00), "YYYY-MM-DD HH:MM[:SS]", "HH:MM[:SS]" (today) or "now"`

// ParseTime reads a time as people type it during an incident: RFC 3339,
// "YYYY-MM-DD HH:MM[:SS]" or "HH:MM[:SS]" (today) in loc, or "now". The
// result is truncated to the second, which is what the store keeps.
func ParseTime(field, s string, loc *time.Location, now time.Time) (time.Time, error) {
	v := strings.TrimSpace(s)
	if strings.EqualFold(v, "now") {
		return now.Truncate(time.Second), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.Truncate(time.Second), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			y, m, d := now.In(loc).Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, loc), nil
		}
	}
	return time.Time{}, invalid(field, "%q is not a time; accepted: %s", s, TimeForms)
}
