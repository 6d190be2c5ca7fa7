package incident

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The store writes a system entry on the timeline for each change a reader
// of the timeline needs to follow the story without the history: the
// declaration, severity, title, services, users affected, each key time,
// and a status set by hand.

// lateEntry is how long after its start an incident may be declared and
// still be "live": past it, the case is being written up afterwards and the
// declaration is placed at detection, saying when it was recorded.
const lateEntry = 24 * time.Hour

func (t *txn) declared(in *Incident) error {
	at, text := t.now, fmt.Sprintf("declared %s: %s", in.Severity, in.Title)
	if first := firstTime(in.DetectedAt, in.StartedAt); first != nil && t.now.Sub(*first) > lateEntry {
		at = *first
		text += fmt.Sprintf(" (recorded %s)", t.now.Format("2006-01-02 15:04 UTC"))
	}
	return t.system(in.ID, at, text)
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

// systemEntries writes one entry per followed change from old to in.
func (t *txn) systemEntries(old, in *Incident) error {
	type entry struct {
		at   time.Time
		text string
	}
	var entries []entry
	add := func(at time.Time, format string, args ...any) {
		entries = append(entries, entry{at, fmt.Sprintf(format, args...)})
	}
	if old.Title != in.Title {
		add(t.now, "title: %q → %q", old.Title, in.Title)
	}
	if old.Severity != in.Severity {
		add(t.now, "severity %s → %s", old.Severity, in.Severity)
	}
	if !slices.Equal(old.Services, in.Services) {
		add(t.now, "services: %s → %s", listOrDash(old.Services), listOrDash(in.Services))
	}
	if p, q := pctText(old.UsersAffectedPct), pctText(in.UsersAffectedPct); p != q {
		add(t.now, "users affected: %s → %s", p, q)
	}
	if p, q := countText(old.UsersAffected), countText(in.UsersAffected); p != q {
		add(t.now, "users affected (count): %s → %s", p, q)
	}
	if !slices.Equal(old.Related, in.Related) {
		add(t.now, "related incidents: %s → %s", idList(old.Related), idList(in.Related))
	}
	for _, role := range roleNames(old.Roles, in.Roles) {
		if p, q := old.Roles[role], in.Roles[role]; p != q {
			add(t.now, "role %s: %s → %s", role, orDash(p), orDash(q))
		}
	}
	timesMoved := false
	for _, k := range keyTimes(old, in) {
		switch {
		case k.old == nil && k.new == nil, k.old != nil && k.new != nil && k.old.Equal(*k.new):
			continue
		case k.old == nil:
			add(*k.new, "%s", k.name)
		case k.new == nil:
			add(t.now, "%s time cleared (was %s)", k.name, utcText(*k.old))
		default:
			add(*k.new, "%s (moved from %s)", k.name, utcText(*k.old))
		}
		timesMoved = true
	}
	closed := old.ClosedAs != in.ClosedAs
	switch {
	case closed && in.ClosedAs != "":
		of := ""
		if in.DuplicateOf != nil {
			of = fmt.Sprintf(" of #%d", *in.DuplicateOf)
		}
		add(*in.ClosedAt, "closed as %s%s: %s", in.ClosedAs, of, orDash(t.reason))
	case closed:
		add(t.now, "reopened (was closed as %s): %s", old.ClosedAs, orDash(t.reason))
	}
	if old.Status != in.Status && !timesMoved && !closed {
		add(t.now, "status %s → %s", old.Status, in.Status)
	}
	for _, e := range entries {
		if err := t.system(in.ID, e.at, e.text); err != nil {
			return err
		}
	}
	return nil
}

type keyTime struct {
	name     string
	old, new *time.Time
}

func keyTimes(old, in *Incident) []keyTime {
	return []keyTime{
		{"started", old.StartedAt, in.StartedAt}, {"detected", old.DetectedAt, in.DetectedAt},
		{"acknowledged", old.AcknowledgedAt, in.AcknowledgedAt}, {"mitigated", old.MitigatedAt, in.MitigatedAt},
		{"resolved", old.ResolvedAt, in.ResolvedAt}, {"classified", old.ClassifiedAt, in.ClassifiedAt},
		{"material", old.MaterialAt, in.MaterialAt},
	}
}

func (t *txn) system(incidentID int64, at time.Time, text string) error {
	e := &Event{IncidentID: incidentID, At: at.UTC().Truncate(time.Second), Kind: KindSystem, Text: text,
		Author: t.author, RecordedAt: t.now}
	return insertEvent(t, e, "")
}

// roleNames lists the roles either map names, sorted: commander, comms
// and scribe first.
func roleNames(a, b map[string]string) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return SortRoles(sortedKeys(seen))
}

// SortRoles orders role names: commander, comms, scribe, then the rest by
// name.
func SortRoles(names []string) []string {
	rank := map[string]int{RoleCommander: 0, RoleComms: 1, RoleScribe: 2}
	out := append([]string(nil), names...)
	slices.SortStableFunc(out, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

func utcText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

func listOrDash(v []string) string {
	if len(v) == 0 {
		return "—"
	}
	return strings.Join(v, ", ")
}

func pctText(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%g%%", *p)
}

func countText(n *int64) string {
	if n == nil {
		return "—"
	}
	return fmt.Sprint(*n)
}

func idList(ids []int64) string {
	if len(ids) == 0 {
		return "—"
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("#%d", id)
	}
	return strings.Join(parts, ", ")
}
