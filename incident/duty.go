package incident

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Duty is one obligation a regime puts on an incident by itself, from its
// detection or its resolution: the report to the authority, the notice to
// users, the compensation notice. The regimes come from the services the
// incident is on (the catalogue) and from the orders that cover it.
type Duty struct {
	IncidentID int64
	Regime     string
	Kind       string
	Name       map[string]string
	// Start is the clock start; Due the last moment; DueDate its day in
	// the regime's zone; DateOnly says the whole of DueDate is allowed.
	Start    time.Time
	Due      time.Time
	DueDate  Date
	DateOnly bool
	// Met is when it was met or waived, nil while it is not.
	Met *time.Time
	// MetDay says only the day of Met is known (an order's submission);
	// FiledOn is the day a filing at Met counts for under the regime's
	// cut-off (EDGAR: after 17:30 ET, the next business day).
	MetDay  bool
	FiledOn *Date
	Waived  bool
	// By says what met it, e.g. "notice (event 12)", "marked done: ref",
	// "order 1 submission".
	By string
	// Zone is the regime's, for showing the times.
	Zone *time.Location
	// WithoutDelay says the law gives no period (지체 없이): the duty is
	// judged on Target when HasTarget, and otherwise shows how long after
	// its start it was met, never late by a zero.
	WithoutDelay bool
	Target       time.Duration
	HasTarget    bool
	// NotRequired says, by language, why the duty does not apply to this
	// incident under the rules then in force (an exemption of the law's
	// text, cited); nil when it applies.
	NotRequired map[string]string
	// Cite is the text in force the duty was judged under, by language,
	// when the regime keeps its versions; Effective is the day it took
	// effect.
	Cite      map[string]string
	Effective *Date
}

// judged reports whether the duty has a time it can be late against.
func (d *Duty) judged() bool { return !d.WithoutDelay || d.HasTarget }

// Took is how long after its clock started the duty was met, when it was.
func (d *Duty) Took() (time.Duration, bool) {
	if d.Met == nil || d.Waived || d.MetDay {
		return 0, false
	}
	return d.Met.Sub(d.Start), true
}

// Key names the duty on its incident: the regime and the kind.
func (d *Duty) Key() string { return d.Regime + "/" + d.Kind }

// Overdue reports whether, at the moment, it is past due and not met.
func (d *Duty) Overdue(at time.Time) bool {
	return d.NotRequired == nil && d.judged() && d.Met == nil && at.After(d.Due)
}

// Late reports whether it was met after it was due.
func (d *Duty) Late() bool {
	if d.Met == nil || d.Waived || d.NotRequired != nil || !d.judged() {
		return false
	}
	if d.MetDay || d.DateOnly {
		day := DateOf(*d.Met, d.Zone)
		if d.FiledOn != nil {
			day = *d.FiledOn
		}
		return day.After(d.DueDate)
	}
	return d.Met.After(d.Due)
}

// Status is where the duty stands at the moment: not-required (an
// exemption of the law applies), waived, late (met after its due), met,
// overdue, or open.
func (d *Duty) Status(at time.Time) string {
	switch {
	case d.NotRequired != nil:
		return "not-required"
	case d.Waived:
		return "waived"
	case d.Late():
		return "late"
	case d.Met != nil:
		return "met"
	case d.Overdue(at):
		return "overdue"
	}
	return "open"
}

// dutyRecord is a duty marked met or waived by hand.
type dutyRecord struct {
	ID         int64
	IncidentID int64
	Kind       string
	State      string // met, waived
	At         time.Time
	Ref        string
	Created    time.Time
}

func scanDuty(r scanner) (*dutyRecord, error) {
	var d dutyRecord
	var at, created string
	if err := r.Scan(&d.ID, &d.IncidentID, &d.Kind, &d.State, &at, &d.Ref, &created); err != nil {
		return nil, err
	}
	var err error
	if d.At, err = parseTime(at); err != nil {
		return nil, err
	}
	d.Created, err = parseTime(created)
	return &d, err
}

func queryDutyRecords(ctx context.Context, q querier, where string, args ...any) ([]dutyRecord, error) {
	return queryAll(ctx, q, scanDuty, `SELECT `+dutyEntity.cols(dialectOf(q))+` FROM duties `+where+` ORDER BY incident_id, kind`, args...)
}

// dutyInputs is what an incident's duties are computed from.
type dutyInputs struct {
	regimes []*Regime
	records []dutyRecord
	notices []Event // the incident's notice entries, in time order
	// submitted are the order submissions of its per-incident duties, by
	// kind: the earliest day, and the order.
	submitted map[string]orderSubmission
	// cat and org hold the facts the law's conditions are judged on.
	cat catalogue
	org *Org
}

