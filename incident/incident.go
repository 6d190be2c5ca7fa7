package incident

import (
	"strings"
	"time"
)

// Severity ranks an incident, SEV1 being the worst.
type Severity string

// The severities, worst first.
const (
	SEV1 Severity = "SEV1"
	SEV2 Severity = "SEV2"
	SEV3 Severity = "SEV3"
	SEV4 Severity = "SEV4"
)

// Severities lists every severity, worst first.
var Severities = []Severity{SEV1, SEV2, SEV3, SEV4}

// ParseSeverity accepts SEV1..SEV4 in any case, or a bare 1..4.
func ParseSeverity(s string) (Severity, error) {
	return parseEnum("severity", "a severity", s, Severities, func(v string) string {
		if v = strings.ToUpper(v); len(v) == 1 {
			return "SEV" + v
		}
		return v
	})
}

// Status is where an incident stands: open → mitigated → resolved → reviewed.
type Status string

// The statuses, in the order an incident moves through them.
const (
	StatusOpen      Status = "open"
	StatusMitigated Status = "mitigated"
	StatusResolved  Status = "resolved"
	StatusReviewed  Status = "reviewed"
)

// Statuses lists every status in order.
var Statuses = []Status{StatusOpen, StatusMitigated, StatusResolved, StatusReviewed}

// ParseStatus accepts one of Statuses.
func ParseStatus(s string) (Status, error) {
	return parseEnum("status", "a status", s, Statuses, strings.ToLower)
}

// Lessons are what the review learned, in the three usual columns.
type Lessons struct {
	WentWell  string `json:"went_well"`
	WentWrong string `json:"went_wrong"`
	Lucky     string `json:"lucky"`
}

