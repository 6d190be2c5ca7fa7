package incident

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// entity is one kind of record as the history sees it: the table, and the
// select list that is both the record's canonical form (each column a
// field, in text) and what the store scans records from. The history and
// the live tables are read through the same list, so a change made behind
// the store's back shows as a difference between them.
type entity struct {
	name      string // as stored in history.entity
	table     string
	columns   string // select list; each item's last word is its field name
	incident  string // the column holding the incident a record belongs to, "" for none
	fields    []string
	sorted    []int  // field indexes in name order, for the canonical JSON
	pgColumns string // the list as PostgreSQL reads it
	// gathered holds, for each field gathered from a table of its own as
	// JSON, its text when there is nothing to gather ("" for a column).
	gathered []string
	// later are fields added after the history began: a creation row
	// written before may lack them, and they held their column's default
	// then (nil for NULL).
	later map[string]*string
}

func newEntity(name, table, incident, columns string) *entity {
	e := &entity{name: name, table: table, columns: columns, incident: incident}
	var pg []string
	for _, item := range splitColumns(columns) {
		words := strings.Fields(item)
		e.fields = append(e.fields, strings.TrimPrefix(words[len(words)-1], table+"."))
		empty := ""
		switch {
		case strings.HasPrefix(item, "(SELECT json_group_array("):
			empty = "[]"
		case strings.HasPrefix(item, "(SELECT json_group_object("):
			empty = "{}"
		}
		e.gathered = append(e.gathered, empty)
		if empty != "" {
			// PostgreSQL gathers nothing as NULL, SQLite as an empty list.
			k := strings.LastIndex(item, ") AS ")
			item = "coalesce(" + item[:k+1] + ", '" + empty + "')" + item[k+1:]
		}
		pg = append(pg, pgColumns(item))
	}
	e.pgColumns = strings.Join(pg, ", ")
	for i := range e.fields {
		e.sorted = append(e.sorted, i)
	}
	sort.Slice(e.sorted, func(i, j int) bool { return e.fields[e.sorted[i]] < e.fields[e.sorted[j]] })
	return e
}

