package incident

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// Touched tells a screen that the record changed since it last looked: the
// incidents and orders touched, and whether anything else was (a service,
// a freeze, the organisation), which may change what any screen shows.
type Touched struct {
	Incidents []int64
	Orders    []int64
	Other     bool
}

// Touches reports whether the change may alter what a screen of incident
// id shows.
func (c Touched) Touches(id int64) bool {
	return c.Other || len(c.Orders) > 0 || slices.Contains(c.Incidents, id)
}

// feedEvery is how often the feed looks: a screen is current within it.
const feedEvery = 250 * time.Millisecond

// Changes reports each change committed to the database, by this process
// or another, until ctx ends; then the channel is closed. SQLite says
// cheaply whether anything was committed since it last asked (PRAGMA
// data_version, on a connection of the feed's own); only then are the new
// history rows read, by their key, to say what changed. Changes close
// together come as one. A reader that falls behind gets them merged, never
// blocks a writer.
func (s *Store) Changes(ctx context.Context) (<-chan Touched, error) {
	db, err := sql.Open("sqlite3", dsn(s.path, s.access(), "deferred", 256))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, mapErr(err)
	}
	var version, last int64
	q := conn.QueryRowContext(ctx, `SELECT (SELECT data_version FROM pragma_data_version), (SELECT coalesce(max(seq), 0) FROM history)`)
	if err := q.Scan(&version, &last); err != nil {
		conn.Close()
		db.Close()
		return nil, mapErr(err)
	}
	out := make(chan Touched, 1)
	go func() {
		defer db.Close()
		defer conn.Close()
		defer close(out)
		t := time.NewTicker(feedEvery)
		defer t.Stop()
		var pending *Touched
		for {
			var send chan<- Touched
			if pending != nil {
				send = out
			}
			select {
			case <-ctx.Done():
				return
			case send <- derefTouched(pending):
				pending = nil
			case <-t.C:
				var v int64
				if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil || v == version {
					continue
				}
				version = v
				c, seq, err := changesSince(ctx, conn, last)
				if err != nil {
					continue
				}
				last = seq
				if pending == nil {
					pending = &Touched{}
				}
				pending.merge(c)
			}
		}
	}()
	return out, nil
}

func derefTouched(c *Touched) Touched {
	if c == nil {
		return Touched{}
	}
	return *c
}

// merge adds c's changes to x's.
func (x *Touched) merge(c Touched) {
	for _, id := range c.Incidents {
		if !slices.Contains(x.Incidents, id) {
			x.Incidents = append(x.Incidents, id)
		}
	}
	for _, id := range c.Orders {
		if !slices.Contains(x.Orders, id) {
			x.Orders = append(x.Orders, id)
		}
	}
	x.Other = x.Other || c.Other
}

// changesSince reads what the history rows after seq touched, and the
// last seq read. A commit that wrote no history (a migration) is Other.
func changesSince(ctx context.Context, conn *sql.Conn, seq int64) (Touched, int64, error) {
	rows, err := conn.QueryContext(ctx, `SELECT seq, entity, record_id, incident_id FROM history WHERE seq > ? ORDER BY seq`, seq)
	if err != nil {
		return Touched{}, seq, err
	}
	defer rows.Close()
	var c Touched
	last := seq
	for rows.Next() {
		var entity string
		var record int64
		var in sql.NullInt64
		if err := rows.Scan(&last, &entity, &record, &in); err != nil {
			return Touched{}, seq, err
		}
		switch {
		case in.Valid:
			c.merge(Touched{Incidents: []int64{in.Int64}})
		case entity == orderEntity.name:
			c.merge(Touched{Orders: []int64{record}})
		default:
			c.Other = true
		}
	}
	if last == seq {
		c.Other = true
	}
	return c, last, rows.Err()
}
