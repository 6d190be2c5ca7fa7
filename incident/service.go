package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Service is an entry of the service catalogue: who owns it, which groups
// of services it shares a fate with (a data centre, a load balancer), and
// which regimes bind it. A regime attached to a service runs its duties for
// every incident on the service from the moment it is declared.
type Service struct {
	ID    int64
	Name  string
	Owner string
	// PublicName is the service as users know it (in the notices they
	// read); "" to use Name.
	PublicName string
	Groups     []string
	Regimes    []ServiceRegime
	// Class is basic (기간통신역무) or value-added (부가통신역무); Fee is
	// paid or free; DailyUsers its average daily users (the law counts
	// the last three months of the year before). "" and nil: unknown, and
	// then no exemption of the law that asks for it is granted.
	Class      string
	Fee        string
	DailyUsers *int64
	Created    time.Time
	Updated    time.Time
}

// ServiceRegime is a regime bound to a service since a moment: it binds
// incidents declared from then on, and those still unresolved then.
type ServiceRegime struct {
	ID    string    `json:"regime"`
	Since time.Time `json:"since"`
}

// RegimeIDs lists the regimes that bind the service.
func (s *Service) RegimeIDs() []string {
	ids := make([]string, len(s.Regimes))
	for i, r := range s.Regimes {
		ids[i] = r.ID
	}
	return ids
}

// ServiceChange is what `service set` changes; a nil field stays as it is.
type ServiceChange struct {
	Owner      *string
	PublicName *string
	Groups     []string // replaces the groups when SetGroups
	Regimes    []string // replaces the regimes when SetRegimes
	Class, Fee *string  // "" clears
	DailyUsers *int64   // negative clears
	// SetGroups and SetRegimes say the lists above were given (an empty
	// list clears).
	SetGroups, SetRegimes bool
}

// checkName refuses a service or group name that cannot be named on a
// command line list: empty, with a comma, or with control characters.
func checkName(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(field, "must not be empty")
	}
	if err := checkText(field, s, MaxName); err != nil {
		return "", err
	}
	if strings.ContainsRune(s, ',') {
		return "", invalid(field, "%q holds a comma; accepted: a name without commas (lists are comma-separated)", s)
	}
	if Printable(s) != s {
		return "", invalid(field, "\"%s\" holds control characters; accepted: printable text", Printable(s))
	}
	return s, nil
}

