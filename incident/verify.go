package incident

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Verification is what Verify found.
type Verification struct {
	Rows int64  `json:"rows"`
	Head string `json:"head"`
	// Problem names the first thing found wrong; empty when all is intact.
	Problem string `json:"problem,omitempty"`
	// HeadFound says whether the hash asked for is on the chain (only
	// when one was asked for); HeadProblem says what became of it.
	HeadFound   *bool  `json:"head_found,omitempty"`
	HeadProblem string `json:"head_problem,omitempty"`
	// Seals are the seals on the chain, oldest first, as checked against
	// the keys given (none checked when no key was given).
	Seals []SealCheck `json:"seals,omitempty"`
}

// OK reports whether the chain is intact, agrees with the records, and
// holds the head asked for.
func (v *Verification) OK() bool {
	if v.Problem != "" || (v.HeadFound != nil && !*v.HeadFound) {
		return false
	}
	for _, sc := range v.Seals {
		if sc.Problem != "" {
			return false
		}
	}
	return true
}

// Verify walks the history chain, checking every row's hash and link and
// that its time moves forward and is not in the future, then replays it
// against the live tables, so that a record changed, added or removed
// behind the store's back is found and named; the history's append-only
// guard must be in place. When head is given (HASH or ROWS:HASH, as
// verify printed them), it must be the hash of a row on the chain: a hash
// printed earlier that is gone means the chain was cut or rewritten. With
// keys, every seal on the chain must be signed by one of them and its
// head still be on the chain; a history rewritten by someone who can write
// the file, its hashes recomputed, fails there. It reads in one snapshot
// and keeps memory flat: both walks stream.
func (s *Store) Verify(ctx context.Context, head string, keys ...ed25519.PublicKey) (*Verification, error) {
	want, err := ParseHead(head)
	if err != nil {
		return nil, err
	}
	v := &Verification{}
	err = s.read(ctx, func(q querier) error {
		last, err := lastSeq(ctx, q)
		if err != nil {
			return err
		}
		// The replay reads the same history as the walk, on a second
		// connection at once (a core each); it counts only if its read
		// began on the same last row, else it runs again here, after.
		rctx, cancel := context.WithCancel(ctx)
		replayed := make(chan replayResult, 1)
		go func() { replayed <- s.replayAlongside(rctx, last) }()
		received := false
		defer func() { // no read outlives Verify
			cancel()
			if !received {
				<-replayed
			}
		}()
		seals, found, err := walkChain(ctx, q, v, s.now().UTC(), want.Hash)
		if err != nil {
			return err
		}
		if want.Hash != "" {
			if err := checkHead(ctx, q, v, want, found, seals); err != nil {
				return err
			}
		}
		if len(keys) > 0 {
			if err := checkSeals(ctx, q, v, seals, keys); err != nil {
				return err
			}
		}
		if v.Problem == "" {
			p, err := checkGuard(ctx, q)
			if err != nil {
				return err
			}
			v.Problem = p
		}
		if v.Problem == "" {
			// The order records carry each archive's hash (replayed below
			// against the history); the bytes must still have it.
			p, err := checkArchives(ctx, q)
			if err != nil {
				return err
			}
			v.Problem = p
		}
		if v.Problem != "" {
			return nil
		}
		r := <-replayed
		received = true
		if r.err == nil && r.same {
			v.Problem = r.problem
			return nil
		}
		p, err := replay(ctx, q)
		v.Problem = p
		return err
	})
	return v, mapErr(err)
}

type replayResult struct {
	problem string
	same    bool // its read began on the walk's last row
	err     error
}

// replayAlongside replays the records in a read of its own, if that read
// sees the history ending at row last.
func (s *Store) replayAlongside(ctx context.Context, last int64) replayResult {
	var r replayResult
	r.err = s.read(ctx, func(q querier) error {
		seen, err := lastSeq(ctx, q)
		if err != nil || seen != last {
			return err
		}
		r.same = true
		r.problem, err = replay(ctx, q)
		return err
	})
	return r
}

