package incident

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Due is one open obligation on the deadlines list: a deliverable of an
// order not yet submitted, or an action neither done nor dropped.
type Due struct {
	OrderID    int64 // 0 for an action filed under an incident alone
	IncidentID int64 // 0 for an order-wide deliverable
	ActionID   int64 // 0 for a deliverable
	Kind       string
	Text       string
	DueDate    Date
	Due        time.Time
	Overdue    bool
	DaysLeft   int
}

// OpenDues lists every open deliverable of every order and every open
// action, soonest first, judged at now; actions' due dates are read in loc.
func (s *Store) OpenDues(ctx context.Context, rs *Regimes, now time.Time, loc *time.Location) ([]Due, error) {
	var out []Due
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = openDues(ctx, q, rs, now, loc)
		return err
	})
	return out, err
}

func openDues(ctx context.Context, q querier, rs *Regimes, now time.Time, loc *time.Location) ([]Due, error) {
	orders, err := queryOrders(ctx, q)
	if err != nil {
		return nil, err
	}
	today := DateOf(now, loc)
	var out []Due
	for _, o := range orders {
		r, err := rs.Regime(o.Regime)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", &o, err)
		}
		cov, err := covered(ctx, liveSource{q}, &o)
		if err != nil {
			return nil, err
		}
		for _, d := range r.Deadlines(&o, cov) {
			if d.Submitted != nil {
				continue
			}
			out = append(out, Due{OrderID: o.ID, IncidentID: d.IncidentID, Kind: d.Kind, Text: d.Name["en"],
				DueDate: d.DueDate, Due: d.Due, Overdue: d.Overdue(now), DaysLeft: today.DaysUntil(d.DueDate)})
		}
	}
	actions, err := queryActions(ctx, q, `WHERE status IN ('planned','in-progress')`, `due, id`)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		end := a.Due.AddDays(1).In(loc).Add(-time.Second)
		d := Due{ActionID: a.ID, Kind: string(a.Area), Text: a.Text, DueDate: a.Due, Due: end, Overdue: now.After(end), DaysLeft: today.DaysUntil(a.Due)}
		if a.OrderID != nil {
			d.OrderID = *a.OrderID
		}
		if a.IncidentID != nil {
			d.IncidentID = *a.IncidentID
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out, nil
}
