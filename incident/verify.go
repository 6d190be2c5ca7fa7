package incident

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// Verification is what Verify found.
type Verification struct {
	Rows int64  `json:"rows"`
	Head string `json:"head"`
	// Problem names the first thing found wrong; empty when all is intact.
	Problem string `json:"problem,omitempty"`
	// HeadFound says whether the hash asked for is on the chain (only
	// when one was asked for).
	HeadFound *bool `json:"head_found,omitempty"`
}

// OK reports whether the chain is intact, agrees with the records, and
// holds the head asked for.
func (v *Verification) OK() bool {
	return v.Problem == "" && (v.HeadFound == nil || *v.HeadFound)
}

// Verify walks the history chain, checking every row's hash and link, then
// replays it against the live tables, so that a record changed, added or
// removed behind the store's back is found and named. When head is given,
// it must be the hash of a row on the chain: a hash printed earlier that
// is gone means the chain's tail was cut. It reads in one snapshot and
// keeps memory flat: both walks stream.
func (s *Store) Verify(ctx context.Context, head string) (*Verification, error) {
	v := &Verification{}
	err := s.read(ctx, func(q querier) error {
		if err := walkChain(ctx, q, v); err != nil {
			return err
		}
		if head != "" {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM history WHERE hash = ?`, head).Scan(&n); err != nil {
				return err
			}
			found := n > 0
			v.HeadFound = &found
		}
		if v.Problem != "" {
			return nil
		}
		p, err := replay(ctx, q)
		v.Problem = p
		return err
	})
	return v, mapErr(err)
}

func walkChain(ctx context.Context, q querier, v *Verification) error {
	rows, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return err
		}
		if v.Problem == "" {
			if p := checkLink(&c, v.Rows, v.Head); p != "" {
				v.Problem = p
			}
		}
		v.Rows++
		v.Head = c.Hash
	}
	return rows.Err()
}

// checkLink checks that c follows the row (n rows in, hash prev) before it.
func checkLink(c *Change, n int64, prev string) string {
	switch {
	case c.Seq != n+1:
		return fmt.Sprintf("history row %d follows row %d: rows are missing", c.Seq, n)
	case c.Prev != prev:
		return fmt.Sprintf("history row %d (%s): its link does not match the row before it", c.Seq, c.subject())
	case c.sum() != c.Hash:
		return fmt.Sprintf("history row %d (%s): its content does not match its hash", c.Seq, c.subject())
	}
	return ""
}

func (c *Change) subject() string {
	if c.Field == "*" {
		return fmt.Sprintf("%s %d created", c.Entity, c.RecordID)
	}
	return fmt.Sprintf("%s %d %s", c.Entity, c.RecordID, c.Field)
}

// checkChain checks a chain held in memory (an import file's).
func checkChain(cs []Change) error {
	prev := ""
	for i := range cs {
		if p := checkLink(&cs[i], int64(i), prev); p != "" {
			return errors.New(p)
		}
		prev = cs[i].Hash
	}
	return nil
}

// replay folds the history of each kind of record and compares it with
// the table, record by record: both are read in id order and merged.
func replay(ctx context.Context, q querier) (string, error) {
	for _, e := range entities {
		if p, err := replayEntity(ctx, q, e); p != "" || err != nil {
			return p, err
		}
	}
	return "", nil
}

// replayAll is replay as an error, for the import.
func replayAll(ctx context.Context, q querier) error {
	p, err := replay(ctx, q)
	if err == nil && p != "" {
		err = errors.New(p)
	}
	return err
}

func replayEntity(ctx context.Context, q querier, e *entity) (string, error) {
	live, err := q.QueryContext(ctx, `SELECT `+e.columns+` FROM `+e.table+` ORDER BY `+e.table+`.id`)
	if err != nil {
		return "", err
	}
	defer live.Close()
	hist, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history WHERE entity = ? ORDER BY record_id, seq`, e.name)
	if err != nil {
		return "", err
	}
	defer hist.Close()

	// next folds the history of the next record (id 0 when none is left).
	// A record not changed since its creation, as most events are, comes
	// back as its creation's text alone, to be compared as text.
	var pending *Change
	next := func() (id int64, cur row, created string, err error) {
		var first *Change
		for {
			if pending == nil {
				if !hist.Next() {
					break
				}
				c, err := scanChange(hist)
				if err != nil {
					return 0, nil, "", err
				}
				pending = &c
			}
			if id != 0 && pending.RecordID != id {
				break
			}
			id = pending.RecordID
			c := pending
			pending = nil
			if cur == nil && first == nil && c.Field == "*" && c.New != nil {
				first = c
				continue
			}
			if first != nil {
				if cur, err = fold(e, nil, first); err != nil {
					return 0, nil, "", errProblem{err.Error()}
				}
				first = nil
			}
			if cur, err = fold(e, cur, c); err != nil {
				return 0, nil, "", errProblem{err.Error()}
			}
		}
		if err := hist.Err(); err != nil {
			return 0, nil, "", err
		}
		if first != nil {
			return id, nil, *first.New, nil
		}
		return id, cur, "", nil
	}
	nextLive := func() (int64, row, error) {
		if !live.Next() {
			return 0, nil, live.Err()
		}
		r, err := scanRow(live, len(e.fields))
		if err != nil {
			return 0, nil, err
		}
		id, err := idOf(r)
		return id, r, err
	}

	hid, hrow, created, err := next()
	if err != nil {
		return asProblem(err)
	}
	lid, lrow, err := nextLive()
	if err != nil {
		return "", err
	}
	for hid != 0 || lid != 0 {
		switch {
		case lid != 0 && (hid == 0 || lid < hid):
			return fmt.Sprintf("%s %d is in the database but not in the history: added behind postmortem's back", e.name, lid), nil
		case hid != 0 && (lid == 0 || hid < lid):
			return fmt.Sprintf("%s %d is in the history but not in the database: deleted behind postmortem's back", e.name, hid), nil
		}
		if hrow == nil && lrow.json(e) != created {
			if hrow, err = rowFromJSON(e, created); err != nil {
				return fmt.Sprintf("%s %d: its creation in the history does not read: %v", e.name, hid, err), nil
			}
		}
		for i, f := range e.fields {
			if hrow != nil && hrow[i] != lrow[i] {
				return fmt.Sprintf("%s %d: %s is %s in the database but %s in the history: changed behind postmortem's back",
					e.name, lid, f, show(nullPtr(lrow[i])), show(nullPtr(hrow[i]))), nil
			}
		}
		if hid, hrow, created, err = next(); err != nil {
			return asProblem(err)
		}
		if lid, lrow, err = nextLive(); err != nil {
			return "", err
		}
	}
	return "", nil
}

func idOf(r row) (int64, error) { return strconv.ParseInt(r[0].String, 10, 64) }

// errProblem is a finding of the replay, not a failure to read.
type errProblem struct{ msg string }

func (e errProblem) Error() string { return e.msg }

func asProblem(err error) (string, error) {
	var p errProblem
	if errors.As(err, &p) {
		return p.msg, nil
	}
	return "", err
}

// History lists the changes of an incident, its events and its measures,
// oldest first.
func (s *Store) History(ctx context.Context, incidentID int64) ([]Change, error) {
	var out []Change
	err := s.read(ctx, func(q querier) error {
		if _, err := loadIncident(ctx, q, incidentID); err != nil {
			return err
		}
		var err error
		out, err = queryHistory(ctx, q, `WHERE incident_id = ?`, incidentID)
		return err
	})
	return out, err
}

func queryHistory(ctx context.Context, q querier, where string, args ...any) ([]Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history `+where+` ORDER BY seq`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []Change{}
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}
