package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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
	// Via is the letter's 경유: the body a submission passes through on
	// its way to the addressee, "" for none.
	Via string `json:"via,omitempty"`
	// English holds English texts of the name, representative,
	// department, person and address, for documents in English.
	English English `json:"english,omitempty"`
	// Approval is the chain that signs a submission (결재란), drafter
	// first; none: 담당, 검토, 승인 with the person responsible.
	Approval []Approver `json:"approval,omitempty"`
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
	// Yearly are the figures of given years, by year, over the single
	// ones: the law reads the year before the incident's.
	Yearly  map[int]OrgYear `json:"yearly,omitempty"`
	Updated time.Time       `json:"updated_at"`
}

// Approver is a place in the approval chain: the position that signs
// (대리, 팀장, 대표이사) and, when given, who holds it.
type Approver struct {
	Position string `json:"position"`
	Name     string `json:"name,omitempty"`
}

// MaxApprovers is how many places an approval chain may have: a 결재란
// wider than this no longer fits the page.
const MaxApprovers = 8

// ParseApprover reads POSITION or POSITION=NAME.
func ParseApprover(s string) (Approver, error) {
	pos, name, _ := strings.Cut(s, "=")
	a := Approver{Position: strings.TrimSpace(pos), Name: strings.TrimSpace(name)}
	if a.Position == "" {
		return a, invalid("approval", "%q names no position; accepted: POSITION or POSITION=NAME, e.g. 팀장=김철수", Printable(s))
	}
	return a, a.check()
}

func (a Approver) check() error {
	for _, f := range []struct{ name, v string }{{"approval position", a.Position}, {"approval name", a.Name}} {
		if err := checkText(f.name, f.v, MaxName); err != nil {
			return err
		}
		if Printable(f.v) != f.v {
			return invalid(f.name, "\"%s\" holds control characters; accepted: printable text", Printable(f.v))
		}
	}
	if a.Position == "" {
		return invalid("approval", "a place names no position; accepted: POSITION or POSITION=NAME")
	}
	return nil
}

// Chain is the approval chain a document shows: the profile's, with the
// drafter's name the person responsible when none is given; nil when the
// profile gives none.
func (o *Org) Chain() []Approver {
	if len(o.Approval) == 0 {
		return nil
	}
	out := slices.Clone(o.Approval)
	if out[0].Name == "" {
		out[0].Name = o.Person
	}
	// The representative signs as what they are: "대표이사 정신아" fills
	// the 대표이사 place.
	if pos, name, ok := strings.Cut(o.Representative, " "); ok {
		for i := range out {
			if out[i].Name == "" && out[i].Position == pos {
				out[i].Name = strings.TrimSpace(name)
			}
		}
	}
	return out
}

// OrgYear is a year's figures; nil: not given for that year.
type OrgYear struct {
	Revenue    *int64 `json:"revenue,omitempty"`
	DailyUsers *int64 `json:"daily_users,omitempty"`
}

// yearOf is the organisation's figures for year: the year's own where
// given, else the single ones.
func (o *Org) yearOf(year int) OrgYear {
	y := o.figures()
	if g, ok := o.Yearly[year]; ok {
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
	Name, Representative, Department, Person, Contact, Address, DocPrefix, Marking, Via *string
	// Revenue and DailyUsers: negative clears. Targets are merged in, a
	// kind mapped to "" cleared.
	Revenue, DailyUsers *int64
	Targets             map[string]string
	Zone                *string // "" clears
	// Yearly sets a year's figures (a negative one clears it).
	Yearly map[int]OrgYear
	// English sets English texts by field ("" clears one).
	English map[string]string
	// Approval replaces the approval chain (empty: back to the default).
	Approval *[]Approver
}

// check refuses a profile the law's conditions cannot read: a figure out
// of range, a year that is not one, a target that is not a duration of a
// "without delay" duty of rs, a zone that does not load. It is run on the
// profile as it would be saved, changes merged in, before anything is.
func (o *Org) check(rs *Regimes) error {
	if err := o.figures().check(""); err != nil {
		return err
	}
	for year, y := range o.Yearly {
		if year < 1900 || year > 9999 {
			return invalid("yearly", "%d is not a year; accepted: 1900 to 9999", year)
		}
		if err := y.check(fmt.Sprintf(" of %d", year)); err != nil {
			return err
		}
	}
	for kind, v := range o.Targets {
		if rs != nil && !rs.delayKind(kind) {
			return invalid("target", "%q is not a without-delay duty; accepted: %s", Printable(kind), strings.Join(rs.delayKinds(), ", "))
		}
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d <= 0) {
			return invalid("target", "%s=%q is not a duration; accepted: e.g. 30m, 1h", kind, Printable(v))
		}
	}
	if err := o.English.check(orgEnglish); err != nil {
		return err
	}
	if len(o.Approval) > MaxApprovers {
		return invalid("approval", "%d places; accepted: at most %d", len(o.Approval), MaxApprovers)
	}
	for _, a := range o.Approval {
		if err := a.check(); err != nil {
			return err
		}
	}
	if o.Zone != "" {
		if _, err := time.LoadLocation(o.Zone); err != nil || strings.EqualFold(o.Zone, "local") {
			return invalid("zone", "%q is not a time zone; accepted: an IANA name such as Asia/Seoul or America/New_York", Printable(o.Zone))
		}
	}
	return nil
}

