package incident

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded NNNN_name.sql files in version order. The
// numbers must run 1, 2, 3, ... with no gap: the version stored in the
// database is the count applied.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate brings the database up to this build's schema in one
// transaction, through the same helper as every write. A database from a
// newer build is refused before anything is written.
func migrate(ctx context.Context, db *sql.DB, readOnly bool, now func() time.Time) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return mapErr(err)
	}
	switch {
	case have > len(ms):
		return fmt.Errorf("schema version %d, this build knows up to %d; upgrade postmortem: %w", have, len(ms), ErrNewerSchema)
	case have == len(ms):
		return nil
	case readOnly:
		return fmt.Errorf("schema version %d needs upgrading to %d: %w", have, len(ms), ErrReadOnly)
	}
	t := &txn{now: now().UTC().Truncate(time.Second), author: "postmortem", reason: "schema upgrade"}
	return runTx(ctx, db, t, func(t *txn) error {
		// Read again inside the write lock: another process may have migrated.
		if err := t.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
			return err
		}
		for _, m := range ms[min(have, len(ms)):] {
			if _, err := t.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, mapErr(err))
			}
		}
		if have >= 3 && have < 12 {
			// 0012 numbered the findings: each order's findings field
			// changed form, and the history says so, as a change by the
			// upgrade, so the chain still accounts for every record.
			if err := t.reshaped(orderEntity); err != nil {
				return fmt.Errorf("migration 0012_findings.sql: %w", err)
			}
		}
		if have > 0 && have < 3 {
			// The records kept before the history began enter it as they
			// stand once the schema is whole (the select lists are this
			// build's), so the chain accounts for every record.
			if err := t.baseline(); err != nil {
				return fmt.Errorf("migration 0003_history.sql: %w", err)
			}
		}
		if _, err := t.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms)))
		return err
	})
}

// reshaped records, for each record of e, the fields whose form a
// migration changed: what the history last said against what the table
// now reads.
func (t *txn) reshaped(e *entity) error {
	recs, ids, err := historySource{q: t, at: "9999-12-31T23:59:59Z"}.records(t.ctx, e, ``)
	if err != nil {
		return err
	}
	for _, id := range ids {
		now, err := t.snap(e, id)
		if err != nil {
			return err
		}
		if now == nil {
			continue
		}
		if err := t.logged(e, id, recs[id], ""); err != nil {
			return err
		}
	}
	return nil
}

// baseline writes a creation row for every record the history lacks, as
// the record stands, reading each table once in pages of ids.
func (t *txn) baseline() error {
	for _, e := range entities {
		for after := int64(0); ; {
			rows, err := t.QueryContext(t.ctx, `SELECT `+e.columns+` FROM `+e.table+` WHERE `+e.table+`.id > ?
				AND NOT EXISTS (SELECT 1 FROM history WHERE entity = ? AND record_id = `+e.table+`.id)
				ORDER BY `+e.table+`.id LIMIT 4096`, after, e.name)
			if err != nil {
				return err
			}
			var page []row
			for rows.Next() {
				r, err := scanRow(rows, len(e.fields))
				if err != nil {
					rows.Close()
					return err
				}
				page = append(page, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(page) == 0 {
				break
			}
			for _, r := range page {
				id, err := idOf(r)
				if err != nil {
					return err
				}
				if err := t.created(e, id, r, ""); err != nil {
					return err
				}
				after = id
			}
		}
	}
	return nil
}
