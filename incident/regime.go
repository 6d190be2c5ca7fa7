package incident

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed regimes/*.yaml
var regimeFS embed.FS

// DefaultRegime is the regime an order gets when none is named.
const DefaultRegime = "kr-msit"

// Regime is a body of rules, as data: which deliverables it demands, from
// which clock start, how long, and how the days are counted. The embedded
// regimes live in regimes/*.yaml, each citing its sources.
type Regime struct {
	ID        string            `yaml:"id"`
	Name      map[string]string `yaml:"name"`
	Authority string            `yaml:"authority"`
	// Basis is the provision an order under the regime rests on, by
	// language, as a submission cites it.
	Basis map[string]string `yaml:"basis"`
	// AuthorityName is the authority by language, and Addressee the head
	// of it a submission is addressed to (수신).
	AuthorityName map[string]string `yaml:"authority-name"`
	Addressee     map[string]string `yaml:"addressee"`
	// Handler is the unit that handles such orders, named in brackets
	// after the addressee (참조), by language.
	Handler      map[string]string `yaml:"handler"`
	Zone         string            `yaml:"zone"`
	CalendarName string            `yaml:"calendar"`
	// Cutoff is the local time after which a filing counts as made the
	// next working day (EDGAR: 17:30), "" for none; a filing on a day off
	// counts the next working day too when there is one.
	Cutoff       string            `yaml:"cutoff"`
	Deliverables []DeliverableSpec `yaml:"deliverables"`
	// Versions are the rules as they changed, oldest first: what each
	// exempts, and the text in force, from the day it took effect.
	Versions []RuleVersion `yaml:"versions"`

	loc      *time.Location
	calendar *Calendar
	cutoff   time.Duration // from midnight; 0 for none
	// grace is how long a "without delay" duty is given by --grace, by
	// kind ("" for every kind): it overrides every target.
	grace map[string]time.Duration
}

// DeliverableSpec is one thing a regime demands.
type DeliverableSpec struct {
	Kind string            `yaml:"kind"`
	Name map[string]string `yaml:"name"`
	// From is the clock start: order-received; incident-detected,
	// incident-resolved, service-restored (mitigated, else resolved: the
	// service resumed), incident-classified (classified as major, else
	// detected), incident-material (determined material; no clock until
	// it is); or deliverable:<kind> (its submission, else its due).
	From string `yaml:"from"`
	// NoLaterThan caps the due: at most so many hours from another clock
	// start (DORA: 4 h from classification, at most 24 h from detection).
	NoLaterThan  *Limit `yaml:"no-later-than"`
	Hours        int    `yaml:"hours"`
	Days         int    `yaml:"days"`
	BusinessDays int    `yaml:"business-days"`
	Months       int    `yaml:"months"`
	// WithoutDelay is due at once: it is judged on its Target, when one
	// is named, and otherwise shows how long after its start it was met.
	WithoutDelay bool `yaml:"without-delay"`
	// TargetText is a policy's time for a "without delay" duty, e.g. 1h
	// (not the law's: the organisation profile may name another).
	TargetText string `yaml:"target"`
	// Rule counts days: kr-civil (Civil Act 157, 160, 161) or calendar.
	Rule string `yaml:"rule"`
	// Notice names the audience of a timeline notice that meets the duty
	// (users, compensation): logging one meets it.
	Notice Notice `yaml:"notice"`

	target time.Duration
}

// Limit is a bound on a due: Hours from the clock start From.
type Limit struct {
	From  string `yaml:"from"`
	Hours int    `yaml:"hours"`
}

// incidentStarts are the clock starts an incident holds.
var incidentStarts = []string{"incident-detected", "incident-resolved", "service-restored", "incident-classified", "incident-material"}

// PerIncident reports whether each covered incident has its own clock.
func (d *DeliverableSpec) PerIncident() bool { return slices.Contains(incidentStarts, d.From) }

// startOf is the moment in starts the clock called from, nil while it
// has not (not yet resolved, not yet determined material).
func startOf(from string, in *Incident) *time.Time {
	switch from {
	case "incident-detected":
		return firstTime(in.DetectedAt, in.StartedAt)
	case "incident-resolved":
		return in.ResolvedAt
	case "service-restored":
		return firstTime(in.MitigatedAt, in.ResolvedAt)
	case "incident-classified":
		return firstTime(in.ClassifiedAt, in.DetectedAt, in.StartedAt)
	case "incident-material":
		return in.MaterialAt
	}
	return nil
}

// capped is d bounded by the spec's NoLaterThan for in.
func (r *Regime) capped(spec *DeliverableSpec, in *Incident, d Deadline) Deadline {
	if spec.NoLaterThan == nil {
		return d
	}
	from := startOf(spec.NoLaterThan.From, in)
	if from == nil {
		return d
	}
	if limit := from.Add(time.Duration(spec.NoLaterThan.Hours) * time.Hour); limit.Before(d.Due) {
		return r.instant(limit)
	}
	return d
}

// FiledOn is the day a filing made at t counts for (see filedOn).
func (r *Regime) FiledOn(t time.Time) Date { return r.filedOn(DateOf(t, r.loc), &t) }

// filedOn is the day a filing made on day (at the moment at, when known)
// counts for: that day, or, under a cut-off, the next working day when it
// was made on a day off or, its time known, after the cut-off.
func (r *Regime) filedOn(day Date, at *time.Time) Date {
	if r.cutoff == 0 {
		return day
	}
	if at != nil {
		h, m, s := at.In(r.loc).Clock()
		if time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second > r.cutoff {
			day = day.AddDays(1)
		}
	}
	for !r.calendar.Working(day) {
		day = day.AddDays(1)
	}
	return day
}

// Location is the regime's zone.
func (r *Regime) Location() *time.Location { return r.loc }

// Calendar is the regime's calendar of days off.
func (r *Regime) Calendar() *Calendar { return r.calendar }

// Spec returns the deliverable of that kind.
func (r *Regime) Spec(kind string) (*DeliverableSpec, error) {
	var kinds []string
	for i := range r.Deliverables {
		if r.Deliverables[i].Kind == kind {
			return &r.Deliverables[i], nil
		}
		kinds = append(kinds, r.Deliverables[i].Kind)
	}
	return nil, invalid("deliverable", "%q is not a deliverable of %s; accepted: %s", kind, r.ID, strings.Join(kinds, ", "))
}

// Calendar holds the days off of a jurisdiction besides weekends.
type Calendar struct {
	Name string
	days map[Date]string
}

// Holiday names the holiday on d, if it is one.
func (c *Calendar) Holiday(d Date) (string, bool) {
	n, ok := c.days[d]
	return n, ok
}

// Working reports whether d is neither a weekend day nor a holiday.
func (c *Calendar) Working(d Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.days[d]
	return !off
}

// Regimes is the set of known regimes and their calendars.
type Regimes struct {
	byID      map[string]*Regime
	calendars map[string]*Calendar
}

// LoadRegimes reads the embedded regimes and holiday calendars.
func LoadRegimes() (*Regimes, error) {
	rs := &Regimes{byID: map[string]*Regime{}, calendars: map[string]*Calendar{"none": {Name: "none", days: map[Date]string{}}}}
	files, err := fs.Glob(regimeFS, "regimes/holidays-*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "regimes/holidays-"), ".yaml")
		b, _ := regimeFS.ReadFile(f)
		// Each year is a block of "YYYY-MM-DD name" lines, as a
		// --holidays file has them: one YAML scalar a year reads far
		// faster than a sequence a day, and every command reads these.
		var years map[int]string
		if err := yaml.Unmarshal(b, &years); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		cal := &Calendar{Name: name, days: map[Date]string{}}
		for year, lines := range years {
			days, err := readHolidays(strings.NewReader(lines))
			if err != nil {
				return nil, fmt.Errorf("%s: %d: %w", f, year, err)
			}
			for d, n := range days {
				cal.days[d] = n
			}
		}
		rs.calendars[name] = cal
	}
	files, err = fs.Glob(regimeFS, "regimes/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if strings.HasPrefix(f, "regimes/holidays-") {
			continue
		}
		b, _ := regimeFS.ReadFile(f)
		var r Regime
		if err := yaml.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if r.loc, err = time.LoadLocation(r.Zone); err != nil {
			return nil, fmt.Errorf("%s: zone: %w", f, err)
		}
		for i := range r.Deliverables {
			spec := &r.Deliverables[i]
			if !spec.PerIncident() && spec.From != "order-received" && !strings.HasPrefix(spec.From, "deliverable:") {
				return nil, fmt.Errorf("%s: %s: from %q; accepted: order-received, %s, deliverable:KIND", f, spec.Kind, spec.From, strings.Join(incidentStarts, ", "))
			}
			if spec.TargetText == "" {
				continue
			}
			if spec.target, err = time.ParseDuration(spec.TargetText); err != nil || spec.target <= 0 || !spec.WithoutDelay {
				return nil, fmt.Errorf("%s: %s: target %q; accepted: a positive duration on a without-delay duty", f, spec.Kind, spec.TargetText)
			}
		}
		if r.Cutoff != "" {
			c, err := time.Parse("15:04", r.Cutoff)
			if err != nil {
				return nil, fmt.Errorf("%s: cutoff %q; accepted: HH:MM", f, r.Cutoff)
			}
			r.cutoff = time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute
		}
		if err := r.loadVersions(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		cal, ok := rs.calendars[r.CalendarName]
		if !ok {
			return nil, fmt.Errorf("%s: no calendar %q", f, r.CalendarName)
		}
		r.calendar = cal
		rs.byID[r.ID] = &r
	}
	return rs, nil
}

// builtinRegimes are the embedded regimes, read once: what the store
// checks an order's terms and submissions against (their deliverables
// and clock starts, not their calendars).
var builtinRegimes = sync.OnceValues(LoadRegimes)

// builtinRegime is the embedded regime called id.
func builtinRegime(id string) (*Regime, error) {
	rs, err := builtinRegimes()
	if err != nil {
		return nil, err
	}
	return rs.Regime(id)
}

// IDs lists the known regimes, sorted.
func (rs *Regimes) IDs() []string {
	ids := make([]string, 0, len(rs.byID))
	for id := range rs.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Regime returns the regime called id.
func (rs *Regimes) Regime(id string) (*Regime, error) {
	if r, ok := rs.byID[id]; ok {
		return r, nil
	}
	return nil, invalid("regime", "%q is not a regime; accepted: %s", id, strings.Join(rs.IDs(), ", "))
}

// SetGrace sets how long "without delay" duties of kind are given ("" for
// every kind), in every regime, over the regime's target and the
// organisation's: for trying what a policy would have said.
func (rs *Regimes) SetGrace(kind string, d time.Duration) error {
	if d <= 0 {
		return invalid("grace", "%s; accepted: a positive duration, e.g. 2h (a duty without delay is never judged on a zero)", d)
	}
	if kind != "" && !rs.delayKind(kind) {
		return invalid("grace", "%q is not a without-delay duty; accepted: %s", kind, strings.Join(rs.delayKinds(), ", "))
	}
	for _, r := range rs.byID {
		if r.grace == nil {
			r.grace = map[string]time.Duration{}
		}
		r.grace[kind] = d
	}
	return nil
}

// delayKinds lists the kinds of the "without delay" duties of every
// regime, sorted.
func (rs *Regimes) delayKinds() []string {
	var out []string
	for _, r := range rs.byID {
		for _, spec := range r.Deliverables {
			if spec.WithoutDelay && !slices.Contains(out, spec.Kind) {
				out = append(out, spec.Kind)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (rs *Regimes) delayKind(kind string) bool { return slices.Contains(rs.delayKinds(), kind) }

// target is how long a "without delay" duty is given, and whether any
// time is: --grace for its kind or for all, else the organisation's
// target, else the regime's. Zero and false when none is named: the duty
// is then shown with how long it took, never judged late by a zero.
func (r *Regime) target(spec *DeliverableSpec, org *Org) (time.Duration, bool) {
	if d, ok := r.grace[spec.Kind]; ok {
		return d, true
	}
	if d, ok := r.grace[""]; ok {
		return d, true
	}
	if org != nil {
		if d, err := time.ParseDuration(org.Targets[spec.Kind]); err == nil && d >= 0 {
			return d, true
		}
	}
	return spec.target, spec.target > 0
}

// AddHolidays reads extra days off, one "YYYY-MM-DD [name]" a line ('#'
// starts a comment), into every calendar: dates the government declares
// after this build. A bad line refuses the whole file.
func (rs *Regimes) AddHolidays(r io.Reader) error {
	add, err := readHolidays(r)
	if err != nil {
		return err
	}
	for _, c := range rs.calendars {
		for d, name := range add {
			c.days[d] = name
		}
	}
	return nil
}

// readHolidays reads days off, one "YYYY-MM-DD [name]" a line ('#' starts
// a comment).
func readHolidays(r io.Reader) (map[Date]string, error) {
	add := map[Date]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		day, name, _ := strings.Cut(line, " ")
		d, err := ParseDate("holidays", day)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		add[d] = strings.TrimSpace(name)
	}
	return add, sc.Err()
}
