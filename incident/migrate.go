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

// migrations reads the embedded migrations of one engine in version
// order. A file is NNNN_name.sql when both engines run it, or
// NNNN_name_sqlite.sql and NNNN_name_postgres.sql where they differ.
// SQLite's numbers run 1, 2, 3, ... with no gap: the version stored in a
// file is the count applied. PostgreSQL databases began at 26: its first
// file creates the schema as SQLite's 1 to 26 left it, and from there the
// numbers run on together.
func migrations(d dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	own, other := "_sqlite.sql", "_postgres.sql"
	if d.pg {
		own, other = other, own
	}
	var ms []migration
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), other) {
			continue
		}
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
		if m.version != ms[0].version+i || (!d.pg && m.version != i+1) {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, ms[0].version+i)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	ms, _ := migrations(dialect{})
	return len(ms)
}

// schemaVersion reads the version of the schema in the database: SQLite
// keeps it in the file's header, PostgreSQL in a table of its own (none
// yet in a new database).
func schemaVersion(ctx context.Context, q querier, d dialect) (int, error) {
	var have int
	if !d.pg {
		err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have)
		return have, err
	}
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, err
	}
	err := q.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&have)
	return have, err
}

// migrate brings the database up to this build's schema in one
// transaction, through the same helper as every write. A database from a
// newer build is refused before anything is written.
func migrate(ctx context.Context, db *sql.DB, d dialect, readOnly bool, now func() time.Time) error {
	ms, err := migrations(d)
	if err != nil {
		return err
	}
	last := ms[len(ms)-1].version
	have, err := schemaVersion(ctx, db, d)
	if err != nil {
		return mapErr(err)
	}
	switch {
	case have > last:
		return fmt.Errorf("schema version %d, this build knows up to %d; upgrade postmortem: %w", have, last, ErrNewerSchema)
	case have == last:
		return nil
	case readOnly:
		return fmt.Errorf("schema version %d needs upgrading to %d: %w", have, last, ErrReadOnly)
	}
	t := &txn{d: d, now: now().UTC().Truncate(time.Second), author: "postmortem", reason: "schema upgrade", schema: true}
	return runTx(ctx, db, t, func(t *txn) error {
		// Read again inside the write lock: another process may have migrated.
		if have, err = schemaVersion(ctx, t, d); err != nil {
			return err
		}
		for _, m := range ms {
			if m.version <= have {
				continue
			}
			if _, err := t.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, mapErr(err))
			}
		}
		if d.pg {
			_, err := t.ExecContext(ctx, `UPDATE schema_version SET version = ?`, last)
			return err
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
			rows, err := t.QueryContext(t.ctx, `SELECT `+e.cols(t.d)+` FROM `+e.table+` WHERE `+e.table+`.id > ?
				AND NOT EXISTS (SELECT 1 FROM history WHERE entity = ? AND record_id = `+e.table+`.id)
				ORDER BY `+e.table+`.id LIMIT 4096`, after, e.name)
			if err != nil {
				return err
			}
			var page []row
			for rows.Next() {
				r, err := scanRow(rows, e, t.d)
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
