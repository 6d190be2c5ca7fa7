package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// checkGateRecords checks the records the gate decides on against their
// history, so an edit made with plain SQL (an incident set resolved, a
// freeze ended, a service moved out of a group) cannot open the gate: the
// incidents the history says are unresolved, the incidents blocking now,
// every freeze and every service. Each record's history rows are checked
// for their hash and their link to the row before, and folded; the fold
// must be the record as stored. It reads only those records' rows.
func checkGateRecords(ctx context.Context, q querier, blocking []int64) error {
	ids, err := historyUnresolved(ctx, q)
	if err != nil {
		return err
	}
	for _, id := range blocking {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if err := checkRecords(ctx, q, incidentEntity, ids); err != nil {
		return err
	}
	for _, e := range []*entity{freezeEntity, serviceEntity} {
		all, err := recordIDs(ctx, q, e)
		if err != nil {
			return err
		}
		if err := checkRecords(ctx, q, e, all); err != nil {
			return err
		}
	}
	return nil
}

// historyUnresolved lists the incidents whose last status in the history
// (their creation's, when it never changed) is open or mitigated.
func historyUnresolved(ctx context.Context, q querier) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT h.record_id FROM history h
		WHERE h.seq IN (SELECT max(seq) FROM history INDEXED BY history_status
			WHERE entity = 'incident' AND field IN ('*', 'status') GROUP BY record_id)
		AND (CASE h.field WHEN '*' THEN `+dialectOf(q).member("h.new", "status")+` ELSE h.new END) IN ('open', 'mitigated')
		ORDER BY h.record_id`)
}

// recordIDs lists the ids of e's records, live or in the history.
func recordIDs(ctx context.Context, q querier, e *entity) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT id FROM `+e.table+` UNION SELECT DISTINCT record_id FROM history WHERE entity = ? ORDER BY 1`, e.name)
}

// queryIDs runs a query of one id column and returns the ids.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	return queryList[int64](ctx, q, query, args...)
}

// checkRecords checks records ids of e against their history; the first
// disagreement is an error wrapping ErrBroken that names the record.
func checkRecords(ctx context.Context, q querier, e *entity, ids []int64) error {
	for _, id := range ids {
		p, err := checkRecord(ctx, q, e, id)
		if err != nil {
			return err
		}
		if p != "" {
			return fmt.Errorf("%s: %w", p, ErrBroken)
		}
	}
	return nil
}

// checkRecord checks one record: its history rows, each with its hash and
// its link to the row before it (read in the same query), and their fold
// against the stored record. "" when all agree.
func checkRecord(ctx context.Context, q querier, e *entity, id int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixedHistoryColumns+`, coalesce(p.hash, '') FROM history h
		LEFT JOIN history p ON p.seq = h.seq - 1 WHERE h.entity = ? AND h.record_id = ? ORDER BY h.seq`, e.name, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cur row
	for rows.Next() {
		var prev string
		c, err := scanChange(withExtra{rows, &prev})
		if err != nil {
			return "", err
		}
		if p := checkLink(&c, c.Seq-1, prev); p != "" {
			return p, nil
		}
		if cur, err = fold(e, cur, &c); err != nil {
			return err.Error(), nil
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	live, err := scanRow(q.QueryRowContext(ctx, `SELECT `+e.cols(dialectOf(q))+` FROM `+e.table+` WHERE `+e.table+`.id = ?`, id), e, dialectOf(q))
	if isNotFound(mapErr(err)) {
		live, err = nil, nil
	}
	switch {
	case err != nil:
		return "", err
	case live == nil && cur == nil:
		return "", nil
	case live == nil:
		return notInDatabase(e, id), nil
	case cur == nil:
		return notInHistory(e, id), nil
	}
	return changedField(e, id, cur, live), nil
}

// prefixedHistoryColumns are historyColumns of the history aliased h.
var prefixedHistoryColumns = "h." + strings.ReplaceAll(historyColumns, ", ", ", h.")

// withExtra scans a row whose columns are those r's reader expects and
// one more, into extra.
type withExtra struct {
	r     scanner
	extra any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra)...) }
