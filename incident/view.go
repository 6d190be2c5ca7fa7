package incident

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// Point says which state of the record a view shows. The two clocks are
// never mixed: AsOf reads the dates the record carries, KnownAt reads when
// things were written down.
type Point struct {
	// AsOf keeps what the record's own dates put at or before it: timeline
	// events and key times by their instant, measures by the day they were
	// done, evidence by its date, submissions by their day. Zero: no limit.
	AsOf time.Time
	// KnownAt shows what the database held at that moment, rebuilt from
	// the history: a change recorded later is not there, whatever date it
	// carries. Zero: everything recorded.
	KnownAt time.Time
}

// judgedAt is the moment a view's deadlines and lateness are judged: the
// as-of time, else now.
func (p Point) judgedAt(now time.Time) time.Time {
	if !p.AsOf.IsZero() {
		return p.AsOf
	}
	return now
}

// view reads with src in one snapshot, as of p.
func (s *Store) view(ctx context.Context, p Point, fn func(src source) error) error {
	if !p.KnownAt.IsZero() && p.KnownAt.After(s.now()) {
		return invalid("known-at", "%s is in the future; the database cannot know it yet", p.KnownAt.UTC().Format(time.RFC3339))
	}
	err := s.read(ctx, func(q querier) error { return fn(sourceAt(q, p.KnownAt)) })
	if !p.KnownAt.IsZero() && isNotFound(err) {
		return fmt.Errorf("as known at %s: %w (not yet recorded then)", p.KnownAt.UTC().Format(time.RFC3339), err)
	}
	return err
}

// PostmortemView is an incident as its postmortem shows it: the whole
// record with every measure that covers it, the incidents it is linked to
// either way, its figures, and where it stands on the history's chain.
type PostmortemView struct {
	Incident *Incident
	// Related are the linked incidents (it names them, or they name it),
	// without their timelines, by id.
	Related []Incident
	Figures Figures
	Point   Point
	// Version is when the record, its timeline or its measures last
	// changed, as far as the view knows: the latest history row of the
	// incident.
	Version time.Time
	// Head is the hash of the last history row the view reflects (seals
	// aside); Seal the first seal that vouches for it, if any.
	Head string
	Seal *Seal
	// Duties are the incident's own duties under the regimes that bind it
	// (none when the view was read without regimes), judged at JudgedAt.
	Duties   []Duty
	JudgedAt time.Time
	// PublicServices are the incident's services as users know them (the
	// catalogue's public names), in its order.
	PublicServices []string
}

// Notices are the notices to users on the timeline, oldest first, not
// counting retracted ones.
func (v *PostmortemView) Notices() []Event {
	var out []Event
	for _, e := range v.Incident.Timeline {
		if e.Notice != "" && !e.Retracted() {
			out = append(out, e)
		}
	}
	return out
}

// FirstNoticeDelay is how long after the start (else the detection) the
// first notice to users went out; nil when none did.
func (v *PostmortemView) FirstNoticeDelay() *time.Duration {
	start := firstTime(v.Incident.StartedAt, v.Incident.DetectedAt)
	for _, e := range v.Notices() {
		if e.Notice == NoticeUsers && start != nil {
			d := e.At.Sub(*start)
			return &d
		}
	}
	return nil
}

