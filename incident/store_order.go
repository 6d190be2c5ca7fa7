package incident

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OrderRecord is an order as JSON, in exports.
type OrderRecord struct {
	ID        int64     `json:"id"`
	Regime    string    `json:"regime"`
	Authority string    `json:"authority"`
	Reference string    `json:"reference"`
	Received  string    `json:"received"`
	Incidents []int64   `json:"incidents"`
	Findings  []Finding `json:"findings"`
	// Attachments are the findings' evidence (붙임), numbered in the order.
	Attachments []Attachment    `json:"attachments,omitempty"`
	Submitted   map[string]Date `json:"submitted"`
	// SubmittedAt are the moments of the submissions, where known.
	SubmittedAt map[string]time.Time `json:"submitted_at,omitempty"`
	// Terms are the order's own periods, over the regime's.
	Terms map[string]Term `json:"terms,omitempty"`
	// Numbers are the document numbers the submissions were given.
	Numbers   map[string]string `json:"numbers,omitempty"`
	CreatedAt *time.Time        `json:"created_at,omitempty"`
	// Archives are the submitted documents, as handed in.
	Archives []Archive `json:"archives,omitempty"`
	// English holds the findings' English texts (finding.N).
	English English `json:"english,omitempty"`
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

func insertOrder(t *txn, o *Order, archives ...Archive) error {
	_, err := t.create(orderEntity, "", func() (int64, error) {
		if err := insertOrderRows(t, o); err != nil {
			return 0, err
		}
		return o.ID, insertArchives(t, o.ID, archives)
	})
	return err
}

// insertOrderRows writes o's rows, for insertOrder (which adds the
// documents archived for it, when an import brings them).
func insertOrderRows(t *txn, o *Order) error {
	ctx, tx := t.ctx, t
	var id any
	if o.ID != 0 {
		id = o.ID
	}
	if len(o.Terms) > 0 {
		r, err := builtinRegime(o.Regime)
		if err != nil {
			return err
		}
		if err := o.checkTerms(r); err != nil {
			return err
		}
	}
	terms := "{}"
	if len(o.Terms) > 0 {
		terms = mustJSON(o.Terms)
	}
	newID, err := tx.insertID(`INSERT INTO orders (id, regime, authority, reference, received, created_at, terms, english) VALUES (?,?,?,?,?,?,?,?)`,
		id, o.Regime, o.Authority, o.Reference, o.ReceivedText(), fmtTime(o.Created), terms, objectJSON(o.English))
	if err != nil {
		return err
	}
	o.ID = newID
	for _, inc := range o.Incidents {
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_incidents (order_id, incident_id) VALUES (?,?) ON CONFLICT DO NOTHING`, o.ID, inc); err != nil {
			if isNotFound(mapErr(err)) {
				return invalid("incidents", "there is no incident %d; accepted: ids of recorded incidents (postmortem list)", inc)
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO findings (order_id, no, area, text, result, result_on) VALUES (?,?,?,?,?,?)`,
			o.ID, f.No, f.Area, f.Text, f.Result, datePtr(f.ResultOn)); err != nil {
			return err
		}
	}
	for _, a := range o.Attachments {
		if err := insertAttachment(t, o.ID, &a); err != nil {
			return err
		}
	}
	for kind, d := range o.Submitted {
		var at *string
		if t, ok := o.SubmittedAt[kind]; ok {
			s := fmtTime(t.UTC())
			at = &s
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on, doc_number, submitted_at) VALUES (?,?,?,?,?)`,
			o.ID, kind, d.String(), o.Numbers[kind], at); err != nil {
			return err
		}
	}
	return nil
}

// changeOrder runs write on order id and records what it changed.
func (s *Store) changeOrder(ctx context.Context, id int64, write func(t *txn) error) error {
	return s.withTx(ctx, func(t *txn) error {
		return t.change(orderEntity, id, "", func(before row) error {
			if err := write(t); err != nil {
				return err
			}
			return nil
		})
	})
}

// AddFinding records a finding in area and returns its number: the next
// in the order. english is its English text, "" for none.
func (s *Store) AddFinding(ctx context.Context, orderID int64, area Area, text, english string) (int, error) {
	if _, err := ParseArea(string(area)); err != nil {
		return 0, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, invalid("finding", "must not be empty")
	}
	if err := checkText("finding", text, MaxText); err != nil {
		return 0, err
	}
	var no int
	err := s.changeOrder(ctx, orderID, func(t *txn) error {
		if err := t.QueryRowContext(ctx, `SELECT coalesce(max(no), 0) + 1 FROM findings WHERE order_id = ?`, orderID).Scan(&no); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO findings (order_id, no, area, text) VALUES (?,?,?,?)`, orderID, no, area, text); err != nil {
			return err
		}
		if strings.TrimSpace(english) == "" {
			return nil
		}
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		return setFindingEnglish(t, o, no, map[string]string{findingKey(no): english})
	})
	return no, err
}