// facts are what the conditions of r are judged on for in, which began
// at began: its services that bind r (every one of its services when an
// order alone binds it; one the catalogue lacks is a service of unknown
// class), the organisation's figures of the year before, and how long
// service was down: from the start to when it resumed (mitigated, else
// resolved), the moment the compensation clock starts from too.
func (x *dutyInputs) facts(r *Regime, in *Incident, began *time.Time) dutyFacts {
	f := dutyFacts{outage: span(began, startOf("service-restored", in))}
	if x.org != nil && began != nil {
		f.figures = x.org.yearOf(began.In(r.loc).Year() - 1)
	}
	var all []*Service
	for _, name := range in.Services {
		svc, _ := x.cat.lookup(name)
		all = append(all, svc)
		if svc != nil && slices.Contains(svc.RegimeIDs(), r.ID) {
			f.services = append(f.services, svc)
		}
	}
	if len(f.services) == 0 {
		f.services = all
	}
	return f
}

type orderSubmission struct {
	on    Date
	at    *time.Time // the moment, when known
	order int64
}

// dutyBook is what the duties of many incidents are computed from, read
// once for them all: the orders covering each, the duty marks and notice
// entries of each, the catalogue and the organisation.
type dutyBook struct {
	rs       *Regimes
	cat      catalogue
	org      *Org
	covering map[int64][]Order
	records  map[int64][]dutyRecord
	notices  map[int64][]Event
}

// readDutyBook reads the book for the incidents started in span (nil:
// every one). The span's incidents lead, through the start index, to
// their marks and notices: naming thousands of them in a list costs
// SQLite a probe each as well, and the list besides.
func readDutyBook(ctx context.Context, q querier, rs *Regimes, cat catalogue, orders []Order, span *Window) (*dutyBook, error) {
	b := &dutyBook{rs: rs, cat: cat, covering: map[int64][]Order{}, records: map[int64][]dutyRecord{}, notices: map[int64][]Event{}}
	for _, o := range orders {
		for _, id := range o.Incidents {
			b.covering[id] = append(b.covering[id], o)
		}
	}
	from, args := "", []any(nil)
	if span != nil {
		from = `(SELECT id AS started FROM incidents WHERE started_at >= ? AND started_at < ?) w JOIN `
		args = []any{fmtTime(span.From), fmtTime(span.To)}
	}
	on := func(table string) string {
		if span == nil {
			return table
		}
		return from + table + ` ON ` + table + `.incident_id = w.started`
	}
	recs, err := queryAll(ctx, q, scanDuty, `SELECT `+dutyEntity.cols(dialectOf(q))+` FROM `+on("duties")+` ORDER BY incident_id, kind`, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		b.records[r.IncidentID] = append(b.records[r.IncidentID], r)
	}
	notices, err := queryAll(ctx, q, scanEvent, `SELECT `+eventEntity.cols(dialectOf(q))+` FROM `+on("events")+` WHERE notice IS NOT NULL ORDER BY at, events.id`, args...)
	if err != nil {
		return nil, err
	}
	for _, e := range notices {
		b.notices[e.IncidentID] = append(b.notices[e.IncidentID], e)
	}
	if b.org, err = queryOrg(ctx, q); err != nil {
		return nil, err
	}
	return b, nil
}

// inputs are what the duties of in are computed from.
func (b *dutyBook) inputs(in *Incident) dutyInputs {
	orders := b.covering[in.ID]
	return dutyInputs{regimes: dutyRegimes(b.rs, b.cat, in, orders), records: b.records[in.ID], notices: b.notices[in.ID],
		submitted: submissionsFor(in.ID, orders), cat: b.cat, org: b.org}
}

// perIncident lists the regime's deliverables that run per incident: from
// its detection or resolution, or from another that does.
func (r *Regime) perIncident() []*DeliverableSpec {
	var out []*DeliverableSpec
	kinds := map[string]bool{}
	for i := range r.Deliverables {
		spec := &r.Deliverables[i]
		prev, chained := strings.CutPrefix(spec.From, "deliverable:")
		if spec.PerIncident() || (chained && kinds[prev]) {
			kinds[spec.Kind] = true
			out = append(out, spec)
		}
	}
	return out
}