// Postmortem reads the view of incident id at p, in one transaction; with
// rs, the incident's duties under the regimes that bind it too.
func (s *Store) Postmortem(ctx context.Context, id int64, p Point, rs *Regimes) (*PostmortemView, error) {
	v := &PostmortemView{Point: p, JudgedAt: p.judgedAt(s.now())}
	err := s.view(ctx, p, func(src source) error {
		in, err := src.incident(ctx, id, true)
		if err != nil {
			return err
		}
		linking, err := src.linking(ctx, id)
		if err != nil {
			return err
		}
		for _, rid := range sortedUnion(in.Related, linking) {
			r, err := src.incident(ctx, rid, false)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			v.Related = append(v.Related, *r)
		}
		if v.Head, v.Seal, err = src.head(ctx); err != nil {
			return err
		}
		if v.Version, err = src.lastChange(ctx, id); err != nil {
			return err
		}
		cat, err := src.catalogue(ctx)
		if err != nil {
			return err
		}
		if rs != nil {
			if v.Duties, err = dutiesOf(ctx, src, rs, cat, in); err != nil {
				return err
			}
		}
		v.PublicServices = cat.publicNames(in.Services)
		v.Incident = in
		return nil
	})
	if err != nil {
		return nil, err
	}
	in := v.Incident
	if !p.AsOf.IsZero() {
		in.asOf(p.AsOf)
		for i := range v.Related {
			v.Related[i].asOf(p.AsOf)
		}
		kept := v.Duties[:0]
		for _, d := range v.Duties {
			if d.Start.After(p.AsOf) {
				continue // its clock had not started
			}
			if d.Met != nil && d.Met.After(p.AsOf) {
				d.Met, d.MetDay, d.Waived, d.By = nil, false, false, ""
			}
			kept = append(kept, d)
		}
		v.Duties = kept
	}
	v.Figures = in.Figures()
	return v, nil
}

