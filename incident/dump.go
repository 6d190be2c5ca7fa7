package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// DumpFormat and DumpVersion identify an export file. The version grows
// when a field changes meaning; new optional fields keep it.
const (
	DumpFormat  = "postmortem-export"
	DumpVersion = 1
)

// Dump is the whole database as plain records: the export/import format.
// Lists are in id order and times in UTC so that the same database always
// writes the same bytes.
type Dump struct {
	Format    string           `json:"format"`
	Version   int              `json:"version"`
	Incidents []IncidentRecord `json:"incidents"`
	Actions   []ActionRecord   `json:"actions"`
	Orders    []OrderRecord    `json:"orders"`
	// History is the change history, the chain whole; an export without
	// one (an older file, a hand-made fixture) is imported as new records.
	History []Change `json:"history,omitempty"`
}

// IncidentRecord is an incident as JSON.
type IncidentRecord struct {
	ID               int64         `json:"id"`
	Title            string        `json:"title"`
	Services         []string      `json:"services"`
	Severity         Severity      `json:"severity"`
	Status           Status        `json:"status"`
	StartedAt        *time.Time    `json:"started_at"`
	DetectedAt       *time.Time    `json:"detected_at"`
	AcknowledgedAt   *time.Time    `json:"acknowledged_at"`
	MitigatedAt      *time.Time    `json:"mitigated_at"`
	ResolvedAt       *time.Time    `json:"resolved_at"`
	UsersAffectedPct *float64      `json:"users_affected_pct"`
	UsersAffected    *int64        `json:"users_affected"`
	Symptoms         string        `json:"symptoms"`
	Cause            string        `json:"cause"`
	Trigger          string        `json:"trigger"`
	Contributing     []string      `json:"contributing_factors"`
	Lessons          Lessons       `json:"lessons"`
	RecoverySteps    []string      `json:"recovery_steps"`
	Related          []int64       `json:"related"`
	Timeline         []EventRecord `json:"timeline"`
	CreatedAt        *time.Time    `json:"created_at,omitempty"`
	UpdatedAt        *time.Time    `json:"updated_at,omitempty"`
}

// EventRecord is a timeline event as JSON.
type EventRecord struct {
	ID            int64      `json:"id,omitempty"`
	At            time.Time  `json:"at"`
	Kind          Kind       `json:"kind"`
	Text          string     `json:"text"`
	Author        string     `json:"author"`
	RecordedAt    *time.Time `json:"recorded_at,omitempty"`
	RetractedAt   *time.Time `json:"retracted_at,omitempty"`
	RetractReason string     `json:"retract_reason,omitempty"`
}

