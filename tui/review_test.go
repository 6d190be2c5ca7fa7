package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

// typeText sends text a character at a time.
func typeText(m *Model, s string) {
	for _, r := range s {
		drive(m, string(r))
	}
}

// What a commander trying the screens found, each kept from coming back.
func TestCommanderFindings(t *testing.T) {
	ctx := context.Background()
	t.Run("a count with a unit is refused, not read in part", func(t *testing.T) {
		m, s := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "enter", "f")
		for i := 0; i < 5; i++ {
			drive(m, "tab")
		}
		typeText(m, "4500만")
		drive(m, "ctrl+s")
		assert.Contains(t, readScreen(m), `"4500만" is not a count`)
		in, _ := s.Incident(ctx, 3)
		assert.Nil(t, in.UsersAffected, "nothing saved")
		drive(m, "ctrl+u")
		typeText(m, "4,500,000")
		drive(m, "ctrl+s")
		in, _ = s.Incident(ctx, 3)
		require.NotNil(t, in.UsersAffected)
		assert.Equal(t, int64(4_500_000), *in.UsersAffected)
	})
	t.Run("an event of another day shows its date once, and typing replaces it", func(t *testing.T) {
		m, s := testUI(t, true)
		m.c.now = func() time.Time { return testClock().AddDate(0, 0, 3) } // three days later
		sized(m, 80, 24)
		drive(m, "enter", "g", "e", "tab")
		got := readScreen(m)
		assert.Contains(t, got, "At            2024-05-21 08:30:00  (type to replace)")
		typeText(m, "2024-05-21 08:29")
		drive(m, "enter")
		assert.Contains(t, readScreen(m), "BEFORE the incident started")
		assert.Equal(t, "08:30:00", userEvents(s, 3)[0].At.In(seoul).Format("15:04:05"), "asked, not saved")
		drive(m, "enter")
		evs := userEvents(s, 3)
		assert.Equal(t, "08:29:00", evs[0].At.In(seoul).Format("15:04:05"))
	})
	t.Run("the time filled in shows its date on an incident of another day, and saves what it shows", func(t *testing.T) {
		m, s := testUI(t, true)
		old := &incident.Incident{Title: "사흘째 진행 중", Severity: incident.SEV2, StartedAt: ptr(testClock().AddDate(0, 0, -3))}
		require.NoError(t, s.CreateIncident(context.Background(), old))
		sized(m, 80, 24)
		drive(m, "enter") // open first: the one still open
		require.Equal(t, old.ID, m.live.id)
		drive(m, "t", "n")
		got := readScreen(m)
		assert.Contains(t, got, "At            2024-05-21 10:00:00  (type to replace)", "not a bare 10:00:00, which reads as the incident's day")
		assert.Contains(t, got, "→ 2024-05-21 (Tue) 10:00:00 KST")
		drive(m, "enter")
		typeText(m, "사후 기록")
		drive(m, "enter")
		evs := userEvents(s, old.ID)
		require.NotEmpty(t, evs)
		last := evs[len(evs)-1]
		assert.Equal(t, "사후 기록", last.Text)
		assert.Equal(t, "2024-05-21 10:00", last.At.In(seoul).Format("2006-01-02 15:04"), "now, as shown, not 05-18 10:00")
	})
	t.Run("back on the home screen, the incident left is selected wherever the list moved it", func(t *testing.T) {
		m, s := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "j", "enter")
		opened := m.live.id
		require.NoError(t, s.CreateIncident(context.Background(), &incident.Incident{Title: "새 장애", Severity: incident.SEV1, StartedAt: ptr(testClock())}))
		drive(m, "esc")
		require.Equal(t, screenHome, m.screen)
		assert.Equal(t, opened, m.home.rows[m.home.cursor].ID, "a reflex enter opens the same incident")
	})
	t.Run("esc closes the help, not the incident", func(t *testing.T) {
		m, _ := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "enter", "?", "esc")
		assert.Equal(t, screenLive, m.screen)
		assert.False(t, m.live.showHelp)
	})
	t.Run("esc and a key in one burst are esc, then the key", func(t *testing.T) {
		m, _ := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "enter")
		_, cmd := m.Update(tea.KeyPressMsg{Code: 'n', Text: "n", Mod: tea.ModAlt})
		settle(m, cmd)
		assert.Equal(t, screenDeclare, m.screen, "back home, then n: the declare form")
	})
	t.Run("a handover replaces the name filled in", func(t *testing.T) {
		m, s := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "enter", "o", "tab")
		typeText(m, "김철수")
		drive(m, "enter")
		drive(m, "o", "tab")
		typeText(m, "박민수")
		drive(m, "enter")
		in, _ := s.Incident(ctx, 3)
		assert.Equal(t, map[string]string{"commander": "박민수"}, in.Roles)
		assert.Contains(t, readScreen(m), "IC 박민수")
	})
	t.Run("a start typed in carries the detection with it", func(t *testing.T) {
		m, s := testUI(t, false)
		sized(m, 80, 24)
		drive(m, "n")
		typeText(m, "지난 장애")
		drive(m, "enter", "enter", "enter")
		typeText(m, "2024-05-01 09:00")
		drive(m, "ctrl+s")
		list, err := s.Incidents(ctx, incident.ListFilter{})
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.True(t, list[0].DetectedAt.Equal(*list[0].StartedAt), "not detected today, years after")
		assert.Contains(t, readScreen(m), "started 2024-05-01 09:00  detected 09:00")
	})
	t.Run("a duty is marked done from the screen", func(t *testing.T) {
		m, s := testUI(t, true)
		require.NoError(t, s.CreateOrder(ctx, &incident.Order{Regime: "kr-msit", Received: incident.NewDate(2024, 5, 21), Incidents: []int64{3}}))
		sized(m, 100, 30)
		drive(m, "enter")
		assert.Contains(t, readScreen(m), "ministry-report OVERDUE")
		drive(m, "D")
		assert.Contains(t, readScreen(m), "Duty done")
		typeText(m, "")
		drive(m, "tab", "tab")
		typeText(m, "과기정통부 접수 1234")
		drive(m, "enter")
		ds, err := s.Duties(ctx, 3, m.c.regimes)
		require.NoError(t, err)
		for _, d := range ds {
			if d.Kind == "ministry-report" {
				require.NotNil(t, d.Met)
				assert.Equal(t, "marked done: 과기정통부 접수 1234", d.By)
			}
		}
		assert.False(t, strings.Contains(readScreen(m), "ministry-report OVERDUE"))
	})
}

