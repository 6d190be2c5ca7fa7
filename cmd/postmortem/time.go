package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// parseTime reads a time flag in the chosen zone.
func (f *factory) parseTime(flag, value string) (*time.Time, error) {
	loc, err := f.Location()
	if err != nil {
		return nil, err
	}
	t, err := incident.ParseTime(flag, value, loc, f.now())
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// parseTimeOn reads a time flag about incident id: a bare clock time or
// day ("08:32", "5/21 08:32") is read against the incident's span (its own
// day, however long ago), and one that falls before the incident began is
// said, since a command line cannot ask.
func (f *factory) parseTimeOn(ctx context.Context, flag, value string, id int64) (*time.Time, error) {
	if !incident.ReadsAgainstSpan(value) {
		return f.parseTime(flag, value)
	}
	loc, err := f.Location()
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	in, err := s.Incident(ctx, id)
	if err != nil {
		return nil, err
	}
	span := incident.SpanOf(in)
	t, err := incident.ParseTimeIn(flag, value, loc, f.now(), span)
	if err != nil {
		return nil, err
	}
	if d, before := span.Before(t); before {
		fmt.Fprintf(f.errOut, "note: --%s %s is %s, %s before incident %d started (%s)\n", flag, value,
			t.In(loc).Format("2006-01-02 15:04:05 MST"), d, id, span.Start.In(loc).Format("2006-01-02 15:04:05"))
	}
	return &t, nil
}

// pointFlags are --as-of and --known-at, on every command that shows a
// record: which state of it to show.
type pointFlags struct{ asOf, knownAt string }

func (p *pointFlags) register(cmd *cobra.Command, persistent bool) {
	fl := cmd.Flags()
	if persistent {
		fl = cmd.PersistentFlags()
	}
	fl.StringVar(&p.asOf, "as-of", "", "show the state on this date or time, by the dates the record carries (a bare date means its end)")
	fl.StringVar(&p.knownAt, "known-at", "", "show what the database held at this date or time, from its history (a bare date means its end)")
}

// point reads the flags: a bare date stands for the end of that day in the
// chosen zone; neither may be in the future.
func (f *factory) point(p pointFlags) (incident.Point, error) {
	var pt incident.Point
	for _, x := range []struct {
		flag, value string
		dst         *time.Time
	}{{"as-of", p.asOf, &pt.AsOf}, {"known-at", p.knownAt, &pt.KnownAt}} {
		if x.value == "" {
			continue
		}
		t, err := f.momentOrDay(x.flag, x.value)
		if err != nil {
			return pt, err
		}
		if now := f.now(); t.After(now) {
			loc, _ := f.Location()
			if !isBareDate(x.value) || incident.DateOf(t, loc) != incident.DateOf(now, loc) {
				return pt, &incident.FieldError{Field: x.flag, Msg: fmt.Sprintf("%s is in the future; accepted: a date or time up to now", t.Format(time.RFC3339))}
			}
			t = now // today: as it stands now
		}
		*x.dst = t
	}
	return pt, nil
}

func isBareDate(s string) bool {
	_, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return err == nil
}

// dayEdge is the moment a bare date stands for.
type dayEdge int

const (
	dayStart dayEdge = iota // its first moment
	dayEnd                  // its last second
	dayAfter                // the first moment of the next day
)

// dayOrTime reads a time in the command's zone, or a bare date as the
// moment edge picks; bare reports which it was. A value that is neither
// gets ParseTime's error.
func (f *factory) dayOrTime(flag, value string, edge dayEdge) (t time.Time, bare bool, err error) {
	loc, err := f.Location()
	if err != nil {
		return time.Time{}, false, err
	}
	if isBareDate(value) {
		d, err := incident.ParseDate(flag, value)
		if err != nil {
			return time.Time{}, true, err
		}
		switch edge {
		case dayEnd:
			return d.AddDays(1).In(loc).Add(-time.Second), true, nil
		case dayAfter:
			return d.AddDays(1).In(loc), true, nil
		}
		return d.In(loc), true, nil
	}
	t, err = incident.ParseTime(flag, value, loc, f.now())
	return t, false, err
}

// momentOrDay reads a time, or a bare date as the last second of that day.
// Text in none of the forms is told both; a time refused for what it is
// (one the zone skips or repeats) keeps its own words.
func (f *factory) momentOrDay(flag, value string) (time.Time, error) {
	t, _, err := f.dayOrTime(flag, value, dayEnd)
	if errors.Is(err, incident.ErrNotATime) {
		return time.Time{}, &incident.FieldError{Field: flag, Msg: fmt.Sprintf("%q is not a date or time; accepted: YYYY-MM-DD (its end) or %s", value, incident.TimeForms)}
	}
	return t, err
}

// documentDate settles the date a document carries against the state it
// shows: without --as-of, a dated document shows the state at the end of
// its date (or now, for today); without --date, a document showing an
// earlier state is dated that day. A document dated before the state it
// shows, or before what it knows, is refused: it would contradict itself.
func (f *factory) documentDate(date string, pt *incident.Point) (time.Time, error) {
	loc, err := f.Location()
	if err != nil {
		return time.Time{}, err
	}
	now := f.now()
	if date == "" {
		if !pt.AsOf.IsZero() {
			return pt.AsOf, nil
		}
		return now, nil
	}
	d, err := incident.ParseDate("date", date)
	if err != nil {
		return time.Time{}, err
	}
	end := d.AddDays(1).In(loc).Add(-time.Second)
	if pt.AsOf.IsZero() && end.Before(now) {
		pt.AsOf = end
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"--as-of", pt.AsOf}, {"--known-at", pt.KnownAt}} {
		if !x.t.IsZero() && incident.DateOf(x.t, loc).After(d) {
			return time.Time{}, &incident.FieldError{Field: "date", Msg: fmt.Sprintf("a document dated %s cannot show the state of %s (%s); give a date on or after it",
				d, incident.DateOf(x.t, loc), x.name)}
		}
	}
	return d.In(loc), nil
}

// inZone is t shown in loc, or nil.
func inZone(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(loc)
	return &v
}

// timePtr is t shown in loc, or nil when t is zero (not given).
func timePtr(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	return inZone(&t, loc)
}
