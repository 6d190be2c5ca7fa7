package incident

import (
	"strconv"
	"strings"
	"time"
)

// Deadline is one deliverable of an order, with its computed due time.
type Deadline struct {
	Kind string
	Name map[string]string
	// IncidentID is set for duties that run per incident (from its
	// detection or resolution); 0 for duties of the order as a whole.
	IncidentID int64
	// Start is the clock start; Due the last moment to deliver. DueDate is
	// the day it falls on in the regime's zone; DateOnly says the period is
	// counted in days, so the whole of DueDate is allowed.
	Start    time.Time
	Due      time.Time
	DueDate  Date
	DateOnly bool
	// Submitted is the day it was handed in, if it was; Waived says it
	// was instead found not to apply (a duty waived, with its reason).
	Submitted *Date
	Waived    bool
	// SubmittedAt is the moment of the submission when known; FiledOn the
	// day it counts for (after a cut-off, the next working day).
	SubmittedAt *time.Time
	FiledOn     *Date
	// NotRequired says, by language, why the law does not ask it (a duty
	// of an incident an exemption covers); nil when it does.
	NotRequired map[string]string
}

// Key names the deliverable within its order: the kind, and "#id" for a
// per-incident duty.
func (d *Deadline) Key() string { return DeliverableKey(d.Kind, d.IncidentID) }

// DeliverableKey is the key a submission is stored under.
func DeliverableKey(kind string, incidentID int64) string {
	if incidentID == 0 {
		return kind
	}
	return kind + "#" + strconv.FormatInt(incidentID, 10)
}

// splitKey reads a deliverable key: the incident a per-incident duty runs
// for, and whether it is one.
func splitKey(key string) (int64, bool) {
	_, id, ok := strings.Cut(key, "#")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil
}

// Overdue reports whether, at the given moment, the deliverable is late and
// not yet submitted.
func (d *Deadline) Overdue(at time.Time) bool {
	return d.NotRequired == nil && d.Submitted == nil && at.After(d.Due)
}

// Status says where the deliverable stands at the given moment: submitted,
// late (submitted after its due day), overdue (not submitted and past due)
// or open.
func (d *Deadline) Status(at time.Time) string {
	switch {
	case d.NotRequired != nil:
		return "not-required"
	case d.Waived:
		return "waived"
	case d.Late():
		return "late"
	case d.Submitted != nil:
		return "submitted"
	case d.Overdue(at):
		return "overdue"
	}
	return "open"
}

// Late reports whether it was submitted after it was due: a deadline
// counted in days by the day it counts for, one at a moment by the moment
// when it is known.
func (d *Deadline) Late() bool {
	switch {
	case d.Waived || d.Submitted == nil || d.NotRequired != nil:
		return false
	case d.SubmittedAt != nil && !d.DateOnly:
		return d.SubmittedAt.After(d.Due)
	case d.FiledOn != nil:
		return d.FiledOn.After(d.DueDate)
	}
	return d.Submitted.After(d.DueDate)
}

// Deadlines computes every deliverable of order o under regime r; covered
// holds the incidents the order covers. A duty whose clock has not started
// (an incident not yet resolved) is left out until it does.
func (r *Regime) Deadlines(o *Order, covered []Incident) []Deadline {
	var out []Deadline
	for i := range r.Deliverables {
		spec := &r.Deliverables[i]
		var starts []clockStart
		switch {
		case spec.From == "order-received":
			start := o.Received.In(r.loc)
			if o.ReceivedClock != "" {
				t, _ := time.ParseInLocation("2006-01-02 15:04", o.Received.String()+" "+o.ReceivedClock, r.loc)
				start = t
			}
			starts = append(starts, clockStart{at: start, midnight: o.ReceivedClock == "00:00"})
		case spec.PerIncident():
			for i := range covered {
				in := &covered[i]
				if t := startOf(spec.From, in); t != nil {
					starts = append(starts, clockStart{at: *t, incident: in.ID, midnight: isMidnight(*t, r.loc), in: in})
				}
			}
		case strings.HasPrefix(spec.From, "deliverable:"):
			kind := strings.TrimPrefix(spec.From, "deliverable:")
			for _, prev := range out {
				if prev.Kind != kind {
					continue
				}
				at := prev.Due
				switch {
				case prev.SubmittedAt != nil:
					at = *prev.SubmittedAt // the chained clock starts at the submission's moment
				case prev.Submitted != nil:
					at = prev.Submitted.In(r.loc)
				}
				starts = append(starts, clockStart{at: at, incident: prev.IncidentID})
			}
		}
		target, _ := r.target(spec, nil)
		term, hasTerm := o.Terms[spec.Kind]
		for _, st := range starts {
			var d Deadline
			switch {
			case hasTerm && term.Due != nil:
				d = r.endOfDay(*term.Due)
			case hasTerm:
				months, days, _ := ParseWithin("within", term.Within)
				own := *spec
				own.Months, own.Days, own.Hours, own.BusinessDays = months, days, 0, 0
				d = r.due(&own, st, target)
			default:
				d = r.due(spec, st, target)
			}
			if st.in != nil {
				d = r.capped(spec, st.in, d)
			}
			d.Kind, d.Name, d.IncidentID, d.Start = spec.Kind, spec.Name, st.incident, st.at
			if len(o.Submitted) > 0 {
				r.submitted(o, &d)
			}
			out = append(out, d)
		}
	}
	return out
}

