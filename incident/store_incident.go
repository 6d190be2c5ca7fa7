package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

type scanner interface{ Scan(dest ...any) error }

func scanIncident(r scanner) (*Incident, error) {
	var (
		in                     Incident
		services, contributing string
		steps, related, roles  string
		tags                   string
		times                  [5]sql.NullString
		pct                    sql.NullFloat64
		users                  sql.NullInt64
		created, updated       string
		moments                [2]sql.NullString
		closedAt               sql.NullString
		duplicateOf            sql.NullInt64
		english                string
	)
	err := r.Scan(&in.ID, &in.Title, &services, &in.Severity, &in.Status,
		&times[0], &times[1], &times[2], &times[3], &times[4],
		&pct, &users, &in.Symptoms, &in.Cause, &in.Trigger,
		&contributing, &in.Lessons.WentWell, &in.Lessons.WentWrong, &in.Lessons.Lucky,
		&created, &updated, &steps, &related, &roles, &in.CauseCategory, &tags, &moments[0], &moments[1],
		&in.ClosedAs, &closedAt, &duplicateOf, &english)
	if err != nil {
		return nil, err
	}
	if in.English, err = parseEnglish("incident", english); err != nil {
		return nil, err
	}
	if in.ClosedAt, err = parseTimePtr(closedAt); err != nil {
		return nil, err
	}
	if duplicateOf.Valid {
		in.DuplicateOf = &duplicateOf.Int64
	}
	if err := in.fillMoments(moments); err != nil {
		return nil, err
	}
	if err := in.fillSummary(services, times, pct, users); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(contributing), &in.Contributing); err != nil {
		return nil, fmt.Errorf("incident %d contributing: %w", in.ID, err)
	}
	if err := json.Unmarshal([]byte(steps), &in.RecoverySteps); err != nil {
		return nil, fmt.Errorf("incident %d recovery steps: %w", in.ID, err)
	}
	if err := json.Unmarshal([]byte(related), &in.Related); err != nil {
		return nil, fmt.Errorf("incident %d related: %w", in.ID, err)
	}
	if tags != "" && tags != "[]" {
		if err := json.Unmarshal([]byte(tags), &in.Tags); err != nil {
			return nil, fmt.Errorf("incident %d tags: %w", in.ID, err)
		}
	}
	if roles != "" && roles != "{}" {
		if err := json.Unmarshal([]byte(roles), &in.Roles); err != nil {
			return nil, fmt.Errorf("incident %d roles: %w", in.ID, err)
		}
	}
	if len(in.RecoverySteps) == 0 {
		in.RecoverySteps = nil
	}
	if len(in.Related) == 0 {
		in.Related = nil
	}
	if in.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if in.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &in, nil
}

// rolesJSON is the roles as stored: a JSON object, keys sorted.
func rolesJSON(r map[string]string) string {
	if len(r) == 0 {
		return "{}"
	}
	return mustJSON(r)
}

func jsonList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // strings and ints always marshal
	return string(b)
}

// CreateIncident validates in, stores it with its recovery steps and links,
// and sets its ID, status and stamps.
func (s *Store) CreateIncident(ctx context.Context, in *Incident) error {
	now := s.now().UTC().Truncate(time.Second)
	in.fillDefaults()
	if err := in.validateAt(s.now()); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	in.CreatedAt, in.UpdatedAt = now, now
	return s.withTx(ctx, func(t *txn) error {
		if err := insertIncident(t, in); err != nil {
			return err
		}
		return t.declared(in)
	})
}

func insertIncident(t *txn, in *Incident) error {
	_, err := t.create(incidentEntity, "", func() (int64, error) {
		err := insertIncidentRows(t, in)
		return in.ID, err
	})
	return err
}