// ActionRecord is an action item as JSON.
type ActionRecord struct {
	ID         int64        `json:"id"`
	IncidentID *int64       `json:"incident_id"`
	OrderID    *int64       `json:"order_id"`
	Area       Area         `json:"area"`
	Text       string       `json:"text"`
	Owner      string       `json:"owner"`
	Due        Date         `json:"due"`
	Status     ActionStatus `json:"status"`
	Evidence   string       `json:"evidence"`
	EvidenceOn *Date        `json:"evidence_on,omitempty"`
	DoneOn     *Date        `json:"done_on"`
	CreatedAt  *time.Time   `json:"created_at,omitempty"`
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func inZone(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(loc)
	return &v
}

// Record turns in into its JSON record with times in loc.
func (in *Incident) Record(loc *time.Location) IncidentRecord {
	r := IncidentRecord{
		ID: in.ID, Title: in.Title, Services: nonNil(in.Services), Severity: in.Severity, Status: in.Status,
		StartedAt: inZone(in.StartedAt, loc), DetectedAt: inZone(in.DetectedAt, loc),
		AcknowledgedAt: inZone(in.AcknowledgedAt, loc), MitigatedAt: inZone(in.MitigatedAt, loc),
		ResolvedAt: inZone(in.ResolvedAt, loc), UsersAffectedPct: in.UsersAffectedPct, UsersAffected: in.UsersAffected,
		Symptoms: in.Symptoms, Cause: in.Cause, Trigger: in.Trigger, Contributing: nonNil(in.Contributing),
		Lessons: in.Lessons, RecoverySteps: nonNil(in.RecoverySteps), Related: nonNil(in.Related),
		Timeline: []EventRecord{}, CreatedAt: inZone(&in.CreatedAt, loc), UpdatedAt: inZone(&in.UpdatedAt, loc),
	}
	for _, e := range in.Timeline {
		r.Timeline = append(r.Timeline, EventRecord{ID: e.ID, At: e.At.In(loc), Kind: e.Kind, Text: e.Text, Author: e.Author,
			RecordedAt: inZone(&e.RecordedAt, loc), RetractedAt: inZone(e.RetractedAt, loc), RetractReason: e.RetractReason})
	}
	return r
}

// incident turns a record back into an incident, stamping missing times
// with now.
func (r *IncidentRecord) incident(now time.Time) *Incident {
	in := &Incident{
		ID: r.ID, Title: r.Title, Services: r.Services, Severity: r.Severity, Status: r.Status,
		StartedAt: r.StartedAt, DetectedAt: r.DetectedAt, AcknowledgedAt: r.AcknowledgedAt,
		MitigatedAt: r.MitigatedAt, ResolvedAt: r.ResolvedAt, UsersAffectedPct: r.UsersAffectedPct,
		UsersAffected: r.UsersAffected, Symptoms: r.Symptoms, Cause: r.Cause, Trigger: r.Trigger,
		Contributing: r.Contributing, Lessons: r.Lessons, RecoverySteps: r.RecoverySteps, Related: r.Related,
		CreatedAt: now, UpdatedAt: now,
	}
	if r.CreatedAt != nil {
		in.CreatedAt = *r.CreatedAt
	}
	if r.UpdatedAt != nil {
		in.UpdatedAt = *r.UpdatedAt
	}
	for _, e := range r.Timeline {
		ev := Event{ID: e.ID, At: e.At, Kind: e.Kind, Text: e.Text, Author: e.Author, RecordedAt: now,
			RetractedAt: e.RetractedAt, RetractReason: e.RetractReason}
		if e.RecordedAt != nil {
			ev.RecordedAt = *e.RecordedAt
		}
		in.Timeline = append(in.Timeline, ev)
	}
	return in
}

func (a *Action) record() ActionRecord {
	c := a.Created
	return ActionRecord{ID: a.ID, IncidentID: a.IncidentID, OrderID: a.OrderID, Area: a.Area, Text: a.Text,
		Owner: a.Owner, Due: a.Due, Status: a.Status, Evidence: a.Evidence, EvidenceOn: a.EvidenceOn, DoneOn: a.DoneOn, CreatedAt: &c}
}

func (r *ActionRecord) action(now time.Time) *Action {
	a := &Action{ID: r.ID, IncidentID: r.IncidentID, OrderID: r.OrderID, Area: r.Area, Text: r.Text, Owner: r.Owner,
		Due: r.Due, Status: r.Status, Evidence: r.Evidence, EvidenceOn: r.EvidenceOn, DoneOn: r.DoneOn, Created: now}
	if r.CreatedAt != nil {
		a.Created = *r.CreatedAt
	}
	if a.Status == "" {
		a.Status = ActionPlanned
	}
	return a
}

// Export reads the whole database into a Dump, times in UTC, in one
// snapshot, with the history.
func (s *Store) Export(ctx context.Context) (*Dump, error) {
	d := &Dump{Format: DumpFormat, Version: DumpVersion, Incidents: []IncidentRecord{}, Actions: []ActionRecord{}, Orders: []OrderRecord{}}
	err := s.read(ctx, func(q querier) error {
		src := liveSource{q}
		ids, err := queryList[int64](ctx, q, `SELECT id FROM incidents ORDER BY id`)
		if err != nil {
			return err
		}
		for _, id := range ids {
			in, err := src.incident(ctx, id, false)
			if err != nil {
				return err
			}
			if in.Timeline, err = src.events(ctx, id); err != nil {
				return err
			}
			d.Incidents = append(d.Incidents, in.Record(time.UTC))
		}
		actions, err := queryActions(ctx, q, `WHERE 1=1`, `id`)
		if err != nil {
			return err
		}
		for i := range actions {
			d.Actions = append(d.Actions, actions[i].record())
		}
		orders, err := queryOrders(ctx, q)
		if err != nil {
			return err
		}
		for _, o := range orders {
			d.Orders = append(d.Orders, o.record())
		}
		d.History, err = queryHistory(ctx, q, ``)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// WriteJSON writes d as indented JSON with a final newline.
func (d *Dump) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// ReadDump parses and checks an export file.
func ReadDump(r io.Reader) (*Dump, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d Dump
	if err := dec.Decode(&d); err != nil {
		return nil, invalid("import", "not a postmortem export: %v", err)
	}
	if d.Format != DumpFormat {
		return nil, invalid("import", "format is %q; accepted: %q", d.Format, DumpFormat)
	}
	if d.Version < 1 || d.Version > DumpVersion {
		return nil, invalid("import", "export version %d; this build reads 1 to %d", d.Version, DumpVersion)
	}
	return &d, nil
}

// ImportResult maps the ids in the file to the ids stored.
type ImportResult struct {
	// HistoryKept is true when the file's history was restored as it is.
	HistoryKept bool
	Incidents   map[int64]int64
	Orders      map[int64]int64
	Actions     map[int64]int64
}

// Import stores everything in d in one transaction: all of it, or nothing.
// Ids are kept, so a restored backup exports to the same bytes; an id that
// is already taken is a conflict, unless renumber is set, when every record
// gets a fresh id and the links between them follow.
//
// The file's history is checked first and a broken chain refuses the whole
// file. Into a database with no history yet, and without renumbering, the
// chain is restored as it is and must account for every record imported;
// otherwise each record enters the history as created by this import.
func (s *Store) Import(ctx context.Context, d *Dump, renumber bool) (*ImportResult, error) {
	now := s.now().UTC().Truncate(time.Second)
	res := &ImportResult{Incidents: map[int64]int64{}, Orders: map[int64]int64{}, Actions: map[int64]int64{}}
	if err := checkChain(d.History); err != nil {
		return nil, invalid("import", "the file's history is broken: %v", err)
	}
	incidents := make([]*Incident, len(d.Incidents))
	for i := range d.Incidents {
		in := d.Incidents[i].incident(now)
		in.fillDefaults()
		if err := in.Validate(); err != nil {
			return nil, fmt.Errorf("incident %d (%q): %w", in.ID, in.Title, err)
		}
		if err := in.validateAt(now); err != nil {
			return nil, fmt.Errorf("incident %d (%q): %w", in.ID, in.Title, err)
		}
		for j := range in.Timeline {
			if err := in.Timeline[j].Validate(now); err != nil {
				return nil, fmt.Errorf("incident %d event %d: %w", in.ID, j+1, err)
			}
		}
		incidents[i] = in
	}
	rs, err := LoadRegimes()
	if err != nil {
		return nil, err
	}
	for _, o := range d.Orders {
		if _, err := rs.Regime(o.Regime); err != nil {
			return nil, fmt.Errorf("order %d: %w", o.ID, err)
		}
	}
	err = s.withTx(ctx, func(t *txn) error {
		var have int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM history`).Scan(&have); err != nil {
			return err
		}
		res.HistoryKept = len(d.History) > 0 && have == 0 && !renumber
		t.quiet = res.HistoryKept
		if !t.quiet && t.reason == "" {
			t.reason = "imported"
		}
		for _, in := range incidents {
			old, related, timeline := in.ID, in.Related, in.Timeline
			if renumber {
				in.ID = 0
			}
			in.Related = nil
			if err := insertIncident(t, in); err != nil {
				return err
			}
			res.Incidents[old] = in.ID
			in.Related = related
			for j := range timeline {
				timeline[j].IncidentID = in.ID
				if renumber {
					timeline[j].ID = 0
				}
				if err := insertEvent(t, &timeline[j], ""); err != nil {
					return err
				}
			}
		}
		for _, in := range incidents {
			for k, r := range in.Related {
				if n, ok := res.Incidents[r]; ok {
					in.Related[k] = n
				} else if renumber {
					return notFound("related incident", r)
				}
			}
			if len(in.Related) == 0 {
				continue
			}
			before, err := t.snap(incidentEntity, in.ID)
			if err != nil {
				return err
			}
			if err := writeChildren(ctx, t, in); err != nil {
				return fmt.Errorf("incident %d: %w", in.ID, err)
			}
			if err := t.relogged(incidentEntity, in.ID, before); err != nil {
				return err
			}
		}
		if err := importOrders(t, d.Orders, renumber, now, res); err != nil {
			return err
		}
		for i := range d.Actions {
			a := d.Actions[i].action(now)
			old := a.ID
			if a.IncidentID != nil {
				a.IncidentID = remap(res.Incidents, *a.IncidentID)
			}
			if a.OrderID != nil {
				a.OrderID = remap(res.Orders, *a.OrderID)
			}
			if err := a.Validate(); err != nil {
				return fmt.Errorf("action %d: %w", old, err)
			}
			if err := a.validateAt(now); err != nil {
				return fmt.Errorf("action %d: %w", old, err)
			}
			if renumber {
				a.ID = 0
			}
			if err := insertAction(t, a); err != nil {
				if isConflict(mapErr(err)) {
					return fmt.Errorf("action %d: %w", old, mapErr(err))
				}
				return err
			}
			res.Actions[old] = a.ID
		}
		if !res.HistoryKept {
			return nil
		}
		for i := range d.History {
			if err := t.insertChange(&d.History[i]); err != nil {
				return err
			}
		}
		if err := replayAll(ctx, t); err != nil {
			return invalid("import", "the file's records do not agree with its history: %v", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// relogged records a change to a record created in the same import: a
// creation written quietly needs no row; otherwise the change is logged.
func (t *txn) relogged(e *entity, id int64, before row) error {
	if t.quiet {
		return nil
	}
	return t.logged(e, id, before, "")
}

// remap is the stored id of a record the file refers to by id; one the
// file does not hold is left as it is, for the foreign keys to judge.
func remap(m map[int64]int64, id int64) *int64 {
	if n, ok := m[id]; ok {
		return &n
	}
	return &id
}
