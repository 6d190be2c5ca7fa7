package incident

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"
)

// OrderRecord is an order as JSON, in exports.
type OrderRecord struct {
	ID        int64           `json:"id"`
	Regime    string          `json:"regime"`
	Authority string          `json:"authority"`
	Reference string          `json:"reference"`
	Received  string          `json:"received"`
	Incidents []int64         `json:"incidents"`
	Findings  []Finding       `json:"findings"`
	Submitted map[string]Date `json:"submitted"`
	CreatedAt *time.Time      `json:"created_at,omitempty"`
}

// CreateOrder validates o and stores it with its incidents and findings.
func (s *Store) CreateOrder(ctx context.Context, o *Order) error {
	if err := o.Validate(); err != nil {
		return err
	}
	o.Created = s.now().UTC().Truncate(time.Second)
	return s.withTx(ctx, func(tx *sql.Tx) error { return insertOrder(ctx, tx, o) })
}

func insertOrder(ctx context.Context, tx *sql.Tx, o *Order) error {
	var id any
	if o.ID != 0 {
		id = o.ID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO orders (id, regime, authority, reference, received, created_at) VALUES (?,?,?,?,?,?)`,
		id, o.Regime, o.Authority, o.Reference, o.ReceivedText(), fmtTime(o.Created))
	if err != nil {
		return err
	}
	if o.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for _, inc := range o.Incidents {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO order_incidents (order_id, incident_id) VALUES (?,?)`, o.ID, inc); err != nil {
			if isNotFound(mapErr(err)) {
				return notFound("incident", inc)
			}
			return err
		}
	}
	for _, f := range o.Findings {
		if _, err := tx.ExecContext(ctx, `INSERT INTO findings (order_id, area, text) VALUES (?,?,?)`, o.ID, f.Area, f.Text); err != nil {
			return err
		}
	}
	for kind, d := range o.Submitted {
		if _, err := tx.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on) VALUES (?,?,?)`, o.ID, kind, d.String()); err != nil {
			return err
		}
	}
	return nil
}

// SetFinding records (or replaces) the order's finding for one area.
func (s *Store) SetFinding(ctx context.Context, orderID int64, area Area, text string) error {
	if _, err := ParseArea(string(area)); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return invalid("finding", "must not be empty")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO findings (order_id, area, text) VALUES (?,?,?)
			ON CONFLICT (order_id, area) DO UPDATE SET text = excluded.text`, orderID, area, strings.TrimSpace(text))
		if isNotFound(mapErr(err)) {
			return notFound("order", orderID)
		}
		return err
	})
}

// Submit records the day a deliverable was handed in. The kind is checked
// by the caller against the order's regime.
func (s *Store) Submit(ctx context.Context, orderID int64, kind string, on Date) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on) VALUES (?,?,?)
			ON CONFLICT (order_id, kind) DO UPDATE SET submitted_on = excluded.submitted_on`, orderID, kind, on.String())
		if isNotFound(mapErr(err)) {
			return notFound("order", orderID)
		}
		return err
	})
}

// Order returns one order with its incidents, findings and submissions.
func (s *Store) Order(ctx context.Context, id int64) (*Order, error) {
	os, err := s.queryOrders(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, notFound("order", id)
	}
	return &os[0], nil
}

// Covered returns the incidents an order covers, without their timelines
// or actions: what its deadlines and its reports' cover pages need.
func (s *Store) Covered(ctx context.Context, o *Order) ([]Incident, error) {
	out := make([]Incident, 0, len(o.Incidents))
	for _, id := range o.Incidents {
		in, err := loadIncident(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, nil
}

// Orders lists every order by id.
func (s *Store) Orders(ctx context.Context) ([]Order, error) { return s.queryOrders(ctx, ``) }

func (s *Store) queryOrders(ctx context.Context, where string, args ...any) ([]Order, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, regime, authority, reference, received, created_at FROM orders `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []Order
	for rows.Next() {
		var o Order
		var received, created string
		if err := rows.Scan(&o.ID, &o.Regime, &o.Authority, &o.Reference, &received, &created); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		if o.Received, o.ReceivedClock, err = ParseReceived(received); err != nil {
			rows.Close()
			return nil, err
		}
		if o.Created, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for i := range out {
		o := &out[i]
		if o.Incidents, err = queryList[int64](ctx, s.db, `SELECT incident_id FROM order_incidents WHERE order_id = ? ORDER BY incident_id`, o.ID); err != nil {
			return nil, err
		}
		if err := s.loadFindings(ctx, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) loadFindings(ctx context.Context, o *Order) error {
	rows, err := s.db.QueryContext(ctx, `SELECT area, text FROM findings WHERE order_id = ?`, o.ID)
	if err != nil {
		return mapErr(err)
	}
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.Area, &f.Text); err != nil {
			rows.Close()
			return mapErr(err)
		}
		o.Findings = append(o.Findings, f)
	}
	rows.Close()
	sortFindings(o.Findings)
	rows, err = s.db.QueryContext(ctx, `SELECT kind, submitted_on FROM submissions WHERE order_id = ?`, o.ID)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	o.Submitted = map[string]Date{}
	for rows.Next() {
		var kind, on string
		if err := rows.Scan(&kind, &on); err != nil {
			return mapErr(err)
		}
		d, err := ParseDate("submitted", on)
		if err != nil {
			return err
		}
		o.Submitted[kind] = d
	}
	return mapErr(rows.Err())
}

func (s *Store) orderRecords(ctx context.Context) ([]OrderRecord, error) {
	os, err := s.Orders(ctx)
	if err != nil {
		return nil, err
	}
	out := []OrderRecord{}
	for _, o := range os {
		c := o.Created
		out = append(out, OrderRecord{ID: o.ID, Regime: o.Regime, Authority: o.Authority, Reference: o.Reference,
			Received: o.ReceivedText(), Incidents: nonNil(o.Incidents), Findings: nonNil(o.Findings),
			Submitted: o.Submitted, CreatedAt: &c})
	}
	return out, nil
}

func importOrders(ctx context.Context, tx *sql.Tx, recs []OrderRecord, renumber bool, now time.Time, res *ImportResult) error {
	for _, r := range recs {
		o := &Order{ID: r.ID, Regime: r.Regime, Authority: r.Authority, Reference: r.Reference,
			Findings: r.Findings, Submitted: r.Submitted, Created: now}
		if r.CreatedAt != nil {
			o.Created = *r.CreatedAt
		}
		var err error
		if o.Received, o.ReceivedClock, err = ParseReceived(r.Received); err != nil {
			return err
		}
		for _, inc := range r.Incidents {
			o.Incidents = append(o.Incidents, *remap(res.Incidents, inc))
		}
		sort.Slice(o.Incidents, func(i, j int) bool { return o.Incidents[i] < o.Incidents[j] })
		if err := o.Validate(); err != nil {
			return err
		}
		old := o.ID
		if renumber {
			o.ID = 0
		}
		if err := insertOrder(ctx, tx, o); err != nil {
			return err
		}
		res.Orders[old] = o.ID
	}
	return nil
}
