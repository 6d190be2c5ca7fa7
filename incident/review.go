package incident

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Window is the span of time a review looks at, [From, To), and its name.
type Window struct {
	From, To time.Time
	Label    string
	quarter  bool
}

var quarterRE = regexp.MustCompile(`^(\d{4})[- ]?[Qq]([1-4])$`)

// ParseQuarter reads "2024Q2" (also "2024-Q2"): April to June 2024, from
// the start of its first day to the start of the next quarter, in loc.
func ParseQuarter(s string, loc *time.Location) (Window, error) {
	m := quarterRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Window{}, invalid("quarter", "%q is not a quarter; accepted: YYYYQn, e.g. 2024Q2", s)
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	return quarterWindow(y, q, loc), nil
}

func quarterWindow(y, q int, loc *time.Location) Window {
	from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, loc)
	return Window{From: from, To: from.AddDate(0, 3, 0), Label: fmt.Sprintf("%dQ%d", y, q), quarter: true}
}

// DaysWindow is from's first moment to the end of to, in loc.
func DaysWindow(from, to Date, loc *time.Location) (Window, error) {
	if to.Before(from) {
		return Window{}, invalid("to", "%s is before --from %s", to, from)
	}
	return Window{From: from.In(loc), To: to.AddDays(1).In(loc), Label: from.String() + " ~ " + to.String()}, nil
}

// Previous is the window before: the quarter before a quarter, else the
// same number of days just before.
func (w Window) Previous() Window {
	if w.quarter {
		from := w.From.AddDate(0, -3, 0)
		y, m, _ := from.Date()
		return quarterWindow(y, (int(m)-1)/3+1, w.From.Location())
	}
	days := int(math.Round(w.To.Sub(w.From).Hours() / 24))
	from := w.From.AddDate(0, 0, -days)
	return Window{From: from, To: w.From, Label: DateOf(from, from.Location()).String() + " ~ " + DateOf(w.From.Add(-time.Second), from.Location()).String()}
}

// LastDay is the window's last day.
func (w Window) LastDay() Date { return DateOf(w.To.Add(-time.Second), w.To.Location()) }

// ReviewFilter narrows a review to services, or to a group of services.
type ReviewFilter struct {
	Services []string
	Group    string
	// AsOf judges the window at another moment than its end (a review
	// held weeks later counts the measures done since); zero: its end.
	AsOf time.Time
}

// Stat sums up one duration across incidents, in minutes.
type Stat struct {
	N            int
	Median, Mean float64
	Worst        float64
	WorstID      int64
	WorstTitle   string
	Values       []float64 // sorted, for the distribution
}

// Count is how many of something.
type Count struct {
	Name  string
	Count int
	// Minutes is the outage minutes of those incidents, where it applies.
	Minutes float64
}

// ReviewIncident is an incident as a review lists it.
type ReviewIncident struct {
	ID       int64
	Title    string
	Severity Severity
	Started  time.Time
	Minutes  float64 // outage, start to resolution; -1 while unresolved
}

// MeasureCount counts measures under one area or owner.
type MeasureCount struct {
	Name                  string
	Opened, Done, Overdue int
}

// add counts m's measures in c.
func (c *MeasureCount) add(m MeasureCount) {
	c.Opened += m.Opened
	c.Done += m.Done
	c.Overdue += m.Overdue
}

// DutyLine is a duty or deliverable due in the window and where it stood
// at the window's end: met (on time), late, or open.
type DutyLine struct {
	IncidentID int64 // 0 for an order's deliverable
	OrderID    int64
	Kind       string
	Name       map[string]string
	Due        time.Time
	Status     string // met, late, open, waived
}

// Summary is the figures a review compares with the window before.
type Summary struct {
	Incidents     int
	OutageMinutes float64
	MedianMinutes float64
	MedianResolve float64
}