// duties computes the duties of in under each regime: a kind that two
// regimes share is listed once (the first regime by id). A duty whose
// clock has not started (not yet resolved) is left out.
func (in *Incident) duties(x dutyInputs) []Duty {
	if !in.Counted() {
		return nil // no outage: nothing is owed
	}
	var out []Duty
	seen := map[string]bool{}
	byKind := map[string]*dutyRecord{}
	for i := range x.records {
		byKind[x.records[i].Kind] = &x.records[i]
	}
	began := firstTime(in.StartedAt, in.DetectedAt)
	for _, r := range x.regimes {
		met := map[string]*Duty{}
		var rules *RuleVersion
		if began != nil {
			rules = r.version(DateOf(*began, r.loc))
		}
		facts := x.facts(r, in, began)
		for _, spec := range r.perIncident() {
			start := startOf(spec.From, in)
			if !spec.PerIncident() {
				prev := met[strings.TrimPrefix(spec.From, "deliverable:")]
				if prev != nil {
					at := prev.Due
					if prev.Met != nil && !prev.Waived {
						at = *prev.Met
					}
					start = &at
				}
			}
			if start == nil || seen[spec.Kind] {
				continue
			}
			seen[spec.Kind] = true
			target, hasTarget := r.target(spec, x.org)
			d := r.capped(spec, in, r.due(spec, clockStart{at: *start, incident: in.ID, midnight: isMidnight(*start, r.loc)}, target))
			duty := Duty{IncidentID: in.ID, Regime: r.ID, Kind: spec.Kind, Name: spec.Name, Start: *start,
				Due: d.Due, DueDate: d.DueDate, DateOnly: d.DateOnly, Zone: r.loc,
				WithoutDelay: spec.WithoutDelay, Target: target, HasTarget: hasTarget && spec.WithoutDelay}
			if rules != nil {
				if c := rules.Cite[spec.Kind]; c != nil {
					eff := rules.effective
					duty.Cite, duty.Effective = c, &eff
				}
				duty.NotRequired = rules.exempt(spec.Kind, facts)
			}
			duty.meet(spec, byKind[spec.Kind], x)
			if duty.Met != nil && r.cutoff > 0 {
				at := duty.Met
				if duty.MetDay {
					at = nil // only its day is known
				}
				filed := r.filedOn(DateOf(*duty.Met, r.loc), at)
				duty.FiledOn = &filed
			}
			out = append(out, duty)
			met[spec.Kind] = &out[len(out)-1]
		}
	}
	return out
}

// meet finds the earliest record that meets d: a notice to its audience
// on the timeline (not retracted), a mark by hand, an order's submission.
func (d *Duty) meet(spec *DeliverableSpec, rec *dutyRecord, x dutyInputs) {
	set := func(at time.Time, day, waived bool, by string) {
		if d.Met == nil || at.Before(*d.Met) {
			d.Met, d.MetDay, d.Waived, d.By = &at, day, waived, by
		}
	}
	if spec.Notice != "" {
		for _, e := range x.notices {
			if e.Notice == spec.Notice && !e.Retracted() && !e.At.Before(d.Start) {
				set(e.At, false, false, fmt.Sprintf("notice (event %d)", e.ID))
				break
			}
		}
	}
	if rec != nil {
		by := "marked done"
		if rec.State == "waived" {
			by = "waived"
		}
		if rec.Ref != "" {
			by += ": " + rec.Ref
		}
		set(rec.At, false, rec.State == "waived", by)
	}
	if s, ok := x.submitted[spec.Kind]; ok {
		if s.at != nil {
			set(*s.at, false, false, fmt.Sprintf("order %d submission", s.order))
		} else {
			set(s.on.In(d.Zone), true, false, fmt.Sprintf("order %d submission", s.order))
		}
	}
}

