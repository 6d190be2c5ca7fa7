package incident

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
)

// guard is the history's append-only guard: triggers that refuse any
// change to a history row or its removal. Someone who can write the file
// can drop them; verify says so, and the next write puts them back.
var guard = []struct{ name, sql string }{
	{"history_no_update", `CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END`},
	{"history_no_delete", `CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END`},
}

// pgGuard is the guard on PostgreSQL: one function the triggers call, as
// the server describes them once made (pg_get_triggerdef).
var pgGuard = []struct{ name, sql string }{
	{"history_append_only", `CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'history is append-only'; END $$`},
	{"history_no_update", `CREATE TRIGGER history_no_update BEFORE UPDATE ON history FOR EACH ROW EXECUTE FUNCTION history_append_only()`},
	{"history_no_delete", `CREATE TRIGGER history_no_delete BEFORE DELETE ON history FOR EACH ROW EXECUTE FUNCTION history_append_only()`},
	{"history_no_truncate", `CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()`},
}

// guardState names the guard's triggers (and, on PostgreSQL, the function
// they call) that are missing or altered. A trigger disabled on
// PostgreSQL counts as altered.
func guardState(ctx context.Context, q querier) (missing, altered []string, err error) {
	want := guard
	query := `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'history'`
	if dialectOf(q).pg {
		want = pgGuard
		query = `SELECT tgname, CASE WHEN tgenabled = 'D' THEN 'disabled' ELSE replace(pg_get_triggerdef(oid), current_schema() || '.', '') END
		FROM pg_trigger WHERE tgrelid = 'history'::regclass AND NOT tgisinternal
		UNION ALL SELECT proname, 'CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$' || prosrc || '$$'
		FROM pg_proc WHERE proname = 'history_append_only' AND pronamespace = current_schema()::regnamespace`
	}
	have := map[string]string{}
	if err := eachRow(ctx, q, query, nil, func(r scanner) error {
		var name, text string
		err := r.Scan(&name, &text)
		have[name] = text
		return err
	}); err != nil {
		return nil, nil, err
	}
	for _, g := range want {
		text, ok := have[g.name]
		switch {
		case !ok:
			missing = append(missing, g.name)
		case strings.Join(strings.Fields(text), " ") != strings.Join(strings.Fields(g.sql), " "):
			altered = append(altered, g.name)
		}
	}
	return missing, altered, nil
}

// checkGuard is verify's finding on the guard, "" when it is in place.
func checkGuard(ctx context.Context, q querier) (string, error) {
	missing, altered, err := guardState(ctx, q)
	switch {
	case err != nil:
		return "", err
	case len(missing) > 0:
		return fmt.Sprintf("the history's append-only guard is missing (trigger %s dropped): its rows could have been edited or removed unseen; the next write puts it back",
			strings.Join(missing, ", ")), nil
	case len(altered) > 0:
		return fmt.Sprintf("the history's append-only guard was altered (trigger %s): its rows could have been edited or removed unseen; the next write puts it back",
			strings.Join(altered, ", ")), nil
	}
	return "", nil
}

// restoreGuard puts back the guard's triggers that are missing or altered,
// inside a write transaction. Any change to the schema changes its
// version: at the version seen holds the guard was last found whole, it
// is not looked at again (a pragma read instead of a read of the schema,
// on every write).
func restoreGuard(t *txn, seen *atomic.Int64) error {
	if t.d.pg {
		return restorePGGuard(t)
	}
	var version int64
	if err := t.QueryRowContext(t.ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
		return err
	}
	if version == seen.Load() {
		return nil
	}
	missing, altered, err := guardState(t.ctx, t)
	if err != nil {
		return err
	}
	if len(missing)+len(altered) > 0 {
		for _, g := range guard {
			if _, err := t.ExecContext(t.ctx, `DROP TRIGGER IF EXISTS `+g.name); err != nil {
				return err
			}
			if _, err := t.ExecContext(t.ctx, g.sql); err != nil {
				return err
			}
		}
		if err := t.QueryRowContext(t.ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
			return err
		}
	}
	// Kept only once committed would be exact; a rolled-back restore
	// leaves a version the next write sees differ, and it looks again.
	seen.Store(version)
	return nil
}

// restorePGGuard is restoreGuard on PostgreSQL, which has no cheap
// schema version to watch: the triggers are looked at on every write.
func restorePGGuard(t *txn) error {
	missing, altered, err := guardState(t.ctx, t)
	if err != nil || len(missing)+len(altered) == 0 {
		return err
	}
	for _, g := range pgGuard {
		if strings.HasPrefix(g.sql, "CREATE TRIGGER") {
			if _, err := t.ExecContext(t.ctx, `DROP TRIGGER IF EXISTS `+g.name+` ON history`); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(t.ctx, g.sql); err != nil {
			return err
		}
	}
	return nil
}