// insertIncidentRows writes in's rows, for insertIncident.
func insertIncidentRows(t *txn, in *Incident) error {
	ctx, tx := t.ctx, t
	var id any
	if in.ID != 0 {
		id = in.ID
	}
	newID, err := tx.insertID(`INSERT INTO incidents (id, title, services, severity, status, started_at, detected_at,
		acknowledged_at, mitigated_at, resolved_at, users_affected_pct, users_affected,
		symptoms, cause, trigger_text, contributing, went_well, went_wrong, lucky, created_at, updated_at, roles, cause_category, tags,
		classified_at, material_at, closed_as, closed_at, duplicate_of, english)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, in.Title, jsonList(in.Services), in.Severity, in.Status,
		fmtTimePtr(in.StartedAt), fmtTimePtr(in.DetectedAt), fmtTimePtr(in.AcknowledgedAt),
		fmtTimePtr(in.MitigatedAt), fmtTimePtr(in.ResolvedAt), in.UsersAffectedPct, in.UsersAffected,
		in.Symptoms, in.Cause, in.Trigger, jsonList(in.Contributing),
		in.Lessons.WentWell, in.Lessons.WentWrong, in.Lessons.Lucky,
		fmtTime(in.CreatedAt), fmtTime(in.UpdatedAt), rolesJSON(in.Roles), in.CauseCategory, jsonList(in.Tags),
		fmtTimePtr(in.ClassifiedAt), fmtTimePtr(in.MaterialAt), in.ClosedAs, fmtTimePtr(in.ClosedAt), in.DuplicateOf, objectJSON(in.English))
	if err != nil {
		if mapped := mapErr(err); isConflict(mapped) {
			return fmt.Errorf("incident %d %w", in.ID, mapped)
		}
		return err
	}
	in.ID = newID
	if err := writeChildren(ctx, tx, in); err != nil {
		return err
	}
	return nil
}

// writeChildren replaces the recovery steps and links of in.
func writeChildren(ctx context.Context, tx *txn, in *Incident) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_steps WHERE incident_id = ?`, in.ID); err != nil {
		return err
	}
	for i, step := range in.RecoverySteps {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_steps (incident_id, position, text) VALUES (?,?,?)`,
			in.ID, i+1, step); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM related WHERE incident_id = ?`, in.ID); err != nil {
		return err
	}
	for _, r := range in.Related {
		if _, err := tx.ExecContext(ctx, `INSERT INTO related (incident_id, related_id) VALUES (?,?) ON CONFLICT DO NOTHING`,
			in.ID, r); err != nil {
			if isNotFound(mapErr(err)) {
				return notFound("related incident", r)
			}
			return err
		}
	}
	return nil
}