// submitted marks d with its submission under o, if there is one.
func (r *Regime) submitted(o *Order, d *Deadline) {
	key := d.Key()
	s, ok := o.Submitted[key]
	if !ok {
		return
	}
	d.Submitted = &s
	day := s
	if at, ok := o.SubmittedAt[key]; ok {
		d.SubmittedAt, day = &at, DateOf(at, r.loc)
	}
	if filed := r.filedOn(day, d.SubmittedAt); filed != s || d.SubmittedAt != nil {
		d.FiledOn = &filed
	}
}

type clockStart struct {
	at       time.Time
	incident int64
	midnight bool // the period starts at 00:00, so its first day counts
	in       *Incident
}

func isMidnight(t time.Time, loc *time.Location) bool {
	h, m, s := t.In(loc).Clock()
	return h == 0 && m == 0 && s == 0
}

// due computes one deadline from its clock start; a "without delay" one
// is due target after it.
func (r *Regime) due(spec *DeliverableSpec, st clockStart, target time.Duration) Deadline {
	day := DateOf(st.at, r.loc)
	switch {
	case spec.WithoutDelay:
		return r.instant(st.at.Add(target))
	case spec.Hours > 0:
		return r.instant(st.at.Add(time.Duration(spec.Hours) * time.Hour))
	case spec.BusinessDays > 0:
		end := day
		for n := 0; n < spec.BusinessDays; {
			end = end.AddDays(1)
			if r.calendar.Working(end) {
				n++
			}
		}
		return r.endOfDay(end)
	case spec.Rule == "kr-civil":
		return r.endOfDay(civilEnd(r.calendar, day, !st.midnight, spec.Months, spec.Days))
	default: // calendar: the same day n months or days later
		if spec.Months > 0 {
			return r.endOfDay(addMonthsClamped(day, spec.Months))
		}
		return r.endOfDay(day.AddDays(spec.Days))
	}
}

func (r *Regime) instant(t time.Time) Deadline {
	return Deadline{Due: t, DueDate: DateOf(t, r.loc)}
}

// endOfDay is a deadline on day d: its last second, or, under a filing
// cut-off, the cut-off (a filing after it counts the next working day).
func (r *Regime) endOfDay(d Date) Deadline {
	if r.cutoff > 0 {
		return Deadline{Due: d.In(r.loc).Add(r.cutoff), DueDate: d, DateOnly: true}
	}
	return Deadline{Due: d.AddDays(1).In(r.loc).Add(-time.Second), DueDate: d, DateOnly: true}
}

// civilEnd is the last day of a period under the Korean Civil Act. Art.
// 157: the first day is not counted unless the period starts at 00:00.
// Art. 160: a period in months ends the day before the corresponding day
// of the last month, or that month's last day when it has none. Art. 161:
// a period ending on a Saturday or a public holiday (Sundays included)
// ends the next working day.
func civilEnd(cal *Calendar, day Date, skipFirst bool, months, days int) Date {
	first := day
	if skipFirst {
		first = day.AddDays(1)
	}
	var end Date
	if months > 0 {
		y, m, d := first.Parts()
		ty, tm := y, m+time.Month(months)
		corr := NewDate(ty, tm, d)
		if _, cm, _ := corr.Parts(); cm != time.Month((int(m)+months-1)%12+1) {
			// no corresponding day: the last day of that month
			end = NewDate(ty, tm+1, 0)
		} else {
			end = corr.AddDays(-1)
		}
	} else {
		end = first.AddDays(days - 1)
	}
	for !cal.Working(end) {
		end = end.AddDays(1)
	}
	return end
}

// addMonthsClamped is d moved n months, on the month's last day when the
// day does not exist there (Jan 31 + 1 month = Feb 28/29).
func addMonthsClamped(d Date, n int) Date {
	y, m, day := d.Parts()
	last := NewDate(y, m+time.Month(n)+1, 0)
	if _, _, ld := last.Parts(); day > ld {
		return last
	}
	return NewDate(y, m+time.Month(n), day)
}
