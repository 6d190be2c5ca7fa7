package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

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

// clashed is the error of a save refused for the fields in clash.
func clashed(clash []string) error {
	return fmt.Errorf("%s changed by someone else since this form opened; look at what is stored now, then save again to put yours: %w",
		strings.Join(clash, ", "), incident.ErrConflict)
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
