package incident

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of these, or is
// a plain I/O error from below.
var (
	// ErrNotFound means the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change collides with what is stored.
	ErrConflict = errors.New("conflict")
	// ErrInvalid means a value was refused; the error names the field.
	ErrInvalid = errors.New("invalid")
	// ErrNewerSchema means the database was written by a newer postmortem.
	ErrNewerSchema = errors.New("database written by a newer postmortem")
	// ErrNotDatabase means the file is not a SQLite database.
	ErrNotDatabase = errors.New("not a SQLite database")
	// ErrForeign means the file is a SQLite database of another program.
	ErrForeign = errors.New("not a postmortem database")
	// ErrReadOnly means the database cannot be written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrBroken means the records disagree with their history: changed
	// behind postmortem's back. What decides on them fails closed.
	ErrBroken = errors.New("the records disagree with their history")
	// ErrNotATime means a time was asked for and the text is in none of
	// its forms (TimeForms), as opposed to a time refused for what it is
	// (one the zone skips, one not yet come): a caller that takes a day
	// as well says so in its own words, and keeps the others'.
	ErrNotATime = errors.New("not a time")
)

// FieldError is a refused value: which field, and what is accepted instead.
type FieldError struct {
	Field string // the field as a user knows it, e.g. "users-affected"
	Msg   string // what was wrong and what is accepted
	kind  error  // a narrower sentinel it matches too (ErrNotATime), if any
}

// Error reads "field: what was wrong; accepted: ...".
func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap makes every FieldError match ErrInvalid, and its kind if it has
// one.
func (e *FieldError) Unwrap() []error {
	if e.kind != nil {
		return []error{ErrInvalid, e.kind}
	}
	return []error{ErrInvalid}
}

func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// invalidAs is invalid, matching kind too.
func invalidAs(kind error, field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...), kind: kind}
}

// parseEnum finds s (trimmed, in the given case) among values, or refuses
// it naming the field and every accepted value.
func parseEnum[T ~string](field, what, s string, values []T, norm func(string) string) (T, error) {
	v := norm(strings.TrimSpace(s))
	names := make([]string, len(values))
	for i, x := range values {
		if T(v) == x {
			return x, nil
		}
		names[i] = string(x)
	}
	return "", invalid(field, "%q is not %s; accepted: %s", s, what, strings.Join(names, ", "))
}

func notFound(what string, id int64) error {
	return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
func isConflict(err error) bool { return errors.Is(err, ErrConflict) }
