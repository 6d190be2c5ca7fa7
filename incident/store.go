package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Store keeps incidents in one SQLite file. It is safe for concurrent use;
// several processes may share the file (WAL, busy timeout).
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	now      func() time.Time
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock the store stamps records with (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the database at path, creating it (mode 0600, and its folder)
// on first use, and brings its schema up to date. A file whose permissions
// allow no writing is opened read-only, even for root: its owner meant it.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now}
	for _, o := range opts {
		o(s)
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
	case fi.Mode().Perm()&0o222 == 0:
		s.readOnly = true
	}

	q := url.Values{}
	q.Set("_foreign_keys", "1")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	if s.readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One connection: writes are serialised in-process and a reader never
	// waits on another connection's lock.
	db.SetMaxOpenConns(1)
	s.db = db
	if err := migrate(ctx, db, s.readOnly); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return s, nil
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
func (s *Store) Close() error { return s.db.Close() }

// withTx is the one write path: every change to the database runs in fn
// inside a transaction that is committed (durably, synchronous=FULL) before
// withTx returns, or rolled back whole.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback() //nolint:errcheck // the first error is the one to report
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}

// mapErr turns driver errors into the package's own, in one place.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w", ErrNotFound)
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

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

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
