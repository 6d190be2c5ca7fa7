package incident

import (
	"context"
	"database/sql"
	"time"
)

// ActionFilter narrows Actions; zero fields match everything.
type ActionFilter struct {
	IncidentID int64
	OrderID    int64
	// OpenOnly keeps actions neither done nor dropped.
	OpenOnly bool
}

// AddAction validates a and stores it; it sets a.ID.
func (s *Store) AddAction(ctx context.Context, a *Action) error {
	if a.Status == "" {
		a.Status = ActionPlanned
	}
	if err := a.Validate(); err != nil {
		return err
	}
	a.Created = s.now().UTC().Truncate(time.Second)
	return s.withTx(ctx, func(tx *sql.Tx) error { return insertAction(ctx, tx, a) })
}

func insertAction(ctx context.Context, tx *sql.Tx, a *Action) error {
	var id any
	if a.ID != 0 {
		id = a.ID
	}
	var done any
	if a.DoneOn != nil {
		done = a.DoneOn.String()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO actions (id, incident_id, order_id, area, text, owner, due, status, evidence, done_on, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, id, a.IncidentID, a.OrderID, a.Area, a.Text, a.Owner, a.Due.String(),
		a.Status, a.Evidence, done, fmtTime(a.Created))
	if err != nil {
		if isNotFound(mapErr(err)) {
			if a.IncidentID != nil {
				return notFound("incident", *a.IncidentID)
			}
			return notFound("order", *a.OrderID)
		}
		return err
	}
	a.ID, err = res.LastInsertId()
	return err
}

// UpdateAction reads action id, lets change edit it, validates and stores
// it in one transaction. Marking it done stamps DoneOn with today (in loc)
// unless change set it.
func (s *Store) UpdateAction(ctx context.Context, id int64, loc *time.Location, change func(*Action) error) (*Action, error) {
	var out *Action
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		as, err := queryActions(ctx, tx, `WHERE id = ?`, `id`, id)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return notFound("action", id)
		}
		a := as[0]
		if err := change(&a); err != nil {
			return err
		}
		a.ID = id
		if a.Status == ActionDone && a.DoneOn == nil {
			d := DateOf(s.now(), loc)
			a.DoneOn = &d
		}
		if a.Status != ActionDone {
			a.DoneOn = nil
		}
		if err := a.Validate(); err != nil {
			return err
		}
		var done any
		if a.DoneOn != nil {
			done = a.DoneOn.String()
		}
		_, err = tx.ExecContext(ctx, `UPDATE actions SET area=?, text=?, owner=?, due=?, status=?, evidence=?, done_on=? WHERE id=?`,
			a.Area, a.Text, a.Owner, a.Due.String(), a.Status, a.Evidence, done, id)
		out = &a
		return err
	})
	return out, err
}

// OrderActions lists the measures answering an order: the actions filed
// under it and those of the incidents it covers, by due date, then id.
func (s *Store) OrderActions(ctx context.Context, o *Order) ([]Action, error) {
	where, args := "WHERE order_id = ?", []any{o.ID}
	for _, id := range o.Incidents {
		where += " OR incident_id = ?"
		args = append(args, id)
	}
	return queryActions(ctx, s.db, where, `due, id`, args...)
}

// Actions lists action items by due date, then id.
func (s *Store) Actions(ctx context.Context, f ActionFilter) ([]Action, error) {
	where, args := "WHERE 1=1", []any{}
	if f.IncidentID != 0 {
		where += " AND incident_id = ?"
		args = append(args, f.IncidentID)
	}
	if f.OrderID != 0 {
		where += " AND order_id = ?"
		args = append(args, f.OrderID)
	}
	if f.OpenOnly {
		where += " AND status IN ('planned','in-progress')"
	}
	return queryActions(ctx, s.db, where, `due, id`, args...)
}

func queryActions(ctx context.Context, q querier, where, orderBy string, args ...any) ([]Action, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, incident_id, order_id, area, text, owner, due, status, evidence, done_on, created_at
		FROM actions `+where+` ORDER BY `+orderBy, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var (
			a            Action
			inc, ord     sql.NullInt64
			due, created string
			done         sql.NullString
		)
		if err := rows.Scan(&a.ID, &inc, &ord, &a.Area, &a.Text, &a.Owner, &due, &a.Status, &a.Evidence, &done, &created); err != nil {
			return nil, mapErr(err)
		}
		if inc.Valid {
			a.IncidentID = &inc.Int64
		}
		if ord.Valid {
			a.OrderID = &ord.Int64
		}
		if a.Due, err = ParseDate("due", due); err != nil {
			return nil, err
		}
		if done.Valid {
			d, err := ParseDate("done", done.String)
			if err != nil {
				return nil, err
			}
			a.DoneOn = &d
		}
		if a.Created, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}
