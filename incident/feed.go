package incident

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
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
// or another, until ctx ends; then the channel is closed. Only when the
// engine says something was committed are the new history rows read, by
// their key, to say what changed: SQLite says it cheaply when asked (PRAGMA
// data_version, on a connection of the feed's own, every feedEvery);
// PostgreSQL says it unasked (LISTEN, a notice sent by the history's
// trigger as each transaction commits). Changes close together come as
// one. A reader that falls behind gets them merged, never blocks a writer.
func (s *Store) Changes(ctx context.Context) (<-chan Touched, error) {
	var last int64
	if err := s.rdb.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM history`).Scan(&last); err != nil {
		return nil, mapErr(err)
	}
	pokes, err := s.hub.subscribe(ctx, s.commits)
	if err != nil {
		return nil, err
	}
	out := make(chan Touched, 1)
	go func() {
		defer close(out)
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
			case _, ok := <-pokes:
				if !ok {
					return
				}
				c, seq, err := changesSince(ctx, s.rdb, last)
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

// hub shares one watch on the database among all the feeds of a store
// and of the copies As and Viewer make: one connection that polls or
// listens, however many screens a server has open. It runs while anyone
// listens.
type hub struct {
	mu  sync.Mutex
	cur *watch
}

// watch is one run of the store's commits, and who hears it.
type watch struct {
	cancel context.CancelFunc
	subs   map[chan struct{}]bool
}

// subscribe pokes the channel it returns for each commit, until ctx ends;
// start begins the shared watch when no one else has.
func (h *hub) subscribe(ctx context.Context, start func(context.Context) (<-chan struct{}, error)) (<-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	w := h.cur
	if w == nil {
		wctx, cancel := context.WithCancel(context.Background())
		pokes, err := start(wctx)
		if err != nil {
			cancel()
			return nil, err
		}
		w = &watch{cancel: cancel, subs: map[chan struct{}]bool{}}
		h.cur = w
		go func() {
			for range pokes {
				h.mu.Lock()
				for c := range w.subs {
					poke(c)
				}
				h.mu.Unlock()
			}
			h.mu.Lock()
			for c := range w.subs {
				close(c)
			}
			w.subs = nil
			if h.cur == w {
				h.cur = nil
			}
			h.mu.Unlock()
		}()
	}
	c := make(chan struct{}, 1)
	w.subs[c] = true
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		defer h.mu.Unlock()
		if w.subs[c] {
			delete(w.subs, c)
			close(c)
		}
		if len(w.subs) == 0 && h.cur == w {
			w.cancel()
			h.cur = nil
		}
	}()
	return c, nil
}

// stop ends the shared watch (the store is closing).
func (h *hub) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur != nil {
		h.cur.cancel()
		h.cur = nil
	}
}

// commits pokes once for each commit seen (several may come as one), until
// ctx ends.
func (s *Store) commits(ctx context.Context) (<-chan struct{}, error) {
	if s.d.pg {
		return s.pgCommits(ctx)
	}
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
	var version int64
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		conn.Close()
		db.Close()
		return nil, mapErr(err)
	}
	pokes := make(chan struct{}, 1)
	go func() {
		defer db.Close()
		defer conn.Close()
		defer close(pokes)
		t := time.NewTicker(feedEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				var v int64
				if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil || v == version {
					continue
				}
				version = v
				poke(pokes)
			}
		}
	}()
	return pokes, nil
}

// pgCommits listens on a connection of its own for the notices the
// history's trigger sends; a lost connection is made again.
func (s *Store) pgCommits(ctx context.Context) (<-chan struct{}, error) {
	listen := func() (*pgx.Conn, error) {
		conn, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return nil, err
		}
		if _, err := conn.Exec(ctx, `LISTEN postmortem_history`); err != nil {
			conn.Close(context.Background())
			return nil, err
		}
		return conn, nil
	}
	conn, err := listen()
	if err != nil {
		return nil, mapErr(err)
	}
	pokes := make(chan struct{}, 1)
	go func() {
		defer close(pokes)
		defer func() {
			if conn != nil {
				conn.Close(context.Background())
			}
		}()
		for ctx.Err() == nil {
			if conn == nil {
				if conn, err = listen(); err != nil {
					conn = nil
					select {
					case <-ctx.Done():
					case <-time.After(feedEvery):
					}
					continue
				}
				poke(pokes) // what was missed meanwhile
			}
			if _, err := conn.WaitForNotification(ctx); err != nil {
				conn.Close(context.Background())
				conn = nil
				continue
			}
			poke(pokes)
		}
	}()
	return pokes, nil
}

// poke sends on pokes unless one is already waiting.
func poke(pokes chan struct{}) {
	select {
	case pokes <- struct{}{}:
	default:
	}
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
func changesSince(ctx context.Context, q querier, seq int64) (Touched, int64, error) {
	var c Touched
	last := seq
	err := eachRow(ctx, q, `SELECT seq, entity, record_id, incident_id FROM history WHERE seq > ? ORDER BY seq`, []any{seq}, func(r scanner) error {
		var entity string
		var record int64
		var in sql.NullInt64
		if err := r.Scan(&last, &entity, &record, &in); err != nil {
			return err
		}
		switch {
		case in.Valid:
			c.merge(Touched{Incidents: []int64{in.Int64}})
		case entity == orderEntity.name:
			c.merge(Touched{Orders: []int64{record}})
		default:
			c.Other = true
		}
		return nil
	})
	if err != nil {
		return Touched{}, seq, err
	}
	if last == seq {
		c.Other = true
	}
	return c, last, nil
}