func sortedUnion(a, b []int64) []int64 {
	out := append(append([]int64{}, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// asOf cuts the incident back to what its own dates put at or before t:
// key times after t are not yet, nor are later events; the status follows.
// Its measures are cut back to t's day in t's zone.
func (in *Incident) asOf(t time.Time) {
	for _, p := range []**time.Time{&in.StartedAt, &in.DetectedAt, &in.AcknowledgedAt, &in.MitigatedAt, &in.ResolvedAt,
		&in.ClassifiedAt, &in.MaterialAt} {
		if *p != nil && (*p).After(t) {
			*p = nil
		}
	}
	if in.ResolvedAt == nil && in.Status == StatusReviewed {
		in.Status = StatusResolved
	}
	in.syncStatus()
	in.Timeline = slices.DeleteFunc(in.Timeline, func(e Event) bool { return e.At.After(t) })
	day := DateOf(t, t.Location())
	for i := range in.Actions {
		in.Actions[i].asOf(day)
	}
}

// asOf cuts the measure back to day: done later means not done yet, and
// evidence dated later is not there.
func (a *Action) asOf(day Date) {
	if a.DoneOn != nil && a.DoneOn.After(day) {
		a.Status, a.DoneOn = ActionInProgress, nil
	}
	if a.DroppedOn != nil && a.DroppedOn.After(day) {
		// Withdrawn later: on day it was still to be done.
		a.Status, a.DroppedOn = ActionPlanned, nil
		if a.RevisedDue == nil {
			a.Reason = ""
		}
	}
	if a.EvidenceOn != nil && a.EvidenceOn.After(day) {
		a.Evidence, a.EvidenceOn = "", nil
	}
	if a.RevisedOn != nil && a.RevisedOn.After(day) {
		// Moved later: on day it was due as first set.
		a.RevisedDue, a.RevisedOn = nil, nil
		if a.Status != ActionDropped {
			a.Reason = ""
		}
	}
}

// OrderView is an order as its documents and screens show it: the order
// with its regime, the incidents it covers, its deadlines judged at the
// view's moment, and its measures by area.
type OrderView struct {
	Order     *Order
	Regime    *Regime
	Covered   []CoveredIncident
	Deadlines []Deadline
	// Actions are the measures answering the order: those filed under it
	// and those of the incidents it covers, by due date.
	Actions []Action
	// Areas lists the six areas in the ministry's order, then "other" when
	// anything is filed under it.
	Areas   []AreaView
	Overall Progress
	// Late lists measures past their due date: done after it, or still
	// open on the view's day.
	Late  []Action
	Point Point
	// JudgedAt is the moment deadlines and lateness are judged at: the
	// as-of time, else the time of reading.
	JudgedAt time.Time
	Head     string
	Seal     *Seal
	// Org is who submits, as the profile stood.
	Org *Org
}

// CoveredIncident is an incident an order covers, with its figures.
type CoveredIncident struct {
	I       *Incident
	Figures Figures
}

// AreaView is one regulatory area of an order: its findings, each with the
// measures answering it, and every measure of the area.
type AreaView struct {
	Area     Area
	Findings []FindingView
	// Measures are all the area's measures; Unassigned those that answer
	// none of its findings (in an area of one finding, every measure
	// answers it).
	Measures   []Action
	Unassigned []Action
	Progress   Progress
}

// FindingView is a finding with the measures answering it and its
// evidence, as of the view's day.
type FindingView struct {
	Finding
	Measures    []Action
	Attachments []Attachment
	Progress    Progress
}

// Progress counts measures: done out of those not dropped.
type Progress struct {
	Done, Dropped, Total int
}

// Rate is the share done, in whole percent, of the measures not dropped;
// 0 when there are none.
func (p Progress) Rate() int {
	if n := p.Total - p.Dropped; n > 0 {
		return int(math.Round(float64(p.Done) * 100 / float64(n)))
	}
	return 0
}

// Counted is the measures the rate is taken over: all but the dropped.
func (p Progress) Counted() int { return p.Total - p.Dropped }

// Open is the counted measures not yet done.
func (p Progress) Open() int { return p.Counted() - p.Done }

func (p *Progress) add(a Action) {
	p.Total++
	switch a.Status {
	case ActionDone:
		p.Done++
	case ActionDropped:
		p.Dropped++
	}
}

// OrderView reads order id with its regime (from rs), covered incidents,
// deadlines and measures at p, in one transaction. loc is the zone in
// which days are judged.
func (s *Store) OrderView(ctx context.Context, id int64, rs *Regimes, p Point, loc *time.Location) (*OrderView, error) {
	v := &OrderView{Point: p, JudgedAt: p.judgedAt(s.now())}
	var cov []Incident
	duties := map[string]Duty{}
	err := s.view(ctx, p, func(src source) error {
		o, err := src.order(ctx, id)
		if err != nil {
			return err
		}
		if v.Regime, err = rs.Regime(o.Regime); err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
		if cov, err = covered(ctx, src, o); err != nil {
			return err
		}
		cat, err := src.catalogue(ctx)
		if err != nil {
			return err
		}
		for _, in := range cov {
			ds, err := incidentDuties(ctx, src, rs, cat, in.ID)
			if err != nil {
				return err
			}
			for _, d := range ds {
				duties[DeliverableKey(d.Kind, d.IncidentID)] = d
			}
		}
		if v.Actions, err = src.orderActions(ctx, o); err != nil {
			return err
		}
		if v.Org, err = src.org(ctx); err != nil {
			return err
		}
		v.Order = o
		v.Head, v.Seal, err = src.head(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	o := v.Order
	if !p.AsOf.IsZero() {
		day := DateOf(p.AsOf, loc)
		o.asOf(day)
		for i := range cov {
			cov[i].asOf(p.AsOf)
		}
		for i := range v.Actions {
			v.Actions[i].asOf(day)
		}
	}
	for i := range cov {
		v.Covered = append(v.Covered, CoveredIncident{I: &cov[i], Figures: cov[i].Figures()})
	}
	v.Deadlines = v.Regime.Deadlines(o, cov)
	for i := range v.Deadlines {
		// A duty of a covered incident met on its own (a notice logged, a
		// report marked done) is met for the order too.
		// A duty the law does not ask of the incident is not asked of
		// the order either, and one judged on the organisation's target is
		// due when the incident's duty says.
		d := &v.Deadlines[i]
		duty, ok := duties[d.Key()]
		if !ok || duty.Regime != v.Regime.ID {
			continue
		}
		d.NotRequired = duty.NotRequired
		d.Due, d.DueDate, d.DateOnly = duty.Due, duty.DueDate, duty.DateOnly
		if d.Submitted == nil && duty.Met != nil && !duty.Met.After(v.JudgedAt) {
			day := DateOf(*duty.Met, v.Regime.loc)
			d.Submitted, d.Waived = &day, duty.Waived
		}
	}
	v.group(DateOf(v.JudgedAt, loc))
	return v, nil
}

// asOf drops what came after day: submissions, results completed and
// attachments added.
func (o *Order) asOf(day Date) {
	for k, d := range o.Submitted {
		if d.After(day) {
			delete(o.Submitted, k)
			delete(o.SubmittedAt, k)
		}
	}
	for i := range o.Findings {
		if f := &o.Findings[i]; f.ResultOn != nil && f.ResultOn.After(day) {
			f.Result, f.ResultOn = "", nil
		}
	}
	o.Attachments = slices.DeleteFunc(o.Attachments, func(a Attachment) bool { return a.AddedOn.After(day) })
	// Numbered over what exists on the day: a report dated 08-15 lists
	// 1, 2, 3, 4, not the numbers later evidence came to have between.
	for i := range o.Attachments {
		o.Attachments[i].No = i + 1
	}
}

// group files the measures under their areas and counts them.
func (v *OrderView) group(today Date) {
	v.Areas = make([]AreaView, len(Areas))
	index := map[Area]int{}
	for i, a := range Areas {
		v.Areas[i] = AreaView{Area: a}
		for _, f := range v.Order.FindingsIn(a) {
			v.Areas[i].Findings = append(v.Areas[i].Findings, FindingView{Finding: f, Attachments: v.Order.AttachmentsOf(f.No)})
		}
		index[a] = i
	}
	for _, a := range v.Actions {
		ad := &v.Areas[index[a.Area]]
		ad.Measures = append(ad.Measures, a)
		ad.Progress.add(a)
		v.Overall.add(a)
		// Late: done after its due date, still open past it, or its date
		// moved (from the day it moved, with why, before the first date
		// has passed).
		if (a.DoneOn != nil && a.DoneOn.After(a.Due)) || (!a.Closed() && today.After(a.Due)) || (a.RevisedDue != nil && a.Status != ActionDropped) {
			v.Late = append(v.Late, a)
		}
		if f := ad.answered(a); f != nil {
			f.Measures = append(f.Measures, a)
			f.Progress.add(a)
		} else {
			ad.Unassigned = append(ad.Unassigned, a)
		}
	}
	if other := v.Areas[len(v.Areas)-1]; len(other.Findings) == 0 && len(other.Measures) == 0 {
		v.Areas = v.Areas[:len(v.Areas)-1]
	}
}

// answered is the finding of the area measure a answers: the one it names,
// else the area's only finding.
func (ad *AreaView) answered(a Action) *FindingView {
	for i := range ad.Findings {
		if f := &ad.Findings[i]; a.Finding != nil && f.No == *a.Finding {
			return f
		}
	}
	if a.Finding == nil && len(ad.Findings) == 1 {
		return &ad.Findings[0]
	}
	return nil
}

// Overview is where things stand: a page of incidents the filter keeps,
// how many it keeps and how many of those are open, and the soonest open
// dues (what a screen of incidents shows).
type Overview struct {
	Incidents   []Incident
	Total, Open int
	Dues        []Due
}

// Overview reads where things stand in one transaction. Dues are read
// when rs is given and dues > 0 (the soonest dues of them).
func (s *Store) Overview(ctx context.Context, f ListFilter, rs *Regimes, now time.Time, loc *time.Location, dues int) (*Overview, error) {
	v := &Overview{}
	err := s.read(ctx, func(q querier) error {
		var err error
		if v.Incidents, err = listIncidents(ctx, q, f); err != nil {
			return err
		}
		if v.Total, v.Open, err = countOpen(ctx, q, ListFilter{Query: f.Query, OpenOnly: f.OpenOnly}); err != nil {
			return err
		}
		if rs != nil && dues > 0 {
			v.Dues, _, err = openDues(ctx, q, rs, now, loc, dues)
		}
		return err
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return v, nil
}
