package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"time"
)

// A source is where a view's records come from: the live tables, or the
// history replayed up to a moment ("as known at"). Both hand back the same
// domain values, read by the same scanners.
type source interface {
	incident(ctx context.Context, id int64, whole bool) (*Incident, error)
	events(ctx context.Context, incidentID int64) ([]Event, error)
	// incidentActions are the measures filed under the incident or under
	// an order that covers it.
	incidentActions(ctx context.Context, incidentID int64) ([]Action, error)
	// linking lists the incidents whose related list names id.
	linking(ctx context.Context, id int64) ([]int64, error)
	order(ctx context.Context, id int64) (*Order, error)
	orderActions(ctx context.Context, o *Order) ([]Action, error)
	// head is the hash of the last history row the source reflects.
	// head is the hash of the last history row the source reflects
	// (seals aside) and the first seal that vouches for it, if any.
	head(ctx context.Context) (string, *Seal, error)
	// lastChange is when the incident, its events or its measures last
	// changed.
	lastChange(ctx context.Context, incidentID int64) (time.Time, error)
	// catalogue is the service catalogue; dutyRecords the duties of the
	// incident marked by hand; covering the orders that cover it.
	catalogue(ctx context.Context) (catalogue, error)
	dutyRecords(ctx context.Context, incidentID int64) ([]dutyRecord, error)
	covering(ctx context.Context, incidentID int64) ([]Order, error)
	// org is who submits.
	org(ctx context.Context) (*Org, error)
}

func (l liveSource) org(ctx context.Context) (*Org, error) { return queryOrg(ctx, l.q) }

func (h historySource) org(ctx context.Context) (*Org, error) {
	recs, _, err := h.records(ctx, orgEntity, ``)
	if err != nil {
		return nil, err
	}
	if r, ok := recs[1]; ok {
		return scanOrg(r)
	}
	return &Org{}, nil
}

