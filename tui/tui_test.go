package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/incidenttest"
)

func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// drive sends keys straight to the model and settles after each one.
func drive(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		settle(m, cmd)
	}
}

func sized(m *Model, w, h int) {
	_, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	settle(m, cmd)
	settle(m, m.home.load())
}

func TestGoldenScreens(t *testing.T) {
	m, s := testUI(t, true)
	_, err := s.UpdateIncident(context.Background(), 3, func(in *incident.Incident) error {
		in.Related = []int64{2}
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, s.AddAction(context.Background(), &incident.Action{IncidentID: ptr(int64(3)), Area: incident.AreaChangeControl,
		Owner: "변경관리위원회", Due: incident.NewDate(2024, 6, 30), Text: "장애 중 변경 작업 금지 절차"}))
	sized(m, 80, 24)
	goldenScreen(t, "tui-home", readScreen(m))

	drive(m, "enter") // the newest incident, 05-21
	require.Equal(t, screenLive, m.screen)
	goldenScreen(t, "tui-live", readScreen(m))
	for _, d := range []struct {
		name string
		keys []string
	}{{"event", []string{"a", "d"}}, {"event-at", []string{"t", "a"}}, {"edit", []string{"e"}}, {"retract", []string{"w"}},
		{"fields", []string{"f"}}, {"resolve", []string{"R"}}, {"role", []string{"o"}}, {"related", []string{"r"}}, {"update", []string{"u"}}} {
		drive(m, d.keys...)
		goldenScreen(t, "tui-dialog-"+d.name, readScreen(m))
		drive(m, "esc")
		require.Nil(t, m.live.dlg, "esc closes the %s dialog with nothing typed", d.name)
		require.Nil(t, m.live.related)
	}

	drive(m, "p")
	goldenScreen(t, "tui-postmortem", readScreen(m))

	m.c.exportDir = "/srv/reports" // a fixed folder for the golden screen
	drive(m, "esc", "x")
	require.Equal(t, screenExport, m.screen)
	goldenScreen(t, "tui-export", readScreen(m))

	drive(m, "esc", "esc", "esc", "n")
	require.Equal(t, screenDeclare, m.screen)
	goldenScreen(t, "tui-declare", readScreen(m))
	drive(m, "esc")
	require.Equal(t, screenHome, m.screen)
}

func ptr[T any](v T) *T { return &v }

func TestScreensFitAnySize(t *testing.T) {
	m, _ := testUI(t, true)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 15}, {200, 50}} {
		sized(m, size[0], size[1])
		for _, keys := range [][]string{nil, {"enter"}, {"enter", "p"}, {"enter", "p", "c"}, {"enter", "p", "a"}, {"enter", "p", "r"}, {"n"}, {"enter", "x"},
			{"enter", "a", "d"}, {"enter", "t", "n"}, {"enter", "g", "enter"}, {"enter", "/", "로그"}, {"enter", "e"}, {"enter", "w"}, {"enter", "f"}, {"enter", "R"}, {"enter", "o"}, {"enter", "r"}, {"enter", "m"}} {
			drive(m, keys...)
			lines := splitLines(m.View().Content)
			assert.LessOrEqual(t, len(lines), size[1], "%v lines at %dx%d", keys, size[0], size[1])
			for _, l := range lines {
				assert.LessOrEqual(t, ansi.StringWidth(l), size[0], "%v: line %q at %dx%d", keys, ansi.Strip(l), size[0], size[1])
			}
			drive(m, "esc", "esc", "esc", "esc")
			require.Equal(t, screenHome, m.screen, "esc goes back to home from %v", keys)
		}
	}
}

func TestHomeFilter(t *testing.T) {
	m, _ := testUI(t, true)
	sized(m, 100, 30)
	drive(m, "/")
	for _, r := range "PC" {
		drive(m, string(r))
	}
	got := readScreen(m)
	assert.Contains(t, got, "카카오톡 PC 로그인 실패")
	assert.NotContains(t, got, "카카오톡 메시지 송수신 실패")
	drive(m, "esc")
	assert.Contains(t, readScreen(m), "카카오톡 메시지 송수신 실패")
}

