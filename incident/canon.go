package incident

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The history hashes each record's canonical text, so both engines must
// give a record the same bytes. A field gathered from a table of its own
// (an incident's recovery steps, an order's findings) is JSON that each
// engine writes in its own way: SQLite compact, PostgreSQL with spaces, a
// missing list as NULL. canonicalJSON writes it again, here in Go, in the
// one form the history has always held: SQLite's, compact, keys in the
// order the select list names them.

// canonicalJSON rewrites the JSON text s in canonical form.
func canonicalJSON(s string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var b bytes.Buffer
	b.Grow(len(s))
	// open holds, for each array or object entered, whether it has had a
	// value yet and, for an object, whether a key is due next.
	type level struct {
		object, any, key bool
	}
	var open []level
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("not JSON: %w", err)
		}
		if d, ok := tok.(json.Delim); ok && (d == ']' || d == '}') {
			open = open[:len(open)-1]
			b.WriteByte(byte(d))
			if len(open) > 0 && open[len(open)-1].object {
				open[len(open)-1].key = true
			}
			continue
		}
		if n := len(open); n > 0 {
			l := &open[n-1]
			switch {
			case l.object && l.key:
				if l.any {
					b.WriteByte(',')
				}
			case l.object:
				b.WriteByte(':')
			case l.any:
				b.WriteByte(',')
			}
			l.any = true
		}
		switch v := tok.(type) {
		case json.Delim:
			b.WriteByte(byte(v))
			if n := len(open); n > 0 && open[n-1].object {
				open[n-1].key = false
			}
			open = append(open, level{object: v == '{', key: v == '{'})
			continue
		case string:
			b.Write(appendSQLiteString(b.AvailableBuffer(), v))
		case json.Number:
			b.WriteString(string(v))
		case bool:
			fmt.Fprint(&b, v)
		case nil:
			b.WriteString("null")
		}
		if n := len(open); n > 0 && open[n-1].object {
			open[n-1].key = !open[n-1].key
		}
	}
	return b.String(), nil
}

// appendSQLiteString appends s quoted as SQLite's JSON functions quote
// it: as appendJSONString, and backspace, form feed and carriage return by
// letter too.
func appendSQLiteString(b []byte, s string) []byte { return appendQuoted(b, s, true) }

// appendQuoted appends s as a JSON string: '"' and '\' escaped, newline
// and tab by letter (and backspace, form feed and carriage return when
// sqlite), other control characters as \u00XX, every other byte as it is.
func appendQuoted(b []byte, s string, sqlite bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case sqlite && c == '\b':
			b = append(b, '\\', 'b')
		case sqlite && c == '\f':
			b = append(b, '\\', 'f')
		case sqlite && c == '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// pgColumns is a select list of SQLite's written for PostgreSQL: the JSON
// aggregates by their PostgreSQL names (their text is made canonical as it
// is read), SQLite's rowid by the column that stands for it.
var pgColumns = strings.NewReplacer(
	"json_group_array(", "json_agg(",
	"json_group_object(", "json_object_agg(",
	"json_object(", "json_build_object(",
	"json(services)", "services::json",
	"rowid", "id",
).Replace

// cols is e's select list for the engine of d.
func (e *entity) cols(d dialect) string {
	if d.pg {
		return e.pgColumns
	}
	return e.columns
}

// scanRow reads a record of e in canonical form.
func scanRow(r scanner, e *entity, d dialect) (row, error) {
	v := make(row, len(e.fields))
	dest := make([]any, len(v))
	for i := range v {
		dest[i] = &v[i]
	}
	if err := r.Scan(dest...); err != nil || !d.pg {
		return v, err
	}
	for i, empty := range e.gathered {
		if empty != "" && v[i].Valid {
			s, err := canonicalJSON(v[i].String)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", e.name, e.fields[i], err)
			}
			v[i].String = s
		}
	}
	return v, nil
}