// splitColumns splits a select list at the commas outside parentheses.
func splitColumns(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

var (
	incidentEntity = newEntity("incident", "incidents", "id", `incidents.id, title, services, severity, status, started_at, detected_at,
	acknowledged_at, mitigated_at, resolved_at, users_affected_pct, users_affected,
	symptoms, cause, trigger_text, contributing, went_well, went_wrong, lucky,
	created_at, updated_at,
	(SELECT json_group_array(text ORDER BY position) FROM recovery_steps WHERE recovery_steps.incident_id = incidents.id) AS recovery_steps,
	(SELECT json_group_array(related_id ORDER BY related_id) FROM related WHERE related.incident_id = incidents.id) AS related,
	roles, cause_category, tags, classified_at, material_at, closed_as, closed_at, duplicate_of, english`).addedLater("roles", &emptyObject).addedLater("cause_category", &emptyString).
		addedLater("tags", &emptyList).addedLater("classified_at", nil).addedLater("material_at", nil).
		addedLater("closed_as", &emptyString).addedLater("closed_at", nil).addedLater("duplicate_of", nil).addedLater("english", &emptyObject)
	eventEntity = newEntity("event", "events", "incident_id",
		`events.id, incident_id, at, kind, text, author, recorded_at, retracted_at, retract_reason, notice`).addedLater("notice", nil)
	actionEntity = newEntity("action", "actions", "incident_id",
		`actions.id, incident_id, order_id, area, text, owner, due, status, evidence, evidence_on, done_on, created_at, revised_due, reason, finding, dropped_on, revised_on, verify, english`).
		addedLater("revised_due", nil).addedLater("reason", &emptyString).addedLater("finding", nil).addedLater("dropped_on", nil).
		addedLater("revised_on", nil).addedLater("verify", &emptyString).addedLater("english", &emptyObject)
	orderEntity = newEntity("order", "orders", "", `orders.id, regime, authority, reference, received, created_at,
	(SELECT json_group_array(incident_id ORDER BY incident_id) FROM order_incidents WHERE order_id = orders.id) AS incidents,
	(SELECT json_group_array(json_object('no', no, 'area', area, 'text', text, 'result', result, 'result_on', result_on) ORDER BY no)
		FROM findings WHERE order_id = orders.id) AS findings,
	(SELECT json_group_object(kind, submitted_on ORDER BY kind) FROM submissions WHERE order_id = orders.id) AS submitted,
	(SELECT json_group_object(kind, doc_number ORDER BY kind) FROM submissions WHERE order_id = orders.id AND doc_number <> '') AS numbers,
	(SELECT json_group_array(json_object('no', no, 'finding', finding, 'what', what, 'file', file, 'size', size, 'sha256', sha256,
		'added_on', added_on) ORDER BY no) FROM attachments WHERE order_id = orders.id) AS attachments,
	(SELECT json_group_object(kind, submitted_at ORDER BY kind) FROM submissions WHERE order_id = orders.id AND submitted_at IS NOT NULL) AS submitted_at,
	terms,
	(SELECT json_group_object(kind || '.' || format, sha256 ORDER BY kind, format) FROM archives WHERE order_id = orders.id) AS archived, english`).
		addedLater("numbers", &emptyObject).addedLater("attachments", &emptyList).addedLater("submitted_at", &emptyObject).
		addedLater("terms", &emptyObject).addedLater("archived", &emptyObject).addedLater("english", &emptyObject)

	serviceEntity = newEntity("service", "services", "", `services.id, name, owner, groups, regimes, created_at, updated_at, public_name,
	class, fee, daily_users`).addedLater("public_name", &emptyString).addedLater("class", &emptyString).addedLater("fee", &emptyString).
		addedLater("daily_users", nil)
	freezeEntity = newEntity("freeze", "freezes", "", `freezes.id, scope, target, starts_at, ends_at, reason, ended_at, created_at,
	(SELECT json_group_array(json_object('at', at, 'author', author, 'services', json(services), 'reason', reason) ORDER BY at, rowid)
		FROM freeze_overrides WHERE freeze_id = freezes.id) AS overrides`)
	dutyEntity = newEntity("duty", "duties", "incident_id", `duties.id, incident_id, kind, state, at, ref, created_at`)
	orgEntity  = newEntity("org", "org", "", `org.id, name, representative, department, person, contact, address, doc_prefix, marking, updated_at,
	revenue, daily_users, targets, zone, yearly, via, english, approval`).addedLater("revenue", nil).addedLater("daily_users", nil).addedLater("targets", &emptyObject).
		addedLater("zone", &emptyString).addedLater("yearly", &emptyObject).addedLater("via", &emptyString).
		addedLater("english", &emptyObject).addedLater("approval", &emptyList)

	entities = []*entity{incidentEntity, eventEntity, actionEntity, orderEntity, serviceEntity, freezeEntity, dutyEntity, orgEntity}
)

// addedLater names a field added after the history began, and the value
// (nil for NULL) its column gave the records that were there.
func (e *entity) addedLater(field string, value *string) *entity {
	if e.later == nil {
		e.later = map[string]*string{}
	}
	e.later[field] = value
	return e
}

var emptyObject, emptyString, emptyList = "{}", "", "[]"

// row is a record in canonical form: one value per field of its entity,
// NULL where the column is.
type row []sql.NullString

// Scan lets a row stand where a database row is scanned, so a record
// rebuilt from the history is read by the same code as a live one.
func (v row) Scan(dest ...any) error {
	if len(dest) != len(v) {
		return fmt.Errorf("scan %d values into %d", len(v), len(dest))
	}
	for i, d := range dest {
		var src any
		if v[i].Valid {
			src = v[i].String
		}
		switch d := d.(type) {
		case sql.Scanner:
			if err := d.Scan(src); err != nil {
				return err
			}
		case *int64:
			n, err := strconv.ParseInt(v[i].String, 10, 64)
			if err != nil {
				return fmt.Errorf("value %d: %w", i, err)
			}
			*d = n
		case **int64:
			*d = nil
			if v[i].Valid {
				n, err := strconv.ParseInt(v[i].String, 10, 64)
				if err != nil {
					return fmt.Errorf("value %d: %w", i, err)
				}
				*d = &n
			}
		default:
			p := reflect.ValueOf(d)
			if p.Kind() != reflect.Pointer || p.Elem().Kind() != reflect.String {
				return fmt.Errorf("value %d: cannot scan into %T", i, d)
			}
			p.Elem().SetString(v[i].String)
		}
	}
	return nil
}

// json is the record as one JSON object, keys sorted, every value a string
// or null: its canonical text in the history. It is written by hand, being
// on the path of every write and of every verification.
func (v row) json(e *entity) string {
	n := 2
	for i := range v {
		n += len(e.fields[i]) + len(v[i].String) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for k, i := range e.sorted {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.fields[i])
		b = append(b, ':')
		if v[i].Valid {
			b = appendJSONString(b, v[i].String)
		} else {
			b = append(b, "null"...)
		}
	}
	return string(append(b, '}'))
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped (only newline and tab by letter), the rest as
// it is. A history row's record text has always been written so.
func appendJSONString(b []byte, s string) []byte { return appendQuoted(b, s, false) }

func rowFromJSON(e *entity, s string) (row, error) {
	var m map[string]*string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	v := make(row, len(e.fields))
	have := len(m)
	for i, f := range e.fields {
		p, ok := m[f]
		if ok && p != nil {
			v[i] = sql.NullString{String: *p, Valid: true}
		}
		if def, later := e.later[f]; !ok && later {
			have++
			if def != nil {
				v[i] = sql.NullString{String: *def, Valid: true}
			}
		}
	}
	if have != len(e.fields) {
		return nil, fmt.Errorf("%d fields, %s has %d", len(m), e.name, len(e.fields))
	}
	return v, nil
}

func (e *entity) field(name string) int {
	for i, f := range e.fields {
		if f == name {
			return i
		}
	}
	return -1
}

// Change is one row of the history: who changed which field of which
// record, from what to what, when, and why.
type Change struct {
	Seq        int64   `json:"seq"`
	At         string  `json:"at"` // UTC, as stored: the store's clock
	Author     string  `json:"author"`
	Entity     string  `json:"entity"`
	RecordID   int64   `json:"record_id"`
	IncidentID *int64  `json:"incident_id"`
	Field      string  `json:"field"` // "*" for the record's creation (New holds it whole, as JSON)
	Old        *string `json:"old"`
	New        *string `json:"new"`
	Reason     string  `json:"reason"`
	Prev       string  `json:"prev"`
	Hash       string  `json:"hash"`
}

// Time is when the change was recorded.
func (c *Change) Time() time.Time {
	t, _ := parseTime(c.At)
	return t
}

// sum is the change's hash: SHA-256 over its canonical content, which
// includes the previous row's hash. Each value is written as its length,
// a colon and its bytes, and a missing one as "~", so no two rows share an
// encoding.
func (c *Change) sum() string {
	b := make([]byte, 0, 128+len(c.At)+len(c.Author)+len(c.Field)+len(c.Reason)+len(c.Prev)+lenOf(c.Old)+lenOf(c.New))
	b = strconv.AppendInt(b, c.Seq, 10)
	b = appendField(b, &c.At)
	b = appendField(b, &c.Author)
	b = appendField(b, &c.Entity)
	b = append(b, ',')
	b = strconv.AppendInt(b, c.RecordID, 10)
	b = append(b, ',')
	if c.IncidentID == nil {
		b = append(b, '~')
	} else {
		b = strconv.AppendInt(b, *c.IncidentID, 10)
	}
	b = appendField(b, &c.Field)
	b = appendField(b, c.Old)
	b = appendField(b, c.New)
	b = appendField(b, &c.Reason)
	b = appendField(b, &c.Prev)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func lenOf(p *string) int {
	if p == nil {
		return 0
	}
	return len(*p)
}

func appendField(b []byte, p *string) []byte {
	b = append(b, ',')
	if p == nil {
		return append(b, '~')
	}
	b = strconv.AppendInt(b, int64(len(*p)), 10)
	b = append(b, ':')
	return append(b, *p...)
}

const historyColumns = `seq, at, author, entity, record_id, incident_id, field, old, new, reason, prev, hash`

func scanChange(r scanner) (Change, error) {
	var c Change
	var inc sql.NullInt64
	var old, nw sql.NullString
	if err := r.Scan(&c.Seq, &c.At, &c.Author, &c.Entity, &c.RecordID, &inc, &c.Field, &old, &nw, &c.Reason, &c.Prev, &c.Hash); err != nil {
		return c, err
	}
	if inc.Valid {
		c.IncidentID = &inc.Int64
	}
	if old.Valid {
		c.Old = &old.String
	}
	if nw.Valid {
		c.New = &nw.String
	}
	return c, nil
}

// txn is a write transaction that keeps the history: each write to a
// record is bracketed by snapshots of it, and the difference is appended
// to the chain before the transaction commits.
type txn struct {
	*sql.Tx
	d      dialect
	ctx    context.Context
	now    time.Time
	author string
	reason string

	head    string // hash of the last row, once read
	headAt  string // and its time
	seq     int64
	headSet bool
	// quiet writes records without history rows: an import that restores
	// the history they came with.
	quiet bool
	// schema is set for a migration, which rewrites tables whole.
	schema bool
	// writing counts the write helpers (write, create) running: a record
	// is changed only inside one, so no change escapes the history.
	writing int
}

// ExecContext runs a statement of the transaction. One that changes a
// record (INSERT, UPDATE, DELETE) outside the write helpers is refused:
// it would change the record without its history.
func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := t.mayRun(query); err != nil {
		return nil, err
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// mayRun refuses a record's change outside the write helpers.
func (t *txn) mayRun(query string) error {
	if t.writing > 0 || t.schema {
		return nil
	}
	verb, rest, _ := strings.Cut(strings.TrimSpace(query), " ")
	switch strings.ToUpper(verb) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE":
		if strings.HasPrefix(strings.TrimSpace(rest), "INTO history ") {
			return nil // the history itself, written by appendChange
		}
		return fmt.Errorf("a change outside the history's write helpers (%.40s...): %w", query, ErrInvalid)
	}
	return nil
}

func (t *txn) dialect() dialect { return t.d }

// snap reads record id of e in canonical form; nil when there is none.
func (t *txn) snap(e *entity, id int64) (row, error) {
	v, err := scanRow(t.QueryRowContext(t.ctx, `SELECT `+e.cols(t.d)+` FROM `+e.table+` WHERE `+e.table+`.id = ?`, id), e, t.d)
	if isNotFound(mapErr(err)) {
		return nil, nil
	}
	return v, err
}

// logged appends to the history what changed in record id of e since
// before (nil for a record just created), with author standing for who.
func (t *txn) logged(e *entity, id int64, before row, who string) error {
	if t.quiet {
		return nil
	}
	after, err := t.snap(e, id)
	if err != nil {
		return err
	}
	if after == nil {
		return notFound(e.name, id)
	}
	if before == nil {
		return t.created(e, id, after, who)
	}
	if who == "" {
		who = t.author
	}
	inc := after.incidentID(e)
	for i, f := range e.fields {
		if before[i] == after[i] {
			continue
		}
		if err := t.appendChange(&Change{Author: who, Entity: e.name, RecordID: id, IncidentID: inc, Field: f,
			Old: nullPtr(before[i]), New: nullPtr(after[i])}); err != nil {
			return err
		}
	}
	return nil
}

// created appends the creation of record id of e, whose canonical form
// is after.
func (t *txn) created(e *entity, id int64, after row, who string) error {
	if t.quiet {
		return nil
	}
	if who == "" {
		who = t.author
	}
	s := after.json(e)
	return t.appendChange(&Change{Author: who, Entity: e.name, RecordID: id, IncidentID: after.incidentID(e), Field: "*", New: &s})
}

// incidentID is the incident the record belongs to, if any.
func (v row) incidentID(e *entity) *int64 {
	i := e.field(e.incident)
	if i < 0 || !v[i].Valid {
		return nil
	}
	n, err := strconv.ParseInt(v[i].String, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

func nullPtr(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

// appendChange stamps c (time, reason, place on the chain) and stores it.
func (t *txn) appendChange(c *Change) error {
	if err := t.readHead(); err != nil {
		return err
	}
	if c.At == "" {
		c.At = t.stamp()
	}
	if c.Reason == "" {
		c.Reason = t.reason
	}
	c.Seq, c.Prev = t.seq+1, t.head
	c.Hash = c.sum()
	return t.insertChange(c)
}

// readHead reads the chain's last row, once a transaction.
func (t *txn) readHead() error {
	if t.headSet {
		return nil
	}
	var at sql.NullString
	err := t.QueryRowContext(t.ctx, `SELECT seq, hash, at FROM history ORDER BY seq DESC LIMIT 1`).Scan(&t.seq, &t.head, &at)
	if err != nil && !isNotFound(mapErr(err)) {
		return err
	}
	t.headAt, t.headSet = at.String, true
	return nil
}

// stamp is the time a change is recorded at: the transaction's, or the
// last row's when the clock stands behind it (a writer that waited for the
// lock, a clock set back), so history time never goes back.
func (t *txn) stamp() string {
	at := fmtTime(t.now)
	if at < t.headAt {
		return t.headAt
	}
	return at
}

// insertID runs the INSERT query and returns the id of the row it made
// (RETURNING: both engines have it, where only SQLite has a last insert id).
func (t *txn) insertID(query string, args ...any) (int64, error) {
	if err := t.mayRun(query); err != nil {
		return 0, err
	}
	var id int64
	err := t.QueryRowContext(t.ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// insertChange stores c as it is and moves the head to it.
func (t *txn) insertChange(c *Change) error {
	_, err := t.ExecContext(t.ctx, `INSERT INTO history (`+historyColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.Seq, c.At, c.Author, c.Entity, c.RecordID, c.IncidentID, c.Field, c.Old, c.New, c.Reason, c.Prev, c.Hash)
	if err != nil {
		return err
	}
	t.seq, t.head, t.headAt, t.headSet = c.Seq, c.Hash, c.At, true
	return nil
}

// fold applies the changes of one record, oldest first, to its canonical
// form; a record not yet created is nil.
func fold(e *entity, v row, c *Change) (row, error) {
	if c.Field == "*" {
		if c.New == nil {
			return nil, fmt.Errorf("history row %d: a creation without a value", c.Seq)
		}
		r, err := rowFromJSON(e, *c.New)
		if err != nil {
			return nil, fmt.Errorf("history row %d: %w", c.Seq, err)
		}
		return r, nil
	}
	if v == nil {
		return nil, fmt.Errorf("history row %d: %s %d changed before it was created", c.Seq, e.name, c.RecordID)
	}
	i := e.field(c.Field)
	if i < 0 {
		return nil, fmt.Errorf("history row %d: %s has no field %q", c.Seq, e.name, c.Field)
	}
	cur := nullPtr(v[i])
	if (cur == nil) != (c.Old == nil) || (cur != nil && *cur != *c.Old) {
		return nil, fmt.Errorf("history row %d: %s %d %s was %s, the row says %s", c.Seq, e.name, c.RecordID, c.Field, show(cur), show(c.Old))
	}
	v[i] = sql.NullString{}
	if c.New != nil {
		v[i] = sql.NullString{String: *c.New, Valid: true}
	}
	return v, nil
}

func show(p *string) string {
	if p == nil {
		return "NULL"
	}
	s := *p
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return strconv.Quote(s)
}

// write is the one way a record is written in place: it reads record id
// of e as it stands (nil if it is not there yet), runs fn, reads it again
// and appends to the history what changed (or the record whole, if fn
// made it), with who standing for the author ("" for the store's), all in
// the one call.
func (t *txn) write(e *entity, id int64, who string, fn func(before row) error) error {
	t.writing++
	defer func() { t.writing-- }()
	before, err := t.snap(e, id)
	if err != nil {
		return err
	}
	if err := fn(before); err != nil {
		return err
	}
	return t.logged(e, id, before, who)
}

// change is write on a record that must be there: one that is not is
// not found.
func (t *txn) change(e *entity, id int64, who string, fn func(before row) error) error {
	return t.write(e, id, who, func(before row) error {
		if before == nil {
			return notFound(e.name, id)
		}
		return fn(before)
	})
}

// changeAt is change for a save built on version of the record: when the
// record changed since, nothing is written and the error is a *StaleError
// naming the changes (0 takes any version).
func (t *txn) changeAt(e *entity, id, version int64, who string, fn func(before row) error) error {
	if version != 0 {
		now, err := recordVersion(t.ctx, t, e, id)
		if err != nil {
			return err
		}
		if now != version && now != 0 {
			return staleSince(t.ctx, t, e, id, version, now)
		}
	}
	return t.change(e, id, who, fn)
}

// create is the one way a record is made: write inserts it (and whatever
// it gathers from tables of its own) and returns its id; the record then
// enters the history whole, as created by who.
func (t *txn) create(e *entity, who string, write func() (int64, error)) (int64, error) {
	t.writing++
	defer func() { t.writing-- }()
	id, err := write()
	if err != nil {
		return 0, err
	}
	return id, t.logged(e, id, nil, who)
}