func TestHomeShowsDeadlines(t *testing.T) {
	m, s := testUI(t, true)
	ctx := context.Background()
	require.NoError(t, s.CreateOrder(ctx, &incident.Order{Regime: "kr-msit", Received: incident.NewDate(2024, 5, 21), Incidents: []int64{1, 2, 3}}))
	sized(m, 100, 30)
	got := readScreen(m)
	assert.Contains(t, got, "Nearest deadlines")
	assert.Contains(t, got, "OVERDUE", "the without-delay duties of 05-13")
}

// declare fills the declare form: each value goes into its field once the
// field has the focus; sev is the severity's key (1 to 4, "" for SEV2).
func (u *ui) declare(title, services, sev, started, detected, users, symptoms string) {
	u.t.Helper()
	u.press("n")
	u.field("Title", title, "enter")
	u.field("Services", services, "enter")
	u.field("Severity", sev, "enter")
	for _, f := range [][2]string{{"Started", started}, {"Detected", detected}} {
		if f[1] == "" {
			u.field(f[0], "enter")
		} else {
			u.field(f[0], f[1], "enter") // typing replaces the time filled in
		}
	}
	u.field("Users affected %", users, "enter")
	u.field("What users see", symptoms, "enter")
	u.field("Commander", "enter")
	u.waitFor("[OPEN]")
}

// TestDeclareAndLog drives the declare form and the live screen by keys in
// a running program and checks what reached SQLite.
func TestDeclareAndLog(t *testing.T) {
	m, s := testUI(t, false)
	u := run(t, m)
	u.declare("로그인 장애", "talk, login", "3", "", "", "8", "PC 로그인 실패")
	in := declared(t, s)
	assert.Equal(t, "로그인 장애", in.Title)
	assert.Equal(t, []string{"talk", "login"}, in.Services)
	assert.Equal(t, incident.SEV3, in.Severity, "picked by its key")
	assert.Equal(t, "ic", in.Roles["commander"], "the commander is who declared, unless typed")
	assert.Equal(t, 8.0, *in.UsersAffectedPct)
	assert.Equal(t, "PC 로그인 실패", in.Symptoms)
	assert.True(t, in.StartedAt.Equal(testClock()), "started defaults to now")

	// a + kind key + text + enter: one event stamped now.
	u.press("a", "d", "경보 발생", "enter")
	u.waitFor("✓ saved detect")
	u.press("a", "c", "공지 게시", "enter")
	u.waitFor("✓ saved comms")
	// t: an event at a typed time (the kind key, then the time).
	u.press("t", "a", "09:55", "enter", "세션 서버 재시작", "enter")
	// Before the start (declared at 10:00): asked once, with the date.
	u.waitFor("2024-05-21 09:55:00 is 5m BEFORE the incident started")
	assert.Empty(t, userEvents(s, in.ID)[2:], "nothing saved on the question")
	u.press("enter")
	u.waitFor("✓ saved action at 09:55:00")
	evs := userEvents(s, in.ID)
	require.Len(t, evs, 3)
	assert.Equal(t, "세션 서버 재시작", evs[0].Text)
	assert.Equal(t, "09:55:00", evs[0].At.In(seoul).Format("15:04:05"))
	assert.Equal(t, incident.KindDetect, evs[1].Kind)
	assert.Equal(t, "경보 발생", evs[1].Text)
	assert.True(t, evs[1].At.Equal(testClock()))
	assert.Equal(t, "ic", evs[1].Author)

	// The 09:55 event sorted first and is selected; G goes to the last
	// (the comms at 10:00), and e edits it: its text, then (tab) its time.
	// tab again reaches the kind, changed by its key.
	u.press("G", "e", "ctrl+u", "공지 게시 완료", "tab", "2024-05-21 09:58", "tab", "n", "enter")
	u.waitFor("BEFORE the incident started")
	u.press("enter")
	u.waitFor("✓ edit saved")
	evs = userEvents(s, in.ID)
	require.Len(t, evs, 3)
	assert.Equal(t, "공지 게시 완료", evs[1].Text)
	assert.Equal(t, "09:58:00", evs[1].At.In(seoul).Format("15:04:05"), "moved before the 10:00 detect")
	assert.Equal(t, incident.KindNote, evs[1].Kind)

	// m asks for the time, now filled in; enter takes it.
	u.press("m")
	u.field("Mitigated at", "enter")
	u.waitFor("[MITIGATED]")

	// R: end time (default now), then the steps; ctrl+up moves one up.
	u.press("R", "tab", "캐시 비우기", "enter", "페일오버", "ctrl+up", "ctrl+s")
	u.waitFor("[RESOLVED]")
	got, _ := s.Incident(context.Background(), in.ID)
	assert.Equal(t, incident.StatusResolved, got.Status)
	assert.Equal(t, []string{"페일오버", "캐시 비우기"}, got.RecoverySteps)
	assert.Equal(t, 3, strings.Count(u.screen(), "✓ saved \n")+strings.Count(u.screen(), "✓ saved\n"), u.screen())
}

