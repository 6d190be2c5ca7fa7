package incident

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store runs on one of two engines: SQLite, a file for one person
// (the default), or PostgreSQL, a server for an organisation. The SQL the
// store writes is SQLite's with "?" placeholders; on PostgreSQL the
// connection numbers them ($1, $2, ...) and the few statements that differ
// are chosen by the store's dialect. No SQL text is ever built from what a
// user typed: values always travel as arguments.

// dialect is what differs between the engines in the SQL the store runs.
type dialect struct {
	pg bool
}

// IsServerURL reports whether db names a PostgreSQL server rather than a
// SQLite file.
func IsServerURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// values is a subquery yielding, one row each as value, the elements of
// the JSON array in expr (a placeholder or a column holding JSON text);
// typed "int" or "text", as the column compared with them.
func (d dialect) values(expr, typ string) string {
	if !d.pg {
		return `(SELECT value FROM json_each(` + expr + `))`
	}
	if typ == "int" {
		return `(SELECT value::bigint FROM json_array_elements_text(` + expr + `::json) AS value)`
	}
	return `(SELECT value FROM json_array_elements_text(` + expr + `::json) AS value)`
}

// each is a table of the elements of the JSON array in expr, named
// alias, one row each as value (text).
func (d dialect) each(expr, alias string) string {
	if d.pg {
		return `json_array_elements_text(` + expr + `::json) AS ` + alias + `(value)`
	}
	return `json_each(` + expr + `) ` + alias
}

// line is lineColumns as the engine writes it (PostgreSQL names SQLite's
// char() chr()).
func (d dialect) line() string {
	if d.pg {
		return pgLineColumns
	}
	return lineColumns
}

var pgLineColumns = strings.ReplaceAll(lineColumns, "char(31)", "chr(31)")

// member is the text of member name of the JSON object in expr.
func (d dialect) member(expr, name string) string {
	if d.pg {
		return `(` + expr + `::json ->> '` + name + `')`
	}
	return `json_extract(` + expr + `, '$.` + name + `')`
}

// pgConnector opens PostgreSQL connections that take the store's "?"
// placeholders.
type pgConnector struct{ driver.Connector }

func newPGConnector(url string) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	return pgConnector{stdlib.GetConnector(*cfg)}, nil
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection whose statements are rewritten on the way
// (rebind). SQLite lets a reader run a query while the rows of another
// are still being read on the same connection, and the store does so (a
// verification walks the records and their history side by side); a
// PostgreSQL connection reads one result at a time. So a statement that
// comes while rows are open first reads the rest of those into memory.
type pgConn struct {
	*stdlib.Conn
	open *pgRows
}

