package incidenttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

func TestGeneratorIsReproducible(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, WriteExport(&a, 50, 5, 7))
	require.NoError(t, WriteExport(&b, 50, 5, 7))
	assert.Equal(t, a.Bytes(), b.Bytes())
	s, err := incident.Open(context.Background(), filepath.Join(t.TempDir(), "pm.db"))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, Load(context.Background(), s, 50, 5, 7))
	list, err := s.Incidents(context.Background(), incident.ListFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 50)
	v, err := s.Verify(context.Background(), "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)
	assert.Equal(t, int64(50+50*5+16+0), v.Rows, "a row for each incident, event and action")
}

// BenchmarkList and BenchmarkDeadlines read what list and deadlines show,
// at 1,000, 10,000 and 100,000 incidents with 100 events each.
func BenchmarkList(b *testing.B) {
	benchSizes(b, func(s *incident.Store) error {
		n := 0
		err := s.Lines(context.Background(), incident.ListFilter{}, func(*incident.Line) error { n++; return nil })
		if err == nil && n == 0 {
			err = fmt.Errorf("no lines")
		}
		return err
	})
}

func BenchmarkDeadlines(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	benchSizes(b, func(s *incident.Store) error {
		dues, total, err := s.OpenDues(context.Background(), rs, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), time.UTC, 100)
		if err == nil && (len(dues) != 100 || total <= 100) {
			err = fmt.Errorf("%d dues of %d", len(dues), total)
		}
		return err
	})
}

// BenchmarkDeadlinesAll is deadlines --all: every open item.
func BenchmarkDeadlinesAll(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	benchSizes(b, func(s *incident.Store) error {
		_, _, err := s.OpenDues(context.Background(), rs, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), time.UTC, 0)
		return err
	})
}

// BenchmarkExport streams the whole database to nowhere.
func BenchmarkExport(b *testing.B) {
	benchSizes(b, func(s *incident.Store) error { return s.ExportTo(context.Background(), io.Discard, nil) })
}

func benchSizes(b *testing.B, fn func(*incident.Store) error) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dK", n/1000), func(b *testing.B) {
			s, err := incident.Open(context.Background(), Cached(b, n, 100))
			require.NoError(b, err)
			defer s.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := fn(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGate is a gate check with the records it decides on checked
// against their history (every incident the history says is unresolved,
// every freeze and service).
func BenchmarkGate(b *testing.B) {
	benchSizes(b, func(s *incident.Store) error {
		_, err := s.CheckGate(context.Background(), []string{"talk"}, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
		return err
	})
}

// BenchmarkShow is what show and every report read of one incident: its
// view, assembled in one read transaction.
func BenchmarkShow(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	benchSizes(b, func(s *incident.Store) error {
		_, err := s.Postmortem(context.Background(), 7, incident.Point{}, rs)
		return err
	})
}

// BenchmarkShowKnownAt is show --known-at: one incident as the history
// knew it at a moment, replayed from the history. It should grow with the
// incident's own history, not with the database.
func BenchmarkShowKnownAt(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	benchSizes(b, func(s *incident.Store) error {
		at := time.Now().Add(-time.Second)
		v, err := s.Postmortem(context.Background(), 7, incident.Point{KnownAt: at}, rs)
		if err == nil && len(v.Incident.Timeline) == 0 {
			err = fmt.Errorf("no timeline")
		}
		return err
	})
}

// BenchmarkReview is stats and report quarterly: a quarter's figures,
// the quarter before, and the duties falling due in it.
func BenchmarkReview(b *testing.B) {
	rs, err := incident.LoadRegimes()
	require.NoError(b, err)
	w, err := incident.ParseQuarter("2023Q2", time.UTC)
	require.NoError(b, err)
	benchSizes(b, func(s *incident.Store) error {
		r, err := s.Review(context.Background(), w, incident.ReviewFilter{}, rs)
		if err == nil && r.Incidents == 0 {
			err = fmt.Errorf("no incidents in %v", w)
		}
		return err
	})
}
