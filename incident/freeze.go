package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Freeze is a window in which no work may go ahead on a service, or on
// every service of a group, unless someone overrides it with a reason.
type Freeze struct {
	ID int64
	// Scope is "service" or "group"; Target names it.
	Scope  string
	Target string
	Starts time.Time
	Ends   time.Time
	Reason string
	// Ended is when it was ended early, if it was.
	Ended     *time.Time
	Overrides []Override
	Created   time.Time
}

// Override is work let through the gate: when, by whom, on what, and why.
type Override struct {
	At       time.Time `json:"at"`
	Author   string    `json:"author"`
	Services []string  `json:"services"`
	Reason   string    `json:"reason"`
}

// ActiveAt reports whether the freeze blocks work at t.
func (f *Freeze) ActiveAt(t time.Time) bool {
	end := f.Ends
	if f.Ended != nil && f.Ended.Before(end) {
		end = *f.Ended
	}
	return !t.Before(f.Starts) && t.Before(end)
}

// validate checks and tidies a freeze, as added or imported: its scope
// and target, its reason, and an end after its start.
func (f *Freeze) validate() error {
	if f.Scope != "service" && f.Scope != "group" {
		return invalid("scope", "%q; accepted: --service NAME or --group NAME", f.Scope)
	}
	target, err := checkName(f.Scope, f.Target)
	if err != nil {
		return err
	}
	f.Target, f.Reason = target, strings.TrimSpace(f.Reason)
	if f.Reason == "" {
		return invalid("reason", "a freeze needs a reason, e.g. \"year-end traffic peak\"")
	}
	if err := checkText("reason", f.Reason, MaxText); err != nil {
		return err
	}
	f.Starts, f.Ends = f.Starts.UTC().Truncate(time.Second), f.Ends.UTC().Truncate(time.Second)
	if !f.Ends.After(f.Starts) {
		return invalid("to", "%s is not after the start (%s); a freeze ends after it begins",
			f.Ends.Format(time.RFC3339), f.Starts.Format(time.RFC3339))
	}
	return nil
}

// AddFreeze validates f and stores it, setting its ID.
func (s *Store) AddFreeze(ctx context.Context, f *Freeze) error {
	if err := f.validate(); err != nil {
		return err
	}
	return s.withTx(ctx, func(t *txn) error {
		if !f.Ends.After(t.now) {
			return invalid("to", "%s is already past; a freeze is for work still to come", f.Ends.Format(time.RFC3339))
		}
		f.Created = t.now
		var err error
		f.ID, err = t.create(freezeEntity, "", func() (int64, error) {
			return t.insertID(`INSERT INTO freezes (scope, target, starts_at, ends_at, reason, created_at) VALUES (?,?,?,?,?,?)`,
				f.Scope, f.Target, fmtTime(f.Starts), fmtTime(f.Ends), f.Reason, fmtTime(f.Created))
		})
		return err
	})
}

// EndFreeze ends freeze id now, before its planned end.
func (s *Store) EndFreeze(ctx context.Context, id int64) (*Freeze, error) {
	var out *Freeze
	err := s.withTx(ctx, func(t *txn) error {
		return t.change(freezeEntity, id, "", func(before row) error {
			f, err := scanFreeze(before)
			if err != nil {
				return err
			}
			if f.Ended != nil || !f.Ends.After(t.now) {
				return invalid("freeze", "freeze %d has already ended", id)
			}
			if _, err := t.ExecContext(ctx, `UPDATE freezes SET ended_at = ? WHERE id = ?`, fmtTime(t.now), id); err != nil {
				return err
			}
			now := t.now
			f.Ended, out = &now, f
			return nil
		})
	})
	return out, err
}

func scanFreeze(r scanner) (*Freeze, error) {
	var f Freeze
	var starts, ends, created, overrides string
	var ended sql.NullString
	if err := r.Scan(&f.ID, &f.Scope, &f.Target, &starts, &ends, &f.Reason, &ended, &created, &overrides); err != nil {
		return nil, err
	}
	var err error
	if f.Starts, err = parseTime(starts); err != nil {
		return nil, err
	}
	if f.Ends, err = parseTime(ends); err != nil {
		return nil, err
	}
	if f.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	if f.Ended, err = parseTimePtr(ended); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(overrides), &f.Overrides); err != nil {
		return nil, fmt.Errorf("freeze %d overrides: %w", f.ID, err)
	}
	return &f, nil
}

func queryFreezes(ctx context.Context, q querier, where string, args ...any) ([]Freeze, error) {
	return queryAll(ctx, q, scanFreeze, `SELECT `+freezeEntity.cols(dialectOf(q))+` FROM freezes `+where+` ORDER BY starts_at, id`, args...)
}

// Freezes lists the freezes not yet over at now (all of them with all),
// soonest first.
func (s *Store) Freezes(ctx context.Context, now time.Time, all bool) ([]Freeze, error) {
	var out []Freeze
	err := s.read(ctx, func(q querier) error {
		var err error
		if all {
			out, err = queryFreezes(ctx, q, ``)
		} else {
			out, err = queryFreezes(ctx, q, `WHERE ends_at > ? AND (ended_at IS NULL OR ended_at > ?)`, fmtTime(now), fmtTime(now))
		}
		return err
	})
	return out, err
}