// uniqueNames checks names and drops repeats, as the catalogue tells
// names apart (case and surrounding space aside), keeping the first
// spelling and the order given: "talk, Talk , pc" is talk and pc.
func uniqueNames(field string, names []string) ([]string, error) {
	seen := map[string]bool{}
	out := make([]string, 0, len(names))
	for _, n := range names {
		n, err := checkName(field, n)
		if err != nil {
			return nil, err
		}
		if k := foldName(n); !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out, nil
}

func cleanNames(field string, names []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, n := range names {
		n, err := checkName(field, n)
		if err != nil {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// SetService creates the service called name, or changes it, as ch says;
// regimes are checked against rs. It reports whether it was created.
// cleanServiceTexts trims and checks a service's owner and public name
// (either may be nil, not given); a public name, shown to users, holds no
// control characters.
func cleanServiceTexts(owner, publicName *string) error {
	if owner != nil {
		*owner = strings.TrimSpace(*owner)
		if err := checkText("owner", *owner, MaxName); err != nil {
			return err
		}
	}
	if publicName != nil {
		*publicName = strings.TrimSpace(*publicName)
		if err := checkText("public-name", *publicName, MaxName); err != nil {
			return err
		}
		if Printable(*publicName) != *publicName {
			return invalid("public-name", "\"%s\" holds control characters; accepted: printable text", Printable(*publicName))
		}
	}
	return nil
}

func (s *Store) SetService(ctx context.Context, name string, ch ServiceChange, rs *Regimes) (*Service, bool, error) {
	name, err := checkName("service", name)
	if err != nil {
		return nil, false, err
	}
	if err := cleanServiceTexts(ch.Owner, ch.PublicName); err != nil {
		return nil, false, err
	}
	groups, err := cleanNames("group", ch.Groups)
	if err != nil {
		return nil, false, err
	}
	var regimes []string
	for _, id := range ch.Regimes {
		id = strings.TrimSpace(id)
		if _, err := rs.Regime(id); err != nil {
			return nil, false, err
		}
		regimes = append(regimes, id)
	}
	if err := checkServiceFacts(ch.Class, ch.Fee, ch.DailyUsers); err != nil {
		return nil, false, err
	}
	var out *Service
	var created bool
	err = s.withTx(ctx, func(t *txn) error {
		svc, err := serviceNamed(ctx, t, name)
		if err != nil && !isNotFound(err) {
			return err
		}
		if svc == nil {
			created = true
			svc = &Service{Name: name, Groups: []string{}, Created: t.now}
		}
		svc.Updated = t.now
		if ch.Owner != nil {
			svc.Owner = *ch.Owner
		}
		if ch.PublicName != nil {
			svc.PublicName = *ch.PublicName
		}
		if ch.SetGroups {
			svc.Groups = groups
		}
		if ch.SetRegimes {
			svc.Regimes = keepSince(svc.Regimes, regimes, t.now)
		}
		if ch.Class != nil {
			svc.Class = *ch.Class
		}
		if ch.Fee != nil {
			svc.Fee = *ch.Fee
		}
		if ch.DailyUsers != nil {
			svc.DailyUsers = ch.DailyUsers
			if *ch.DailyUsers < 0 {
				svc.DailyUsers = nil
			}
		}
		regs := mustJSON(regimeMap(svc.Regimes))
		out = svc
		if created {
			svc.ID, err = t.create(serviceEntity, "", func() (int64, error) {
				return t.insertID(`INSERT INTO services (name, owner, groups, regimes, created_at, updated_at, public_name, class, fee, daily_users)
				VALUES (?,?,?,?,?,?,?,?,?,?)`, svc.Name, svc.Owner, jsonList(svc.Groups), regs, fmtTime(svc.Created), fmtTime(svc.Updated), svc.PublicName,
					svc.Class, svc.Fee, svc.DailyUsers)
			})
			return err
		}
		return t.change(serviceEntity, svc.ID, "", func(row) error {
			_, err := t.ExecContext(ctx, `UPDATE services SET owner=?, groups=?, regimes=?, updated_at=?, public_name=?, class=?, fee=?, daily_users=?
			WHERE id=?`, svc.Owner, jsonList(svc.Groups), regs, fmtTime(svc.Updated), svc.PublicName, svc.Class, svc.Fee, svc.DailyUsers, svc.ID)
			return err
		})
	})
	return out, created, err
}

// checkServiceFacts refuses a class, a fee or a count of users the law's
// conditions cannot read; nil fields were not given.
func checkServiceFacts(class, fee *string, users *int64) error {
	if class != nil {
		*class = strings.ToLower(strings.TrimSpace(*class))
		if *class != "" && !slices.Contains(ServiceClasses, *class) {
			return invalid("class", "%q; accepted: %s (or \"\" for unknown)", Printable(*class), strings.Join(ServiceClasses, ", "))
		}
	}
	if fee != nil {
		*fee = strings.ToLower(strings.TrimSpace(*fee))
		if *fee != "" && !slices.Contains(ServiceFees, *fee) {
			return invalid("fee", "%q; accepted: %s (or \"\" for unknown)", Printable(*fee), strings.Join(ServiceFees, ", "))
		}
	}
	if users != nil && *users > MaxUsers {
		return invalid("daily-users", "%d is more than %d; accepted: a count of users", *users, int64(MaxUsers))
	}
	return nil
}

// keepSince is the regimes named in ids, each keeping the moment it was
// first attached if it already was, else attached now.
func keepSince(had []ServiceRegime, ids []string, now time.Time) []ServiceRegime {
	since := map[string]time.Time{}
	for _, r := range had {
		since[r.ID] = r.Since
	}
	var out []ServiceRegime
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		t, ok := since[id]
		if !ok {
			t = now
		}
		out = append(out, ServiceRegime{ID: id, Since: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func regimeMap(rs []ServiceRegime) map[string]string {
	m := make(map[string]string, len(rs))
	for _, r := range rs {
		m[r.ID] = fmtTime(r.Since)
	}
	return m
}

// mustJSON is v as JSON, for values that always marshal (maps of strings).
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func scanService(r scanner) (*Service, error) {
	var svc Service
	var groups, regimes, created, updated string
	if err := r.Scan(&svc.ID, &svc.Name, &svc.Owner, &groups, &regimes, &created, &updated, &svc.PublicName,
		&svc.Class, &svc.Fee, &svc.DailyUsers); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(groups), &svc.Groups); err != nil {
		return nil, fmt.Errorf("service %s groups: %w", svc.Name, err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(regimes), &m); err != nil {
		return nil, fmt.Errorf("service %s regimes: %w", svc.Name, err)
	}
	for id, since := range m {
		t, err := parseTime(since)
		if err != nil {
			return nil, fmt.Errorf("service %s regime %s: %w", svc.Name, id, err)
		}
		svc.Regimes = append(svc.Regimes, ServiceRegime{ID: id, Since: t})
	}
	sort.Slice(svc.Regimes, func(i, j int) bool { return svc.Regimes[i].ID < svc.Regimes[j].ID })
	var err error
	if svc.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	if svc.Updated, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &svc, nil
}

func serviceNamed(ctx context.Context, q querier, name string) (*Service, error) {
	svc, err := scanService(q.QueryRowContext(ctx, `SELECT `+serviceEntity.cols(dialectOf(q))+` FROM services WHERE lower(name) = lower(?)`, name))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("service %q: %w (service set %s adds it)", name, ErrNotFound, name)
	}
	return svc, mapErr(err)
}

func queryServices(ctx context.Context, q querier) ([]Service, error) {
	return queryAll(ctx, q, scanService, `SELECT `+serviceEntity.cols(dialectOf(q))+` FROM services ORDER BY name`)
}

// Service returns the catalogue entry called name.
func (s *Store) Service(ctx context.Context, name string) (*Service, error) {
	var svc *Service
	err := s.read(ctx, func(q querier) error {
		var err error
		svc, err = serviceNamed(ctx, q, strings.TrimSpace(name))
		return err
	})
	return svc, err
}

// Services lists the catalogue, by name.
func (s *Store) Services(ctx context.Context) ([]Service, error) {
	var out []Service
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryServices(ctx, q)
		return err
	})
	return out, err
}

// catalogue is the services by name, for the duties and the gate. A name
// is one name whatever its case (Java-API is java-api): keys are folded.
type catalogue map[string]*Service

// foldName is a service or group name as everything compares it: without
// its surrounding space, the letters A to Z in lower case, every other
// character as written. It is the rule SQL's lower() and COLLATE NOCASE
// follow, so a query and the catalogue never disagree about a name
// ("Java-API" is "java-api"; "카카오톡 PC" is "카카오톡 pc"; "Été" is "été"
// only in its E).
func foldName(name string) string {
	name = strings.TrimSpace(name)
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' {
			b := []byte(name)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return name
}

// lookup finds the service called name, whatever its case.
func (c catalogue) lookup(name string) (*Service, bool) {
	svc, ok := c[foldName(name)]
	return svc, ok
}

// PublicNames are the names users know the services by, as the catalogue
// gives them, in the order given.
func (c catalogue) publicNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if svc, ok := c.lookup(n); ok && svc.PublicName != "" {
			out[i] = svc.PublicName
		}
	}
	return out
}

func loadCatalogue(ctx context.Context, q querier) (catalogue, error) {
	svcs, err := queryServices(ctx, q)
	if err != nil {
		return nil, err
	}
	return newCatalogue(svcs), nil
}

// newCatalogue keys services by their folded names, as lookup finds them.
func newCatalogue(svcs []Service) catalogue {
	c := make(catalogue, len(svcs))
	for i := range svcs {
		c[foldName(svcs[i].Name)] = &svcs[i]
	}
	return c
}

// regimesOf lists the regimes that bind incident in through its services:
// each attached before the incident was declared, or while it was still
// unresolved. Sorted, without repeats.
func (c catalogue) regimesOf(in *Incident) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range in.Services {
		svc, ok := c.lookup(name)
		if !ok {
			continue
		}
		for _, r := range svc.Regimes {
			binds := !in.CreatedAt.Before(r.Since) || in.ResolvedAt == nil || in.ResolvedAt.After(r.Since)
			if binds && !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// reach is the services that share a fate with names: themselves, and
// every service in a group one of them belongs to. It also gives the groups
// of names.
func (c catalogue) reach(names []string) (services, groups []string) {
	in := map[string]string{} // folded → as named
	gs := map[string]bool{}
	for _, n := range names {
		in[foldName(n)] = n
		if svc, ok := c.lookup(n); ok {
			in[foldName(n)] = svc.Name
			for _, g := range svc.Groups {
				gs[foldName(g)] = true
			}
		}
	}
	for _, svc := range c {
		for _, g := range svc.Groups {
			if gs[foldName(g)] {
				in[foldName(svc.Name)] = svc.Name
			}
		}
	}
	for _, n := range in {
		services = append(services, n)
	}
	sort.Strings(services)
	return services, sortedKeys(gs)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// names lists the catalogue's services by name.
func (c catalogue) names() []string {
	out := make([]string, 0, len(c))
	for _, svc := range c {
		out = append(out, svc.Name)
	}
	sort.Strings(out)
	return out
}