// settle reads the rows still open, if any, to the end.
func (c *pgConn) settle() {
	if c.open != nil {
		c.open.drain()
		c.open = nil
	}
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	c.settle()
	return c.Conn.Prepare(rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.settle()
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.settle()
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.settle()
	rows, err := c.Conn.QueryContext(ctx, rebind(query), args)
	if err != nil {
		return nil, err
	}
	c.open = &pgRows{Rows: rows, conn: c}
	return c.open, nil
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.settle()
	return c.Conn.BeginTx(ctx, opts)
}

func (c *pgConn) Close() error {
	c.settle()
	return c.Conn.Close()
}

// pgRows are a query's rows, read from the connection until another
// statement needs it, then from memory.
type pgRows struct {
	driver.Rows
	conn    *pgConn
	buf     [][]driver.Value
	drained bool
	err     error
}

func (r *pgRows) Next(dest []driver.Value) error {
	if !r.drained {
		return r.Rows.Next(dest)
	}
	if len(r.buf) == 0 {
		if r.err != nil {
			return r.err
		}
		return io.EOF
	}
	copy(dest, r.buf[0])
	r.buf[0] = nil
	r.buf = r.buf[1:]
	return nil
}

func (r *pgRows) drain() {
	n := len(r.Rows.Columns())
	for {
		v := make([]driver.Value, n)
		if err := r.Rows.Next(v); err != nil {
			if err != io.EOF {
				r.err = err
			}
			break
		}
		for i := range v {
			if b, ok := v[i].([]byte); ok {
				v[i] = bytes.Clone(b)
			}
		}
		r.buf = append(r.buf, v)
	}
	if err := r.Rows.Close(); err != nil && r.err == nil {
		r.err = err
	}
	r.drained = true
}

func (r *pgRows) Close() error {
	if r.conn.open == r {
		r.conn.open = nil
	}
	if r.drained {
		r.buf = nil
		return nil
	}
	return r.Rows.Close()
}

const indexedBy = "INDEXED BY "

var rebound sync.Map // query → its numbered form; the store's queries are few

// rebind writes query for PostgreSQL: its placeholders numbered ("?"
// becomes $1, $2, ... in order, "?N" becomes $N), and SQLite's index hints
// (INDEXED BY name), which PostgreSQL's planner does without, left out.
// Quoted text, quoted names and comments are passed over.
func rebind(query string) string {
	if !strings.Contains(query, "?") && !strings.Contains(query, indexedBy) {
		return query
	}
	if q, ok := rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				i = len(query)
				continue
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == 'I' && strings.HasPrefix(query[i:], indexedBy) && (i == 0 || query[i-1] == ' ' || query[i-1] == '\n' || query[i-1] == '\t'):
			j := i + len(indexedBy)
			for j < len(query) && (query[j] == '_' || query[j] >= 'a' && query[j] <= 'z' || query[j] >= '0' && query[j] <= '9') {
				j++
			}
			i = j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			// As SQLite numbers them: "?" is one more than the largest
			// number given so far.
			if j > i+1 {
				k, _ := strconv.Atoi(query[i+1 : j])
				n = max(n, k)
				b.WriteString("$" + query[i+1:j])
			} else {
				n++
				b.WriteString("$" + strconv.Itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	q := b.String()
	rebound.Store(query, q)
	return q
}

// openServer opens the store on the PostgreSQL server at url.
func openServer(ctx context.Context, s *Store, url string) (*Store, error) {
	conn, err := newPGConnector(url)
	if err != nil {
		return nil, &FieldError{Field: "db", Msg: fmt.Sprintf("%s is not a PostgreSQL address (%v); accepted: postgres://[user@]host[:port]/database", redact(url), err)}
	}
	s.d, s.url, s.path = dialect{pg: true}, url, redact(url)
	s.db = sql.OpenDB(conn)
	s.db.SetMaxOpenConns(8)
	s.db.SetConnMaxIdleTime(time.Minute)
	s.rdb = s.db
	if err := s.prepareServer(ctx); err != nil {
		s.db.Close()
		var ce *pgconn.ConnectError
		if errors.As(err, &ce) {
			// pgx says each address it tried on a line of its own.
			return nil, fmt.Errorf("cannot reach the PostgreSQL server at %s: %s", s.path, strings.Join(strings.Fields(ce.Error()), " "))
		}
		return nil, fmt.Errorf("open database %s: %w", s.path, err)
	}
	return s, nil
}

// prepareServer checks that the database is postmortem's (or empty) and
// sorts text as SQLite does, then migrates it.
func (s *Store) prepareServer(ctx context.Context) error {
	var schema sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return mapErr(err)
	}
	if !schema.Valid {
		return &FieldError{Field: "db", Msg: "no schema of the address's search_path exists; create it first (CREATE SCHEMA name), or leave search_path out for public"}
	}
	var collation string
	var tables, ours int
	q := s.db.QueryRowContext(ctx, `SELECT datcollate,
		(SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()),
		(SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version')
		FROM pg_database WHERE datname = current_database()`)
	if err := q.Scan(&collation, &tables, &ours); err != nil {
		return mapErr(err)
	}
	if collation != "C" && collation != "POSIX" {
		return &FieldError{Field: "db", Msg: fmt.Sprintf("the database sorts text by %q; postmortem needs C, so lists read the same on every engine: create it with CREATE DATABASE name TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'", collation)}
	}
	if tables > 0 {
		if ours == 0 {
			return fmt.Errorf("%w (schema %s holds %d tables, none of them postmortem's): postmortem opens only its own; give it an empty database, or an empty schema of this one with ?search_path=NAME", ErrForeign, schema.String, tables)
		}
		var app int64
		if err := s.db.QueryRowContext(ctx, `SELECT application_id FROM schema_version`).Scan(&app); err != nil {
			return mapErr(err)
		}
		if app != ApplicationID {
			return fmt.Errorf("%w (application id %#x): postmortem opens only its own databases", ErrForeign, app)
		}
	}
	return migrate(ctx, s.db, s.d, false, s.now)
}

// redact is url without its password, to show.
func redact(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// mapPGErr turns a PostgreSQL error into the package's own; nil for any
// other error.
func mapPGErr(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case "23503":
		return fmt.Errorf("refers to a record that does not exist: %w", ErrNotFound)
	case "23505":
		return fmt.Errorf("already exists: %w", ErrConflict)
	case "23514", "23502", "22P02", "22003":
		return fmt.Errorf("%s: %w", pe.Message, ErrInvalid)
	case "25006":
		return fmt.Errorf("%w", ErrReadOnly)
	case "40001", "40P01", "55P03":
		return fmt.Errorf("database is busy (another postmortem holds it): %w: %w", ErrConflict, err)
	}
	return fmt.Errorf("postgres: %w", err)
}

// retryable reports whether err is the server aborting a transaction for
// a clash with another (a serialization failure, a deadlock), which is
// run again rather than shown.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// stream is the rows of a query read one at a time while other queries
// run beside it in the same transaction (a merge of two ordered reads). On
// SQLite it is the query's rows. On PostgreSQL, whose connection reads one
// result at a time, it is a cursor fetched a page at a time, so the rows
// in memory are a page of each stream, not the rest of the table.
type stream struct {
	ctx  context.Context
	q    querier
	name string // the cursor, on PostgreSQL
	rows *sql.Rows
	done bool
	err  error
}

// streamPage is how many rows a cursor hands over at once.
const streamPage = 2048

var streams atomic.Int64

func openStream(ctx context.Context, q querier, query string, args ...any) (*stream, error) {
	s := &stream{ctx: ctx, q: q}
	if !dialectOf(q).pg {
		rows, err := q.QueryContext(ctx, query, args...)
		s.rows, s.done = rows, true
		return s, err
	}
	s.name = "stream_" + strconv.FormatInt(streams.Add(1), 10)
	rows, err := q.QueryContext(ctx, `DECLARE `+s.name+` NO SCROLL CURSOR FOR `+query, args...)
	if err != nil {
		return nil, err
	}
	return s, rows.Close()
}

// Next moves to the next row, fetching the next page when one is read.
func (s *stream) Next() bool {
	for s.err == nil {
		if s.rows != nil {
			if s.rows.Next() {
				return true
			}
			s.err = s.rows.Err()
			s.rows.Close()
			s.rows = nil
			continue
		}
		if s.done {
			return false
		}
		s.rows, s.err = s.q.QueryContext(s.ctx, `FETCH `+strconv.Itoa(streamPage)+` FROM `+s.name)
		if s.err == nil && !s.rows.Next() {
			s.err = s.rows.Err()
			s.rows.Close()
			s.rows, s.done = nil, true
			return false
		} else if s.err == nil {
			return true
		}
	}
	return false
}

func (s *stream) Scan(dest ...any) error { return s.rows.Scan(dest...) }

func (s *stream) Err() error { return s.err }

// Close ends the stream (and its cursor).
func (s *stream) Close() error {
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	if s.name != "" && s.q != nil {
		rows, err := s.q.QueryContext(s.ctx, `CLOSE `+s.name)
		if err == nil {
			rows.Close()
		}
		s.q = nil
	}
	return nil
}