// Incident is one outage, from its start to its review.
type Incident struct {
	ID       int64
	Title    string
	Services []string
	// Roles maps a role (commander, comms, scribe, or any named one) to
	// the person holding it.
	Roles map[string]string
	// CauseCategory is one of CauseCategories ("" until known); Tags are
	// free words, for what repeats across incidents.
	CauseCategory string
	Tags          []string
	Severity      Severity
	Status        Status

	StartedAt      *time.Time
	DetectedAt     *time.Time
	AcknowledgedAt *time.Time
	MitigatedAt    *time.Time
	ResolvedAt     *time.Time
	// ClassifiedAt and MaterialAt are moments a law's clock starts from:
	// classified as major (DORA), determined material (SEC 8-K).
	ClassifiedAt *time.Time
	MaterialAt   *time.Time

	// ClosedAs is set on an incident that was no outage: a declaration
	// cancelled, a false alarm, a duplicate of DuplicateOf; ClosedAt is
	// when it was closed so. Such an incident is resolved, holds no gate,
	// owes no duty and counts in no figure or review; its timeline stays.
	ClosedAs    Closure
	ClosedAt    *time.Time
	DuplicateOf *int64

	// UsersAffectedPct is the share of users hit, 0..100; nil when unknown.
	UsersAffectedPct *float64
	// UsersAffected is the count of users hit, when known.
	UsersAffected *int64
	Symptoms      string

	Cause        string
	Trigger      string
	Contributing []string
	Lessons      Lessons
	// English holds English texts of the title, symptoms, cause and
	// trigger, for documents in English.
	English English

	// RecoverySteps are ordered: the order is how recovery went.
	RecoverySteps []string
	// Related holds the ids of related incidents (05-21 relates to 05-20).
	Related []int64

	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is the history's number of the record's last change (its
	// fields, not its events'): a save built on an older one is refused
	// with what changed since (Store.UpdateIncidentAt). Filled by
	// Store.Incident and UpdateIncident.
	Version int64

	// Timeline and Actions are filled by Store.Incident, not by listings.
	Timeline []Event
	Actions  []Action
}

// shownTime is how a message shows a time: as people read it, with its
// offset, not RFC 3339's T.
const shownTime = "2006-01-02 15:04:05 -07:00"

// DefaultSeverity is an incident's severity until one is given, on the
// command line and in the TUI alike.
const DefaultSeverity = SEV3

// Closure is how an incident that was no outage ended.
type Closure string

// The closures.
const (
	ClosedCancelled  Closure = "cancelled"
	ClosedFalseAlarm Closure = "false-alarm"
	ClosedDuplicate  Closure = "duplicate"
)

// Closures lists every closure.
var Closures = []Closure{ClosedCancelled, ClosedFalseAlarm, ClosedDuplicate}

// ParseClosure accepts one of Closures.
func ParseClosure(s string) (Closure, error) {
	return parseEnum("as", "a closure (no outage)", s, Closures, strings.ToLower)
}

// Close ends the incident at at as c, which was no outage; a duplicate
// names the incident it repeats. Its timeline stays as it is.
func (in *Incident) Close(c Closure, at time.Time, of *int64) error {
	if in.ClosedAs != "" {
		return invalid("as", "incident %d is already closed as %s; reopen it first", in.ID, in.ClosedAs)
	}
	if c == ClosedDuplicate && of == nil {
		return invalid("of", "a duplicate names the incident it repeats; give --of ID")
	}
	if c != ClosedDuplicate && of != nil {
		return invalid("of", "only a duplicate names another incident (this is closed as %s)", c)
	}
	in.ClosedAs, in.ClosedAt, in.DuplicateOf = c, &at, of
	return nil
}

// Reopen takes a closure back: the incident stands as its key times say.
func (in *Incident) Reopen() error {
	if in.ClosedAs == "" {
		return invalid("reopen", "incident %d is not closed as cancelled, a false alarm or a duplicate", in.ID)
	}
	in.ClosedAs, in.ClosedAt, in.DuplicateOf = "", nil, nil
	if in.Status == StatusResolved && in.ResolvedAt == nil {
		in.Status = StatusOpen
	}
	return nil
}

// Counted reports whether the incident was an outage, one the figures,
// reviews and duties count.
func (in *Incident) Counted() bool { return in.ClosedAs == "" }

// Shown is the status as people read it: the closure, for one that was no
// outage.
func (in *Incident) Shown() string {
	if in.ClosedAs != "" {
		return string(in.ClosedAs)
	}
	return string(in.Status)
}

// Open reports whether the incident is still under way (not resolved).
func (in *Incident) Open() bool {
	return in.Status == StatusOpen || in.Status == StatusMitigated
}

// fillDefaults gives a new record its default severity (SEV3) and the
// status its key times imply; an explicit "reviewed" is kept for Validate
// to judge.
func (in *Incident) fillDefaults() {
	if in.Severity == "" {
		in.Severity = DefaultSeverity
	}
	if in.Status != StatusReviewed {
		in.syncStatus()
	}
}

// SetStatus sets the status by hand: reviewed (Validate refuses it on an
// incident not resolved), or resolved to take a review back. The others
// follow the key times and are refused, as is resolved on an incident
// that was not reviewed: nothing is taken as done that is not.
func (in *Incident) SetStatus(st Status) error {
	switch {
	case st == StatusReviewed, st == StatusResolved && in.Status == StatusReviewed:
		in.Status = st
		return nil
	case st == StatusResolved:
		return invalid("status", "incident %d is %s, not reviewed: resolved is set by --resolved", in.ID, in.Status)
	}
	return invalid("status", "%s follows the key times (give --mitigated or --resolved); accepted: reviewed, or resolved to take back a review", st)
}

// syncStatus moves the status along with the key times, keeping a review
// (which Validate refuses on an incident not resolved).
func (in *Incident) syncStatus() {
	if in.Status == StatusReviewed {
		return
	}
	switch {
	case in.ClosedAs != "", in.ResolvedAt != nil:
		in.Status = StatusResolved
	case in.MitigatedAt != nil:
		in.Status = StatusMitigated
	default:
		in.Status = StatusOpen
	}
}

// Validate checks the whole record and returns the first refused field.
func (in *Incident) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		return invalid("title", "must not be empty")
	}
	if err := in.checkTexts(); err != nil {
		return err
	}
	if err := in.English.check(incidentEnglish); err != nil {
		return err
	}
	if _, err := ParseSeverity(string(in.Severity)); err != nil {
		return err
	}
	if _, err := ParseStatus(string(in.Status)); err != nil {
		return err
	}
	if in.Status == StatusReviewed && in.ResolvedAt == nil && in.ClosedAs == "" {
		return invalid("status", "an incident can be reviewed only once resolved")
	}
	if in.ClosedAs != "" {
		if _, err := ParseClosure(string(in.ClosedAs)); err != nil {
			return err
		}
		if in.ClosedAt == nil {
			return invalid("closed-at", "a closed incident carries when it was closed")
		}
	}
	switch {
	case in.ClosedAs == ClosedDuplicate && in.DuplicateOf == nil:
		return invalid("of", "a duplicate names the incident it repeats; give --of ID")
	case in.ClosedAs != ClosedDuplicate && in.DuplicateOf != nil:
		return invalid("of", "only a duplicate names another incident")
	case in.DuplicateOf != nil && (*in.DuplicateOf == in.ID || *in.DuplicateOf <= 0):
		return invalid("of", "incident %d cannot be a duplicate of %d; give the id of the incident it repeats", in.ID, *in.DuplicateOf)
	}
	if p := in.UsersAffectedPct; p != nil && (*p < 0 || *p > 100 || *p != *p) {
		return invalid("users-affected", "%g is out of range; accepted: 0 to 100 (percent of users)", *p)
	}
	if n := in.UsersAffected; n != nil && (*n < 0 || *n > MaxUsers) {
		return invalid("users-affected-count", "%d is out of range; accepted: 0 to %d users", *n, int64(MaxUsers))
	}
	services, err := uniqueNames("service", in.Services)
	if err != nil {
		return err
	}
	in.Services = services
	for _, t := range []struct {
		field string
		at    *time.Time
	}{
		{"started", in.StartedAt}, {"detected", in.DetectedAt}, {"acknowledged", in.AcknowledgedAt},
		{"mitigated", in.MitigatedAt}, {"resolved", in.ResolvedAt}, {"classified", in.ClassifiedAt}, {"material", in.MaterialAt},
	} {
		if t.at == nil {
			continue
		}
		if t.at.Before(minTime) {
			return invalid(t.field, "%s is before 1970", t.at.UTC().Format(time.RFC3339))
		}
		if in.StartedAt != nil && t.at.Before(*in.StartedAt) {
			return invalid(t.field, "%s is before the start (%s); it must be at or after it",
				t.at.Format(shownTime), in.StartedAt.In(t.at.Location()).Format(shownTime))
		}
	}
	// The key times come in their order: detected, then acknowledged;
	// mitigated and acknowledged by the resolution at the latest.
	for _, o := range []struct {
		later, earlier     string
		laterAt, earlierAt *time.Time
	}{
		{"acknowledged", "detection", in.AcknowledgedAt, in.DetectedAt},
		{"resolved", "mitigation", in.ResolvedAt, in.MitigatedAt},
		{"resolved", "acknowledgement", in.ResolvedAt, in.AcknowledgedAt},
		{"resolved", "detection", in.ResolvedAt, in.DetectedAt},
		{"classified", "detection", in.ClassifiedAt, in.DetectedAt},
		{"material", "detection", in.MaterialAt, in.DetectedAt},
	} {
		if o.laterAt != nil && o.earlierAt != nil && o.laterAt.Before(*o.earlierAt) {
			return invalid(o.later, "%s is before %s (%s); it must be at or after it",
				o.laterAt.Format(shownTime), o.earlier, o.earlierAt.In(o.laterAt.Location()).Format(shownTime))
		}
	}
	for _, r := range in.Related {
		if r == in.ID && in.ID != 0 {
			return invalid("relates-to", "an incident cannot relate to itself")
		}
	}
	if in.CauseCategory != "" {
		if _, err := ParseCauseCategory(in.CauseCategory); err != nil {
			return err
		}
	}
	for _, t := range in.Tags {
		if _, err := checkName("tag", t); err != nil {
			return err
		}
	}
	for role, who := range in.Roles {
		if _, err := checkRoleName(role); err != nil {
			return err
		}
		if strings.TrimSpace(who) == "" || Printable(who) != who {
			return invalid("role", "%s: %q is not a name; accepted: a person's name (an empty one removes the role)", role, Printable(who))
		}
	}
	return nil
}

