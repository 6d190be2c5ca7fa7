package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/sys/unix"
)

// Store keeps incidents in one SQLite file. It is safe for concurrent use;
// several processes may share the file (WAL, busy timeout).
type Store struct {
	db       *sql.DB // writes: one connection, BEGIN IMMEDIATE
	rdb      *sql.DB // reads: deferred transactions, each a snapshot
	path     string
	readOnly bool
	// immutable is set for a database on read-only media with no WAL
	// beside it: SQLite reads it without the -shm file it cannot create.
	immutable bool
	now       func() time.Time
	// guardSeen is the schema version at which the history's guard was
	// last found whole (shared by the copies As and SealingWith make).
	guardSeen *atomic.Int64
	// hub is the change feed's one watch on the database, shared by the
	// copies As and Viewer make.
	hub *hub
	// sealing, when set, seals the head of every transaction written.
	sealing *sealing
	// author and reason attribute the changes this store writes.
	author, reason string
	// d is what differs in the SQL of the engine the store runs on; url
	// is the server's address, "" for a SQLite file.
	d   dialect
	url string
	// viewer is set on a Viewer's store: read-only by the key, not the file.
	viewer bool
}

// ApplicationID marks a SQLite file as a postmortem database ("PmDB").
const ApplicationID = 0x506d4442

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock the store stamps records with (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithAuthor names who the changes are by, in the history.
func WithAuthor(name string) Option { return func(s *Store) { s.author = name } }

// As returns a store on the same database whose changes are recorded as
// made by author (if not empty) for reason, in the history.
func (s *Store) As(author, reason string) *Store {
	c := *s
	if author != "" {
		c.author = author
	}
	c.reason = reason
	return &c
}

// Viewer returns a store on the same database that reads and never
// writes: every change through it is refused as read-only (a viewer's
// session of postmortem serve).
func (s *Store) Viewer() *Store {
	c := *s
	c.readOnly, c.viewer = true, true
	return &c
}

// Open opens the database at path, creating it (mode 0600, and its folder)
// on first use, and brings its schema up to date. A file whose permissions
// allow no writing is opened read-only, even for root: its owner meant it.
// A file that is not a postmortem database, or is one from a newer
// postmortem, is refused before anything is written to it.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now, guardSeen: new(atomic.Int64), hub: &hub{}}
	for _, o := range opts {
		o(s)
	}
	if IsServerURL(path) {
		return openServer(ctx, s, path)
	}
	if scheme, _, ok := strings.Cut(path, "://"); ok && !strings.ContainsAny(scheme, `/\.`) {
		// A mistyped address (pg://, postgress://) is not a file name to
		// make a database under: the team's record would go elsewhere.
		return nil, &FieldError{Field: "db", Msg: fmt.Sprintf("%q is not a database address; accepted: a file path, or postgres://[user@]host[:port]/database", Printable(path))}
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, &FieldError{Field: "db", Msg: fmt.Sprintf("%q is not a file; accepted: a path to a database file (it is created if missing)", path)}
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := create(path); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("open database: %w", err)
	case fi.IsDir():
		return nil, fmt.Errorf("open database %s: is a folder: %w", path, ErrNotDatabase)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("open database %s: not a regular file: %w", path, ErrNotDatabase)
	case fi.Mode().Perm()&0o222 == 0:
		s.readOnly = true
	}
	if !writableDir(filepath.Dir(path)) {
		// SQLite keeps its -wal and -shm files beside the database: in a
		// folder that takes no new file (read-only media, an archive) the
		// database is read, never written.
		s.readOnly = true
		s.immutable = !exists(path+"-shm") && !nonEmpty(path+"-wal")
	}
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := sql.Open("sqlite3", dsn(path, s.access(), "immediate", 32<<10))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One connection: writes are serialised in-process.
	db.SetMaxOpenConns(1)
	s.db = db
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if s.rdb, err = sql.Open("sqlite3", dsn(path, s.access(), "deferred", 8<<10)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(2)
	return s, nil
}

// access is how the database is opened: "" to write, "ro" to read,
// "immutable" to read without the files SQLite keeps beside it.
func (s *Store) access() string {
	switch {
	case s.immutable:
		return "immutable"
	case s.readOnly:
		return "ro"
	}
	return ""
}

// writableDir reports whether a new file may be made in dir: its
// permissions allow it (as with the file, even for root: its owner meant
// it) and the system does (not read-only media).
func writableDir(dir string) bool {
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm()&0o222 == 0 {
		return false
	}
	return unix.Access(dir, unix.W_OK) == nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func nonEmpty(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Size() > 0
}

// dsn is the connection string; access as Store.access says; cacheKiB is
// SQLite's page cache. The writer keeps 32 MiB (imports touch many pages
// again and again); a reader mostly passes over pages once, so a listing
// of 100,000 incidents would only hold 30 MB more to no purpose.
func dsn(path, access string, txlock string, cacheKiB int) string {
	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", txlock)
	q.Set("_stmt_cache_size", "64") // the same few statements run again and again
	q.Set("_cache_size", strconv.Itoa(-cacheKiB))
	switch access {
	case "immutable":
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	case "ro":
		q.Set("mode", "ro")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// checkHeader reads the file's first bytes: an empty file is a new
// database; anything else must be SQLite's, before SQLite is let near it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil
	}
	if n < 100 || string(head[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("file is %w", ErrNotDatabase)
	}
	return nil
}

// prepare checks that the file is a postmortem database (or empty), then
// switches it to WAL and migrates it. Nothing is written before the checks.
func (s *Store) prepare(ctx context.Context) error {
	var appID, version, tables int
	var ours bool
	q := s.db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'),
		(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('incidents','events','actions')) = 3`)
	if err := q.Scan(&appID, &version, &tables, &ours); err != nil {
		return mapErr(err)
	}
	switch {
	case appID == ApplicationID:
	case appID == 0 && tables == 0 && version == 0:
		// empty: a new database
	case appID == 0 && ours && version >= 1 && version <= 2:
		// written before databases were marked; migration 3 marks it
	default:
		return fmt.Errorf("%w (application id %#x, %d tables): postmortem opens only its own files", ErrForeign, appID, tables)
	}
	if version > SchemaVersion() {
		return fmt.Errorf("schema version %d, this build knows up to %d; upgrade postmortem: %w", version, SchemaVersion(), ErrNewerSchema)
	}
	if !s.readOnly {
		if _, err := s.db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
			return mapErr(err)
		}
	}
	return migrate(ctx, s.db, s.d, s.readOnly, s.now)
}

func create(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create database: %w", err)
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.hub.stop()
	err := s.db.Close()
	if s.rdb != nil {
		if rerr := s.rdb.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// withTx is the one write path: every change to the database runs in fn
// inside a transaction that appends its history (and, on a store made by
// SealingWith, its seal) and is committed (durably, synchronous=FULL)
// before withTx returns, or rolled back whole.
func (s *Store) withTx(ctx context.Context, fn func(t *txn) error) error {
	if s.viewer {
		return fmt.Errorf("a viewer's session changes nothing (the key is read-only): %w", ErrReadOnly)
	}
	if s.readOnly {
		return fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	if err := checkTexts(textField{"reason", s.reason, MaxText}, textField{"author", s.author, MaxName}); err != nil {
		return err
	}
	var sealed *Seal
	err := runTx(ctx, s.db, &txn{d: s.d, now: s.now().UTC().Truncate(time.Second), author: s.author, reason: s.reason}, func(t *txn) error {
		if err := restoreGuard(t, s.guardSeen); err != nil {
			return err
		}
		if err := fn(t); err != nil || s.sealing == nil {
			return err
		}
		var err error
		sealed, err = t.seal(s.sealing.key, s.sealing.note)
		return err
	})
	if err == nil && sealed != nil && s.sealing.done != nil {
		s.sealing.done(sealed)
	}
	return err
}

// runTx runs fn in a write transaction on db; migrations use it too. On
// PostgreSQL the transaction first takes the store's write lock, so
// writers take turns on the history's chain as they do on a SQLite file,
// and a transaction the server aborts for a clash is run again whole.
func runTx(ctx context.Context, db *sql.DB, t *txn, fn func(t *txn) error) error {
	for attempt := 1; ; attempt++ {
		err := runTxOnce(ctx, db, t, fn)
		if !t.d.pg || attempt == 5 || !retryable(err) {
			return err
		}
		*t = txn{d: t.d, now: t.now, author: t.author, reason: t.reason, quiet: t.quiet, schema: t.schema}
	}
}

func runTxOnce(ctx context.Context, db *sql.DB, t *txn, fn func(t *txn) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	t.Tx, t.ctx = tx, ctx
	if t.d.pg {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(ApplicationID)); err != nil {
			tx.Rollback() //nolint:errcheck // the first error is the one to report
			return mapErr(err)
		}
	}
	if err := fn(t); err != nil {
		tx.Rollback() //nolint:errcheck // the first error is the one to report
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}

// read runs fn in one read transaction: every query in it sees the same
// snapshot of the database, whatever writers do meanwhile.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	var opts *sql.TxOptions
	if s.d.pg {
		// One snapshot for the whole read, as a SQLite read transaction.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.rdb.BeginTx(ctx, opts)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback() //nolint:errcheck // a read transaction has nothing to commit
	return fn(readTx{tx, s.d})
}

// readTx is a read transaction that knows its engine's dialect.
type readTx struct {
	*sql.Tx
	d dialect
}

func (r readTx) dialect() dialect { return r.d }

// mapErr turns driver errors into the package's own, in one place.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w", ErrNotFound)
	}
	if e := mapPGErr(err); e != nil {
		return e
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrNotADB:
		return fmt.Errorf("file is %w", ErrNotDatabase)
	case sqlite3.ErrReadonly:
		return fmt.Errorf("%w", ErrReadOnly)
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return fmt.Errorf("database is busy (another postmortem holds it): %w", ErrConflict)
	case sqlite3.ErrConstraint:
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintForeignKey:
			return fmt.Errorf("refers to a record that does not exist: %w", ErrNotFound)
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return fmt.Errorf("already exists: %w", ErrConflict)
		default:
			return fmt.Errorf("%s: %w", se.Error(), ErrInvalid)
		}
	}
	return fmt.Errorf("sqlite: %w", err)
}

const timeLayout = "2006-01-02T15:04:05Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func fmtTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

// parseTime reads a stored time. The store writes one layout only, read
// here digit by digit (time.Parse was a tenth of a listing's time); any
// other text goes to time.Parse, which says what is wrong with it.
func parseTime(s string) (time.Time, error) {
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Parse(timeLayout, s)
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Parse(timeLayout, s)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d {
		return time.Parse(timeLayout, s) // 02-30 and the like: say so
	}
	return t, nil
}

func parseTimePtr(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := parseTime(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