func TestFailedSaveKeepsText(t *testing.T) {
	m, s := testUI(t, true)
	sized(m, 80, 24)
	drive(m, "enter")
	// Close the store under the screen: the next save must fail, say so,
	// and keep the text.
	require.NoError(t, s.Close())
	drive(m, "a", "n")
	for _, r := range "중요한 기록" {
		drive(m, string(r))
	}
	drive(m, "enter")
	got := readScreen(m)
	assert.Contains(t, got, "NOT saved")
	require.NotNil(t, m.live.dlg)
	assert.Equal(t, "중요한 기록", m.live.dlg.form.value("text"), "the text is kept for another try")
	assert.True(t, m.dirty(), "quitting now asks first")
	m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	assert.Contains(t, readScreen(m), "Quit anyway?")
}

func TestPostmortemScreen(t *testing.T) {
	m, s := testUI(t, true)
	u := run(t, m)
	u.press("enter")
	u.waitFor("[RESOLVED]")
	u.press("p")
	u.waitFor("Cause [c]")
	u.press("l")
	u.field("What went well", "ctrl+u", "자동화 도구가 빨랐다", "tab")
	u.field("What went wrong", "ctrl+u", "공지가 늦었다", "tab")
	u.field("Where we were lucky", "ctrl+u", "영향이 8%였다", "ctrl+s")
	u.waitFor("✓ lessons saved")
	in, _ := s.Incident(context.Background(), 3)
	assert.Equal(t, incident.Lessons{WentWell: "자동화 도구가 빨랐다", WentWrong: "공지가 늦었다", Lucky: "영향이 8%였다"}, in.Lessons)

	u.press("a")
	u.field("Action", "장애 중 변경 금지", "enter")
	u.field("Area", "right", "enter")
	u.field("Owner", "변경관리위원회", "enter")
	u.field("Due", "2024-06-30", "enter")
	u.waitFor("✓ action saved")
	in, _ = s.Incident(context.Background(), 3)
	require.Len(t, in.Actions, 1)
	a := in.Actions[0]
	assert.Equal(t, "장애 중 변경 금지", a.Text)
	assert.Equal(t, incident.AreaUserNotice, a.Area, "one step right of rca")
	assert.Equal(t, "2024-06-30", a.Due.String())

	// s asks: s again (by reflex) and enter change nothing.
	u.press("s", "s", "enter")
	u.waitFor("nothing changed")
	u.press("i", "enter")
	u.waitFor("✓ measure status saved")
	in, _ = s.Incident(context.Background(), 3)
	assert.Equal(t, incident.ActionInProgress, in.Actions[0].Status)

	// Done asks the day (a 2024 measure was not done today); the day
	// saved is the one typed.
	u.press("s", "d", "enter")
	u.waitFor("on which day was it done?")
	u.field("Done on", "2024-05-20")
	u.waitFor("→ 2024-05-20")
	assert.NotContains(t, u.screen(), "on which day", "the refusal goes once the field is typed in")
	u.press("enter") // on to the evidence, typed in its field
	u.field("Evidence", "변경 통제 절차서 v2", "enter")
	u.field("Reason", "enter")
	u.waitFor("✓ measure status saved")
	in, _ = s.Incident(context.Background(), 3)
	assert.Equal(t, incident.ActionDone, in.Actions[0].Status)
	assert.Equal(t, "2024-05-20", in.Actions[0].DoneOn.String())
	assert.Equal(t, "변경 통제 절차서 v2", in.Actions[0].Evidence)

	// Taking it back needs the reason, which the history keeps.
	u.press("s", "p", "ctrl+s")
	u.waitFor("it is done; taking that back needs the reason")
	u.field("Reason", "증빙 누락으로 재개")
	u.press("ctrl+s")
	u.waitFor("✓ measure status saved")
	in, _ = s.Incident(context.Background(), 3)
	assert.Equal(t, incident.ActionPlanned, in.Actions[0].Status)
	assert.Nil(t, in.Actions[0].DoneOn)
	hist, err := s.History(context.Background(), 3)
	require.NoError(t, err)
	last := hist[len(hist)-1]
	assert.Equal(t, "증빙 누락으로 재개", last.Reason)

	// r: related incidents picked from a list by title.
	u.press("r")
	u.waitFor("Related incidents of #3")
	u.press("송수신")
	u.waitFor("[x] #2") // the fixture links 05-21 to 05-20
	u.press("enter")
	u.waitFor("[ ] #2")
	in, _ = s.Incident(context.Background(), 3)
	assert.Empty(t, in.Related)
	u.press("enter")
	u.waitFor("[x] #2")
	u.press("esc")
	in, _ = s.Incident(context.Background(), 3)
	assert.Equal(t, []int64{2}, in.Related)

	u.press("c")
	u.field("Root cause", "ctrl+u", "배포 | 스크립트 *오류*", "tab")
	u.field("Trigger", "ctrl+s")
	u.waitFor("✓ cause saved")
	in, _ = s.Incident(context.Background(), 3)
	assert.Equal(t, "배포 | 스크립트 *오류*", in.Cause)
}

