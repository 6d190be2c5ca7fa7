package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/incidenttest"
)

// storeWith makes a store holding n incidents, in one import.
func storeWith(b *testing.B, n int) *incident.Store {
	b.Helper()
	s, err := incident.Open(context.Background(), filepath.Join(b.TempDir(), "pm.db"), incident.WithClock(testClock))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	d := &incident.Dump{Format: incident.DumpFormat, Version: incident.DumpVersion}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		st := start.Add(time.Duration(i) * 3 * time.Hour)
		end := st.Add(time.Duration(5+i%50) * time.Minute)
		r := incident.IncidentRecord{ID: int64(i + 1), Title: fmt.Sprintf("장애 %d: 메시지 발송 지연", i+1), Services: []string{"talk", "login"},
			Severity: incident.Severities[i%4], StartedAt: &st, DetectedAt: &st}
		if i%100 != 0 {
			r.ResolvedAt = &end
		}
		d.Incidents = append(d.Incidents, r)
	}
	if _, err := s.Import(context.Background(), d, false); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkFirstFrame is start-up to the first full frame (the model, its
// load, the first drawn screen) on databases of 1,000, 10,000 and 100,000
// incidents with 100 events each.
func BenchmarkFirstFrame(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dK", n/1000), func(b *testing.B) {
			s, err := incident.Open(context.Background(), incidenttest.Cached(b, n, 100), incident.WithClock(testClock))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			rs, _ := incident.LoadRegimes()
			cfg := Config{Store: s, Regimes: rs, Zone: seoul, Now: testClock}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m := New(cfg)
				m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				m.Update(m.home.load()())
				if v := m.View(); !strings.Contains(v.Content, fmt.Sprintf("%d incidents", n)) {
					b.Fatal("no full frame")
				}
			}
		})
	}
}

// BenchmarkKeystrokeToSaved is the Enter that ends a timeline entry, to the
// event on disk and marked saved on screen.
func BenchmarkKeystrokeToSaved(b *testing.B) {
	s := storeWith(b, 1)
	m := New(Config{Store: s, Zone: seoul, Now: testClock})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(openIncidentMsg{id: 1})
	m.Update(m.live.load()())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.live.open(m.live.eventDialog("a", testClock(), false))
		m.live.dlg.form.field("text").set("이중화 서비스로 전환")
		_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		m.Update(cmd())
		if r := m.live.rows[m.live.cursor]; r.saving || r.ev.ID == 0 {
			b.Fatal("not saved")
		}
	}
}
