package incident

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Due is one open obligation on the deadlines list: a deliverable of an
// order not yet submitted, a duty of an incident not yet met, or an action
// neither done nor dropped.
type Due struct {
	OrderID    int64 // 0 for a duty, and an action filed under an incident alone
	IncidentID int64 // 0 for an order-wide deliverable
	ActionID   int64 // 0 for a deliverable or a duty
	// Regime is set for a duty: an incident's own obligation under it.
	Regime   string
	Kind     string
	Text     string
	DueDate  Date
	Due      time.Time
	Overdue  bool
	DaysLeft int
}

// OpenDues lists every open deliverable of every order and every open
// action, soonest first, judged at now; actions' due dates are read in loc.
// With limit > 0 only the soonest limit are listed (what a screen shows);
// total counts them all. One read.
func (s *Store) OpenDues(ctx context.Context, rs *Regimes, now time.Time, loc *time.Location, limit int) (dues []Due, total int, err error) {
	err = s.read(ctx, func(q querier) error {
		dues, total, err = openDues(ctx, q, rs, now, loc, limit)
		return err
	})
	return dues, total, mapErr(err)
}

func openDues(ctx context.Context, q querier, rs *Regimes, now time.Time, loc *time.Location, limit int) ([]Due, int, error) {
	all, err := queryOrderClocks(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	// An order received after the moment asked about was not there yet.
	orders := all[:0]
	for _, o := range all {
		if !o.Received.After(DateOf(now, loc)) {
			orders = append(orders, o)
		}
	}
	duties, err := dutyDues(ctx, q, rs, orders, now, loc)
	if err != nil {
		return nil, 0, err
	}
	deliverables, err := orderDues(rs, orders, now, loc)
	if err != nil {
		return nil, 0, err
	}
	deliverables = append(deliverables, duties...)
	actions, err := actionDues(ctx, q, now, loc, limit)
	if err != nil {
		return nil, 0, err
	}
	dues := soonest(append(deliverables, actions...), limit)
	total := len(deliverables) + len(actions)
	if limit > 0 && len(actions) == limit {
		// More open measures than read: count them in the index.
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM actions INDEXED BY actions_open_due
			WHERE status IN ('planned','in-progress')`).Scan(&total); err != nil {
			return nil, 0, err
		}
		total += len(deliverables)
	}
	return dues, total, nil
}

// soonest is the first limit of dues by due time (all when limit is 0),
// those due at the same moment in the order given. It sorts their indexes,
// not the records, which are large.
func soonest(dues []Due, limit int) []Due {
	order := make([]int32, len(dues))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := dues[a].Due.Compare(dues[b].Due); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	out := make([]Due, len(order))
	for i, j := range order {
		out[i] = dues[j]
	}
	return out
}

// orderDues are the deliverables of every order not yet submitted, save
// those that run per incident: they are the incidents' duties (dutyDues),
// so the orders' deadlines are computed without their incidents.
func orderDues(rs *Regimes, orders []Order, now time.Time, loc *time.Location) ([]Due, error) {
	today := DateOf(now, loc)
	var out []Due
	for _, o := range orders {
		r, err := rs.Regime(o.Regime)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", &o, err)
		}
		for _, d := range r.Deadlines(&o, nil) {
			if d.Submitted != nil {
				continue
			}
			out = append(out, Due{OrderID: o.ID, Kind: d.Kind, Text: d.Name["en"],
				DueDate: d.DueDate, Due: d.Due, Overdue: d.Overdue(now), DaysLeft: today.DaysUntil(d.DueDate)})
		}
	}
	return out, nil
}

// dutyDues are the duties not yet met of every incident a regime binds:
// through its services in the catalogue, or an order that covers it.
func dutyDues(ctx context.Context, q querier, rs *Regimes, orders []Order, now time.Time, loc *time.Location) ([]Due, error) {
	cat, err := loadCatalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	var bound []string   // folded, as the query folds the incidents' names
	var since *time.Time // the earliest a regime was bound to one of them
	for name, svc := range cat {
		if len(svc.Regimes) > 0 {
			bound = append(bound, name)
		}
		for _, r := range svc.Regimes {
			if since == nil || r.Since.Before(*since) {
				at := r.Since
				since = &at
			}
		}
	}
	if len(bound) == 0 && len(orders) == 0 {
		return nil, nil
	}
	book, err := readDutyBook(ctx, q, rs, cat, orders, nil)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	// The incidents the orders cover, and those a bound regime may bind:
	// declared since it was first bound, or unresolved then (resolved
	// after, or not yet), and on a bound service; each found through an
	// index, not by reading every incident's services.
	if since == nil {
		rows, err = q.QueryContext(ctx, `SELECT `+summaryColumns+`, `+momentColumns+` FROM incidents
			WHERE id IN (SELECT incident_id FROM order_incidents) ORDER BY id`)
	} else {
		names, _ := json.Marshal(bound)
		rows, err = q.QueryContext(ctx, `SELECT `+summaryColumns+`, `+momentColumns+` FROM incidents WHERE id IN (
			SELECT incident_id FROM order_incidents
			UNION SELECT i.id FROM incidents i WHERE (i.created_at >= ?1 OR i.resolved_at >= ?1 OR i.resolved_at IS NULL)
				AND EXISTS (SELECT 1 FROM `+dialectOf(q).each("i.services", "s")+` WHERE lower(s.value) IN `+dialectOf(q).values("?2", "text")+`)) ORDER BY id`,
			fmtTime(*since), string(names))
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := DateOf(now, loc)
	var out []Due
	for rows.Next() {
		in, err := scanWithMoments(rows)
		if err != nil {
			return nil, err
		}
		for _, d := range in.duties(book.inputs(in)) {
			if d.Met != nil || d.NotRequired != nil {
				continue
			}
			out = append(out, Due{IncidentID: in.ID, Regime: d.Regime, Kind: d.Kind, Text: d.Name["en"],
				DueDate: d.DueDate, Due: d.Due, Overdue: d.Overdue(now), DaysLeft: today.DaysUntil(d.DueDate)})
		}
	}
	return out, rows.Err()
}

// actionDues are the open measures, soonest first by the date they are
// now due (a revised one, else the first) (the first limit when
// limit > 0), read through the partial index in its order: no sort of
// every open measure.
func actionDues(ctx context.Context, q querier, now time.Time, loc *time.Location, limit int) ([]Due, error) {
	page := ""
	if limit > 0 {
		page = fmt.Sprintf(" LIMIT %d", limit)
	}
	actions, err := queryActions(ctx, q, `INDEXED BY actions_open_due WHERE status IN ('planned','in-progress')`, `coalesce(revised_due, due), id`+page)
	if err != nil {
		return nil, err
	}
	today := DateOf(now, loc)
	out := make([]Due, 0, len(actions))
	for _, a := range actions {
		due := a.Due // a late measure given a new date is due then
		if a.RevisedDue != nil {
			due = *a.RevisedDue
		}
		end := due.AddDays(1).In(loc).Add(-time.Second)
		d := Due{ActionID: a.ID, Kind: string(a.Area), Text: a.Text, DueDate: due, Due: end, Overdue: now.After(end), DaysLeft: today.DaysUntil(due)}
		if a.OrderID != nil {
			d.OrderID = *a.OrderID
		}
		if a.IncidentID != nil {
			d.IncidentID = *a.IncidentID
		}
		out = append(out, d)
	}
	return out, nil
}