// An Enter typed in the related picker before the list of what was typed
// has come acts on that list, not on the one before it.
func TestRelatedPickerEnterWaitsForItsList(t *testing.T) {
	m, s := testUI(t, true)
	sized(m, 80, 24)
	drive(m, "enter", "p", "r")
	var cmds []tea.Cmd
	for _, k := range []string{"수", "신", "enter"} { // only #2 says 수신
		_, cmd := m.Update(keyMsg(k))
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		settle(m, c) // the reads come back only now, after the Enter
	}
	in, err := s.Incident(context.Background(), 3)
	require.NoError(t, err)
	assert.Empty(t, in.Related, "#2, the match, unlinked; #1, first of the list before, left alone")
}

// The key times stay in view at 80 columns when they fall on several days:
// the resolution is not cut off.
func TestHeaderKeepsEveryKeyTime(t *testing.T) {
	m, s := testUI(t, true)
	in := &incident.Incident{Title: "오래 끈 장애", Severity: incident.SEV2, StartedAt: ptr(testClock().AddDate(-1, 0, -3)),
		DetectedAt: ptr(testClock().AddDate(-1, 0, -3).Add(2 * time.Minute))}
	require.NoError(t, s.CreateIncident(context.Background(), in))
	_, err := s.UpdateIncident(context.Background(), in.ID, func(x *incident.Incident) error {
		x.MitigatedAt, x.ResolvedAt = ptr(testClock().Add(-time.Hour)), ptr(testClock().Add(-time.Minute))
		return nil
	})
	require.NoError(t, err)
	sized(m, 80, 24)
	drive(m, "G")
	for m.home.rows[m.home.cursor].ID != in.ID && m.home.cursor > 0 {
		drive(m, "k")
	}
	drive(m, "enter")
	require.Equal(t, in.ID, m.live.id)
	line := splitLines(readScreen(m))[2]
	assert.Contains(t, line, "res 09:59", "the resolution in view: %q", line)
	assert.NotContains(t, line, "…")
}