// dutyRegimes is the regimes that bind in: through its services in the
// catalogue, and through the orders that cover it.
func dutyRegimes(rs *Regimes, cat catalogue, in *Incident, orders []Order) []*Regime {
	ids := cat.regimesOf(in)
	for _, o := range orders {
		ids = append(ids, o.Regime)
	}
	sort.Strings(ids)
	var out []*Regime
	for i, id := range ids {
		if i > 0 && ids[i-1] == id {
			continue
		}
		if r, err := rs.Regime(id); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// submissionsFor are the per-incident submissions of the orders for
// incident id, by kind, the earliest kept.
func submissionsFor(id int64, orders []Order) map[string]orderSubmission {
	out := map[string]orderSubmission{}
	for _, o := range orders {
		for key, on := range o.Submitted {
			inc, ok := splitKey(key)
			if !ok || inc != id {
				continue
			}
			kind, _, _ := strings.Cut(key, "#")
			if prev, ok := out[kind]; !ok || on.Before(prev.on) {
				s := orderSubmission{on: on, order: o.ID}
				if at, ok := o.SubmittedAt[key]; ok {
					s.at = &at
				}
				out[kind] = s
			}
		}
	}
	return out
}

// Duties computes the duties of incident id at now (live records).
func (s *Store) Duties(ctx context.Context, id int64, rs *Regimes) ([]Duty, error) {
	var out []Duty
	err := s.read(ctx, func(q querier) error {
		cat, err := loadCatalogue(ctx, q)
		if err != nil {
			return err
		}
		out, err = incidentDuties(ctx, liveSource{q}, rs, cat, id)
		return err
	})
	return out, err
}

func incidentDuties(ctx context.Context, src source, rs *Regimes, cat catalogue, id int64) ([]Duty, error) {
	in, err := src.incident(ctx, id, true)
	if err != nil {
		return nil, err
	}
	return dutiesOf(ctx, src, rs, cat, in)
}

// MeetDuty marks duty kind of incident id met at the moment at (or waived,
// with ref saying why); ref names the record that meets it (a reference
// number, a link). Marking it again replaces the earlier mark; the history
// keeps both. A system entry on the timeline says so.
func (s *Store) MeetDuty(ctx context.Context, id int64, kind string, at time.Time, ref string, waive bool, rs *Regimes) (*Duty, error) {
	return s.markDuty(ctx, id, kind, at, ref, waive, false, rs)
}

// CorrectDuty is MeetDuty over a duty already marked: the new mark
// replaces the earlier one, which the history keeps.
func (s *Store) CorrectDuty(ctx context.Context, id int64, kind string, at time.Time, ref string, waive bool, rs *Regimes) (*Duty, error) {
	return s.markDuty(ctx, id, kind, at, ref, waive, true, rs)
}

func (s *Store) markDuty(ctx context.Context, id int64, kind string, at time.Time, ref string, waive, correct bool, rs *Regimes) (*Duty, error) {
	ref = strings.TrimSpace(ref)
	if err := checkText("ref", ref, MaxText); err != nil {
		return nil, err
	}
	if waive && ref == "" && s.reason == "" {
		return nil, invalid("reason", "waiving a duty needs a reason; give --reason TEXT")
	}
	if waive && ref == "" {
		ref = s.reason
	}
	at = at.UTC().Truncate(time.Second)
	if err := happened("at", &at, s.now()); err != nil {
		return nil, err
	}
	var out *Duty
	err := s.withTx(ctx, func(t *txn) error {
		src := liveSource{t}
		in, err := src.incident(ctx, id, true)
		if err != nil {
			return err
		}
		cat, err := src.catalogue(ctx)
		if err != nil {
			return err
		}
		duties, err := dutiesOf(ctx, src, rs, cat, in)
		if err != nil {
			return err
		}
		var d *Duty
		var kinds []string
		for i := range duties {
			if duties[i].Kind == kind {
				d = &duties[i]
			}
			kinds = append(kinds, duties[i].Kind)
		}
		if d == nil {
			if len(kinds) == 0 {
				return invalid("duty", "incident %d has no duties: none of its services is bound to a regime (service set NAME --regime R), and no order covers it", id)
			}
			return invalid("duty", "%q is not a duty of incident %d; accepted: %s", kind, id, strings.Join(kinds, ", "))
		}
		if d.Met != nil && !correct {
			verb := "met"
			if d.Waived {
				verb = "waived"
			}
			return invalid("duty", "%s of incident %d is already %s (%s, %s); to replace that mark give --correct (the history keeps the earlier one)",
				kind, id, verb, d.By, d.Met.UTC().Format(time.RFC3339))
		}
		if in.StartedAt != nil && at.Before(*in.StartedAt) {
			return invalid("at", "%s is before incident %d began (%s)", at.Format(time.RFC3339), id, in.StartedAt.Format(time.RFC3339))
		}
		state := "met"
		if waive {
			state = "waived"
		}
		var recID int64
		err = t.QueryRowContext(ctx, `SELECT id FROM duties WHERE incident_id = ? AND kind = ?`, id, kind).Scan(&recID)
		switch {
		case err == sql.ErrNoRows:
			_, err = t.create(dutyEntity, "", func() (int64, error) {
				return t.insertID(`INSERT INTO duties (incident_id, kind, state, at, ref, created_at) VALUES (?,?,?,?,?,?)`,
					id, kind, state, fmtTime(at), ref, fmtTime(t.now))
			})
		case err == nil:
			err = t.change(dutyEntity, recID, "", func(row) error {
				_, err := t.ExecContext(ctx, `UPDATE duties SET state = ?, at = ?, ref = ? WHERE id = ?`, state, fmtTime(at), ref, recID)
				return err
			})
		}
		if err != nil {
			return err
		}
		text := fmt.Sprintf("duty %s: %s", state, d.Name["en"])
		if ref != "" {
			text += " (" + ref + ")"
		}
		if err := t.system(id, at, text); err != nil {
			return err
		}
		if duties, err = dutiesOf(ctx, src, rs, cat, in); err != nil {
			return err
		}
		for i := range duties {
			if duties[i].Kind == kind {
				out = &duties[i]
			}
		}
		return nil
	})
	return out, err
}