// CauseCategories is the short fixed list a cause is filed under.
var CauseCategories = []string{"change", "capacity", "hardware", "network", "software", "dependency", "operator", "external"}

// ParseCauseCategory accepts one of CauseCategories.
func ParseCauseCategory(s string) (string, error) {
	return parseEnum("cause-category", "a cause category", s, CauseCategories, strings.ToLower)
}

// The roles every incident may have; any other named role is taken too.
const (
	RoleCommander = "commander"
	RoleComms     = "comms"
	RoleScribe    = "scribe"
)

// checkRoleName reads a role's name: lower case, one word (letters,
// digits, '-' or '_'), e.g. commander, comms, scribe, tech-lead.
func checkRoleName(s string) (string, error) {
	r := strings.ToLower(strings.TrimSpace(s))
	ok := r != "" && len(r) <= 40
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80 && c != 0xfffd) {
			ok = false
		}
	}
	if !ok || Printable(r) != r {
		return "", invalid("role", "\"%s\" is not a role name; accepted: one word, e.g. commander, comms, scribe, tech-lead", Printable(s))
	}
	return r, nil
}

// SetRole gives role to who (an empty who removes it), on in.
func (in *Incident) SetRole(role, who string) error {
	r, err := checkRoleName(role)
	if err != nil {
		return err
	}
	who = strings.TrimSpace(who)
	if err := checkText("role", who, MaxName); err != nil {
		return err
	}
	roles := make(map[string]string, len(in.Roles)+1)
	for k, v := range in.Roles {
		roles[k] = v
	}
	if who == "" {
		delete(roles, r)
	} else {
		roles[r] = who
	}
	in.Roles = roles
	return nil
}