// Incident returns the whole record as it stands: fields, recovery steps,
// links, timeline (oldest first) and action items, read in one snapshot.
func (s *Store) Incident(ctx context.Context, id int64) (*Incident, error) {
	var in *Incident
	err := s.read(ctx, func(q querier) error {
		var err error
		in, err = liveSource{q}.incident(ctx, id, true)
		return err
	})
	return in, err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dialectOf is the dialect of the engine q runs on.
func dialectOf(q querier) dialect {
	if d, ok := q.(interface{ dialect() dialect }); ok {
		return d.dialect()
	}
	return dialect{}
}

// loadIncident reads the incident row, its steps and links.
func loadIncident(ctx context.Context, q querier, id int64) (*Incident, error) {
	in, err := scanIncident(q.QueryRowContext(ctx, `SELECT `+incidentEntity.cols(dialectOf(q))+` FROM incidents WHERE id = ?`, id))
	if err != nil {
		if isNotFound(mapErr(err)) {
			return nil, notFound("incident", id)
		}
		return nil, mapErr(err)
	}
	if in.Version, err = recordVersion(ctx, q, incidentEntity, id); err != nil {
		return nil, mapErr(err)
	}
	return in, nil
}

// recordVersion is a record's version: the seq of its last change in the
// history (0 for none). Every record has one, on either engine.
func recordVersion(ctx context.Context, q querier, e *entity, id int64) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM history WHERE entity = ? AND record_id = ?`, e.name, id).Scan(&v)
	return v, err
}

// StaleError is a save built on a version of a record older than the one
// stored: Changes are what changed since, by whom, oldest first.
type StaleError struct {
	Entity       string // "incident", "action"
	ID, Had, Now int64
	Changes      []Change
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%s %d changed since version %d (now %d)", e.Entity, e.ID, e.Had, e.Now)
}

// staleSince is the StaleError of a save built on version of record id of
// e, now at now, with the changes since read in q.
func staleSince(ctx context.Context, q querier, e *entity, id, version, now int64) *StaleError {
	stale := &StaleError{Entity: e.name, ID: id, Had: version, Now: now}
	stale.Changes, _ = queryHistory(ctx, q, `WHERE entity = ? AND record_id = ? AND seq > ? AND field NOT IN ('updated_at')`, e.name, id, version)
	return stale
}

// Unwrap makes a StaleError match ErrConflict.
func (e *StaleError) Unwrap() error { return ErrConflict }

// UpdateIncidentAt is UpdateIncident for a save built on version (0 for
// any): when the incident changed since, nothing is written and the error
// is a *StaleError naming the changes (txn.changeAt, as every record).
func (s *Store) UpdateIncidentAt(ctx context.Context, id, version int64, change func(*Incident) error) (*Incident, error) {
	return s.updateIncident(ctx, id, version, change)
}

// eachRow runs query and hands fn each row, in order, to scan: the one
// loop over a query's rows, which the readers below build on.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(rows.Err())
}

// queryAll reads every row of query with scan, a record each.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (*T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, query, args, func(r scanner) error {
		v, err := scan(r)
		if err == nil {
			out = append(out, *v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func queryList[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	return queryAll(ctx, q, func(r scanner) (*T, error) {
		var v T
		return &v, r.Scan(&v)
	}, query, args...)
}

// UpdateIncident reads incident id, lets change edit it, validates the
// result and stores it, all in one transaction, with its history and a
// system entry on the timeline for each change a reader of the timeline
// needs (severity, status, title, services, users, key times). When change
// or validation fails nothing is written. Events and actions are not
// touched.
func (s *Store) UpdateIncident(ctx context.Context, id int64, change func(*Incident) error) (*Incident, error) {
	return s.updateIncident(ctx, id, 0, change)
}

func (s *Store) updateIncident(ctx context.Context, id, version int64, change func(*Incident) error) (*Incident, error) {
	var out *Incident
	err := s.withTx(ctx, func(t *txn) error {
		in, err := loadIncident(ctx, t, id)
		if err != nil {
			return err
		}
		old := *in
		if err := t.changeAt(incidentEntity, id, version, "", func(row) error {
			old.Services = append([]string(nil), in.Services...)
			if err := change(in); err != nil {
				return err
			}
			in.ID = id
			if in.DuplicateOf != nil && (old.DuplicateOf == nil || *old.DuplicateOf != *in.DuplicateOf) {
				// The incident it repeats exists, and is linked as related.
				if _, err := loadIncident(ctx, t, *in.DuplicateOf); err != nil {
					if isNotFound(err) {
						return invalid("of", "incident %d does not exist; give the id of the incident this one repeats", *in.DuplicateOf)
					}
					return err
				}
				if !slices.Contains(in.Related, *in.DuplicateOf) {
					in.Related = append(in.Related, *in.DuplicateOf)
				}
			}
			in.syncStatus()
			if err := in.validateAt(t.now); err != nil {
				return err
			}
			if err := in.Validate(); err != nil {
				return err
			}
			in.UpdatedAt = t.now
			_, err = t.ExecContext(ctx, `UPDATE incidents SET title=?, services=?, severity=?, status=?,
			started_at=?, detected_at=?, acknowledged_at=?, mitigated_at=?, resolved_at=?,
			users_affected_pct=?, users_affected=?, symptoms=?, cause=?, trigger_text=?,
			contributing=?, went_well=?, went_wrong=?, lucky=?, updated_at=?, roles=?, cause_category=?, tags=?,
			classified_at=?, material_at=?, closed_as=?, closed_at=?, duplicate_of=?, english=? WHERE id=?`,
				in.Title, jsonList(in.Services), in.Severity, in.Status,
				fmtTimePtr(in.StartedAt), fmtTimePtr(in.DetectedAt), fmtTimePtr(in.AcknowledgedAt),
				fmtTimePtr(in.MitigatedAt), fmtTimePtr(in.ResolvedAt), in.UsersAffectedPct, in.UsersAffected,
				in.Symptoms, in.Cause, in.Trigger, jsonList(in.Contributing),
				in.Lessons.WentWell, in.Lessons.WentWrong, in.Lessons.Lucky, fmtTime(in.UpdatedAt), rolesJSON(in.Roles), in.CauseCategory, jsonList(in.Tags),
				fmtTimePtr(in.ClassifiedAt), fmtTimePtr(in.MaterialAt), in.ClosedAs, fmtTimePtr(in.ClosedAt), in.DuplicateOf, objectJSON(in.English), id)
			if err != nil {
				return err
			}
			return writeChildren(ctx, t, in)
		}); err != nil {
			return err
		}
		if err := t.systemEntries(&old, in); err != nil {
			return err
		}
		if in.Version, err = recordVersion(ctx, t, incidentEntity, id); err != nil {
			return err
		}
		out = in
		return nil
	})
	return out, err
}

// ListFilter narrows, orders and pages Incidents.
type ListFilter struct {
	// OpenOnly keeps incidents not yet resolved.
	OpenOnly bool
	// OpenFirst lists open incidents first, then the latest started;
	// otherwise the list is by id.
	OpenFirst bool
	// Query keeps incidents whose title or services contain it (ASCII
	// letters in any case), or whose status or severity it names.
	Query string
	// Limit and Offset page the list; a Limit of 0 lists everything.
	Limit, Offset int
}

func (f ListFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.OpenOnly {
		conds = append(conds, `status IN ('open','mitigated')`)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, `(instr(lower(title), lower(?)) > 0 OR instr(lower(services), lower(?)) > 0 OR status = lower(?) OR severity = upper(?))`)
		args = append(args, q, q, q, q)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// momentColumns are the moments a law's clock starts from, read after
// summaryColumns where a duty is computed from a summary.
const momentColumns = `classified_at, material_at`

// fillMoments reads momentColumns.
func (in *Incident) fillMoments(m [2]sql.NullString) error {
	var err error
	for i, dst := range []**time.Time{&in.ClassifiedAt, &in.MaterialAt} {
		if *dst, err = parseTimePtr(m[i]); err != nil {
			return fmt.Errorf("incident %d: %w", in.ID, err)
		}
	}
	return nil
}

// scanWithMoments reads summaryColumns and momentColumns.
func scanWithMoments(r scanner) (*Incident, error) {
	var m [2]sql.NullString
	in, err := scanSummary(r, &m[0], &m[1])
	if err != nil {
		return nil, err
	}
	return in, in.fillMoments(m)
}

// fillSummary reads the columns an incident's row and its summary share.
func (in *Incident) fillSummary(services string, times [5]sql.NullString, pct sql.NullFloat64, users sql.NullInt64) error {
	var err error
	for i, dst := range []**time.Time{&in.StartedAt, &in.DetectedAt, &in.AcknowledgedAt, &in.MitigatedAt, &in.ResolvedAt} {
		if *dst, err = parseTimePtr(times[i]); err != nil {
			return fmt.Errorf("incident %d: %w", in.ID, err)
		}
	}
	if pct.Valid {
		in.UsersAffectedPct = &pct.Float64
	}
	if users.Valid {
		in.UsersAffected = &users.Int64
	}
	if in.Services, err = readStrings(services, in.Services[:0]); err != nil {
		return fmt.Errorf("incident %d services: %w", in.ID, err)
	}
	return nil
}

// readStrings reads a JSON list of strings, as jsonList writes it, into
// dst's array. Lists of plain names, the rule, are cut where they stand;
// any escape goes through encoding/json.
func readStrings(list string, dst []string) ([]string, error) {
	if list == "[]" {
		return dst, nil
	}
	slow := func() ([]string, error) {
		dst = dst[:0]
		err := json.Unmarshal([]byte(list), &dst)
		return dst, err
	}
	if len(list) < 4 || list[0] != '[' || list[len(list)-1] != ']' || strings.IndexByte(list, '\\') >= 0 {
		return slow()
	}
	for rest := list[1 : len(list)-1]; ; {
		if len(rest) < 2 || rest[0] != '"' {
			return slow()
		}
		end := strings.IndexByte(rest[1:], '"') + 1
		if end == 0 {
			return slow()
		}
		dst = append(dst, rest[1:end])
		rest = rest[end+1:]
		if rest == "" {
			return dst, nil
		}
		if rest[0] != ',' {
			return slow()
		}
		rest = rest[1:]
	}
}

// summaryColumns are what a listing shows of an incident: no prose, no
// timeline, no steps or links.
const summaryColumns = `id, title, services, severity, status, started_at, detected_at, acknowledged_at,
	mitigated_at, resolved_at, users_affected_pct, users_affected, created_at, updated_at, closed_as`

// scanSummary reads summaryColumns, then into extra any columns the query
// adds after them.
func scanSummary(r scanner, extra ...any) (*Incident, error) {
	var in Incident
	return &in, scanSummaryInto(r, &in, extra...)
}

// scanSummaryInto is scanSummary into in, which a caller reading many
// keeps in a list of its own, so it is not made and then copied.
func scanSummaryInto(r scanner, in *Incident, extra ...any) error {
	var (
		services         string
		times            [5]sql.NullString
		pct              sql.NullFloat64
		users            sql.NullInt64
		created, updated string
	)
	if err := r.Scan(append([]any{&in.ID, &in.Title, &services, &in.Severity, &in.Status,
		&times[0], &times[1], &times[2], &times[3], &times[4], &pct, &users, &created, &updated, &in.ClosedAs}, extra...)...); err != nil {
		return err
	}
	if err := in.fillSummary(services, times, pct, users); err != nil {
		return err
	}
	var err error
	if in.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	in.UpdatedAt, err = parseTime(updated)
	return err
}

// order is the listing's order: by id, or open first then the latest
// started (the order of the incidents_home index, so a page is read, not
// sorted).
func (f ListFilter) order() string {
	if f.OpenFirst {
		return ` ORDER BY (status IN ('open','mitigated')) DESC, COALESCE(started_at, created_at) DESC, id DESC`
	}
	return ` ORDER BY id`
}

// Incidents lists incidents as a listing shows them (scanSummary's fields:
// no prose, timeline, actions, steps or links; Incident has those), by
// id or open first, a page at a time when f.Limit is set.
func (s *Store) Incidents(ctx context.Context, f ListFilter) ([]Incident, error) {
	var out []Incident
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = listIncidents(ctx, q, f)
		return err
	})
	return out, mapErr(err)
}

func listIncidents(ctx context.Context, q querier, f ListFilter) ([]Incident, error) {
	where, args := f.where()
	page := ""
	if f.Limit > 0 {
		page = fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(0, f.Offset))
	}
	return queryAll(ctx, q, func(r scanner) (*Incident, error) { return scanSummary(r) },
		`SELECT `+summaryColumns+` FROM incidents`+where+f.order()+page, args...)
}

// countOpen counts what Incidents lists for f (without its page), and of
// those the incidents not yet resolved.
func countOpen(ctx context.Context, q querier, f ListFilter) (total, open int, err error) {
	where, args := f.where()
	and := " WHERE "
	if where != "" {
		and = " AND "
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM incidents`+where, args...).Scan(&total); err != nil {
		return 0, 0, err
	}
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM incidents`+where+and+`status IN ('open','mitigated')`, args...).Scan(&open)
	return total, open, err
}

// Line is an incident as one line of a listing shows it. What fn is
// handed by Lines is good until fn returns: the next line reuses it.
type Line struct {
	ID         int64
	Title      string
	Services   []string
	Severity   Severity
	Status     Status
	StartedAt  *time.Time
	ResolvedAt *time.Time
	// Of is how many lines the listing has, in the same snapshot: what a
	// caller needs to size its buffers once.
	Of int

	started, resolved time.Time
}

// lineColumns is a listing's line as SQLite hands it over: one text of
// the seven columns, cut by unit separators (0x1f), the title last so the
// only column that may hold a 0x1f itself is never cut. One column is a
// fifth of the calls across cgo that seven would be, and a listing of
// 100,000 incidents is mostly those calls.
const lineColumns = `id || char(31) || severity || char(31) || CASE closed_as WHEN '' THEN status ELSE closed_as END || char(31) ||
	coalesce(started_at, '') || char(31) || coalesce(resolved_at, '') || char(31) || services || char(31) || title`

// Lines hands fn the listing's lines for f, one at a time as they are read,
// in one snapshot: a listing of any length keeps no more than a line in
// hand.
func (s *Store) Lines(ctx context.Context, f ListFilter, fn func(*Line) error) error {
	where, args := f.where()
	return mapErr(s.read(ctx, func(q querier) error {
		var l Line
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM incidents`+where, args...).Scan(&l.Of); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+dialectOf(q).line()+` FROM incidents`+where+f.order(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var text string
		for rows.Next() {
			if err := rows.Scan(&text); err != nil {
				return err
			}
			if err := l.read(text); err != nil {
				return err
			}
			if err := fn(&l); err != nil {
				return err
			}
		}
		return rows.Err()
	}))
}