func TestExportScreen(t *testing.T) {
	m, _ := testUI(t, true)
	u := run(t, m)
	u.press("enter")
	u.waitFor("[RESOLVED]")
	u.press("x")
	u.field("Format", "m", "enter") // pdf → md
	u.field("Language", "enter")
	u.field("File", "enter")
	u.waitFor("✓ wrote")
	want := filepath.Join(m.c.exportDir, "postmortem-3.ko.md")
	assert.Contains(t, strings.ReplaceAll(u.screen(), "\n", ""), "postmortem-3.ko.md")
	b, err := os.ReadFile(want)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "# 장애 보고서: 카카오톡 PC 로그인 실패"))
}

// TestFixtureThroughTheTUI enters the 2024-05-21 incident by keys and finds
// the same figures as the imported fixture.
func TestFixtureThroughTheTUI(t *testing.T) {
	m, s := testUI(t, true)
	u := run(t, m)
	u.declare("카카오톡 PC 로그인 실패 및 모바일 메시지 지연", "카카오톡 PC, 카카오톡 모바일", "2",
		"2024-05-21 08:30", "2024-05-21 08:32", "8", "PC 버전 로그인 실패, 모바일 메시지 수발신 지연")
	for _, ev := range [][3]string{{"08:30", "n", "같은 데이터센터 다른 서버에 Java 업데이트 적용"}, {"08:32", "d", "PC 로그인 실패 경보"},
		{"08:45", "a", "자동화 도구로 복구 시작, 일부 트래픽 페일오버"}, {"09:00", "c", "PC 로그인 장애 공지"}, {"09:24", "r", "수동 복구 완료, 전 서비스 정상화"}} {
		kindKey := ev[1]
		if kindKey == "c" {
			kindKey = "u" // the notice to users
		}
		u.press("t", kindKey, ev[0], "enter", ev[2], "enter")
		u.waitFor("at " + ev[0] + ":00")
	}
	u.press("R", "2024-05-21 09:24", "tab", "자동화 도구로 서버 상태 복원", "enter", "이중화된 서비스로 전환(페일오버)", "enter", "남은 서버 수동 복구", "ctrl+s")
	u.waitFor("[RESOLVED]")
	typed, err := s.Incident(context.Background(), 4)
	require.NoError(t, err)
	imported, _ := s.Incident(context.Background(), 3)
	ft, fi := typed.Figures(), imported.Figures()
	assert.Equal(t, *fi.Outage, *ft.Outage)
	assert.Equal(t, *fi.TimeToDetect, *ft.TimeToDetect)
	assert.Equal(t, *fi.TimeToResolve, *ft.TimeToResolve)
	assert.Equal(t, imported.Title, typed.Title)
	assert.Equal(t, imported.Services, typed.Services)
	assert.Equal(t, imported.Severity, typed.Severity)
	assert.Equal(t, *imported.UsersAffectedPct, *typed.UsersAffectedPct)
	assert.Equal(t, imported.RecoverySteps, typed.RecoverySteps)
	logged := withoutSystem(typed.Timeline)
	require.Len(t, logged, len(imported.Timeline))
	for i := range imported.Timeline {
		assert.True(t, imported.Timeline[i].At.Equal(logged[i].At), "event %d time", i)
		assert.Equal(t, imported.Timeline[i].Kind, logged[i].Kind)
		assert.Equal(t, imported.Timeline[i].Text, logged[i].Text)
		assert.Equal(t, imported.Timeline[i].Notice, logged[i].Notice)
	}
}

