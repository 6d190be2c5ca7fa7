package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Org is who submits: the organisation, its representative (대표자), the
// department and person responsible, how to reach them, its own
// document-number scheme (a prefix; numbers run on from it), and the
// marking its documents carry by default (대외비).
type Org struct {
	Name           string `json:"name"`
	Representative string `json:"representative"`
	Department     string `json:"department"`
	Person         string `json:"person"`
	Contact        string `json:"contact"`
	Address        string `json:"address"`
	DocPrefix      string `json:"doc_prefix"`
	Marking        string `json:"marking"`
	// Revenue is the provider's telecom revenue of the year before, in
	// won; DailyUsers its services' average daily users, for a service
	// that has no count of its own. nil: unknown.
	Revenue    *int64 `json:"revenue,omitempty"`
	DailyUsers *int64 `json:"daily_users,omitempty"`
	// Targets are the organisation's own times for "without delay"
	// duties, by kind (e.g. user-notice → 1h), over the regime's.
	Targets map[string]string `json:"targets,omitempty"`
	// Zone is where the organisation counts its days (an IANA name): its
	// quarters and reviews; "" for its regimes' zone.
	Zone string `json:"zone,omitempty"`
	// Yearly are the figures of given years, by year ("2023"), over the
	// single ones: the law reads the year before the incident's.
	Yearly  map[string]OrgYear `json:"yearly,omitempty"`
	Updated time.Time          `json:"updated_at"`
}

// OrgYear is a year's figures; nil: not given for that year.
type OrgYear struct {
	Revenue    *int64 `json:"revenue,omitempty"`
	DailyUsers *int64 `json:"daily_users,omitempty"`
}

// yearOf is the organisation's figures for year: the year's own where
// given, else the single ones.
func (o *Org) yearOf(year int) OrgYear {
	y := OrgYear{Revenue: o.Revenue, DailyUsers: o.DailyUsers}
	if g, ok := o.Yearly[strconv.Itoa(year)]; ok {
		if g.Revenue != nil {
			y.Revenue = g.Revenue
		}
		if g.DailyUsers != nil {
			y.DailyUsers = g.DailyUsers
		}
	}
	return y
}

// OrgChange is what `org set` changes; a nil field stays as it is.
type OrgChange struct {
	Name, Representative, Department, Person, Contact, Address, DocPrefix, Marking *string
	// Revenue and DailyUsers: negative clears. Targets are merged in, a
	// kind mapped to "" cleared.
	Revenue, DailyUsers *int64
	Targets             map[string]string
	Zone                *string // "" clears
	// Yearly sets a year's figures (a negative one clears it).
	Yearly map[int]OrgYear
}

// checkZone refuses a zone that does not load.
func checkZone(zone string) error {
	if zone == "" {
		return nil
	}
	if _, err := time.LoadLocation(zone); err != nil || strings.EqualFold(zone, "local") {
		return invalid("zone", "%q is not a time zone; accepted: an IANA name such as Asia/Seoul or America/New_York", Printable(zone))
	}
	return nil
}

// checkOrgFacts refuses a revenue or count of users out of range, and a
// target that is not a duration for a "without delay" duty.
func checkOrgFacts(revenue, users *int64, targets map[string]string, rs *Regimes) error {
	if revenue != nil && *revenue < 0 {
		return invalid("revenue", "%d is negative; accepted: won, e.g. 10000000000", *revenue)
	}
	if users != nil && (*users < 0 || *users > MaxUsers) {
		return invalid("daily-users", "%d; accepted: a count of users, 0 to %d", *users, int64(MaxUsers))
	}
	for kind, v := range targets {
		if rs != nil && !rs.delayKind(kind) {
			return invalid("target", "%q is not a without-delay duty; accepted: %s", Printable(kind), strings.Join(rs.delayKinds(), ", "))
		}
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d <= 0) {
			return invalid("target", "%s=%q is not a duration; accepted: e.g. 30m, 1h", kind, Printable(v))
		}
	}
	return nil
}

// yearlyJSON is the yearly figures as stored ("{}" for none).
func yearlyJSON(m map[string]OrgYear) string {
	if len(m) == 0 {
		return "{}"
	}
	return mustJSON(m)
}

// checkYearly refuses a year that is not one and a figure out of range.
func checkYearly(m map[string]OrgYear) error {
	for key, y := range m {
		if year, err := strconv.Atoi(key); err != nil || year < 1900 || year > 9999 || strconv.Itoa(year) != key {
			return invalid("yearly", "%q is not a year; accepted: 1900 to 9999", key)
		}
		if err := checkOrgFacts(y.Revenue, y.DailyUsers, nil, nil); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func (o *Org) fields() []struct {
	name string
	v    *string
} {
	return []struct {
		name string
		v    *string
	}{{"name", &o.Name}, {"representative", &o.Representative}, {"department", &o.Department}, {"person", &o.Person},
		{"contact", &o.Contact}, {"address", &o.Address}, {"doc-prefix", &o.DocPrefix}, {"marking", &o.Marking}}
}

func scanOrg(r scanner) (*Org, error) {
	var o Org
	var id int64
	var updated, targets, yearly string
	if err := r.Scan(&id, &o.Name, &o.Representative, &o.Department, &o.Person, &o.Contact, &o.Address, &o.DocPrefix, &o.Marking, &updated,
		&o.Revenue, &o.DailyUsers, &targets, &o.Zone, &yearly); err != nil {
		return nil, err
	}
	if yearly != "{}" {
		if err := json.Unmarshal([]byte(yearly), &o.Yearly); err != nil {
			return nil, fmt.Errorf("org yearly figures: %w", err)
		}
	}
	if err := json.Unmarshal([]byte(targets), &o.Targets); err != nil {
		return nil, fmt.Errorf("org targets: %w", err)
	}
	if len(o.Targets) == 0 {
		o.Targets = nil
	}
	var err error
	o.Updated, err = parseTime(updated)
	return &o, err
}

func queryOrg(ctx context.Context, q querier) (*Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgEntity.columns+` FROM org WHERE id = 1`))
	if err == sql.ErrNoRows {
		return &Org{}, nil
	}
	return o, mapErr(err)
}