// lastSeq is the last row of the history, 0 when it is empty; reading it
// begins a read transaction's view.
func lastSeq(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM history`).Scan(&n)
	return n, err
}

// Head is a place on the chain as verify prints it: the hash of its last
// row and, when known, the number of rows up to it.
type Head struct {
	Rows int64
	Hash string
}

// ParseHead reads HASH or ROWS:HASH (hex in either case); "" is no head.
func ParseHead(s string) (Head, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Head{}, nil
	}
	var h Head
	if n, hash, ok := strings.Cut(s, ":"); ok {
		rows, err := strconv.ParseInt(n, 10, 64)
		if err != nil || rows < 1 {
			return h, invalid("head", "%q: %q is not a row count; accepted: HASH or ROWS:HASH, as verify printed them", s, n)
		}
		h.Rows, s = rows, hash
	}
	if _, err := hex.DecodeString(s); err != nil || len(s) != 64 {
		return h, invalid("head", "%q is not a head hash; accepted: the 64 hex digits verify printed (or ROWS:HASH)", s)
	}
	h.Hash = s
	return h, nil
}

// checkHead says whether want is on the chain (at row seq, 0 if the walk
// did not meet it), and if not, what became of it: rows removed, or the
// history rewritten (and since which seal).
func checkHead(ctx context.Context, q querier, v *Verification, want Head, seq int64, seals []Change) error {
	found := seq > 0 && (want.Rows == 0 || seq == want.Rows)
	v.HeadFound = &found
	if found {
		return nil
	}
	short := want.Hash[:12]
	switch {
	case want.Rows == 0:
		v.HeadProblem = fmt.Sprintf("head %s is not on the chain: the history was cut or rewritten since it was printed "+
			"(give it as ROWS:HASH, with the row count verify printed beside it, to tell which)", short)
	case v.Rows < want.Rows:
		v.HeadProblem = fmt.Sprintf("head %s was row %d; the history now has %d rows: rows %d to %d were removed",
			short, want.Rows, v.Rows, v.Rows+1, want.Rows)
	default:
		var now string
		if err := q.QueryRowContext(ctx, `SELECT hash FROM history WHERE seq = ?`, want.Rows).Scan(&now); err != nil {
			return mapErr(err)
		}
		v.HeadProblem = fmt.Sprintf("row %d's hash is now %s, not %s: the history up to row %d was rewritten", want.Rows, now[:12], short, want.Rows)
		// The seals still on the chain bound where it diverged.
		lastGood := int64(0)
		for i := range seals {
			sl, err := sealOf(&seals[i])
			if err != nil || sl.Rows >= want.Rows {
				break
			}
			var h string
			if q.QueryRowContext(ctx, `SELECT hash FROM history WHERE seq = ?`, sl.Rows).Scan(&h) == nil && h == sl.Head {
				lastGood = sl.Rows
			}
		}
		if lastGood > 0 {
			v.HeadProblem += fmt.Sprintf(" (it still passes through the head sealed at row %d: it diverged between rows %d and %d)",
				lastGood, lastGood+1, want.Rows)
		}
	}
	return nil
}

// historySkew is how far back a row's time may lie behind the row before
// it, in databases written before each row's time was held to its
// predecessor's: a writer waiting for the lock (up to the busy timeout)
// stamped the moment it began. Rows written now never go back.
const historySkew = time.Minute

// walkChain checks every row of the chain in order (link, hash, time),
// counting them into v; it returns the seals it met and the row whose hash
// is want (0 when none is).
func walkChain(ctx context.Context, q querier, v *Verification, now time.Time, want string) (seals []Change, found int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history ORDER BY seq`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var prevAt time.Time
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, 0, err
		}
		if v.Problem == "" {
			if p := checkLink(&c, v.Rows, v.Head); p != "" {
				v.Problem = p
			} else if p := checkClock(&c, prevAt, now); p != "" {
				v.Problem = p
			}
		}
		prevAt = c.Time()
		if c.Entity == sealEntityName {
			seals = append(seals, c)
		}
		if c.Hash == want {
			found = c.Seq
		}
		v.Rows++
		v.Head = c.Hash
	}
	return seals, found, rows.Err()
}

// checkClock checks that c's time is a time, in the stored form, no
// earlier than the row before it (prev, zero for the first) and not in the
// future at now: history time moves forward and never ahead of the clock.
func checkClock(c *Change, prev, now time.Time) string {
	at, err := parseTime(c.At)
	if err != nil || fmtTime(at) != c.At {
		return fmt.Sprintf("history row %d (%s): its time %s is not a time; accepted: %s", c.Seq, c.subject(), show(&c.At), timeLayout)
	}
	if !prev.IsZero() && at.Before(prev.Add(-historySkew)) {
		return fmt.Sprintf("history row %d (%s) is dated %s, before the row ahead of it (%s): history time only moves forward",
			c.Seq, c.subject(), c.At, fmtTime(prev))
	}
	if at.After(now.Add(MaxSkew)) {
		return fmt.Sprintf("history row %d (%s) is dated %s, in the future (now %s): history time is never ahead of the clock",
			c.Seq, c.subject(), c.At, fmtTime(now))
	}
	return ""
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
	live, err := openStream(ctx, q, `SELECT `+e.cols(dialectOf(q))+` FROM `+e.table+` ORDER BY `+e.table+`.id`)
	if err != nil {
		return "", err
	}
	defer live.Close()
	// The walk has checked every row's hash and link: the replay reads
	// only what folding needs.
	hist, err := openStream(ctx, q, `SELECT seq, record_id, field, old, new FROM history WHERE entity = ? ORDER BY record_id, seq`, e.name)
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
				var c Change
				if err := hist.Scan(&c.Seq, &c.RecordID, &c.Field, &c.Old, &c.New); err != nil {
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
		r, err := scanRow(live, e, dialectOf(q))
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
			return notInHistory(e, lid), nil
		case hid != 0 && (lid == 0 || hid < lid):
			return notInDatabase(e, hid), nil
		}
		if hrow == nil && lrow.json(e) != created {
			if hrow, err = rowFromJSON(e, created); err != nil {
				return fmt.Sprintf("%s %d: its creation in the history does not read: %v", e.name, hid, err), nil
			}
		}
		if hrow != nil {
			if p := changedField(e, lid, hrow, lrow); p != "" {
				return p, nil
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

// What the replay finds, worded once for verify and the gate.
func notInHistory(e *entity, id int64) string {
	return fmt.Sprintf("%s %d is in the database but not in the history: added behind postmortem's back", e.name, id)
}

func notInDatabase(e *entity, id int64) string {
	return fmt.Sprintf("%s %d is in the history but not in the database: deleted behind postmortem's back", e.name, id)
}

// changedField names the first field in which record id of e as stored
// (live) differs from its history (hist), "" when none does.
func changedField(e *entity, id int64, hist, live row) string {
	for i, f := range e.fields {
		if hist[i] != live[i] {
			return fmt.Sprintf("%s %d: %s is %s in the database but %s in the history: changed behind postmortem's back",
				e.name, id, f, show(nullPtr(live[i])), show(nullPtr(hist[i])))
		}
	}
	return ""
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
	out := []Change{}
	err := eachRow(ctx, q, `SELECT `+historyColumns+` FROM history `+where+` ORDER BY seq`, args, func(r scanner) error {
		c, err := scanChange(r)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
