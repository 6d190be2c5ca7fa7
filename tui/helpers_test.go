package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

// updating reports -update, the flag teatest's golden package defines.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var seoul = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testClock is 2024-05-21 10:00 KST, after the fixture's last incident.
func testClock() time.Time { return time.Date(2024, 5, 21, 10, 0, 0, 0, seoul) }

// testUI opens a fresh store (optionally with the fixture) and a UI on it.
func testUI(t *testing.T, fixture bool) (*Model, *incident.Store) {
	t.Helper()
	s, err := incident.Open(context.Background(), filepath.Join(t.TempDir(), "pm.db"), incident.WithClock(testClock))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	if fixture {
		f, err := os.Open(filepath.Join("..", "testdata", "kakao-2024-05.json"))
		require.NoError(t, err)
		defer f.Close()
		_, err = s.ImportFrom(context.Background(), f, false, nil)
		require.NoError(t, err)
	}
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	m := New(Config{Store: s, Regimes: rs, Zone: seoul, Now: testClock, Author: "ic", ExportDir: t.TempDir()})
	return m, s
}

// ui is a running program at 80x24, driven as a terminal would drive it.
type ui struct {
	t  *testing.T
	tm *teatest.TestModel
}

// snapshotMsg asks the running program for its screen. A program filter
// answers it inside the event loop, where reading the model is safe, so a
// reply also means every key sent before it has been handled.
type snapshotMsg struct{ reply chan string }

func run(t *testing.T, m *Model) *ui {
	t.Helper()
	snap := tea.WithFilter(func(model tea.Model, msg tea.Msg) tea.Msg {
		if s, ok := msg.(snapshotMsg); ok {
			s.reply <- readScreen(model.(*Model))
			return nil
		}
		return msg
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24), teatest.WithProgramOptions(snap))
	t.Cleanup(func() { _ = tm.Quit() })
	u := &ui{t: t, tm: tm}
	u.waitFor("incidents,") // a person starts once the list is there
	return u
}

// screen is what the program shows now.
func (u *ui) screen() string {
	u.t.Helper()
	reply := make(chan string, 1)
	u.tm.Send(snapshotMsg{reply})
	select {
	case s := <-reply:
		return s
	case <-time.After(10 * time.Second):
		u.t.Fatal("the program did not answer")
		return ""
	}
}

// waitFor waits until the screen shows want; the screen is in the failure.
func (u *ui) waitFor(want string) {
	u.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := u.screen()
		if strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			u.t.Fatalf("the screen never showed %q:\n%s", want, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// press sends keys: named keys (enter, esc, tab, ctrl+s, ctrl+up, right,
// down, up, ctrl+u) or text typed a character at a time. Each is handled
// before the next is sent.
func (u *ui) press(keys ...string) {
	u.t.Helper()
	named := map[string]tea.KeyPressMsg{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"right": {Code: tea.KeyRight}, "down": {Code: tea.KeyDown}, "up": {Code: tea.KeyUp},
		"ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "ctrl+u": {Code: 'u', Mod: tea.ModCtrl}, "backspace": {Code: tea.KeyBackspace},
		"ctrl+up": {Code: tea.KeyUp, Mod: tea.ModCtrl}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl},
	}
	for _, k := range keys {
		if msg, ok := named[k]; ok {
			u.tm.Send(msg)
		} else {
			u.tm.Type(k)
		}
		u.screen()
	}
}

// field waits for a form field to have the focus (the form marks it with
// "› "), then presses the keys into it.
func (u *ui) field(title string, keys ...string) {
	u.t.Helper()
	u.waitFor("› " + title)
	u.press(keys...)
}

// readScreen is the model's current view without colour, trailing spaces
// trimmed: what a person would read.
func readScreen(m *Model) string {
	lines := splitLines(ansi.Strip(m.View().Content))
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// settle runs the cmds the model returns, one after another, feeding their
// messages back until none is left, which makes screens deterministic for
// golden files. Clock ticks and cursor blinks only sleep and repeat; they
// are recognised by the function that made them and not run.
func settle(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil || sleeper(c) {
			continue
		}
		msg := c()
		if msg == nil {
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			// tea.Batch and tea.Sequence: run their cmds in order.
			for i := 0; i < v.Len(); i++ {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			return
		}
		_, next := m.Update(msg)
		queue = append(queue, next)
	}
}

func sleeper(c tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
	return strings.Contains(name, ".Tick.") || strings.Contains(name, "Blink")
}

// goldenScreen compares the screen with testdata/golden/NAME.txt.
func goldenScreen(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name+".txt")
	if updating() {
		require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./tui -update to create it")
	assert.Equal(t, strings.TrimSuffix(string(want), "\n"), got)
}

// userEvents are the events people logged on an incident, without the
// system entries the store writes.
func userEvents(s *incident.Store, id int64) []incident.Event {
	in, _ := s.Incident(context.Background(), id)
	return withoutSystem(in.Timeline)
}

func withoutSystem(evs []incident.Event) []incident.Event {
	var out []incident.Event
	for _, e := range evs {
		if e.Kind != incident.KindSystem {
			out = append(out, e)
		}
	}
	return out
}

// declared is the one incident the test declared, read whole.
func declared(t *testing.T, s *incident.Store) *incident.Incident {
	t.Helper()
	list, err := s.Incidents(context.Background(), incident.ListFilter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	in, err := s.Incident(context.Background(), list[0].ID)
	require.NoError(t, err)
	return in
}