// read fills l from a row of lineColumns.
func (l *Line) read(text string) error {
	var col [6]string
	for i := range col {
		cut := strings.IndexByte(text, 0x1f)
		if cut < 0 {
			return fmt.Errorf("listing line %q: %d columns, want 7", text, i+1)
		}
		col[i], text = text[:cut], text[cut+1:]
	}
	var err error
	if l.ID, err = strconv.ParseInt(col[0], 10, 64); err != nil {
		return fmt.Errorf("listing line: id %q", col[0])
	}
	l.Severity, l.Status, l.Title = Severity(col[1]), Status(col[2]), text
	l.StartedAt, l.ResolvedAt = nil, nil
	if col[3] != "" {
		if l.started, err = parseTime(col[3]); err != nil {
			return fmt.Errorf("incident %d started_at: %w", l.ID, err)
		}
		l.StartedAt = &l.started
	}
	if col[4] != "" {
		if l.resolved, err = parseTime(col[4]); err != nil {
			return fmt.Errorf("incident %d resolved_at: %w", l.ID, err)
		}
		l.ResolvedAt = &l.resolved
	}
	if l.Services, err = readStrings(col[5], l.Services[:0]); err != nil {
		return fmt.Errorf("incident %d services: %w", l.ID, err)
	}
	return nil
}
