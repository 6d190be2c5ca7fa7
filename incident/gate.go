package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Gate is the answer to "may work go ahead on these services now?".
type Gate struct {
	Services []string // as asked
	// Reach is the services that share a fate with them (the asked ones
	// and every service in one of their groups); Groups their groups.
	Reach  []string
	Groups []string
	// Unknown are asked services the catalogue does not hold: only
	// incidents naming them are found.
	Unknown   []string
	At        time.Time
	Incidents []Blocker
	Freezes   []Freeze
	// Upcoming are freezes on them that start within a day: not blocking
	// yet, said so work that runs long knows.
	Upcoming []Freeze
	// Overridden is set when the work went ahead anyway, with the reason.
	Overridden *Override
}

// Blocked reports whether anything stands in the way.
func (g *Gate) Blocked() bool { return len(g.Incidents) > 0 || len(g.Freezes) > 0 }

// Blocker is an unresolved incident on a service within reach.
type Blocker struct {
	Incident Incident
	// Services are the incident's services within reach.
	Services []string
}

// CheckGate says whether work may go ahead on services at now: not while an
// unresolved incident touches them or a service sharing one of their
// groups, nor inside a freeze on one of them or their groups.
func (s *Store) CheckGate(ctx context.Context, services []string, now time.Time) (*Gate, error) {
	var g *Gate
	err := s.read(ctx, func(q querier) error {
		var err error
		g, err = checkGate(ctx, q, services, now)
		return err
	})
	return g, err
}

func checkGate(ctx context.Context, q querier, services []string, now time.Time) (*Gate, error) {
	names, err := cleanNames("service", services)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, invalid("service", "name at least one service, e.g. --service java-api")
	}
	cat, err := loadCatalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	g := &Gate{Services: names, At: now.UTC().Truncate(time.Second)}
	g.Reach, g.Groups = cat.reach(names)
	for _, n := range names {
		if _, ok := cat.lookup(n); !ok {
			g.Unknown = append(g.Unknown, n)
		}
	}
	if len(g.Unknown) > 0 && len(cat) > 0 {
		// A name the catalogue does not know is most likely a typo: the
		// gate fails closed rather than say "clear" about nothing.
		return nil, invalid("service", "%s: not in the service catalogue; known: %s (add it with service set NAME, or check the spelling)",
			strings.Join(g.Unknown, ", "), strings.Join(cat.names(), ", "))
	}
	folded := make([]string, len(g.Reach))
	for i, n := range g.Reach {
		folded[i] = foldName(n)
	}
	reach, _ := json.Marshal(folded)
	err = eachRow(ctx, q, `SELECT `+summaryColumns+` FROM incidents INDEXED BY incidents_status
		WHERE status IN ('open','mitigated') AND EXISTS (SELECT 1 FROM `+dialectOf(q).each("incidents.services", "s")+`
			WHERE lower(trim(s.value)) IN `+dialectOf(q).values("?", "text")+`) ORDER BY id`, []any{string(reach)}, func(r scanner) error {
		in, err := scanSummary(r)
		if err != nil {
			return err
		}
		var touched []string
		for _, s := range in.Services {
			if slices.Contains(folded, foldName(s)) {
				touched = append(touched, s)
			}
		}
		g.Incidents = append(g.Incidents, Blocker{Incident: *in, Services: touched})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// What the gate decides on must agree with its history: fails closed.
	blocking := make([]int64, len(g.Incidents))
	for i, b := range g.Incidents {
		blocking[i] = b.Incident.ID
	}
	if err := checkGateRecords(ctx, q, blocking); err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	// Freezes in force, and those starting within a day: work that runs
	// long should know.
	frozen, err := queryFreezes(ctx, q, `WHERE ends_at > ? AND starts_at <= ? AND (ended_at IS NULL OR ended_at > ?)`,
		fmtTime(g.At), fmtTime(g.At.Add(24*time.Hour)), fmtTime(g.At))
	if err != nil {
		return nil, err
	}
	for _, f := range frozen {
		covers := (f.Scope == "service" && slices.ContainsFunc(names, func(n string) bool { return foldName(n) == foldName(f.Target) })) ||
			(f.Scope == "group" && slices.Contains(g.Groups, foldName(f.Target)))
		switch {
		case !covers:
		case f.Starts.After(g.At):
			g.Upcoming = append(g.Upcoming, f)
		default:
			g.Freezes = append(g.Freezes, f)
		}
	}
	return g, nil
}

// OverrideGate lets work go ahead on services despite what blocks it,
// recording who overrode what and why: a system entry on each blocking
// incident's timeline, and an override on each freeze. The check and the
// records are one transaction.
func (s *Store) OverrideGate(ctx context.Context, services []string, reason string) (*Gate, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, invalid("override", "an override needs a reason, e.g. --override \"security fix, approved by the on-call lead\"")
	}
	if err := checkText("override", reason, MaxText); err != nil {
		return nil, err
	}
	var g *Gate
	err := s.withTx(ctx, func(t *txn) error {
		var err error
		if g, err = checkGate(ctx, t, services, t.now); err != nil {
			return err
		}
		if !g.Blocked() {
			return nil
		}
		ov := Override{At: t.now, Author: t.author, Services: g.Services, Reason: reason}
		g.Overridden = &ov
		for _, b := range g.Incidents {
			text := fmt.Sprintf("work gate overridden for %s by %s: %s", strings.Join(g.Services, ", "), orDash(t.author), reason)
			if err := t.system(b.Incident.ID, t.now, text); err != nil {
				return err
			}
		}
		for _, f := range g.Freezes {
			if err := t.change(freezeEntity, f.ID, "", func(row) error {
				_, err := t.ExecContext(ctx, `INSERT INTO freeze_overrides (freeze_id, at, author, services, reason) VALUES (?,?,?,?,?)`,
					f.ID, fmtTime(t.now), t.author, jsonList(g.Services), reason)
				return err
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return g, err
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