func TestQuitAsksOnlyWithUnsavedText(t *testing.T) {
	m, s := testUI(t, true)
	sized(m, 80, 24)
	drive(m, "enter", "a", "n")
	for _, r := range "아직 저장 안 됨" {
		drive(m, string(r))
	}
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	assert.Nil(t, cmd, "no quit yet")
	assert.Contains(t, readScreen(m), "Quit anyway? (y/N)")
	drive(m, "n")
	assert.NotContains(t, readScreen(m), "Quit anyway?")
	assert.Equal(t, "아직 저장 안 됨", m.live.dlg.form.value("text"), "the text is still there")
	drive(m, "enter")
	in, err := s.Incident(context.Background(), 3)
	require.NoError(t, err)
	assert.Equal(t, "아직 저장 안 됨", in.Timeline[len(in.Timeline)-1].Text)

	// Nothing typed: q quits at once.
	_, cmd = m.Update(keyMsg("q"))
	require.NotNil(t, cmd)
	_, isQuit := cmd().(quitMsg)
	require.True(t, isQuit)
	_, cmd = m.Update(quitMsg{})
	require.NotNil(t, cmd)
	_, isTeaQuit := cmd().(tea.QuitMsg)
	assert.True(t, isTeaQuit)
}

// TestFailedFormSaveKeepsWhatWasTyped: when the store refuses a form, the
// form comes back showing the typed values and the error, ready to retry.
func TestFailedFormSaveKeepsWhatWasTyped(t *testing.T) {
	t.Run("declare", func(t *testing.T) {
		m, s := testUI(t, false)
		sized(m, 80, 24)
		drive(m, "n")
		for _, r := range "결제 장애" {
			drive(m, string(r))
		}
		require.NoError(t, s.Close())
		drive(m, "ctrl+s")
		got := readScreen(m)
		assert.Contains(t, got, "not saved: ")
		assert.Contains(t, got, "Title            결제 장애", "the form is back with the title")
		assert.True(t, m.dirty(), "quitting now asks first")
	})
	t.Run("postmortem", func(t *testing.T) {
		m, s := testUI(t, true)
		sized(m, 80, 24)
		drive(m, "enter", "p", "l")
		drive(m, "ctrl+u")
		for _, r := range "새 교훈" {
			drive(m, string(r))
		}
		require.NoError(t, s.Close())
		drive(m, "ctrl+s")
		got := readScreen(m)
		assert.Contains(t, got, "lessons NOT saved")
		assert.Contains(t, got, "새 교훈")
		assert.True(t, m.dirty())
	})
}

