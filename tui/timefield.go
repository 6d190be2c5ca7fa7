package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// A time field holds a time as people type it (incident.ParseTimeIn): a
// bare HH:MM is read against the incident's span, on its own day however
// long ago, and the field shows, as it is typed, the full date it stands
// for. What it shows is what is saved. A time before the incident began
// is asked about once (enter again keeps it); one not yet come is refused.

// timeField is a field holding a time, t (now when nil) filled in: typing
// replaces it.
func (c *common) timeField(name, label string, t *time.Time, hint string) *formField {
	v := ""
	if t != nil {
		v = c.when(*t, "15:04:05")
	}
	f := textField(name, label, v, hint).filled()
	f.loc = c.loc
	if t != nil {
		filled := *t
		f.filledAt = &filled
	}
	f.preview = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return f.timeHint(c)
		}
		at, err := c.readTime(f, s)
		if err != nil {
			return "✗ " + err.Error()
		}
		out := "→ " + at.In(c.loc).Format("2006-01-02 (Mon) 15:04:05 MST")
		if d, before := f.spanNow().Before(at); before {
			if f.confirmBefore {
				out += " · " + shortDur(d) + " BEFORE the start"
			} else {
				out += " · BEFORE the start: refused"
			}
		}
		return out
	}
	// Enter still moves on from a time that cannot be read (keys typed at
	// full speed land where they were meant); the preview says why,
	// whole, and the save refuses it, back on this field, text kept.
	return f
}

// readTime reads what a time field holds: the time it was filled with,
// untouched, else what is typed, against the field's span.
func (c *common) readTime(f *formField, s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if f.untouched(v) {
		return *f.filledAt, nil
	}
	return incident.ParseTimeIn(f.name, v, c.loc, c.now(), f.spanNow())
}

// untouched reports v is the time the field was filled with, as shown.
func (f *formField) untouched(v string) bool {
	return f.filledAt != nil && v == strings.TrimSpace(f.initial)
}

// within reads the field's clock times against span (the incident's, as
// the screen holds it now); ask makes a time before its start need a
// second enter. A time filled in that is not on the incident's own day
// shows its date: a bare time there would read as that day's.
func (f *formField) within(span func() incident.Span, ask bool) *formField {
	f.span, f.confirmBefore = span, ask
	if sp := f.spanNow(); f.filledAt != nil && sp.Start != nil && f.value() == f.initial {
		if a := f.filledAt.In(f.loc); !sameDay(a, sp.Start.In(f.loc)) {
			v := a.Format("2006-01-02 15:04:05")
			f.set(v)
			f.initial = v
		}
	}
	return f
}

func (f *formField) spanNow() incident.Span {
	if f.span == nil {
		return incident.Span{}
	}
	return f.span()
}

// timeHint says how a bare HH:MM will be read, when that is not today.
func (f *formField) timeHint(c *common) string {
	sp := f.spanNow()
	if sp.Start == nil || sameDay(sp.Start.In(c.loc), c.now().In(c.loc)) {
		return f.hint
	}
	return fmt.Sprintf("HH:MM is on %s (the incident's day) · M/D HH:MM · -5m · now", sp.Start.In(c.loc).Format("2006-01-02"))
}

// parseTimeField reads a time field; an untouched field keeps exactly the
// time it was filled with (to the second). A time before the incident's
// start, in a field that asks, is refused the first time with the date it
// stands for, and taken when submitted again unchanged.
func (c *common) parseTimeField(f *form, name string) (*time.Time, error) {
	x := f.field(name)
	v := strings.TrimSpace(x.value())
	if v == "" {
		return nil, nil
	}
	t, err := c.readTime(x, v)
	if err != nil {
		return nil, err
	}
	if x.untouched(v) {
		return &t, nil // as it was filled: nothing to ask
	}
	span := x.spanNow()
	if d, before := span.Before(t); before && x.confirmBefore && x.confirmed != v {
		x.confirmed = v
		return nil, askError(fmt.Sprintf("%s: %s is %s BEFORE the incident started (%s); save again to keep it, or change it",
			x.label, t.In(c.loc).Format("2006-01-02 15:04:05"), shortDur(d), span.Start.In(c.loc).Format("2006-01-02 15:04:05")))
	}
	return &t, nil
}

// askError is a question a submit raised rather than a refusal: the focus
// stays where it is, so the same key again answers it.
type askError string

func (e askError) Error() string { return string(e) }
