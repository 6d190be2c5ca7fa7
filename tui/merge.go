package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// Two responders may edit one incident at once. A form writes only what
// it changed, over the record as it is stored at the save; a field both
// changed since the form opened is refused, not written over, and the
// form then takes the record as it is now (its base), so that saving
// again, having looked, puts the typed value knowingly.

// merge writes want into *dst when the form changed the field (want is
// not was, the value the form opened on) and *dst is still was; when
// another changed it since to something else, the field is named in clash
// and left as stored.
func merge[T any](clash *[]string, name string, dst *T, was, want T, same func(a, b T) bool) {
	switch {
	case same(want, was), same(*dst, want):
	case !same(*dst, was):
		*clash = append(*clash, name)
	default:
		*dst = want
	}
}

// clashError is a save refused for the fields in clash; said names what
// each became, by whom and when, once the history was read.
type clashError struct {
	fields []string
	said   []string
}

// clashed is the error of a save refused for the fields in clash.
func clashed(clash []string) error { return &clashError{fields: clash} }

func (e *clashError) Error() string {
	what := strings.Join(e.fields, ", ") + " changed by someone else since this form opened"
	if len(e.said) > 0 {
		what = strings.Join(e.said, "; ")
	}
	return what + "; look at what is stored now, then save again to put yours"
}

func (e *clashError) Unwrap() error { return incident.ErrConflict }

// columns are the history's names of the fields the forms edit.
var columns = map[string]string{
	"title": "title", "services": "services", "severity": "severity", "status": "status",
	"users affected %": "users_affected_pct", "users affected": "users_affected", "what users see": "symptoms",
	"started": "started_at", "detected": "detected_at", "acknowledged": "acknowledged_at", "mitigated": "mitigated_at",
	"resolved": "resolved_at", "root cause": "cause", "trigger": "trigger_text", "contributing factors": "contributing",
	"what went well": "went_well", "what went wrong": "went_wrong", "where we were lucky": "lucky",
}

// explain fills a clash on incident id with what each field became, by
// whom and when, from the history (the latest change to each).
func (c *common) explain(id int64, err error) error {
	var ce *clashError
	if !errors.As(err, &ce) {
		return err
	}
	changes, herr := c.store.History(c.ctx, id)
	if herr != nil {
		return err
	}
	ce.said = nil
	for _, f := range ce.fields {
		said := f + " changed by someone else"
		for i := len(changes) - 1; i >= 0; i-- {
			ch := changes[i]
			if ch.Entity == "incident" && ch.RecordID == id && ch.Field == columns[f] {
				said = fmt.Sprintf("%s → %s by %s at %s", f, shown(ch.New), safe(ch.Author), c.when(ch.Time(), "15:04:05"))
				break
			}
		}
		ce.said = append(ce.said, said)
	}
	return err
}

// stale says what a record changed since the version a screen showed:
// each field's new value, by whom and when, and that nothing was saved.
func (c *common) stale(err error) error {
	var se *incident.StaleError
	if !errors.As(err, &se) {
		return err
	}
	var said []string
	for _, ch := range se.Changes {
		said = append(said, fmt.Sprintf("%s → %s by %s at %s", ch.Field, shown(ch.New), safe(ch.Author), c.when(ch.Time(), "15:04:05")))
	}
	if len(said) == 0 {
		said = append(said, "changed by someone else")
	}
	what := se.Entity
	if what == "action" {
		what = "measure"
	}
	return staleSaid{fmt.Sprintf("the %s changed meanwhile: %s; nothing was saved: look, and save again to put yours", what, strings.Join(said, "; "))}
}

// staleSaid is a stale save told in words, still a conflict.
type staleSaid struct{ msg string }

func (e staleSaid) Error() string { return e.msg }
func (e staleSaid) Unwrap() error { return incident.ErrConflict }

// shown is a stored value as a message quotes it: short, on one line.
func shown(v *string) string {
	if v == nil {
		return "(empty)"
	}
	return cell(safe(*v), min(30, max(1, ansi.StringWidth(safe(*v)))))
}

func same[T comparable](a, b T) bool { return a == b }

func samePtr[T comparable](a, b *T) bool { return a == b || (a != nil && b != nil && *a == *b) }

func sameTime(a, b *time.Time) bool { return a == b || (a != nil && b != nil && a.Equal(*b)) }

// cloneIncident copies in deep enough that a later change to one does
// not show in the other (the fields the forms edit).
func cloneIncident(in *incident.Incident) *incident.Incident {
	c := *in
	c.Services, c.Contributing = slices.Clone(in.Services), slices.Clone(in.Contributing)
	return &c
}