// Review is a window's incidents as a quarterly review meeting looks at
// them.
type Review struct {
	Window   Window
	Filter   ReviewFilter
	JudgedAt time.Time
	// Head is the history head of the state the review was read from.
	Head string

	Incidents  int
	Unresolved int
	BySeverity []Count
	ByService  []Count
	ByMonth    []Count // "2024-05"; Minutes is outage minutes
	ByCause    []Count
	ByTag      []Count

	OutageMinutes float64
	// ShareMinutes is minutes × share of users affected, summed where the
	// share is known; UserMinutes minutes × users where the count is (the
	// FCC's measure), and UserMinutesKnown how many incidents had it.
	ShareMinutes     float64
	UserMinutes      float64
	UserMinutesKnown int

	Duration, Detect, Mitigate, Resolve Stat

	Longest []ReviewIncident
	Chains  [][]ReviewIncident

	Measures        MeasureCount
	MeasuresByArea  []MeasureCount
	MeasuresByOwner []MeasureCount
	Duties          []DutyLine
	DutyCounts      map[string]int

	Previous Summary
	Current  Summary
}

// narrow is the few columns a review reads of an incident.
// narrowColumns are what a review reads of an incident: a listing's
// columns (its times, and when it was entered, which binds regimes), its
// cause category and tags.
const narrowColumns = summaryColumns + `, cause_category, tags, ` + momentColumns

// scanNarrow reads narrowColumns into in.
func scanNarrow(r scanner, in *Incident) error {
	var tags, cause string
	var m [2]sql.NullString
	if err := scanSummaryInto(r, in, &cause, &tags, &m[0], &m[1]); err != nil {
		return err
	}
	if err := in.fillMoments(m); err != nil {
		return err
	}
	in.CauseCategory = cause
	var err error
	in.Tags, err = readStrings(tags, nil)
	return err
}

// startedIn is the incidents started in w: ins are in the order they
// started (windowIncidents reads them so, and only those with a start),
// so they are one run of it, found by halving and shared, not copied. An
// incident without a start would sort last, past every window.
func startedIn(ins []Incident, w Window) []Incident {
	after := func(t time.Time) func(int) bool {
		return func(i int) bool { return ins[i].StartedAt == nil || !ins[i].StartedAt.Before(t) }
	}
	from, to := sort.Search(len(ins), after(w.From)), sort.Search(len(ins), after(w.To))
	return ins[from:to:to]
}