// setFindingEnglish merges English texts of finding no (its text,
// finding.N; its result, result.N) into the order's, and writes them.
func setFindingEnglish(t *txn, o *Order, no int, ch map[string]string) error {
	var err error
	if o.English, err = o.English.merge(ch, []string{findingKey(no), resultKey(no)}); err != nil {
		return err
	}
	_, err = t.ExecContext(t.ctx, `UPDATE orders SET english = ? WHERE id = ?`, objectJSON(o.English), o.ID)
	return err
}

// FindingChange is what an edit of a finding sets; nil leaves a part as
// it is.
type FindingChange struct {
	Area     *Area
	Text     *string
	Result   *string
	ResultOn *Date
	// English is the finding's English text, ResultEnglish its result's
	// ("" clears either).
	English, ResultEnglish *string
}

// ChangeFinding edits finding no of the order: its area or wording, or the
// result of carrying it out and the day that was complete.
func (s *Store) ChangeFinding(ctx context.Context, orderID int64, no int, c FindingChange) error {
	return s.changeOrder(ctx, orderID, func(t *txn) error {
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		f := o.FindingNo(no)
		if f == nil {
			return invalid("finding", "order %d has no finding %d%s", orderID, no, findingNumbers(o))
		}
		if c.Area != nil {
			if _, err := ParseArea(string(*c.Area)); err != nil {
				return err
			}
			f.Area = *c.Area
		}
		if c.Text != nil {
			f.Text = strings.TrimSpace(*c.Text)
		}
		if c.Result != nil {
			f.Result = strings.TrimSpace(*c.Result)
			if f.Result == "" {
				f.ResultOn = nil
			}
		}
		if c.ResultOn != nil {
			f.ResultOn = c.ResultOn
		}
		if c.English != nil || c.ResultEnglish != nil {
			ch := map[string]string{}
			if c.English != nil {
				ch[findingKey(no)] = *c.English
			}
			if c.ResultEnglish != nil {
				ch[resultKey(no)] = *c.ResultEnglish
			}
			if err := setFindingEnglish(t, o, no, ch); err != nil {
				return err
			}
		}
		if f.Result != "" && f.ResultOn == nil {
			today := DateOf(t.now, latestZone)
			f.ResultOn = &today
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if err := o.checkDay("result-on", f.ResultOn, t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE findings SET area = ?, text = ?, result = ?, result_on = ? WHERE order_id = ? AND no = ?`,
			f.Area, f.Text, f.Result, datePtr(f.ResultOn), orderID, no); err != nil {
			return err
		}
		if c.Area == nil {
			return nil
		}
		// The measures answering the finding move with it, each change in
		// the history.
		moving, err := queryActions(ctx, t, `WHERE order_id = ? AND finding = ? AND area <> ?`, `id`, orderID, no, f.Area)
		if err != nil {
			return err
		}
		for _, a := range moving {
			if err := t.change(actionEntity, a.ID, "", func(row) error {
				_, err := t.ExecContext(ctx, `UPDATE actions SET area = ? WHERE id = ?`, f.Area, a.ID)
				return err
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// findingNumbers lists an order's finding numbers for a message.
func findingNumbers(o *Order) string {
	if len(o.Findings) == 0 {
		return " (it has none yet: order finding ORDER --area AREA TEXT)"
	}
	nums := make([]string, len(o.Findings))
	for i, f := range o.Findings {
		nums[i] = strconv.Itoa(f.No)
	}
	return "; it has " + strings.Join(nums, ", ")
}

// Attach records a piece of evidence for finding no of the order and
// returns it with its number. A file, when given, is read here: its name,
// size and SHA-256 are kept, not the file.
func (s *Store) Attach(ctx context.Context, orderID int64, a Attachment, file string) (*Attachment, error) {
	a.What = strings.TrimSpace(a.What)
	if a.What == "" {
		return nil, invalid("attachment", "say what it is (the text after the finding number)")
	}
	if file != "" {
		// The finding is looked up first: a large file is not read in
		// vain.
		if err := s.read(ctx, func(q querier) error {
			o, err := liveSource{q}.order(ctx, orderID)
			if err != nil {
				return err
			}
			if o.FindingNo(a.Finding) == nil {
				return invalid("finding", "order %d has no finding %d%s", orderID, a.Finding, findingNumbers(o))
			}
			return nil
		}); err != nil {
			return nil, err
		}
		name, size, sum, err := hashFile(file)
		if err != nil {
			return nil, err
		}
		a.File, a.Size, a.SHA256 = name, &size, sum
	}
	err := s.changeOrder(ctx, orderID, func(t *txn) error {
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		if o.FindingNo(a.Finding) == nil {
			return invalid("finding", "order %d has no finding %d%s", orderID, a.Finding, findingNumbers(o))
		}
		if a.AddedOn.IsZero() {
			a.AddedOn = DateOf(t.now, latestZone)
		}
		if err := t.QueryRowContext(ctx, `SELECT coalesce(max(no), 0) + 1 FROM attachments WHERE order_id = ?`, orderID).Scan(&a.No); err != nil {
			return err
		}
		o.Attachments = append(o.Attachments, a)
		if err := o.Validate(); err != nil {
			return err
		}
		if err := o.checkDay("on", &a.AddedOn, t.now); err != nil {
			return err
		}
		return insertAttachment(t, orderID, &a)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func insertAttachment(t *txn, orderID int64, a *Attachment) error {
	_, err := t.ExecContext(t.ctx, `INSERT INTO attachments (order_id, no, finding, what, file, size, sha256, added_on) VALUES (?,?,?,?,?,?,?,?)`,
		orderID, a.No, a.Finding, a.What, a.File, a.Size, a.SHA256, a.AddedOn.String())
	return err
}

// hashFile reads a regular file's name, size and SHA-256.
func hashFile(path string) (name string, size int64, sum string, err error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		// Checked before opening: a FIFO would block the open for ever.
		return "", 0, "", invalid("file", "%s is not a regular file; accepted: a file to record as evidence", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", 0, "", invalid("file", "%s cannot be read: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, "", invalid("file", "%s cannot be read: %v", path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", 0, "", invalid("file", "%s is not a regular file; accepted: a file to record as evidence", path)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, "", invalid("file", "%s cannot be read: %v", path, err)
	}
	name = filepath.Base(path)
	if err := checkText("file", name, MaxName); err != nil {
		return "", 0, "", err
	}
	return name, n, hex.EncodeToString(h.Sum(nil)), nil
}

// Submit records the day a deliverable was handed in; the kind is checked
// by the caller against the order's regime. A deliverable is submitted
// once: a second day is refused unless correct says the first was
// recorded wrong (its document number stays). It returns the document
// number, "" when the organisation has no scheme.
func (s *Store) Submit(ctx context.Context, orderID int64, kind string, on Date, at *time.Time, correct bool) (string, error) {
	if at != nil {
		t := at.UTC().Truncate(time.Second)
		if err := happened("at", &t, s.now()); err != nil {
			return "", err
		}
		at = &t
	}
	var number string
	err := s.changeOrder(ctx, orderID, func(t *txn) error {
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		if _, ok := o.Submitted[kind]; !ok && correct {
			return invalid("correct", "%s has not been submitted; there is nothing to correct (leave out --correct)", kind)
		}
		if was, ok := o.Submitted[kind]; ok && !correct {
			number := ""
			if n := o.Numbers[kind]; n != "" {
				number = " as " + n
			}
			return invalid("at", "%s was submitted on %s%s; it is submitted once (to correct the recorded day, give --correct --reason WHY)", kind, was, number)
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
			// Nor before its own clock started: an 8-K is not filed
			// before the incident was found material.
			if err := submittedAfterStart(o, kind, in, on, at); err != nil {
				return err
			}
		}
		// A document number is given once, on the first submission; a
		// corrected date keeps it.
		number = o.Numbers[kind]
		if number == "" {
			if number, err = nextDocNumber(ctx, t); err != nil {
				return err
			}
		}
		var atText *string
		if at != nil {
			s := fmtTime(*at)
			atText = &s
		}
		_, err = t.ExecContext(ctx, `INSERT INTO submissions (order_id, kind, submitted_on, doc_number, submitted_at) VALUES (?,?,?,?,?)
			ON CONFLICT (order_id, kind) DO UPDATE SET submitted_on = excluded.submitted_on, doc_number = excluded.doc_number,
			submitted_at = excluded.submitted_at`, orderID, kind, on.String(), number, atText)
		return err
	})
	return number, err
}

// submittedAfterStart refuses a submission of a per-incident duty (kind
// is KIND#ID) made before the moment its clock starts.
func submittedAfterStart(o *Order, key string, in *Incident, on Date, at *time.Time) error {
	r, err := builtinRegime(o.Regime)
	if err != nil {
		return err
	}
	kind, _, _ := strings.Cut(key, "#")
	spec, err := r.Spec(kind)
	if err != nil {
		return err
	}
	start := startOf(spec.From, in)
	if start == nil {
		return nil
	}
	if (at != nil && at.Before(*start)) || (at == nil && on.Before(DateOf(*start, r.loc))) {
		when := on.String()
		if at != nil {
			when = at.In(r.loc).Format("2006-01-02 15:04 MST")
		}
		return invalid("at", "%s is before the clock of %s started for incident %d (%s, %s); a submission comes after it",
			when, kind, in.ID, strings.TrimPrefix(spec.From, "incident-"), start.In(r.loc).Format("2006-01-02 15:04 MST"))
	}
	return nil
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

// queryOrderClocks reads every order as far as its deadlines need: its
// incidents and submissions are read in one pass over each table, not
// looked up for each order (1,000 orders: 11 ms → 3 ms). Findings,
// attachments, numbers and archives are left empty.
func queryOrderClocks(ctx context.Context, q querier) ([]Order, error) {
	orders, err := queryAll(ctx, q, func(r scanner) (*Order, error) {
		var o Order
		var received, created, terms string
		if err := r.Scan(&o.ID, &o.Regime, &o.Authority, &o.Reference, &received, &created, &terms); err != nil {
			return nil, err
		}
		o.Submitted = map[string]Date{}
		return &o, o.readClock(received, created, terms)
	}, `SELECT id, regime, authority, reference, received, created_at, terms FROM orders ORDER BY id`)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Order, len(orders))
	for i := range orders {
		byID[orders[i].ID] = &orders[i]
	}
	err = eachRow(ctx, q, `SELECT order_id, incident_id FROM order_incidents ORDER BY order_id, incident_id`, nil, func(r scanner) error {
		var id, in int64
		if err := r.Scan(&id, &in); err != nil {
			return err
		}
		if o := byID[id]; o != nil {
			o.Incidents = append(o.Incidents, in)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT order_id, kind, submitted_on, submitted_at FROM submissions`, nil, func(r scanner) error {
		var id int64
		var kind, on string
		var at sql.NullString
		if err := r.Scan(&id, &kind, &on, &at); err != nil {
			return err
		}
		if o := byID[id]; o != nil {
			return o.readSubmission(kind, on, at)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orders, nil
}

// readClock reads the columns an order's clock runs on: when it was
// received and recorded, and the terms it sets.
func (o *Order) readClock(received, created, terms string) error {
	if terms != "{}" {
		if err := json.Unmarshal([]byte(terms), &o.Terms); err != nil {
			return fmt.Errorf("order %d terms: %w", o.ID, err)
		}
	}
	var err error
	if o.Received, o.ReceivedClock, err = ParseReceived(received); err != nil {
		return err
	}
	o.Created, err = parseTime(created)
	return err
}

func queryOrdersWhere(ctx context.Context, q querier, where string, args ...any) ([]Order, error) {
	return scanOrders(ctx, q, `SELECT `+orderEntity.cols(dialectOf(q))+` FROM orders `+where+` ORDER BY id`, args...)
}

func scanOrders(ctx context.Context, q querier, query string, args ...any) ([]Order, error) {
	return queryAll(ctx, q, scanOrder, query, args...)
}

func scanOrder(r scanner) (*Order, error) {
	var o Order
	var received, created, incidents, findings, submitted, numbers, attachments, submittedAt, terms, archived, english string
	if err := r.Scan(&o.ID, &o.Regime, &o.Authority, &o.Reference, &received, &created, &incidents, &findings, &submitted, &numbers, &attachments,
		&submittedAt, &terms, &archived, &english); err != nil {
		return nil, err
	}
	var err error
	if o.English, err = parseEnglish("order", english); err != nil {
		return nil, err
	}
	if archived != "" && archived != "{}" {
		if err := json.Unmarshal([]byte(archived), &o.Archived); err != nil {
			return nil, fmt.Errorf("order %d archived documents: %w", o.ID, err)
		}
	}
	if err := o.readClock(received, created, terms); err != nil {
		return nil, err
	}
	if numbers != "" && numbers != "{}" {
		if err := json.Unmarshal([]byte(numbers), &o.Numbers); err != nil {
			return nil, fmt.Errorf("order %d document numbers: %w", o.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(incidents), &o.Incidents); err != nil {
		return nil, fmt.Errorf("order %d incidents: %w", o.ID, err)
	}
	if err := readFindings(findings, &o.Findings); err != nil {
		return nil, fmt.Errorf("order %d findings: %w", o.ID, err)
	}
	if attachments != "" && attachments != "[]" {
		if err := json.Unmarshal([]byte(attachments), &o.Attachments); err != nil {
			return nil, fmt.Errorf("order %d attachments: %w", o.ID, err)
		}
	}
	var subs map[string]string
	if err := json.Unmarshal([]byte(submitted), &subs); err != nil {
		return nil, fmt.Errorf("order %d submissions: %w", o.ID, err)
	}
	var ats map[string]string
	if err := json.Unmarshal([]byte(submittedAt), &ats); err != nil {
		return nil, fmt.Errorf("order %d submission times: %w", o.ID, err)
	}
	o.Submitted = map[string]Date{}
	for kind, on := range subs {
		at, ok := ats[kind]
		if err := o.readSubmission(kind, on, sql.NullString{String: at, Valid: ok}); err != nil {
			return nil, err
		}
	}
	return &o, nil
}

// readSubmission records the submission of kind: the day it counts as
// submitted on, and the moment it was filed when one was recorded.
func (o *Order) readSubmission(kind, on string, at sql.NullString) error {
	d, err := ParseDate("submitted", on)
	if err != nil {
		return fmt.Errorf("order %d submission of %s: %w", o.ID, kind, err)
	}
	o.Submitted[kind] = d
	if at.Valid {
		t, err := parseTime(at.String)
		if err != nil {
			return fmt.Errorf("order %d submission of %s: %w", o.ID, kind, err)
		}
		if o.SubmittedAt == nil {
			o.SubmittedAt = map[string]time.Time{}
		}
		o.SubmittedAt[kind] = t
	}
	return nil
}

// readFindings reads the findings field: a list of numbered findings, or,
// in history written before findings were numbered (schema 11), an object
// of one text per area, numbered here as that upgrade numbered them.
func readFindings(field string, out *[]Finding) error {
	if !strings.HasPrefix(field, "{") {
		if field == "[]" {
			return nil
		}
		return json.Unmarshal([]byte(field), out)
	}
	var byArea map[string]string
	if err := json.Unmarshal([]byte(field), &byArea); err != nil {
		return err
	}
	for _, a := range Areas {
		if text, ok := byArea[string(a)]; ok {
			*out = append(*out, Finding{No: len(*out) + 1, Area: a, Text: text})
			delete(byArea, string(a))
		}
	}
	rest := slices.Sorted(maps.Keys(byArea))
	for _, a := range rest {
		*out = append(*out, Finding{No: len(*out) + 1, Area: Area(a), Text: byArea[a]})
	}
	return nil
}

func (o *Order) record() OrderRecord {
	c := o.Created
	return OrderRecord{ID: o.ID, Regime: o.Regime, Authority: o.Authority, Reference: o.Reference,
		Received: o.ReceivedText(), Incidents: nonNil(o.Incidents), Findings: nonNil(o.Findings), Attachments: o.Attachments,
		Submitted: o.Submitted, SubmittedAt: o.SubmittedAt, Terms: o.Terms, Numbers: o.Numbers, CreatedAt: &c, English: o.English}
}
