package incident

import (
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
	// The catalogue: services, freeze windows, duties marked by hand.
	Services []ServiceRecord `json:"services,omitempty"`
	Freezes  []FreezeRecord  `json:"freezes,omitempty"`
	Duties   []DutyRecord    `json:"duties,omitempty"`
	// Org is who submits, when a profile was set (a list of one).
	Org []Org `json:"org,omitempty"`
	// History is the change history, the chain whole; an export without
	// one (an older file, a hand-made fixture) is imported as new records.
	History []Change `json:"history,omitempty"`
}

// IncidentRecord is an incident as JSON.
type IncidentRecord struct {
	ID               int64             `json:"id"`
	Title            string            `json:"title"`
	Services         []string          `json:"services"`
	Roles            map[string]string `json:"roles,omitempty"`
	CauseCategory    string            `json:"cause_category,omitempty"`
	Tags             []string          `json:"tags,omitempty"`
	Severity         Severity          `json:"severity"`
	Status           Status            `json:"status"`
	StartedAt        *time.Time        `json:"started_at"`
	DetectedAt       *time.Time        `json:"detected_at"`
	AcknowledgedAt   *time.Time        `json:"acknowledged_at"`
	MitigatedAt      *time.Time        `json:"mitigated_at"`
	ResolvedAt       *time.Time        `json:"resolved_at"`
	ClassifiedAt     *time.Time        `json:"classified_at,omitempty"`
	MaterialAt       *time.Time        `json:"material_at,omitempty"`
	ClosedAs         Closure           `json:"closed_as,omitempty"`
	ClosedAt         *time.Time        `json:"closed_at,omitempty"`
	DuplicateOf      *int64            `json:"duplicate_of,omitempty"`
	English          English           `json:"english,omitempty"`
	UsersAffectedPct *float64          `json:"users_affected_pct"`
	UsersAffected    *int64            `json:"users_affected"`
	Symptoms         string            `json:"symptoms"`
	Cause            string            `json:"cause"`
	Trigger          string            `json:"trigger"`
	Contributing     []string          `json:"contributing_factors"`
	Lessons          Lessons           `json:"lessons"`
	RecoverySteps    []string          `json:"recovery_steps"`
	Related          []int64           `json:"related"`
	Timeline         []EventRecord     `json:"timeline"`
	CreatedAt        *time.Time        `json:"created_at,omitempty"`
	UpdatedAt        *time.Time        `json:"updated_at,omitempty"`
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
	Notice        Notice     `json:"notice,omitempty"`
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
	RevisedDue *Date        `json:"revised_due,omitempty"`
	RevisedOn  *Date        `json:"revised_on,omitempty"`
	Reason     string       `json:"reason,omitempty"`
	Finding    *int         `json:"finding,omitempty"`
	DroppedOn  *Date        `json:"dropped_on,omitempty"`
	Verify     string       `json:"verify,omitempty"`
	English    English      `json:"english,omitempty"`
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
		ID: in.ID, Title: in.Title, Services: nonNil(in.Services), Roles: in.Roles, CauseCategory: in.CauseCategory, Tags: in.Tags, Severity: in.Severity, Status: in.Status,
		StartedAt: inZone(in.StartedAt, loc), DetectedAt: inZone(in.DetectedAt, loc),
		AcknowledgedAt: inZone(in.AcknowledgedAt, loc), MitigatedAt: inZone(in.MitigatedAt, loc),
		ResolvedAt: inZone(in.ResolvedAt, loc), UsersAffectedPct: in.UsersAffectedPct, UsersAffected: in.UsersAffected,
		ClassifiedAt: inZone(in.ClassifiedAt, loc), MaterialAt: inZone(in.MaterialAt, loc),
		ClosedAs: in.ClosedAs, ClosedAt: inZone(in.ClosedAt, loc), DuplicateOf: in.DuplicateOf, English: in.English,
		Symptoms: in.Symptoms, Cause: in.Cause, Trigger: in.Trigger, Contributing: nonNil(in.Contributing),
		Lessons: in.Lessons, RecoverySteps: nonNil(in.RecoverySteps), Related: nonNil(in.Related),
		Timeline: []EventRecord{}, CreatedAt: inZone(&in.CreatedAt, loc), UpdatedAt: inZone(&in.UpdatedAt, loc),
	}
	for _, e := range in.Timeline {
		r.Timeline = append(r.Timeline, EventRecord{ID: e.ID, At: e.At.In(loc), Kind: e.Kind, Text: e.Text, Author: e.Author,
			RecordedAt: inZone(&e.RecordedAt, loc), RetractedAt: inZone(e.RetractedAt, loc), RetractReason: e.RetractReason, Notice: e.Notice})
	}
	return r
}

