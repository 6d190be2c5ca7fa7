// Package incidenttest makes large, reproducible data for tests and
// benchmarks: a seeded generator of incidents written as an export, which
// the store's own import loads in one transaction.
package incidenttest

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// services and words give the generated records some variety.
var (
	services = []string{"talk", "login", "messaging", "pay", "map", "gift", "network-lb", "storage", "java-api", "search"}
	words    = []string{"failover", "latency", "alerts", "restart", "rollback", "cache", "shard", "queue", "timeout", "deploy",
		"메시지", "지연", "복구", "서버", "전환", "경보", "공지", "점검", "장애", "트래픽"}
)

// WriteExport writes an export of n incidents with events timeline events
// each, made from seed (the same seed always gives the same bytes): a tenth
// still open, a third with an action item, one order per 100 incidents.
func WriteExport(w io.Writer, n, events int, seed int64) error {
	rng := rand.New(rand.NewSource(seed))
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) // two years, all before 2024-05
	text := func(k int) string {
		s := words[rng.Intn(len(words))]
		for i := 1; i < k; i++ {
			s += " " + words[rng.Intn(len(words))]
		}
		return s
	}
	d := &incident.Dump{Format: incident.DumpFormat, Version: incident.DumpVersion}
	var eventID, actionID int64
	for i := 1; i <= n; i++ {
		start := base.Add(time.Duration(rng.Int63n(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Second)
		detected := start.Add(time.Duration(rng.Intn(600)) * time.Second)
		pct := float64(rng.Intn(100))
		r := incident.IncidentRecord{ID: int64(i), Title: fmt.Sprintf("%s %s #%d", text(3), "incident", i),
			Services: []string{services[rng.Intn(len(services))]}, Severity: incident.Severities[rng.Intn(4)],
			Status: incident.StatusOpen, StartedAt: &start, DetectedAt: &detected, UsersAffectedPct: &pct,
			Symptoms: text(6), Cause: text(12), Contributing: []string{}, RecoverySteps: []string{}, Related: []int64{},
			CreatedAt: &detected, UpdatedAt: &detected}
		if i%10 != 0 {
			resolved := detected.Add(time.Duration(1+rng.Intn(240)) * time.Minute)
			r.ResolvedAt, r.Status = &resolved, incident.StatusResolved
			r.RecoverySteps = []string{text(4), text(4)}
		}
		for j := 0; j < events; j++ {
			eventID++
			at := start.Add(time.Duration(j) * 30 * time.Second)
			r.Timeline = append(r.Timeline, incident.EventRecord{ID: eventID, At: at, Kind: incident.Kinds[rng.Intn(len(incident.Kinds))],
				Text: text(8), Author: "ic", RecordedAt: &at})
		}
		d.Incidents = append(d.Incidents, r)
		if i%3 == 0 {
			actionID++
			id := int64(i)
			d.Actions = append(d.Actions, incident.ActionRecord{ID: actionID, IncidentID: &id, Area: incident.Areas[rng.Intn(6)],
				Text: text(5), Owner: "ops", Due: incident.DateOf(start.AddDate(0, 1, 0), time.UTC), Status: incident.ActionPlanned})
		}
		if i%100 == 0 {
			id := int64(i)
			received := incident.DateOf(start.AddDate(0, 0, 10), time.UTC)
			d.Orders = append(d.Orders, incident.OrderRecord{ID: id / 100, Regime: incident.DefaultRegime, Authority: "과학기술정보통신부",
				Received: received.String(), Incidents: []int64{id}, Findings: []incident.Finding{}, Submitted: map[string]incident.Date{}})
		}
	}
	return d.WriteJSON(w)
}

// Load fills s with WriteExport's records through the store's import.
func Load(ctx context.Context, s *incident.Store, n, events int, seed int64) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteExport(pw, n, events, seed)) }()
	defer pr.Close()
	_, err := s.ImportFrom(ctx, pr, false, nil)
	return err
}

// Cached returns the path of a database of n incidents with events each
// (seed 1), made once and kept in the system's temporary folder, so that
// benchmarks at 100,000 incidents pay for the data once, not every run.
func Cached(tb testing.TB, n, events int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("postmortem-bench-%d-%d-v%d.db", n, events, incident.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".making"
	os.Remove(tmp)
	// A file made by an earlier schema holds the same seeded data: it is
	// taken over and migrated, which is far quicker than making it again.
	for v := incident.SchemaVersion() - 1; v >= 3; v-- {
		old := filepath.Join(os.TempDir(), fmt.Sprintf("postmortem-bench-%d-%d-v%d.db", n, events, v))
		if _, err := os.Stat(old); err == nil {
			if err := os.Rename(old, tmp); err != nil {
				tb.Fatal(err)
			}
			s, err := incident.Open(context.Background(), tmp)
			if err != nil {
				tb.Fatal(err)
			}
			if err := s.Close(); err != nil {
				tb.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				tb.Fatal(err)
			}
			return path
		}
	}
	s, err := incident.Open(context.Background(), tmp)
	if err != nil {
		tb.Fatal(err)
	}
	if err := Load(context.Background(), s, n, events, 1); err != nil {
		s.Close()
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}
