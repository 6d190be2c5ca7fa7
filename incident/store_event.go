package incident

import (
	"context"
	"database/sql"
	"time"
)

// AddEvent validates e and appends it to its incident's timeline; it sets
// e.ID and e.RecordedAt. The event is on disk when AddEvent returns.
func (s *Store) AddEvent(ctx context.Context, e *Event) error {
	now := s.now()
	e.At = e.At.Truncate(time.Second)
	if err := e.Validate(now); err != nil {
		return err
	}
	e.RecordedAt = now.UTC().Truncate(time.Second)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		return insertEvent(ctx, tx, e)
	})
}

func insertEvent(ctx context.Context, tx *sql.Tx, e *Event) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO events (incident_id, at, kind, text, author, recorded_at)
		VALUES (?,?,?,?,?,?)`, e.IncidentID, fmtTime(e.At), e.Kind, e.Text, e.Author, fmtTime(e.RecordedAt))
	if err != nil {
		if isNotFound(mapErr(err)) {
			return notFound("incident", e.IncidentID)
		}
		return err
	}
	e.ID, err = res.LastInsertId()
	return err
}

// UpdateEvent rewrites the time, kind and text of a stored event.
func (s *Store) UpdateEvent(ctx context.Context, e *Event) error {
	e.At = e.At.Truncate(time.Second)
	if err := e.Validate(s.now()); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE events SET at=?, kind=?, text=? WHERE id=? AND incident_id=?`,
			fmtTime(e.At), e.Kind, e.Text, e.ID, e.IncidentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("event", e.ID)
		}
		return nil
	})
}

// Events lists an incident's timeline, oldest first (ties in the order
// they were entered).
func (s *Store) Events(ctx context.Context, incidentID int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, incident_id, at, kind, text, author, recorded_at
		FROM events WHERE incident_id = ? ORDER BY at, id`, incidentID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at, rec string
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.Kind, &e.Text, &e.Author, &rec); err != nil {
			return nil, mapErr(err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if e.RecordedAt, err = parseTime(rec); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}
