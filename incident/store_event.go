package incident

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	return s.withTx(ctx, func(t *txn) error {
		return insertEvent(t, e, e.Author)
	})
}

// insertEvent stores e; who made the change is who, or the store's author
// when who is empty (an import, a system entry).
func insertEvent(t *txn, e *Event, who string) error {
	// A write helper of its own, the commonest write: the event is read
	// back by the INSERT itself (RETURNING) and enters the history whole.
	t.writing++
	defer func() { t.writing-- }()
	var id any
	if e.ID != 0 {
		id = e.ID
	}
	const insert = `INSERT INTO events (id, incident_id, at, kind, text, author, recorded_at, retracted_at, retract_reason, notice)
		VALUES (?,?,?,?,?,?,?,?,?,?)`
	notice := sql.NullString{String: string(e.Notice), Valid: e.Notice != ""}
	if t.quiet {
		newID, err := t.insertID(insert, id, e.IncidentID, fmtTime(e.At), e.Kind, e.Text, e.Author,
			fmtTime(e.RecordedAt), fmtTimePtr(e.RetractedAt), e.RetractReason, notice)
		if err != nil {
			if isNotFound(mapErr(err)) {
				return notFound("incident", e.IncidentID)
			}
			return err
		}
		e.ID = newID
		return nil
	}
	// RETURNING hands back the canonical row the history needs, in the
	// same statement: no second read for the commonest write.
	after, err := scanRow(t.QueryRowContext(t.ctx, insert+` RETURNING `+eventEntity.cols(t.d), id, e.IncidentID,
		fmtTime(e.At), e.Kind, e.Text, e.Author, fmtTime(e.RecordedAt),
		fmtTimePtr(e.RetractedAt), e.RetractReason, notice), eventEntity, t.d)
	if err != nil {
		if isNotFound(mapErr(err)) {
			return notFound("incident", e.IncidentID)
		}
		return err
	}
	if e.ID, err = idOf(after); err != nil {
		return err
	}
	return t.created(eventEntity, e.ID, after, who)
}

// EditEvent reads event id of incident incidentID, lets change edit its
// time, kind or text, validates and stores it; the earlier wording stays in
// the history. System entries and retracted events cannot be edited.
func (s *Store) EditEvent(ctx context.Context, incidentID, id int64, change func(*Event) error) (*Event, error) {
	var out *Event
	err := s.withTx(ctx, func(t *txn) error {
		return t.changeEvent(incidentID, id, func(e *Event) error {
			if e.Kind == KindSystem {
				return invalid("event", "event %d is a system entry: it records a change and cannot be edited", id)
			}
			if e.RetractedAt != nil {
				return invalid("event", "event %d is retracted; log a new event instead", id)
			}
			if err := change(e); err != nil {
				return err
			}
			e.At = e.At.Truncate(time.Second)
			if err := e.Validate(t.now); err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `UPDATE events SET at=?, kind=?, text=?, notice=? WHERE id=?`,
				fmtTime(e.At), e.Kind, e.Text, sql.NullString{String: string(e.Notice), Valid: e.Notice != ""}, id); err != nil {
				return err
			}
			out = e
			return nil
		})
	})
	return out, err
}

// RetractEvent marks an event retracted, with the reason; it stays on the
// timeline, shown struck out.
func (s *Store) RetractEvent(ctx context.Context, incidentID, id int64, reason string) (*Event, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, invalid("reason", "a retraction needs a reason; give --reason TEXT")
	}
	if err := checkText("reason", reason, MaxText); err != nil {
		return nil, err
	}
	var out *Event
	err := s.withTx(ctx, func(t *txn) error {
		return t.changeEvent(incidentID, id, func(e *Event) error {
			if e.RetractedAt != nil {
				return fmt.Errorf("event %d was retracted already: %w", id, ErrConflict)
			}
			e.RetractedAt, e.RetractReason = &t.now, reason
			if _, err := t.ExecContext(ctx, `UPDATE events SET retracted_at=?, retract_reason=? WHERE id=?`,
				fmtTime(t.now), reason, id); err != nil {
				return err
			}
			t.reason = reason
			out = e
			return nil
		})
	})
	return out, err
}

// changeEvent changes one event of an incident inside a write, through
// change: write edits the event as read, and stores it.
func (t *txn) changeEvent(incidentID, id int64, write func(e *Event) error) error {
	return t.change(eventEntity, id, "", func(before row) error {
		e, err := scanEvent(before)
		if err != nil {
			return err
		}
		if e.IncidentID != incidentID {
			return fmt.Errorf("event %d is not on incident %d: %w", id, incidentID, ErrNotFound)
		}
		return write(e)
	})
}

func scanEvent(r scanner) (*Event, error) {
	var e Event
	var at, rec string
	var retracted, notice sql.NullString
	if err := r.Scan(&e.ID, &e.IncidentID, &at, &e.Kind, &e.Text, &e.Author, &rec, &retracted, &e.RetractReason, &notice); err != nil {
		return nil, err
	}
	e.Notice = Notice(notice.String)
	var err error
	if e.At, err = parseTime(at); err != nil {
		return nil, err
	}
	if e.RecordedAt, err = parseTime(rec); err != nil {
		return nil, err
	}
	if e.RetractedAt, err = parseTimePtr(retracted); err != nil {
		return nil, err
	}
	return &e, nil
}

func queryEvents(ctx context.Context, q querier, incidentID int64) ([]Event, error) {
	return queryAll(ctx, q, scanEvent, `SELECT `+eventEntity.cols(dialectOf(q))+` FROM events WHERE incident_id = ? ORDER BY at, id`, incidentID)
}