// figures are the single figures, for the years not given.
func (o *Org) figures() OrgYear { return OrgYear{Revenue: o.Revenue, DailyUsers: o.DailyUsers} }

// check refuses a negative revenue and a count of users out of range;
// which says of which year.
func (y OrgYear) check(which string) error {
	if y.Revenue != nil && *y.Revenue < 0 {
		return invalid("revenue", "%d%s is negative; accepted: won, e.g. 10000000000", *y.Revenue, which)
	}
	if y.DailyUsers != nil && (*y.DailyUsers < 0 || *y.DailyUsers > MaxUsers) {
		return invalid("daily-users", "%d%s; accepted: a count of users, 0 to %d", *y.DailyUsers, which, int64(MaxUsers))
	}
	return nil
}

// setCount sets *dst to v when v is given: a negative v clears it.
func setCount(dst **int64, v *int64) {
	switch {
	case v == nil:
	case *v < 0:
		*dst = nil
	default:
		*dst = v
	}
}

// objectJSON is m as a JSON object, "{}" when empty (as stored).
func objectJSON[K comparable, V any](m map[K]V) string {
	if len(m) == 0 {
		return "{}"
	}
	return mustJSON(m)
}

func (o *Org) fields() []struct {
	name string
	v    *string
} {
	return []struct {
		name string
		v    *string
	}{{"name", &o.Name}, {"representative", &o.Representative}, {"department", &o.Department}, {"person", &o.Person},
		{"contact", &o.Contact}, {"address", &o.Address}, {"doc-prefix", &o.DocPrefix}, {"marking", &o.Marking}, {"via", &o.Via}}
}

func scanOrg(r scanner) (*Org, error) {
	var o Org
	var id int64
	var updated, targets, yearly, english, approval string
	if err := r.Scan(&id, &o.Name, &o.Representative, &o.Department, &o.Person, &o.Contact, &o.Address, &o.DocPrefix, &o.Marking, &updated,
		&o.Revenue, &o.DailyUsers, &targets, &o.Zone, &yearly, &o.Via, &english, &approval); err != nil {
		return nil, err
	}
	var err error
	if o.English, err = parseEnglish("org", english); err != nil {
		return nil, err
	}
	if approval != "" && approval != "[]" {
		if err := json.Unmarshal([]byte(approval), &o.Approval); err != nil {
			return nil, fmt.Errorf("org approval chain: %w", err)
		}
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
	o.Updated, err = parseTime(updated)
	return &o, err
}

func queryOrg(ctx context.Context, q querier) (*Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgEntity.cols(dialectOf(q))+` FROM org WHERE id = 1`))
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
	vals := []*string{ch.Name, ch.Representative, ch.Department, ch.Person, ch.Contact, ch.Address, ch.DocPrefix, ch.Marking, ch.Via}
	var out *Org
	err := s.withTx(ctx, func(t *txn) error {
		o, err := queryOrg(ctx, t)
		if err != nil {
			return err
		}
		return t.write(orgEntity, 1, "", func(row) error {
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
			setCount(&o.Revenue, ch.Revenue)
			setCount(&o.DailyUsers, ch.DailyUsers)
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
				o.Zone = strings.TrimSpace(*ch.Zone)
			}
			if o.English, err = o.English.merge(ch.English, orgEnglish); err != nil {
				return err
			}
			if ch.Approval != nil {
				o.Approval = *ch.Approval
			}
			for year, y := range ch.Yearly {
				if o.Yearly == nil {
					o.Yearly = map[int]OrgYear{}
				}
				g := o.Yearly[year]
				setCount(&g.Revenue, y.Revenue)
				setCount(&g.DailyUsers, y.DailyUsers)
				o.Yearly[year] = g
				if g.Revenue == nil && g.DailyUsers == nil {
					delete(o.Yearly, year)
				}
			}
			if err := o.check(rs); err != nil {
				return err
			}
			o.Updated = t.now
			if _, err := t.ExecContext(ctx, `INSERT INTO org (id, name, representative, department, person, contact, address, doc_prefix, marking, updated_at,
			revenue, daily_users, targets, zone, yearly, via, english, approval) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name=excluded.name,
			representative=excluded.representative, department=excluded.department, person=excluded.person, contact=excluded.contact,
			address=excluded.address, doc_prefix=excluded.doc_prefix, marking=excluded.marking, updated_at=excluded.updated_at,
			revenue=excluded.revenue, daily_users=excluded.daily_users, targets=excluded.targets, zone=excluded.zone, yearly=excluded.yearly, via=excluded.via,
			english=excluded.english, approval=excluded.approval`,
				o.Name, o.Representative, o.Department, o.Person, o.Contact, o.Address, o.DocPrefix, o.Marking, fmtTime(o.Updated),
				o.Revenue, o.DailyUsers, objectJSON(o.Targets), o.Zone, objectJSON(o.Yearly), o.Via, objectJSON(o.English), jsonList(o.Approval)); err != nil {
				return err
			}
			out = o
			return nil
		})
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