// TestHostileTextIsShownNotObeyed: escape sequences and bidirectional
// overrides in user text reach the screen as visible escapes.
func TestHostileTextIsShownNotObeyed(t *testing.T) {
	m, s := testUI(t, true)
	_, err := s.UpdateIncident(context.Background(), 3, func(in *incident.Incident) error {
		in.Title = "x\x1b]0;pwned\x07\x1b[2J"
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, s.AddEvent(context.Background(), &incident.Event{IncidentID: 3, At: testClock(), Kind: incident.KindNote, Text: "rtl \u202eevil"}))
	sized(m, 100, 30)
	home := readScreen(m)
	assert.Contains(t, home, `x\x1b]0;pwned\x07\x1b[2J`)
	drive(m, "enter")
	live := readScreen(m)
	assert.Contains(t, live, `rtl \u202eevil`)
	for _, screen := range []string{home, live, m.View().Content} {
		assert.NotContains(t, screen, "\x07")
		assert.NotContains(t, screen, "\x1b]0;pwned", "the sequence itself never reaches the terminal")
		assert.NotContains(t, screen, "\u202e")
	}
}

// TestHomeReadsAPageAtATime: the home screen reads what it shows, the next
// page when the cursor nears the end, and filters in the database, by
// title, service, status or severity.
func TestHomeReadsAPageAtATime(t *testing.T) {
	m, s := testUI(t, false)
	require.NoError(t, incidenttest.Load(context.Background(), s, 450, 1, 3))
	sized(m, 100, 30)
	assert.Contains(t, readScreen(m), "450 incidents, 45 open")
	assert.Len(t, m.home.rows, homePage, "one page read")
	drive(m, "G")
	assert.Len(t, m.home.rows, 2*homePage, "the next page, read at the end of the first")
	drive(m, "G")
	assert.Len(t, m.home.rows, 450)
	drive(m, "g", "/", "S", "E", "V", "1")
	v, err := s.Overview(context.Background(), incident.ListFilter{Query: "SEV1"}, nil, testClock(), seoul, 0)
	require.NoError(t, err)
	sev1 := v.Total
	require.NotZero(t, sev1)
	assert.Contains(t, readScreen(m), fmt.Sprintf("%d incidents", sev1))
	for _, in := range m.home.rows {
		assert.Equal(t, incident.SEV1, in.Severity)
	}
	drive(m, "esc", "/", "o", "p", "e", "n")
	for _, in := range m.home.rows {
		assert.Equal(t, incident.StatusOpen, in.Status)
	}
	assert.Contains(t, readScreen(m), "45 incidents, 45 open")
}

// Typed straight on past the kind question, at full speed: the entry is
// a note begun by what was typed, and no key of it runs as a command of
// the screen; after t, what is typed begins the time.
func TestTypingPastTheKindQuestion(t *testing.T) {
	m, s := testUI(t, false)
	u := run(t, m)
	u.declare("결제 지연", "pay", "2", "", "", "", "")
	in := declared(t, s)
	u.press("a", "원인 추정: 세션 캐시", "enter")
	u.waitFor("✓ saved note")
	u.press("t", "09:50", "enter", "경보 수신", "enter", "enter")
	u.waitFor("✓ saved note at 09:50:00")
	evs := userEvents(s, in.ID)
	require.Len(t, evs, 2)
	assert.Equal(t, "경보 수신", evs[0].Text)
	assert.Equal(t, "09:50:00", evs[0].At.In(seoul).Format("15:04:05"))
	assert.Equal(t, "원인 추정: 세션 캐시", evs[1].Text)
	assert.Equal(t, incident.KindNote, evs[1].Kind)
	got, err := s.Incident(context.Background(), in.ID)
	require.NoError(t, err)
	assert.Equal(t, incident.StatusOpen, got.Status, "nothing typed ran as a command")
}

// Two responders on one incident: another saves the users affected while
// the fields form is open here. A save that changes another field leaves
// theirs as stored; a save that changes the same field is refused, names
// it, and keeps what was typed; saving again, having looked, puts it.
func TestFieldsFormNeverWritesOverAnother(t *testing.T) {
	m, s := testUI(t, false)
	u := run(t, m)
	u.declare("결제 지연", "pay", "2", "", "", "8", "")
	id := declared(t, s).ID
	other := func(pct float64) {
		_, err := s.As("이인계", "").UpdateIncident(context.Background(), id, func(in *incident.Incident) error { in.UsersAffectedPct = &pct; return nil })
		require.NoError(t, err)
	}
	stored := func() *incident.Incident {
		in, err := s.Incident(context.Background(), id)
		require.NoError(t, err)
		return in
	}

	// Here the title changes; there the users: both stand.
	u.press("f")
	u.field("Title", "ctrl+u", "결제 승인 지연")
	other(12)
	u.press("ctrl+s")
	u.waitFor("✓ fields saved")
	in := stored()
	assert.Equal(t, "결제 승인 지연", in.Title)
	assert.Equal(t, 12.0, *in.UsersAffectedPct, "another's change to another field stays")

	// Both change the users: refused, named, the typed value kept.
	u.press("f")
	u.field("Title", "enter")
	u.field("Services", "enter")
	u.field("Severity", "enter")
	u.field("Status", "enter")
	u.field("Users affected %", "ctrl+u", "9")
	other(15)
	u.press("ctrl+s")
	// Named with what it became, by whom and when.
	u.waitFor("users affected % → 15 by 이인계 at 10:00:00")
	assert.Equal(t, 15.0, *stored().UsersAffectedPct, "not written over")
	// What was typed is kept, read off the screen (the model is the
	// program's, on its own goroutine).
	assert.Regexp(t, `Users affected %\s+9\b`, u.screen(), "what was typed is kept")
	// Having looked, saving again puts it.
	u.press("ctrl+s")
	u.waitFor("✓ fields saved")
	assert.Equal(t, 9.0, *stored().UsersAffectedPct)
}

// Enter opens an event whole: its text wrapped (not cut at the edge), who
// and when, its retraction, and the wording it had before an edit; / finds
// events by their words, n and N step through them.
func TestEventDetailAndSearch(t *testing.T) {
	m, s := testUI(t, true)
	ctx := context.Background()
	evs := userEvents(s, 3)
	require.GreaterOrEqual(t, len(evs), 3)
	long := strings.Repeat("세션 서버의 연결이 끊어져 재시도가 몰렸다 ", 6) + "끝부분"
	_, err := s.As("이인계", "오타 수정").EditEvent(ctx, 3, evs[0].ID, func(e *incident.Event) error { e.Text = long; return nil })
	require.NoError(t, err)
	sized(m, 80, 24)
	drive(m, "enter", "g", "enter")
	require.NotNil(t, m.live.detail)
	got := readScreen(m)
	goldenScreen(t, "tui-event-detail", got)
	assert.Contains(t, got, "끝부분", "the whole text, wrapped")
	assert.Contains(t, got, "was: "+safe(evs[0].Text), "the wording before the edit")
	assert.Contains(t, got, "이인계 changed text (오타 수정)")
	drive(m, "j")
	assert.Equal(t, evs[1].ID, m.live.detail.ev.ID, "j goes to the next event, whole")
	assert.Contains(t, readScreen(m), fmt.Sprintf("Event #%d", evs[1].ID))
	drive(m, "k")
	assert.Equal(t, evs[0].ID, m.live.detail.ev.ID)
	drive(m, "esc")
	assert.Nil(t, m.live.detail)
	assert.Equal(t, screenLive, m.screen, "esc closes the detail, not the screen")

	// Search: the cursor goes to the first event holding the words.
	want := -1
	for i, r := range m.live.rows {
		if strings.Contains(r.ev.Text, "복구") {
			want = i
			break
		}
	}
	require.GreaterOrEqual(t, want, 0, "the fixture has a recovery")
	drive(m, "G", "/")
	typeText(m, "복구")
	drive(m, "enter")
	assert.Equal(t, want, m.live.cursor)
	assert.Contains(t, readScreen(m), "/복구: 1 of 2")
	drive(m, "n")
	assert.NotEqual(t, want, m.live.cursor, "n goes to the next that holds it")
	assert.Contains(t, m.live.rows[m.live.cursor].ev.Text, "복구")
	drive(m, "N")
	assert.Equal(t, want, m.live.cursor)
	drive(m, "esc")
	assert.Nil(t, m.live.search)
	assert.Equal(t, screenLive, m.screen)
}

// C closes an incident that was no outage, asking the reason, which the
// timeline shows; C again reopens it, asking again.
func TestCloseAsNoOutage(t *testing.T) {
	m, s := testUI(t, false)
	u := run(t, m)
	u.declare("경보 폭주", "lb", "1", "", "", "", "")
	u.press("C")
	u.field("Was", "enter")
	u.field("Duplicate of", "enter")
	u.field("Found at", "enter")
	u.field("Reason", "enter")
	u.waitFor("why was it no outage?")
	u.press("설정 오류로 인한 오경보", "enter")
	u.waitFor("[FALSE ALARM]")
	u.waitFor("closed as false-alarm: 설정 오류로")
	assert.NotContains(t, u.screen(), "next in", "no update clock runs on it")
	in := declared(t, s)
	assert.Equal(t, incident.ClosedFalseAlarm, in.ClosedAs)
	assert.False(t, in.Open(), "nothing of it is open")

	u.press("C")
	u.field("Reason", "실제 장애로 확인", "enter")
	u.waitFor("[OPEN]")
	in, _ = s.Incident(context.Background(), in.ID)
	assert.Empty(t, in.ClosedAs)
}

// u drafts the next update from the notice templates: numbered after the
// notices on the timeline, in the language picked (the draft follows it
// until edited), recorded as the notice to users.
func TestUpdateDraft(t *testing.T) {
	m, s := testUI(t, false)
	u := run(t, m)
	u.declare("결제 지연", "pay", "2", "", "", "", "결제가 늦게 처리됨")
	u.press("u")
	u.waitFor("서비스 장애 안내")
	u.waitFor("no update has gone out yet")
	u.press("shift+tab", "e")
	u.waitFor("service disruption")
	u.press("ctrl+s")
	u.waitFor("✓ update (copied to the clipboard) saved")
	id := declared(t, s).ID
	evs := userEvents(s, id)
	require.Len(t, evs, 1)
	assert.Equal(t, incident.KindComms, evs[0].Kind)
	assert.Equal(t, incident.NoticeUsers, evs[0].Notice, "it meets the notice to users")
	assert.Contains(t, evs[0].Text, "pay: service disruption")
	assert.Contains(t, evs[0].Text, "What you may notice: 결제가 늦게 처리됨")

	// The next is update 2, and says what happened since.
	u.press("a", "n", "재시작", "enter")
	u.waitFor("✓ saved note")
	u.press("u")
	u.waitFor("(2보)")
	u.waitFor("since the last update (10:00): 1 entry")
	u.press("esc")
}

// A measure's status saved from the screen is built on the version the
// screen showed: another's change meanwhile is not overwritten; the dialog
// names it, by whom, and stays open, and enter again saves knowingly.
func TestMeasureStatusNeverWritesOverAnother(t *testing.T) {
	m, s := testUI(t, true)
	ctx := context.Background()
	a := &incident.Action{IncidentID: ptr(int64(3)), Area: incident.AreaMonitoring, Text: "경보 기준 조정", Owner: "인프라팀",
		Due: incident.NewDate(2024, 6, 30), Status: incident.ActionPlanned}
	require.NoError(t, s.AddAction(ctx, a))
	u := run(t, m)
	u.press("enter")
	u.waitFor("[RESOLVED]")
	u.press("p")
	u.waitFor("경보 기준 조정")
	u.press("s", "i")
	_, err := s.As("이인계", "").UpdateAction(ctx, a.ID, time.UTC, func(x *incident.Action) error {
		x.Status = incident.ActionDropped
		x.Reason = "다른 조치로 대체"
		return nil
	})
	require.NoError(t, err)
	u.press("enter")
	u.waitFor("status → dropped by")
	u.waitFor("nothing was saved")
	assert.Contains(t, u.screen(), "이인계")
	got, err := s.Actions(ctx, incident.ActionFilter{IncidentID: 3})
	require.NoError(t, err)
	assert.Equal(t, incident.ActionDropped, got[0].Status, "not written over")
	// Having looked, enter again saves it, asked now as the measure stands:
	// taking back a withdrawn one needs the reason.
	u.press("enter")
	u.waitFor("it is dropped; taking that back needs the reason")
	u.field("Reason", "재개: 대체 조치 취소")
	u.press("ctrl+s")
	u.waitFor("✓ measure status saved")
	got, err = s.Actions(ctx, incident.ActionFilter{IncidentID: 3})
	require.NoError(t, err)
	assert.Equal(t, incident.ActionInProgress, got[0].Status)
}

// An event edited here while another edits it there: the second save is
// refused, saying what the event is now; nothing is written over; enter
// again saves knowingly.
func TestEventEditNeverWritesOverAnother(t *testing.T) {
	m, s := testUI(t, false)
	ctx := context.Background()
	u := run(t, m)
	u.declare("결제 지연", "pay", "2", "", "", "8", "")
	in := declared(t, s)
	ev := &incident.Event{IncidentID: in.ID, At: *in.StartedAt, Kind: incident.KindNote, Text: "첫 기록"}
	require.NoError(t, s.AddEvent(ctx, ev))
	u.waitFor("첫 기록")
	u.press("e")
	u.waitFor(fmt.Sprintf("Edit event %d", ev.ID))
	u.field("What happened", "ctrl+u", "내 수정")
	_, err := s.As("이인계", "").EditEvent(ctx, in.ID, ev.ID, func(x *incident.Event) error { x.Text = "남의 수정"; return nil })
	require.NoError(t, err)
	u.press("enter")
	u.waitFor("changed meanwhile")
	stored := func() string {
		got, err := s.Incident(ctx, in.ID)
		require.NoError(t, err)
		for _, e := range got.Timeline {
			if e.ID == ev.ID {
				return e.Text
			}
		}
		return ""
	}
	assert.Equal(t, "남의 수정", stored(), "not written over")
	u.press("enter")
	u.waitFor("✓ edit saved")
	assert.Equal(t, "내 수정", stored(), "having looked, saved")
}
