// Package incident is the domain of postmortem: incidents, their timeline,
// recovery steps and action items, the figures derived from them, and the
// SQLite store that keeps them.
//
// Its contract: every value that reaches the store has been validated here,
// every write is committed before the call returns, and the errors it returns
// wrap one of the sentinels below (ErrNotFound, ErrConflict, ErrInvalid, ...)
// so callers can decide with errors.Is. It knows nothing of documents,
// screens or command lines.
package incident
