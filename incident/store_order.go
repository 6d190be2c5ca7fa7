package incident

import (
	"context"
	"encoding/json"
	"fmt"
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
	// Numbers are the document numbers the submissions were given.
	Numbers   map[string]string `json:"numbers,omitempty"`
	CreatedAt *time.Time        `json:"created_at,omitempty"`
}

// CreateOrder validates o and stores it with its incidents and findings.
func (s *Store) CreateOrder(ctx context.Context, o *Order) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := o.validateAt(s.now()); err != nil {
		return err
	}
	o.Created = s.now().UTC().Truncate(time.Second)
	return s.withTx(ctx, func(t *txn) error { return insertOrder(t, o) })
}

func insertOrder(t *txn, o *Order) error {
	ctx, tx := t.ctx, t
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
	// An order comes after what it covers: its day is not before the day
	// the first incident started (read where that day began last).
	var first *string
	if err := tx.QueryRowContext(ctx, `SELECT min(started_at) FROM incidents WHERE id IN (SELECT incident_id FROM order_incidents WHERE order_id = ?)`, o.ID).Scan(&first); err != nil {
		return err
	}
	if first != nil {
		start, err := parseTime(*first)
		if err != nil {
			return err
		}
		if o.Received.Before(DateOf(start, earliestZone)) {
			return invalid("received", "%s is before the incidents it covers began (%s); an order comes after them",
				o.Received, start.Format("2006-01-02 15:04 MST"))
		}
	}
	for _, f := range o.Findings {
		if _, err := tx.ExecContext(ctx, `INSERT INTO findings (order_id, area, text) VALUES (?,?,?)`, o.ID, f.Area, f.Text); err != nil {
			return err
		}
	}
	for kind, d := range o.Submitted {
		if _, err := tx.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on, doc_number) VALUES (?,?,?,?)`,
			o.ID, kind, d.String(), o.Numbers[kind]); err != nil {
			return err
		}
	}
	return t.logged(orderEntity, o.ID, nil, "")
}

// changeOrder runs write on order id and records what it changed.
func (s *Store) changeOrder(ctx context.Context, id int64, write func(t *txn) error) error {
	return s.withTx(ctx, func(t *txn) error {
		before, err := t.snap(orderEntity, id)
		if err != nil {
			return err
		}
		if before == nil {
			return notFound("order", id)
		}
		if err := write(t); err != nil {
			return err
		}
		return t.logged(orderEntity, id, before, "")
	})
}

// SetFinding records (or replaces) the order's finding for one area.
func (s *Store) SetFinding(ctx context.Context, orderID int64, area Area, text string) error {
	if _, err := ParseArea(string(area)); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return invalid("finding", "must not be empty")
	}
	if err := checkText("finding", text, MaxText); err != nil {
		return err
	}
	return s.changeOrder(ctx, orderID, func(t *txn) error {
		_, err := t.ExecContext(ctx, `INSERT INTO findings (order_id, area, text) VALUES (?,?,?)
			ON CONFLICT (order_id, area) DO UPDATE SET text = excluded.text`, orderID, area, strings.TrimSpace(text))
		return err
	})
}

// Submit records the day a deliverable was handed in. The kind is checked
// by the caller against the order's regime.
func (s *Store) Submit(ctx context.Context, orderID int64, kind string, on Date) error {
	return s.changeOrder(ctx, orderID, func(t *txn) error {
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		if err := o.checkSubmission(kind, on, t.now); err != nil {
			return err
		}
		if id, ok := splitKey(kind); ok {
			// A duty that runs from an incident is met no earlier than
			// the incident began.
			in, err := loadIncident(ctx, t, id)
			if err != nil {
				return err
			}
			if in.StartedAt != nil && on.Before(DateOf(*in.StartedAt, earliestZone)) {
				return invalid("at", "%s is before incident %d began (%s)", on, id, in.StartedAt.Format("2006-01-02 15:04 MST"))
			}
		}
		// A document number is given once, on the first submission; a
		// corrected date keeps it.
		number := o.Numbers[kind]
		if number == "" {
			if number, err = nextDocNumber(ctx, t); err != nil {
				return err
			}
		}
		_, err = t.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on, doc_number) VALUES (?,?,?,?)
			ON CONFLICT (order_id, kind) DO UPDATE SET submitted_on = excluded.submitted_on, doc_number = excluded.doc_number`,
			orderID, kind, on.String(), number)
		return err
	})
}

func covered(ctx context.Context, src source, o *Order) ([]Incident, error) {
	out := make([]Incident, 0, len(o.Incidents))
	for _, id := range o.Incidents {
		in, err := src.incident(ctx, id, false)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, nil
}

// Orders lists every order by id.
func (s *Store) Orders(ctx context.Context) ([]Order, error) {
	var out []Order
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = queryOrders(ctx, q)
		return err
	})
	return out, err
}

func queryOrders(ctx context.Context, q querier) ([]Order, error) {
	return queryOrdersWhere(ctx, q, ``)
}

func queryOrdersWhere(ctx context.Context, q querier, where string, args ...any) ([]Order, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orderEntity.columns+` FROM orders `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, *o)
	}
	return out, mapErr(rows.Err())
}

func scanOrder(r scanner) (*Order, error) {
	var o Order
	var received, created, incidents, findings, submitted, numbers string
	if err := r.Scan(&o.ID, &o.Regime, &o.Authority, &o.Reference, &received, &created, &incidents, &findings, &submitted, &numbers); err != nil {
		return nil, err
	}
	if numbers != "" && numbers != "{}" {
		if err := json.Unmarshal([]byte(numbers), &o.Numbers); err != nil {
			return nil, fmt.Errorf("order %d document numbers: %w", o.ID, err)
		}
	}
	var err error
	if o.Received, o.ReceivedClock, err = ParseReceived(received); err != nil {
		return nil, err
	}
	if o.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(incidents), &o.Incidents); err != nil {
		return nil, fmt.Errorf("order %d incidents: %w", o.ID, err)
	}
	var fs, subs map[string]string
	if err := json.Unmarshal([]byte(findings), &fs); err != nil {
		return nil, fmt.Errorf("order %d findings: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(submitted), &subs); err != nil {
		return nil, fmt.Errorf("order %d submissions: %w", o.ID, err)
	}
	for area, text := range fs {
		o.Findings = append(o.Findings, Finding{Area: Area(area), Text: text})
	}
	sort.Slice(o.Findings, func(i, j int) bool { return o.Findings[i].Area < o.Findings[j].Area })
	sortFindings(o.Findings)
	o.Submitted = map[string]Date{}
	for kind, on := range subs {
		d, err := ParseDate("submitted", on)
		if err != nil {
			return nil, err
		}
		o.Submitted[kind] = d
	}
	return &o, nil
}

func (o *Order) record() OrderRecord {
	c := o.Created
	return OrderRecord{ID: o.ID, Regime: o.Regime, Authority: o.Authority, Reference: o.Reference,
		Received: o.ReceivedText(), Incidents: nonNil(o.Incidents), Findings: nonNil(o.Findings),
		Submitted: o.Submitted, Numbers: o.Numbers, CreatedAt: &c}
}
