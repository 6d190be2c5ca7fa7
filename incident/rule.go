package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// RuleVersion is a regime's rules as they stood from a day on: the text in
// force for a duty (its citation, by duty kind and language) and the cases
// it exempts from a duty. The version in force on the day an incident
// began applies to it.
type RuleVersion struct {
	EffectiveText string                       `yaml:"effective"`
	Cite          map[string]map[string]string `yaml:"cite"`
	Exemptions    []Exemption                  `yaml:"exemptions"`

	effective Date
}

// Effective is the day the version took effect.
func (v *RuleVersion) Effective() Date { return v.effective }

// Exemption is a case the law's text takes out of duties: when every
// condition of When holds for the incident and its service, the duties it
// names do not apply, for the reason Why, under the provision Cite.
type Exemption struct {
	Duties []string          `yaml:"duties"`
	When   Condition         `yaml:"when"`
	Why    map[string]string `yaml:"why"`
	Cite   map[string]string `yaml:"cite"`
}

// Condition is what an exemption asks of an incident and its service; an
// empty field asks nothing. A fact the record does not hold (a service's
// class not set, the outage still running) fails the condition: a duty is
// never waived on a guess.
type Condition struct {
	// Class is the service's class: basic (기간통신역무) or value-added
	// (부가통신역무).
	Class string `yaml:"class"`
	// Fee is paid or free: free is a service without a fee charged monthly
	// or at set times.
	Fee string `yaml:"fee"`
	// RevenueBelow holds when the provider's revenue of the year before
	// (the organisation profile) is below it, in won.
	RevenueBelow int64 `yaml:"revenue-below"`
	// DailyUsersBelow holds when the service's daily users (its own, else
	// the organisation's) are below it.
	DailyUsersBelow int64 `yaml:"daily-users-below"`
	// OutageWithin holds when the outage ended within it of its start.
	OutageWithin string `yaml:"outage-within"`

	within time.Duration
}

// Service classes and fees, as the catalogue records them.
var (
	ServiceClasses = []string{"basic", "value-added"}
	ServiceFees    = []string{"paid", "free"}
)

// dutyFacts are what conditions are judged on: the services of the
// incident the regime binds, the provider's figures of the year before the
// incident's (as the law reads them), and how long the outage ran.
type dutyFacts struct {
	services []*Service
	figures  OrgYear
	outage   *time.Duration // nil while it runs
}

func (c *Condition) load() error {
	if c.Class != "" && !slices.Contains(ServiceClasses, c.Class) {
		return fmt.Errorf("class %q; accepted: %s", c.Class, strings.Join(ServiceClasses, ", "))
	}
	if c.Fee != "" && !slices.Contains(ServiceFees, c.Fee) {
		return fmt.Errorf("fee %q; accepted: %s", c.Fee, strings.Join(ServiceFees, ", "))
	}
	if c.OutageWithin != "" {
		d, err := time.ParseDuration(c.OutageWithin)
		if err != nil || d <= 0 {
			return fmt.Errorf("outage-within %q; accepted: a duration, e.g. 2h", c.OutageWithin)
		}
		c.within = d
	}
	return nil
}

// holds reports whether the condition holds for one service of the
// incident.
func (c *Condition) holds(svc *Service, f dutyFacts) bool {
	if c.Class != "" && (svc == nil || svc.Class != c.Class) {
		return false
	}
	if c.Fee != "" && (svc == nil || svc.Fee != c.Fee) {
		return false
	}
	if c.RevenueBelow > 0 && (f.figures.Revenue == nil || *f.figures.Revenue >= c.RevenueBelow) {
		return false
	}
	if c.DailyUsersBelow > 0 {
		users := f.figures.DailyUsers
		if svc != nil && svc.DailyUsers != nil {
			users = svc.DailyUsers
		}
		if users == nil || *users >= c.DailyUsersBelow {
			return false
		}
	}
	if c.within > 0 && (f.outage == nil || *f.outage > c.within) {
		return false
	}
	return true
}

// version is the rules in force on day d: the latest to take effect on
// or before it (nil when the regime has no versions, or none yet).
func (r *Regime) version(d Date) *RuleVersion {
	var out *RuleVersion
	for i := range r.Versions {
		if v := &r.Versions[i]; !v.effective.After(d) {
			out = v
		}
	}
	return out
}

// exempt says why duty kind does not apply under v, by language, or nil
// when it does: it does not when each service is exempt by some exemption
// (an incident on a paid service and a free one owes the paid one's
// notice). With no service known, nothing exempts. The reason names the
// services each exemption covers: "이용요금 없이 제공되는 전기통신역무:
// 카카오톡 PC, 카카오톡 모바일 (시행령 제37조의13제1항제4호)".
func (v *RuleVersion) exempt(kind string, f dutyFacts) map[string]string {
	if v == nil || len(f.services) == 0 {
		return nil
	}
	var by []*Exemption // the exemption of each service, in order
	for _, svc := range f.services {
		var found *Exemption
		for i := range v.Exemptions {
			if e := &v.Exemptions[i]; slices.Contains(e.Duties, kind) && e.When.holds(svc, f) {
				found = e
				break
			}
		}
		if found == nil {
			return nil
		}
		by = append(by, found)
	}
	out := map[string]string{}
	for lang := range by[0].Why {
		var order []*Exemption
		names := map[*Exemption][]string{}
		for i, e := range by {
			if _, ok := names[e]; !ok {
				order = append(order, e)
				names[e] = nil
			}
			if svc := f.services[i]; svc != nil && !slices.Contains(names[e], svc.Name) {
				names[e] = append(names[e], svc.Name)
			}
		}
		parts := make([]string, len(order))
		for i, e := range order {
			parts[i] = e.Why[lang]
			if len(names[e]) > 0 {
				parts[i] += ": " + strings.Join(names[e], ", ")
			}
			if c := e.Cite[lang]; c != "" {
				parts[i] += " (" + c + ")"
			}
		}
		out[lang] = strings.Join(parts, "; ")
	}
	return out
}

func (r *Regime) loadVersions() error {
	for i := range r.Versions {
		v := &r.Versions[i]
		d, err := ParseDate("effective", v.EffectiveText)
		if err != nil {
			return fmt.Errorf("version %d: %w", i+1, err)
		}
		if i > 0 && !d.After(r.Versions[i-1].effective) {
			return fmt.Errorf("version %d: %s does not come after %s", i+1, d, r.Versions[i-1].effective)
		}
		v.effective = d
		for kind := range v.Cite {
			if _, err := r.Spec(kind); err != nil {
				return fmt.Errorf("version %s cite: %w", d, err)
			}
		}
		for j := range v.Exemptions {
			e := &v.Exemptions[j]
			if err := e.When.load(); err != nil {
				return fmt.Errorf("version %s exemption %d: %w", d, j+1, err)
			}
			for _, kind := range e.Duties {
				if _, err := r.Spec(kind); err != nil {
					return fmt.Errorf("version %s exemption %d: %w", d, j+1, err)
				}
			}
		}
	}
	return nil
}