// windowIncidents reads the incidents started in w (the started_at index
// gives the range), narrowed by f.
func windowIncidents(ctx context.Context, q querier, w Window, f ReviewFilter, cat catalogue) ([]Incident, error) {
	keep := f.matcher(cat)
	// Counted first, from the index alone, so the list is made once.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM incidents INDEXED BY incidents_review WHERE started_at >= ? AND started_at < ?`,
		fmtTime(w.From), fmtTime(w.To)).Scan(&n); err != nil {
		return nil, mapErr(err)
	}
	out := make([]Incident, 0, n)
	err := eachRow(ctx, q, `SELECT `+narrowColumns+` FROM incidents INDEXED BY incidents_review
		WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id`, []any{fmtTime(w.From), fmtTime(w.To)}, func(r scanner) error {
		out = append(out, Incident{})
		in := &out[len(out)-1]
		err := scanNarrow(r, in)
		if err == nil && !(keep(in) && in.Counted()) {
			out = out[:len(out)-1]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// matcher keeps the incidents on the filter's services, or on a service
// of its group (names compared whatever their case).
func (f ReviewFilter) matcher(cat catalogue) func(*Incident) bool {
	if len(f.Services) == 0 && f.Group == "" {
		return func(*Incident) bool { return true }
	}
	want := map[string]bool{}
	for _, s := range f.Services {
		want[foldName(s)] = true
	}
	if f.Group != "" {
		for _, svc := range cat {
			for _, g := range svc.Groups {
				if foldName(g) == foldName(f.Group) {
					want[foldName(svc.Name)] = true
				}
			}
		}
	}
	return func(in *Incident) bool {
		for _, s := range in.Services {
			if want[foldName(s)] {
				return true
			}
		}
		return false
	}
}

// Review reads the window's figures in one read, judged at the window's
// end (or now, if that is still to come).
func (s *Store) Review(ctx context.Context, w Window, f ReviewFilter, rs *Regimes) (*Review, error) {
	r := &Review{Window: w, Filter: f, JudgedAt: w.To.Add(-time.Second)}
	if !f.AsOf.IsZero() {
		if f.AsOf.Before(w.From) {
			return nil, invalid("as-of", "%s is before the window begins (%s); a review is judged at its end or later",
				f.AsOf.In(w.From.Location()).Format("2006-01-02 15:04"), w.From.Format("2006-01-02"))
		}
		r.JudgedAt = f.AsOf
	}
	if now := s.now(); now.Before(r.JudgedAt) {
		r.JudgedAt = now
	}
	err := s.read(ctx, func(q querier) error {
		cat, err := loadCatalogue(ctx, q)
		if err != nil {
			return err
		}
		// The history head of the state the review reads, for its end.
		if r.Head, _, err = (liveSource{q}).head(ctx); err != nil {
			return err
		}
		// One read covers the window, the one before it, and the four
		// months before it in which a duty falling due in it may start.
		early := Window{From: w.From.AddDate(0, -4, 0), To: w.To}
		span := early
		if pf := w.Previous().From; pf.Before(span.From) {
			span.From = pf
		}
		all, err := windowIncidents(ctx, q, span, f, cat)
		if err != nil {
			return err
		}
		ins := startedIn(all, w)
		r.tally(ins, r.JudgedAt)
		if err := r.chains(ctx, q, ins); err != nil {
			return err
		}
		var p Review
		p.tally(startedIn(all, w.Previous()), w.From)
		r.Previous = p.Current
		if err := r.measures(ctx, q, ins, f); err != nil {
			return err
		}
		return r.duties(ctx, q, rs, cat, early, startedIn(all, early))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// tally counts and sums the incidents, at the moment at (unresolved ones
// count their outage up to it).
func (r *Review) tally(ins []Incident, at time.Time) {
	r.Incidents = len(ins)
	sev, svc, month, cause, tag := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	add := func(m map[string]*Count, name string, minutes float64) {
		c, ok := m[name]
		if !ok {
			c = &Count{Name: name}
			m[name] = c
		}
		c.Count++
		c.Minutes += minutes
	}
	var dur, det, mit, res []stat
	for i := range ins {
		in := &ins[i]
		minutes := 0.0
		if in.StartedAt != nil {
			end := at
			if in.ResolvedAt != nil && !in.ResolvedAt.After(at) {
				end = *in.ResolvedAt
			} else {
				r.Unresolved++
			}
			minutes = math.Max(0, end.Sub(*in.StartedAt).Minutes())
		}
		r.OutageMinutes += minutes
		if in.UsersAffectedPct != nil {
			r.ShareMinutes += minutes * *in.UsersAffectedPct / 100
		}
		if in.UsersAffected != nil {
			r.UserMinutes += minutes * float64(*in.UsersAffected)
			r.UserMinutesKnown++
		}
		add(sev, string(in.Severity), minutes)
		for _, s := range in.Services {
			add(svc, s, minutes)
		}
		if in.StartedAt != nil {
			add(month, in.StartedAt.In(r.Window.From.Location()).Format("2006-01"), minutes)
		}
		c := in.CauseCategory
		if c == "" {
			c = "unknown"
		}
		add(cause, c, minutes)
		for _, t := range in.Tags {
			add(tag, t, minutes)
		}
		f := in.Figures()
		resolved := in.ResolvedAt != nil && !in.ResolvedAt.After(at)
		if resolved && f.Outage != nil {
			dur = append(dur, stat{f.Outage.Minutes(), in})
		}
		if f.TimeToDetect != nil {
			det = append(det, stat{f.TimeToDetect.Minutes(), in})
		}
		if f.TimeToMitigate != nil && !in.MitigatedAt.After(at) {
			mit = append(mit, stat{f.TimeToMitigate.Minutes(), in})
		}
		if resolved && f.TimeToResolve != nil {
			res = append(res, stat{f.TimeToResolve.Minutes(), in})
		}
		r.keepLongest(ReviewIncident{ID: in.ID, Title: in.Title, Severity: in.Severity, Started: derefTime(in.StartedAt), Minutes: minutes})
	}
	r.BySeverity = sortedCounts(sev, func(a, b Count) bool { return a.Name < b.Name })
	for _, s := range Severities {
		if _, ok := sev[string(s)]; !ok {
			r.BySeverity = append(r.BySeverity, Count{Name: string(s)})
		}
	}
	sort.Slice(r.BySeverity, func(i, j int) bool { return r.BySeverity[i].Name < r.BySeverity[j].Name })
	r.ByService = sortedCounts(svc, byCountThenName)
	r.ByMonth = r.months(month)
	r.ByCause = sortedCounts(cause, byCountThenName)
	r.ByTag = sortedCounts(tag, byCountThenName)
	r.Duration, r.Detect, r.Mitigate, r.Resolve = summarize(dur), summarize(det), summarize(mit), summarize(res)
	r.Current = Summary{Incidents: r.Incidents, OutageMinutes: r.OutageMinutes, MedianMinutes: r.Duration.Median, MedianResolve: r.Resolve.Median}
}

// keepLongest keeps x if it is among the five longest outages tallied so
// far, which are kept longest first and, of equal ones, first tallied
// first.
func (r *Review) keepLongest(x ReviewIncident) {
	const keep = 5
	i := len(r.Longest)
	for i > 0 && r.Longest[i-1].Minutes < x.Minutes {
		i--
	}
	if i == keep {
		return
	}
	r.Longest = slices.Insert(r.Longest, i, x)
	if len(r.Longest) > keep {
		r.Longest = r.Longest[:keep]
	}
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// months lists every month of the window, those without incidents too.
func (r *Review) months(m map[string]*Count) []Count {
	var out []Count
	loc := r.Window.From.Location()
	for t := r.Window.From; t.Before(r.Window.To); t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc) {
		name := t.Format("2006-01")
		if c, ok := m[name]; ok {
			out = append(out, *c)
		} else {
			out = append(out, Count{Name: name})
		}
		if len(out) > 60 {
			break // a window of years: months beyond five years are not drawn
		}
	}
	return out
}

type stat struct {
	minutes float64
	in      *Incident
}

func summarize(v []stat) Stat {
	if len(v) == 0 {
		return Stat{}
	}
	// Equal figures keep the order tallied (of start, then number), so
	// the worst is the last of them to start: said as a tie-break rather
	// than by a stable sort, which moves each record far more often.
	slices.SortFunc(v, func(a, b stat) int {
		if c := cmp.Compare(a.minutes, b.minutes); c != 0 {
			return c
		}
		if c := derefTime(a.in.StartedAt).Compare(derefTime(b.in.StartedAt)); c != 0 {
			return c
		}
		return cmp.Compare(a.in.ID, b.in.ID)
	})
	s := Stat{N: len(v)}
	sum := 0.0
	for _, x := range v {
		sum += x.minutes
		s.Values = append(s.Values, x.minutes)
	}
	s.Mean = sum / float64(len(v))
	if n := len(v); n%2 == 1 {
		s.Median = v[n/2].minutes
	} else {
		s.Median = (v[n/2-1].minutes + v[n/2].minutes) / 2
	}
	worst := v[len(v)-1]
	s.Worst, s.WorstID, s.WorstTitle = worst.minutes, worst.in.ID, worst.in.Title
	return s
}

func sortedCounts(m map[string]*Count, less func(a, b Count) bool) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

func byCountThenName(a, b Count) bool {
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	return a.Name < b.Name
}

// chains are the window's incidents linked as related (either way), each
// chain in the order they started: 05-20 → 05-21.
func (r *Review) chains(ctx context.Context, q querier, ins []Incident) error {
	if len(ins) < 2 {
		return nil
	}
	parent := map[int64]int64{}
	var find func(int64) int64
	find = func(x int64) int64 {
		if p, ok := parent[x]; ok && p != x {
			root := find(p)
			parent[x] = root
			return root
		}
		return x
	}
	// Links are few: those between two incidents started in the window
	// are read through the links, not by naming the window's incidents
	// (a list of thousands). A filter's incidents are a part of those.
	var counted map[int64]bool // ins, made when a link is found
	linked := map[int64]bool{}
	from, to := fmtTime(r.Window.From), fmtTime(r.Window.To)
	if err := eachRow(ctx, q, `SELECT r.incident_id, r.related_id FROM related r
		JOIN incidents a ON a.id = r.incident_id JOIN incidents b ON b.id = r.related_id
		WHERE a.started_at >= ?1 AND a.started_at < ?2 AND b.started_at >= ?1 AND b.started_at < ?2`,
		[]any{from, to}, func(rs scanner) error {
			var a, b int64
			if err := rs.Scan(&a, &b); err != nil {
				return err
			}
			if counted == nil {
				counted = make(map[int64]bool, len(ins))
				for i := range ins {
					counted[ins[i].ID] = true
				}
			}
			if !counted[a] || !counted[b] {
				return nil
			}
			linked[a], linked[b] = true, true
			if ra, rb := find(a), find(b); ra != rb {
				parent[ra] = rb
			}
			return nil
		}); err != nil {
		return err
	}
	groups := map[int64][]ReviewIncident{}
	for _, in := range ins {
		if !linked[in.ID] {
			continue
		}
		root := find(in.ID)
		minutes := -1.0
		if f := in.Figures(); f.Outage != nil {
			minutes = f.Outage.Minutes()
		}
		groups[root] = append(groups[root], ReviewIncident{ID: in.ID, Title: in.Title, Severity: in.Severity, Started: derefTime(in.StartedAt), Minutes: minutes})
	}
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool { return g[i].Started.Before(g[j].Started) })
		r.Chains = append(r.Chains, g)
	}
	sort.Slice(r.Chains, func(i, j int) bool { return r.Chains[i][0].Started.Before(r.Chains[j][0].Started) })
	return nil
}

// measures counts the measures set in the window (by the plan that set
// them, for an order's), done in it, and overdue at its end, by area and by owner: SQL aggregates over the
// measures (of the window's incidents, when the review is narrowed).
func (r *Review) measures(ctx context.Context, q querier, ins []Incident, f ReviewFilter) error {
	from, to := fmtTime(r.Window.From), fmtTime(r.Window.To)
	endDay := DateOf(r.JudgedAt, r.Window.From.Location()).String()
	firstDay, lastDay := DateOf(r.Window.From, r.Window.From.Location()).String(), r.Window.LastDay().String()
	where, args := "", []any{from, to, firstDay, lastDay, endDay, endDay}
	if len(f.Services) > 0 || f.Group != "" {
		ids := make([]int64, len(ins))
		for i := range ins {
			ids[i] = ins[i].ID
		}
		list, _ := json.Marshal(ids)
		where = ` WHERE actions.incident_id IN ` + dialectOf(q).values("?", "int")
		args = append(args, string(list))
	}
	// One pass, counted by area and owner together and summed each way
	// here: the measures of all time are read once, not once a list.
	// A measure is set the day its order's plan set it (the plan
	// submitted before it was typed in, as after the fact), else the day
	// it was recorded.
	rows, err := q.QueryContext(ctx, `SELECT actions.area, actions.owner,
		sum(CASE WHEN (CASE WHEN plan.submitted_on IS NOT NULL AND plan.submitted_on < substr(actions.created_at, 1, 10)
			THEN plan.submitted_on >= ?3 AND plan.submitted_on <= ?4
			ELSE actions.created_at >= ?1 AND actions.created_at < ?2 END) THEN 1 ELSE 0 END),
		sum(CASE WHEN actions.status = 'done' AND actions.done_on >= ?3 AND actions.done_on <= ?4 THEN 1 ELSE 0 END),
		sum(CASE WHEN actions.due < ?5 AND (actions.status IN ('planned','in-progress') OR (actions.status = 'done' AND actions.done_on > ?6)) THEN 1 ELSE 0 END)
		FROM actions LEFT JOIN submissions plan ON plan.order_id = actions.order_id AND plan.kind = 'improvement-plan'`+
		where+` GROUP BY actions.area, actions.owner ORDER BY actions.area, actions.owner`, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	owners := map[string]*MeasureCount{}
	for rows.Next() {
		var area string
		var m MeasureCount
		if err := rows.Scan(&area, &m.Name, &m.Opened, &m.Done, &m.Overdue); err != nil {
			return mapErr(err)
		}
		if m.Opened+m.Done+m.Overdue == 0 {
			continue
		}
		if n := len(r.MeasuresByArea); n == 0 || r.MeasuresByArea[n-1].Name != area {
			r.MeasuresByArea = append(r.MeasuresByArea, MeasureCount{Name: area})
		}
		r.MeasuresByArea[len(r.MeasuresByArea)-1].add(m)
		if owners[m.Name] == nil {
			owners[m.Name] = &MeasureCount{Name: m.Name}
		}
		owners[m.Name].add(m)
		r.Measures.add(m)
	}
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	for _, m := range owners {
		r.MeasuresByOwner = append(r.MeasuresByOwner, *m)
	}
	slices.SortFunc(r.MeasuresByOwner, func(a, b MeasureCount) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// duties lists the duties of incidents and the deliverables of orders
// due in the window, as they stood at its end; ins are the incidents
// started in span, from four months before it (a duty falls due at most
// months after its clock starts).
func (r *Review) duties(ctx context.Context, q querier, rs *Regimes, cat catalogue, span Window, ins []Incident) error {
	r.DutyCounts = map[string]int{}
	if rs == nil {
		return nil
	}
	orders, err := queryOrderClocks(ctx, q)
	if err != nil {
		return err
	}
	// The duty marks and notices of those incidents, in two reads.
	book, err := readDutyBook(ctx, q, rs, cat, orders, &span)
	if err != nil {
		return mapErr(err)
	}
	at := r.JudgedAt
	keep := func(d DutyLine) {
		if d.Due.Before(r.Window.From) || !d.Due.Before(r.Window.To) {
			return
		}
		r.Duties = append(r.Duties, d)
		r.DutyCounts[d.Status]++
	}
	for i := range ins {
		in := &ins[i]
		x := book.inputs(in)
		if len(x.regimes) == 0 {
			continue
		}
		for _, d := range in.duties(x) {
			if d.NotRequired != nil {
				continue // the law does not ask it: out of the figures
			}
			if d.Met != nil && d.Met.After(at) {
				d.Met, d.Waived = nil, false
			}
			status := d.Status(at)
			switch status {
			case "overdue":
				status = "open"
			}
			keep(DutyLine{IncidentID: in.ID, Kind: d.Kind, Name: d.Name, Due: d.Due, Status: status})
		}
	}
	for i := range orders {
		o := &orders[i]
		reg, err := rs.Regime(o.Regime)
		if err != nil {
			continue
		}
		// Its deliverables of the order as a whole: those per incident are
		// the incidents' duties, above.
		for _, d := range reg.Deadlines(o, nil) {
			status := "open"
			if d.Submitted != nil && !d.Submitted.After(DateOf(at, reg.loc)) {
				status = "met"
				if d.Late() {
					status = "late"
				}
			}
			keep(DutyLine{OrderID: o.ID, Kind: d.Kind, Name: d.Name, Due: d.Due, Status: status})
		}
	}
	sort.SliceStable(r.Duties, func(i, j int) bool { return r.Duties[i].Due.Before(r.Duties[j].Due) })
	return nil
}

// ReviewZone is where a review counts its days when no zone is asked
// for: the organisation's zone, else the one zone of the regimes its
// catalogue is bound by, else the default regime's: a Korean review of
// 2024Q2 counts 2024-04-01 00:30 KST in Q2 on a server kept in UTC.
func (s *Store) ReviewZone(ctx context.Context, rs *Regimes) (*time.Location, error) {
	var org *Org
	var cat catalogue
	err := s.read(ctx, func(q querier) error {
		var err error
		if org, err = queryOrg(ctx, q); err != nil {
			return err
		}
		cat, err = loadCatalogue(ctx, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	if org.Zone != "" {
		if loc, err := time.LoadLocation(org.Zone); err == nil {
			return loc, nil
		}
	}
	zones := map[string]*time.Location{}
	for _, svc := range cat {
		for _, id := range svc.RegimeIDs() {
			if r, err := rs.Regime(id); err == nil {
				zones[r.Location().String()] = r.Location()
			}
		}
	}
	if len(zones) == 1 {
		for _, loc := range zones {
			return loc, nil
		}
	}
	r, err := rs.Regime(DefaultRegime)
	if err != nil {
		return nil, err
	}
	return r.Location(), nil
}