// Org returns the profile; empty fields until `org set`.
func (s *Store) Org(ctx context.Context) (*Org, error) {
	var o *Org
	err := s.read(ctx, func(q querier) error {
		var err error
		o, err = queryOrg(ctx, q)
		return err
	})
	return o, err
}

// SetOrg changes the profile as ch says; targets are checked against rs.
func (s *Store) SetOrg(ctx context.Context, ch OrgChange, rs *Regimes) (*Org, error) {
	vals := []*string{ch.Name, ch.Representative, ch.Department, ch.Person, ch.Contact, ch.Address, ch.DocPrefix, ch.Marking}
	if err := checkOrgFacts(nil, nil, ch.Targets, rs); err != nil {
		return nil, err
	}
	for year, y := range ch.Yearly {
		if year < 1900 || year > 9999 {
			return nil, invalid("yearly", "%d is not a year; accepted: 1900 to 9999", year)
		}
		if y.DailyUsers != nil && *y.DailyUsers > MaxUsers {
			return nil, invalid("daily-users", "%d is more than %d; accepted: a count of users", *y.DailyUsers, int64(MaxUsers))
		}
	}
	if ch.Zone != nil {
		*ch.Zone = strings.TrimSpace(*ch.Zone)
		if err := checkZone(*ch.Zone); err != nil {
			return nil, err
		}
	}
	if ch.DailyUsers != nil && *ch.DailyUsers > MaxUsers {
		return nil, invalid("daily-users", "%d is more than %d; accepted: a count of users", *ch.DailyUsers, int64(MaxUsers))
	}
	var out *Org
	err := s.withTx(ctx, func(t *txn) error {
		o, err := queryOrg(ctx, t)
		if err != nil {
			return err
		}
		before, err := t.snap(orgEntity, 1)
		if err != nil {
			return err
		}
		for i, f := range o.fields() {
			if vals[i] == nil {
				continue
			}
			v := strings.TrimSpace(*vals[i])
			if err := checkText(f.name, v, MaxName); err != nil {
				return err
			}
			if Printable(v) != v {
				return invalid(f.name, "\"%s\" holds control characters; accepted: printable text", Printable(v))
			}
			*f.v = v
		}
		for _, c := range []struct{ from, to **int64 }{{&ch.Revenue, &o.Revenue}, {&ch.DailyUsers, &o.DailyUsers}} {
			if *c.from != nil {
				*c.to = *c.from
				if **c.from < 0 {
					*c.to = nil
				}
			}
		}
		for kind, v := range ch.Targets {
			if o.Targets == nil {
				o.Targets = map[string]string{}
			}
			o.Targets[kind] = v
			if v == "" {
				delete(o.Targets, kind)
			}
		}
		if ch.Zone != nil {
			o.Zone = *ch.Zone
		}
		for year, y := range ch.Yearly {
			if o.Yearly == nil {
				o.Yearly = map[string]OrgYear{}
			}
			key := strconv.Itoa(year)
			g := o.Yearly[key]
			for _, c := range []struct{ from, to **int64 }{{&y.Revenue, &g.Revenue}, {&y.DailyUsers, &g.DailyUsers}} {
				if *c.from != nil {
					*c.to = *c.from
					if **c.from < 0 {
						*c.to = nil
					}
				}
			}
			o.Yearly[key] = g
			if g.Revenue == nil && g.DailyUsers == nil {
				delete(o.Yearly, key)
			}
		}
		o.Updated = t.now
		if _, err := t.ExecContext(ctx, `INSERT INTO org (id, name, representative, department, person, contact, address, doc_prefix, marking, updated_at,
			revenue, daily_users, targets, zone, yearly) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name=excluded.name,
			representative=excluded.representative, department=excluded.department, person=excluded.person, contact=excluded.contact,
			address=excluded.address, doc_prefix=excluded.doc_prefix, marking=excluded.marking, updated_at=excluded.updated_at,
			revenue=excluded.revenue, daily_users=excluded.daily_users, targets=excluded.targets, zone=excluded.zone, yearly=excluded.yearly`,
			o.Name, o.Representative, o.Department, o.Person, o.Contact, o.Address, o.DocPrefix, o.Marking, fmtTime(o.Updated),
			o.Revenue, o.DailyUsers, mustJSON(nonNilMap(o.Targets)), o.Zone, yearlyJSON(o.Yearly)); err != nil {
			return err
		}
		out = o
		return t.logged(orgEntity, 1, before, "")
	})
	return out, err
}

// nextDocNumber is the number the next submission gets under the
// organisation's scheme: its prefix and a running number ("" without a
// prefix).
func nextDocNumber(ctx context.Context, t *txn) (string, error) {
	o, err := queryOrg(ctx, t)
	if err != nil || o.DocPrefix == "" {
		return "", err
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE doc_number <> ''`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d", o.DocPrefix, n+1), nil
}