// incident turns a record back into an incident, stamping missing times
// with now.
func (r *IncidentRecord) incident(now time.Time) *Incident {
	in := &Incident{
		ID: r.ID, Title: r.Title, Services: r.Services, Roles: r.Roles, CauseCategory: r.CauseCategory, Tags: r.Tags, Severity: r.Severity, Status: r.Status,
		StartedAt: r.StartedAt, DetectedAt: r.DetectedAt, AcknowledgedAt: r.AcknowledgedAt,
		MitigatedAt: r.MitigatedAt, ResolvedAt: r.ResolvedAt, ClassifiedAt: r.ClassifiedAt, MaterialAt: r.MaterialAt, UsersAffectedPct: r.UsersAffectedPct,
		ClosedAs: r.ClosedAs, ClosedAt: r.ClosedAt, DuplicateOf: r.DuplicateOf, English: r.English,
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
			RetractedAt: e.RetractedAt, RetractReason: e.RetractReason, Notice: e.Notice}
		if e.RecordedAt != nil {
			ev.RecordedAt = *e.RecordedAt
		}
		in.Timeline = append(in.Timeline, ev)
	}
	return in
}

// Record is the measure as JSON, as exports and action list --json have it.
func (a *Action) Record() ActionRecord { return a.record() }

func (a *Action) record() ActionRecord {
	c := a.Created
	return ActionRecord{ID: a.ID, IncidentID: a.IncidentID, OrderID: a.OrderID, Area: a.Area, Text: a.Text,
		Owner: a.Owner, Due: a.Due, Status: a.Status, Evidence: a.Evidence, EvidenceOn: a.EvidenceOn, DoneOn: a.DoneOn, CreatedAt: &c,
		RevisedDue: a.RevisedDue, RevisedOn: a.RevisedOn, Reason: a.Reason, Finding: a.Finding, DroppedOn: a.DroppedOn, Verify: a.Verify, English: a.English}
}

func (r *ActionRecord) action(now time.Time) *Action {
	a := &Action{ID: r.ID, IncidentID: r.IncidentID, OrderID: r.OrderID, Area: r.Area, Text: r.Text, Owner: r.Owner,
		Due: r.Due, Status: r.Status, Evidence: r.Evidence, EvidenceOn: r.EvidenceOn, DoneOn: r.DoneOn, Created: now,
		RevisedDue: r.RevisedDue, RevisedOn: r.RevisedOn, Reason: r.Reason, Finding: r.Finding, DroppedOn: r.DroppedOn, Verify: r.Verify, English: r.English}
	if r.CreatedAt != nil {
		a.Created = *r.CreatedAt
	}
	if a.Status == "" {
		a.Status = ActionPlanned
	}
	return a
}

// ImportResult maps the ids in the file to the ids stored.
type ImportResult struct {
	// HistoryKept is true when the file's history was restored as it is.
	HistoryKept bool
	// Read lists the incidents' ids as the file gave them, in its order.
	Read      []int64
	Incidents map[int64]int64
	Orders    map[int64]int64
	Actions   map[int64]int64
}

// remap is the stored id of a record the file refers to by id; one the
// file does not hold is left as it is, for the foreign keys to judge.
func remap(m map[int64]int64, id int64) *int64 {
	if n, ok := m[id]; ok {
		return &n
	}
	return &id
}