// dutiesOf computes the duties of in (read whole, with its timeline) from
// what src holds; cat is src's catalogue, read once by the caller for all
// it computes.
func dutiesOf(ctx context.Context, src source, rs *Regimes, cat catalogue, in *Incident) ([]Duty, error) {
	orders, err := src.covering(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	x := dutyInputs{regimes: dutyRegimes(rs, cat, in, orders), submitted: submissionsFor(in.ID, orders), cat: cat}
	if len(x.regimes) == 0 {
		return nil, nil
	}
	if x.org, err = src.org(ctx); err != nil {
		return nil, err
	}
	if x.records, err = src.dutyRecords(ctx, in.ID); err != nil {
		return nil, err
	}
	for _, e := range in.Timeline {
		if e.Notice != "" {
			x.notices = append(x.notices, e)
		}
	}
	return in.duties(x), nil
}

func (l liveSource) catalogue(ctx context.Context) (catalogue, error) { return loadCatalogue(ctx, l.q) }

func (l liveSource) dutyRecords(ctx context.Context, id int64) ([]dutyRecord, error) {
	return queryDutyRecords(ctx, l.q, `WHERE incident_id = ?`, id)
}

func (l liveSource) covering(ctx context.Context, id int64) ([]Order, error) {
	return queryOrdersWhere(ctx, l.q, `WHERE id IN (SELECT order_id FROM order_incidents WHERE incident_id = ?)`, id)
}

func (h historySource) catalogue(ctx context.Context) (catalogue, error) {
	recs, ids, err := h.records(ctx, serviceEntity, ``)
	if err != nil {
		return nil, err
	}
	svcs := make([]Service, 0, len(ids))
	for _, id := range ids {
		svc, err := scanService(recs[id])
		if err != nil {
			return nil, err
		}
		svcs = append(svcs, *svc)
	}
	return newCatalogue(svcs), nil
}

func (h historySource) dutyRecords(ctx context.Context, id int64) ([]dutyRecord, error) {
	recs, ids, err := h.records(ctx, dutyEntity, ` AND incident_id = ?`, id)
	if err != nil {
		return nil, err
	}
	var out []dutyRecord
	for _, rid := range ids {
		d, err := scanDuty(recs[rid])
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// covering folds only the orders that could cover the incident at the
// moment: those that cover it now, and those whose list of incidents ever
// changed to or from naming it.
func (h historySource) covering(ctx context.Context, id int64) ([]Order, error) {
	needle := strconv.FormatInt(id, 10)
	cands, err := queryList[int64](ctx, h.q, `SELECT order_id FROM order_incidents WHERE incident_id = ?
		UNION SELECT record_id FROM history WHERE entity = 'order' AND field = 'incidents'
			AND (instr(coalesce(old, ''), ?) > 0 OR instr(coalesce(new, ''), ?) > 0)`, id, needle, needle)
	if err != nil {
		return nil, err
	}
	recs, ids, err := h.recordsIn(ctx, orderEntity, cands)
	if err != nil {
		return nil, err
	}
	var out []Order
	for _, oid := range ids {
		o, err := scanOrder(recs[oid])
		if err != nil {
			return nil, err
		}
		if slices.Contains(o.Incidents, id) {
			out = append(out, *o)
		}
	}
	return out, nil
}

func lastChange(ctx context.Context, q querier, query string, args ...any) (time.Time, error) {
	var at sql.NullString
	if err := q.QueryRowContext(ctx, query, args...).Scan(&at); err != nil {
		return time.Time{}, mapErr(err)
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return parseTime(at.String)
}

func (l liveSource) lastChange(ctx context.Context, id int64) (time.Time, error) {
	return lastChange(ctx, l.q, `SELECT max(at) FROM history WHERE incident_id = ?`, id)
}

func (h historySource) lastChange(ctx context.Context, id int64) (time.Time, error) {
	return lastChange(ctx, h.q, `SELECT max(at) FROM history WHERE incident_id = ? AND at <= ?`, id, h.at)
}

// liveSource reads the tables as they stand.
type liveSource struct{ q querier }

func (l liveSource) incident(ctx context.Context, id int64, whole bool) (*Incident, error) {
	in, err := loadIncident(ctx, l.q, id)
	if err != nil || !whole {
		return in, err
	}
	if in.Timeline, err = l.events(ctx, id); err != nil {
		return nil, err
	}
	if in.Actions, err = l.incidentActions(ctx, id); err != nil {
		return nil, err
	}
	return in, nil
}

func (l liveSource) events(ctx context.Context, incidentID int64) ([]Event, error) {
	return queryEvents(ctx, l.q, incidentID)
}

// incidentActions are the measures of incident id, with their versions
// (a screen saves a measure on the version it showed).
func (l liveSource) incidentActions(ctx context.Context, id int64) ([]Action, error) {
	as, err := queryActions(ctx, l.q, `WHERE incident_id = ? OR order_id IN (SELECT order_id FROM order_incidents WHERE incident_id = ?)`,
		`due, id`, id, id)
	if err != nil || len(as) == 0 {
		return as, err
	}
	return as, actionVersions(ctx, l.q, as)
}

func (l liveSource) linking(ctx context.Context, id int64) ([]int64, error) {
	return queryList[int64](ctx, l.q, `SELECT incident_id FROM related WHERE related_id = ? ORDER BY incident_id`, id)
}

func (l liveSource) order(ctx context.Context, id int64) (*Order, error) {
	o, err := scanOrder(l.q.QueryRowContext(ctx, `SELECT `+orderEntity.cols(dialectOf(l.q))+` FROM orders WHERE id = ?`, id))
	if isNotFound(mapErr(err)) {
		return nil, notFound("order", id)
	}
	return o, mapErr(err)
}

func (l liveSource) orderActions(ctx context.Context, o *Order) ([]Action, error) {
	where, args := "WHERE order_id = ?", []any{o.ID}
	for _, id := range o.Incidents {
		where += " OR incident_id = ?"
		args = append(args, id)
	}
	return queryActions(ctx, l.q, where, `due, id`, args...)
}

func (l liveSource) head(ctx context.Context) (string, *Seal, error) {
	return headAndSeal(ctx, l.q, ``)
}

// historySource rebuilds records from the history rows recorded at or
// before a moment: what the database held then, whatever it holds now.
type historySource struct {
	q  querier
	at string // UTC, as history.at is stored
}

// records folds the changes of every record of e matching cond (on the
// history's columns) into their canonical rows, by id; a record created
// after the moment is absent.
func (h historySource) records(ctx context.Context, e *entity, cond string, args ...any) (map[int64]row, []int64, error) {
	rows, err := h.q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history WHERE entity = ? AND at <= ?`+cond+` ORDER BY seq`,
		append([]any{e.name, h.at}, args...)...)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]row{}
	var ids []int64
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, nil, mapErr(err)
		}
		cur, seen := out[c.RecordID]
		if cur, err = fold(e, cur, &c); err != nil {
			return nil, nil, err
		}
		if !seen {
			ids = append(ids, c.RecordID)
		}
		out[c.RecordID] = cur
	}
	slices.Sort(ids)
	return out, ids, mapErr(rows.Err())
}

func (h historySource) incident(ctx context.Context, id int64, whole bool) (*Incident, error) {
	recs, _, err := h.records(ctx, incidentEntity, ` AND record_id = ?`, id)
	if err != nil {
		return nil, err
	}
	r, ok := recs[id]
	if !ok {
		return nil, notFound("incident", id)
	}
	in, err := scanIncident(r)
	if err != nil || !whole {
		return in, err
	}
	if in.Timeline, err = h.events(ctx, id); err != nil {
		return nil, err
	}
	if in.Actions, err = h.incidentActions(ctx, id); err != nil {
		return nil, err
	}
	return in, nil
}

func (h historySource) events(ctx context.Context, incidentID int64) ([]Event, error) {
	recs, ids, err := h.records(ctx, eventEntity, ` AND incident_id = ?`, incidentID)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(ids))
	for _, id := range ids {
		e, err := scanEvent(recs[id])
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// allActions rebuilds every action known at the moment, keeping those
// keep accepts, by due date then id.
func (h historySource) allActions(ctx context.Context, keep func(*Action) bool) ([]Action, error) {
	recs, ids, err := h.records(ctx, actionEntity, ``)
	if err != nil {
		return nil, err
	}
	var out []Action
	for _, id := range ids {
		a, err := scanAction(recs[id])
		if err != nil {
			return nil, err
		}
		if keep(a) {
			out = append(out, *a)
		}
	}
	sortActions(out)
	return out, nil
}

// incidentActions folds only the measures that were ever filed under the
// incident, and, when an order covers it, those filed under an order
// alone: what it reads grows with the incident, not with the database.
func (h historySource) incidentActions(ctx context.Context, id int64) ([]Action, error) {
	orders, err := h.covering(ctx, id)
	if err != nil {
		return nil, err
	}
	covering := map[int64]bool{}
	for _, o := range orders {
		covering[o.ID] = true
	}
	query := `SELECT DISTINCT record_id FROM history INDEXED BY history_incident WHERE incident_id = ? AND entity = 'action' AND at <= ?`
	args := []any{id, h.at}
	if len(covering) > 0 {
		query += ` UNION SELECT DISTINCT record_id FROM history INDEXED BY history_incident WHERE incident_id IS NULL AND entity = 'action' AND at <= ?`
		args = append(args, h.at)
	}
	ids, err := queryList[int64](ctx, h.q, query, args...)
	if err != nil {
		return nil, err
	}
	recs, ids, err := h.recordsIn(ctx, actionEntity, ids)
	if err != nil {
		return nil, err
	}
	var out []Action
	for _, rid := range ids {
		a, err := scanAction(recs[rid])
		if err != nil {
			return nil, err
		}
		if (a.IncidentID != nil && *a.IncidentID == id) || (a.OrderID != nil && covering[*a.OrderID]) {
			out = append(out, *a)
		}
	}
	sortActions(out)
	return out, nil
}

// recordsIn folds the records of e with the ids given.
func (h historySource) recordsIn(ctx context.Context, e *entity, ids []int64) (map[int64]row, []int64, error) {
	if len(ids) == 0 {
		return map[int64]row{}, nil, nil
	}
	list, _ := json.Marshal(ids)
	return h.records(ctx, e, ` AND record_id IN `+dialectOf(h.q).values("?", "int"), string(list))
}

// linking lists the incidents whose related list named id at the moment.
// Only candidates are folded: those that link to it now, and those whose
// list changed, at any time, to or from naming it (a link that was there
// from an incident's creation and is gone now was removed by such a
// change, perhaps after the moment).
func (h historySource) linking(ctx context.Context, id int64) ([]int64, error) {
	needle := strconv.FormatInt(id, 10)
	cands, err := queryList[int64](ctx, h.q, `SELECT incident_id FROM related WHERE related_id = ?
		UNION SELECT record_id FROM history INDEXED BY history_related WHERE entity = 'incident' AND field = 'related'
			AND (instr(coalesce(old, ''), ?) > 0 OR instr(coalesce(new, ''), ?) > 0)`, id, needle, needle)
	if err != nil {
		return nil, err
	}
	recs, ids, err := h.recordsIn(ctx, incidentEntity, cands)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, rid := range ids {
		in, err := scanIncident(recs[rid])
		if err != nil {
			return nil, err
		}
		if slices.Contains(in.Related, id) {
			out = append(out, rid)
		}
	}
	return out, nil
}

func (h historySource) order(ctx context.Context, id int64) (*Order, error) {
	recs, _, err := h.records(ctx, orderEntity, ` AND record_id = ?`, id)
	if err != nil {
		return nil, err
	}
	r, ok := recs[id]
	if !ok {
		return nil, notFound("order", id)
	}
	return scanOrder(r)
}

func (h historySource) orderActions(ctx context.Context, o *Order) ([]Action, error) {
	return h.allActions(ctx, func(a *Action) bool {
		return (a.OrderID != nil && *a.OrderID == o.ID) || (a.IncidentID != nil && slices.Contains(o.Incidents, *a.IncidentID))
	})
}

func (h historySource) head(ctx context.Context) (string, *Seal, error) {
	return headAndSeal(ctx, h.q, `AND at <= ?`, h.at)
}

func sortActions(as []Action) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].Due.t.Equal(as[j].Due.t) {
			return as[i].Due.Before(as[j].Due)
		}
		return as[i].ID < as[j].ID
	})
}

// sourceAt is the live tables, or the history as known at knownAt.
func sourceAt(q querier, knownAt time.Time) source {
	if knownAt.IsZero() {
		return liveSource{q}
	}
	return historySource{q: q, at: fmtTime(knownAt)}
}