var minTime = time.Unix(0, 0)

// checkTexts checks every text field for UTF-8, NUL and its length.
func (in *Incident) checkTexts() error {
	fields := []textField{
		{"title", in.Title, MaxTitle}, {"symptoms", in.Symptoms, MaxProse}, {"cause", in.Cause, MaxProse},
		{"trigger", in.Trigger, MaxProse}, {"went-well", in.Lessons.WentWell, MaxProse},
		{"went-wrong", in.Lessons.WentWrong, MaxProse}, {"lucky", in.Lessons.Lucky, MaxProse},
	}
	for _, s := range in.Services {
		fields = append(fields, textField{"service", s, MaxName})
	}
	for role, who := range in.Roles {
		fields = append(fields, textField{"role", role, MaxName}, textField{"role", who, MaxName})
	}
	for _, s := range in.Contributing {
		fields = append(fields, textField{"contributing", s, MaxText})
	}
	for _, s := range in.RecoverySteps {
		fields = append(fields, textField{"recovery", s, MaxText})
	}
	return checkTexts(fields...)
}

// validateAt checks what needs the clock: no key time lies in the future.
func (in *Incident) validateAt(now time.Time) error {
	for _, k := range keyTimes(in, in) {
		if err := happened(k.name, k.new, now); err != nil {
			return err
		}
	}
	return nil
}
