package incident

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
)

// AddAction validates a and stores it; it sets a.ID.
func (s *Store) AddAction(ctx context.Context, a *Action) error {
	if a.Status == "" {
		a.Status = ActionPlanned
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if err := a.validateAt(s.now()); err != nil {
		return err
	}
	a.Created = s.now().UTC().Truncate(time.Second)
	return s.withTx(ctx, func(t *txn) error { return insertAction(t, a) })
}

func datePtr(d *Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func insertAction(t *txn, a *Action) error {
	var id any
	if a.ID != 0 {
		id = a.ID
	}
	if err := checkFinding(t, a); err != nil {
		return err
	}
	_, err := t.create(actionEntity, "", func() (int64, error) {
		newID, err := t.insertID(`INSERT INTO actions (id, incident_id, order_id, area, text, owner, due, status, evidence, evidence_on, done_on, created_at, revised_due, reason, finding, dropped_on, revised_on, verify, english)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, a.IncidentID, a.OrderID, a.Area, a.Text, a.Owner, a.Due.String(),
			a.Status, a.Evidence, datePtr(a.EvidenceOn), datePtr(a.DoneOn), fmtTime(a.Created), datePtr(a.RevisedDue), a.Reason, a.Finding, datePtr(a.DroppedOn),
			datePtr(a.RevisedOn), a.Verify, objectJSON(a.English))
		if err != nil {
			if isNotFound(mapErr(err)) {
				if a.IncidentID != nil {
					return 0, notFound("incident", *a.IncidentID)
				}
				return 0, notFound("order", *a.OrderID)
			}
			return 0, err
		}
		a.ID = newID
		return a.ID, nil
	})
	return err
}

// UpdateAction reads action id, lets change edit it, validates and stores
// it in one transaction, with its history. Marking it done stamps DoneOn
// with today (in loc) unless change set it; evidence given without a date
// is dated the day the measure was done, else today.
func (s *Store) UpdateAction(ctx context.Context, id int64, loc *time.Location, change func(*Action) error) (*Action, error) {
	return s.UpdateActionAt(ctx, id, 0, loc, change)
}

// UpdateActionAt is UpdateAction for a save built on version of the
// measure (0 for any): when it changed since, nothing is written and the
// error is a *StaleError naming the changes.
func (s *Store) UpdateActionAt(ctx context.Context, id, version int64, loc *time.Location, change func(*Action) error) (*Action, error) {
	var out *Action
	err := s.withTx(ctx, func(t *txn) error {
		if err := t.changeAt(actionEntity, id, version, "", func(before row) error {
			a, err := scanAction(before)
			if err != nil {
				return err
			}
			old := *a
			if err := change(a); err != nil {
				return err
			}
			a.ID = id
			today := DateOf(t.now, loc)
			if a.Status == ActionDone && a.DoneOn == nil {
				a.DoneOn = &today
			}
			if a.Status != ActionDone {
				a.DoneOn = nil
			}
			switch {
			case a.Status == ActionDropped && old.Status != ActionDropped && a.DroppedOn == nil:
				a.DroppedOn = &today
			case a.Status != ActionDropped:
				a.DroppedOn = nil
			}
			if a.Evidence != old.Evidence && (a.EvidenceOn == nil || a.EvidenceOn == old.EvidenceOn) {
				a.EvidenceOn = &today
				if a.DoneOn != nil {
					a.EvidenceOn = a.DoneOn
				}
			}
			if a.Evidence == "" {
				a.EvidenceOn = nil
			}
			givenOn := a.RevisedOn != nil && (old.RevisedOn == nil || *a.RevisedOn != *old.RevisedOn)
			switch {
			case a.RevisedDue == nil:
				if givenOn {
					return invalid("revised-on", "is the day the due date was moved; give --revised-due DATE --reason WHY with it")
				}
				a.RevisedOn = nil
			case (old.RevisedDue == nil || *old.RevisedDue != *a.RevisedDue) && !givenOn:
				// Moved today, unless the day it was moved is given:
				// documents dated before show the date as it was.
				a.RevisedOn = &today
			}
			if givenOn && a.OrderID != nil {
				var received string
				if err := t.QueryRowContext(ctx, `SELECT substr(received, 1, 10) FROM orders WHERE id = ?`, *a.OrderID).Scan(&received); err != nil {
					return err
				}
				if a.RevisedOn.String() < received {
					return invalid("revised-on", "%s is before order %d was received (%s); a measure answering it is moved after", a.RevisedOn, *a.OrderID, received)
				}
			}
			if err := a.Validate(); err != nil {
				return err
			}
			if err := a.validateAt(t.now); err != nil {
				return err
			}
			if err := checkDueChange(t, &old, a, today); err != nil {
				return err
			}
			if a.DroppedOn != nil && a.OrderID != nil && (old.DroppedOn == nil || *old.DroppedOn != *a.DroppedOn) {
				var received string
				if err := t.QueryRowContext(ctx, `SELECT substr(received, 1, 10) FROM orders WHERE id = ?`, *a.OrderID).Scan(&received); err != nil {
					return err
				}
				if a.DroppedOn.String() < received {
					return invalid("dropped-on", "%s is before order %d was received (%s); a measure answering it is withdrawn after", a.DroppedOn, *a.OrderID, received)
				}
			}
			if a.RevisedDue != nil && (old.RevisedDue == nil || *a.RevisedDue != *old.RevisedDue) && old.Status == ActionDone && !old.Late(today) {
				return invalid("revised-due", "the measure was done on %s, by its due date %s; a revised date is for a late one", old.DoneOn, old.Due)
			}
			if err := checkFinding(t, a); err != nil {
				return err
			}
			_, err = t.ExecContext(ctx, `UPDATE actions SET area=?, text=?, owner=?, due=?, status=?, evidence=?, evidence_on=?, done_on=?, revised_due=?, reason=?, finding=?, dropped_on=?, revised_on=?, verify=?, english=? WHERE id=?`,
				a.Area, a.Text, a.Owner, a.Due.String(), a.Status, a.Evidence, datePtr(a.EvidenceOn), datePtr(a.DoneOn), datePtr(a.RevisedDue), a.Reason, a.Finding, datePtr(a.DroppedOn),
				datePtr(a.RevisedOn), a.Verify, objectJSON(a.English), id)
			if err != nil {
				return err
			}
			out = a
			return nil
		}); err != nil {
			return err
		}
		var err error
		out.Version, err = recordVersion(ctx, t, actionEntity, id)
		return err
	})
	return out, err
}

// checkDueChange keeps a promised date on record: once it has passed, or
// once the improvement plan that states it has been submitted, a measure
// keeps its due date and a later one is given as a revised date, with the
// reason it is late.
func checkDueChange(t *txn, old, a *Action, today Date) error {
	if a.Due == old.Due {
		return nil
	}
	if today.After(old.Due) {
		return invalid("due", "the measure was due %s, which has passed; the date stays on record: give --revised-due %s --reason WHY", old.Due, a.Due)
	}
	if a.OrderID == nil {
		return nil
	}
	var on sql.NullString
	err := t.QueryRowContext(t.ctx, `SELECT submitted_on FROM submissions WHERE order_id = ? AND kind = 'improvement-plan'`, *a.OrderID).Scan(&on)
	if err != nil && !isNotFound(mapErr(err)) {
		return err
	}
	if on.Valid {
		return invalid("due", "the improvement plan submitted on %s promised %s; give --revised-due %s --reason WHY instead", on.String, old.Due, a.Due)
	}
	return nil
}

// checkFinding checks that the finding a measure answers is its order's,
// in its area; a measure given no area takes the finding's.
func checkFinding(t *txn, a *Action) error {
	if a.Finding == nil {
		return nil
	}
	if a.OrderID == nil {
		return invalid("finding", "a measure answers a finding of an order; give --order too")
	}
	var area string
	err := t.QueryRowContext(t.ctx, `SELECT area FROM findings WHERE order_id = ? AND no = ?`, *a.OrderID, *a.Finding).Scan(&area)
	if isNotFound(mapErr(err)) {
		o, err := liveSource{t}.order(t.ctx, *a.OrderID)
		if err != nil {
			return err
		}
		return invalid("finding", "order %d has no finding %d%s", *a.OrderID, *a.Finding, findingNumbers(o))
	}
	if err != nil {
		return err
	}
	if a.Area != Area(area) {
		return invalid("area", "finding %d is in %s, the measure in %s; a measure answers a finding of its own area", *a.Finding, area, a.Area)
	}
	return nil
}

func queryActions(ctx context.Context, q querier, where, orderBy string, args ...any) ([]Action, error) {
	return queryAll(ctx, q, scanAction, `SELECT `+actionEntity.cols(dialectOf(q))+` FROM actions `+where+` ORDER BY `+orderBy, args...)
}

func scanAction(r scanner) (*Action, error) {
	var (
		a                Action
		inc, ord         sql.NullInt64
		due, created     string
		done, evidenceOn sql.NullString
		revised          sql.NullString
		finding          sql.NullInt64
		dropped          sql.NullString
		revisedOn        sql.NullString
		english          string
	)
	if err := r.Scan(&a.ID, &inc, &ord, &a.Area, &a.Text, &a.Owner, &due, &a.Status, &a.Evidence, &evidenceOn, &done, &created,
		&revised, &a.Reason, &finding, &dropped, &revisedOn, &a.Verify, &english); err != nil {
		return nil, err
	}
	var err error
	if a.English, err = parseEnglish("measure", english); err != nil {
		return nil, err
	}
	if a.RevisedOn, err = parseDatePtr("revised-on", revisedOn); err != nil {
		return nil, err
	}
	if a.DroppedOn, err = parseDatePtr("dropped-on", dropped); err != nil {
		return nil, err
	}
	if finding.Valid {
		n := int(finding.Int64)
		a.Finding = &n
	}
	if inc.Valid {
		a.IncidentID = &inc.Int64
	}
	if ord.Valid {
		a.OrderID = &ord.Int64
	}
	if a.Due, err = ParseDate("due", due); err != nil {
		return nil, err
	}
	if a.DoneOn, err = parseDatePtr("done", done); err != nil {
		return nil, err
	}
	if a.EvidenceOn, err = parseDatePtr("evidence-on", evidenceOn); err != nil {
		return nil, err
	}
	if a.RevisedDue, err = parseDatePtr("revised-due", revised); err != nil {
		return nil, err
	}
	if a.Created, err = parseTime(created); err != nil {
		return nil, err
	}
	return &a, nil
}

func parseDatePtr(field string, ns sql.NullString) (*Date, error) {
	if !ns.Valid {
		return nil, nil
	}
	d, err := ParseDate(field, ns.String)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ActionFilter picks measures: those answering an order (filed under it or
// under an incident it covers), those of an incident (its own and those of
// the orders covering it), the open ones; zero values pick all.
type ActionFilter struct {
	OrderID, IncidentID int64
	OpenOnly            bool
}

// Actions lists the measures f picks, by due date.
func (s *Store) Actions(ctx context.Context, f ActionFilter) ([]Action, error) {
	var conds []string
	var args []any
	if f.OrderID != 0 {
		conds = append(conds, `(order_id = ? OR incident_id IN (SELECT incident_id FROM order_incidents WHERE order_id = ?))`)
		args = append(args, f.OrderID, f.OrderID)
	}
	if f.IncidentID != 0 {
		conds = append(conds, `(incident_id = ? OR order_id IN (SELECT order_id FROM order_incidents WHERE incident_id = ?))`)
		args = append(args, f.IncidentID, f.IncidentID)
	}
	if f.OpenOnly {
		conds = append(conds, `status IN ('planned','in-progress')`)
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	var out []Action
	err := s.read(ctx, func(q querier) error {
		var err error
		if out, err = queryActions(ctx, q, where, `coalesce(revised_due, due), id`, args...); err != nil || len(out) == 0 {
			return err
		}
		return actionVersions(ctx, q, out)
	})
	return out, err
}

// Action reads measure id, with its version.
func (s *Store) Action(ctx context.Context, id int64) (*Action, error) {
	var out []Action
	err := s.read(ctx, func(q querier) error {
		var err error
		if out, err = queryActions(ctx, q, `WHERE id = ?`, `id`, id); err != nil || len(out) == 0 {
			return err
		}
		return actionVersions(ctx, q, out)
	})
	if err == nil && len(out) == 0 {
		err = notFound("action", id)
	}
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// actionVersions fills in each measure's version, in one read.
func actionVersions(ctx context.Context, q querier, as []Action) error {
	ids := make([]int64, len(as))
	at := map[int64]*Action{}
	for i := range as {
		ids[i], at[as[i].ID] = as[i].ID, &as[i]
	}
	list, _ := json.Marshal(ids)
	return eachRow(ctx, q, `SELECT record_id, max(seq) FROM history WHERE entity = 'action' AND record_id IN `+
		dialectOf(q).values("?", "int")+` GROUP BY record_id`, []any{string(list)}, func(r scanner) error {
		var id, v int64
		err := r.Scan(&id, &v)
		at[id].Version = v
		return err
	})
}
