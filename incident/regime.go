package incident

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
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
	// GraceText is how long "without delay" is given, e.g. "2h".
	GraceText    string            `yaml:"grace"`
	Deliverables []DeliverableSpec `yaml:"deliverables"`

	loc      *time.Location
	grace    time.Duration
	calendar *Calendar
}

// DeliverableSpec is one thing a regime demands.
type DeliverableSpec struct {
	Kind string            `yaml:"kind"`
	Name map[string]string `yaml:"name"`
	// From is the clock start: order-received, incident-detected,
	// incident-resolved, or deliverable:<kind> (its submission, else its due).
	From         string `yaml:"from"`
	Hours        int    `yaml:"hours"`
	Days         int    `yaml:"days"`
	BusinessDays int    `yaml:"business-days"`
	Months       int    `yaml:"months"`
	// WithoutDelay is due at the clock start plus the regime's grace.
	WithoutDelay bool `yaml:"without-delay"`
	// Rule counts days: kr-civil (Civil Act 157, 160, 161) or calendar.
	Rule string `yaml:"rule"`
	// Notice names the audience of a timeline notice that meets the duty
	// (users, compensation): logging one meets it.
	Notice Notice `yaml:"notice"`
}

// PerIncident reports whether each covered incident has its own clock.
func (d *DeliverableSpec) PerIncident() bool { return strings.HasPrefix(d.From, "incident-") }

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
		var years map[int][][2]string
		if err := yaml.Unmarshal(b, &years); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		cal := &Calendar{Name: name, days: map[Date]string{}}
		for _, list := range years {
			for _, h := range list {
				d, err := ParseDate("holiday", h[0])
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
				cal.days[d] = h[1]
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
		if r.GraceText != "" {
			if r.grace, err = time.ParseDuration(r.GraceText); err != nil {
				return nil, fmt.Errorf("%s: grace: %w", f, err)
			}
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

// SetGrace sets how long "without delay" is given, for every regime.
func (rs *Regimes) SetGrace(d time.Duration) error {
	if d < 0 {
		return invalid("grace", "%s is negative; accepted: 0 or more, e.g. 2h", d)
	}
	for _, r := range rs.byID {
		r.grace = d
	}
	return nil
}

// AddHolidays reads extra days off, one "YYYY-MM-DD [name]" a line ('#'
// starts a comment), into every calendar: dates the government declares
// after this build. A bad line refuses the whole file.
func (rs *Regimes) AddHolidays(r io.Reader) error {
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
			return fmt.Errorf("line %d: %w", n, err)
		}
		add[d] = strings.TrimSpace(name)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, c := range rs.calendars {
		for d, name := range add {
			c.days[d] = name
		}
	}
	return nil
}
