package main

import (
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/incident/testdb"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// terminal is a real terminal: a tmux session on its own server socket.
type terminal struct {
	t      *testing.T
	socket string
}

func newTerm(t *testing.T, w, h int, env []string, command string) *terminal {
	t.Helper()
	_, err := exec.LookPath("tmux")
	require.NoError(t, err, "tmux is needed (apt-get install tmux; .ci/run does it)")
	tm := &terminal{t: t, socket: fmt.Sprintf("pm-test-%d", time.Now().UnixNano())}
	args := []string{"-L", tm.socket, "new-session", "-d", "-s", "pm", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, command)
	out, err := exec.Command("tmux", args...).CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *terminal) tmux(args ...string) string {
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	require.NoError(tm.t, err, string(out))
	return string(out)
}

// keys sends tmux key names (Enter, Escape, Tab, C-s, ...) or, with a
// leading "=", literal text; then gives the program a moment.
func (tm *terminal) keys(keys ...string) {
	for _, k := range keys {
		if strings.HasPrefix(k, "=") {
			tm.tmux("send-keys", "-t", "pm", "-l", "--", k[1:])
		} else {
			tm.tmux("send-keys", "-t", "pm", k)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (tm *terminal) screen(flags ...string) string {
	return tm.tmux(append([]string{"capture-pane", "-p", "-t", "pm"}, flags...)...)
}

// waitFor waits until the screen shows want, failing with the screen.
func (tm *terminal) waitFor(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("screen never showed %q:\n%s", want, tm.screen())
}

func (tm *terminal) pid() int {
	var pid int
	_, err := fmt.Sscan(tm.tmux("list-panes", "-t", "pm", "-F", "#{pane_pid}"), &pid)
	require.NoError(tm.t, err)
	return pid
}

// burst sends keys as fast as tmux takes them, with no pause: tmux key
// names (Enter, Tab, C-s, ...) or, with a leading "=", literal text.
func (tm *terminal) burst(keys ...string) {
	for _, k := range keys {
		if strings.HasPrefix(k, "=") {
			tm.tmux("send-keys", "-t", "pm", "-l", "--", k[1:])
		} else {
			tm.tmux("send-keys", "-t", "pm", k)
		}
	}
}

// TestTUIReplaysTheOutage enters the 2024-05-21 outage (08:30 to 09:24
// KST) after the fact, in Korean, keys sent at full speed with no pause
// at all: declare, events at past times, a user notice, a severity change,
// a commander handover, a retraction, mitigation at 08:58 and resolution
// at 09:24. Then it kills the program and finds every keystroke in the
// database, to the second, with each change on the timeline.
func TestTUIReplaysTheOutage(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			db := testdb.New(t)
			tm := newTerm(t, size[0], size[1], []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
			tm.waitFor("No incidents yet")
			event := func(kindKey, at, text string) []string {
				return []string{"t", kindKey, "=" + at, "Enter", "=" + text, "Enter"}
			}
			var keys []string
			keys = append(keys, "n", "=카카오톡 PC 로그인 실패 및 모바일 메시지 지연", "Enter", "=카카오톡 PC, 카카오톡 모바일", "Enter",
				"3", "Enter", "=2024-05-21 08:30", "Enter", "=2024-05-21 08:32", "Enter", "=8", "Enter",
				"=PC 버전 로그인 실패, 모바일 메시지 수발신 지연", "Enter", "Enter")
			keys = append(keys, event("n", "2024-05-21 08:30", "같은 데이터센터 다른 서버에 Java 업데이트 적용")...)
			keys = append(keys, event("d", "2024-05-21 08:32", "PC 로그인 실패 경보")...)
			keys = append(keys, event("a", "2024-05-21 08:45", "자동화 도구로 복구 시작, 일부 트래픽 페일오버")...)
			keys = append(keys, event("u", "2024-05-21 09:00", "PC 로그인 장애 공지")...)
			keys = append(keys, event("n", "2024-05-21 09:05", "다른 장애의 메모")...)
			keys = append(keys, "w", "=다른 장애에 기록할 것을 잘못 기록", "Enter") // retract the note just logged
			keys = append(keys, "f", "Tab", "Tab", "2", "C-s")        // SEV3 → SEV2
			keys = append(keys, "o", "Tab", "C-u", "=이인계", "Enter")   // the commander hands over
			keys = append(keys, "m", "=2024-05-21 08:58", "Enter")
			keys = append(keys, "R", "=2024-05-21 09:24", "Tab", "=자동화 도구로 서버 상태 복원", "Enter",
				"=이중화된 서비스로 전환(페일오버)", "Enter", "=남은 서버 수동 복구", "C-s")
			tm.burst(keys...)
			tm.waitFor("[RESOLVED]")
			tm.waitFor("IC 이인계")
			screen := tm.screen()
			assert.NotContains(t, screen, "saving…")
			assert.NotContains(t, screen, "NOT saved")
			for _, l := range strings.Split(strings.TrimRight(screen, "\n"), "\n") {
				assert.LessOrEqual(t, len([]rune(l)), size[0]*2, "a line past the window")
			}

			require.NoError(t, syscall.Kill(tm.pid(), syscall.SIGKILL))

			var v struct {
				Title         string            `json:"title"`
				Severity      string            `json:"severity"`
				Status        string            `json:"status"`
				Services      []string          `json:"services"`
				Roles         map[string]string `json:"roles"`
				Started       string            `json:"started_at"`
				Detected      string            `json:"detected_at"`
				Mitigated     string            `json:"mitigated_at"`
				Resolved      string            `json:"resolved_at"`
				UsersPct      float64           `json:"users_affected_pct"`
				Symptoms      string            `json:"symptoms"`
				RecoverySteps []string          `json:"recovery_steps"`
				Timeline      []struct {
					At, Kind, Text, Author, Notice string
					RetractReason                  string `json:"retract_reason"`
				} `json:"timeline"`
			}
			require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "--tz", "Asia/Seoul", "show", "1", "--json")), &v))
			assert.Equal(t, "카카오톡 PC 로그인 실패 및 모바일 메시지 지연", v.Title)
			assert.Equal(t, []string{"카카오톡 PC", "카카오톡 모바일"}, v.Services)
			assert.Equal(t, "SEV2", v.Severity)
			assert.Equal(t, "resolved", v.Status)
			assert.Equal(t, map[string]string{"commander": "이인계"}, v.Roles)
			assert.Equal(t, "2024-05-21T08:30:00+09:00", v.Started)
			assert.Equal(t, "2024-05-21T08:32:00+09:00", v.Detected)
			assert.Equal(t, "2024-05-21T08:58:00+09:00", v.Mitigated, "mitigation entered after the fact, to the second")
			assert.Equal(t, "2024-05-21T09:24:00+09:00", v.Resolved)
			assert.Equal(t, 8.0, v.UsersPct)
			assert.Equal(t, "PC 버전 로그인 실패, 모바일 메시지 수발신 지연", v.Symptoms)
			assert.Equal(t, []string{"자동화 도구로 서버 상태 복원", "이중화된 서비스로 전환(페일오버)", "남은 서버 수동 복구"}, v.RecoverySteps)
			var logged, system []string
			for _, e := range v.Timeline {
				if e.Kind == "system" {
					system = append(system, e.Text)
					continue
				}
				line := e.At + " " + e.Kind + " " + e.Text + " " + e.Author
				if e.Notice != "" {
					line += " notice:" + e.Notice
				}
				if e.RetractReason != "" {
					line += " retracted:" + e.RetractReason
				}
				logged = append(logged, line)
			}
			assert.Equal(t, []string{
				"2024-05-21T08:30:00+09:00 note 같은 데이터센터 다른 서버에 Java 업데이트 적용 김지휘",
				"2024-05-21T08:32:00+09:00 detect PC 로그인 실패 경보 김지휘",
				"2024-05-21T08:45:00+09:00 action 자동화 도구로 복구 시작, 일부 트래픽 페일오버 김지휘",
				"2024-05-21T09:00:00+09:00 comms PC 로그인 장애 공지 김지휘 notice:users",
				"2024-05-21T09:05:00+09:00 note 다른 장애의 메모 김지휘 retracted:다른 장애에 기록할 것을 잘못 기록",
			}, logged)
			joined := strings.Join(system, "\n")
			for _, want := range []string{"declared SEV3: 카카오톡 PC 로그인 실패 및 모바일 메시지 지연 (recorded ",
				"severity SEV3 → SEV2", "role commander: 김지휘 → 이인계", "mitigated", "resolved"} {
				assert.Contains(t, joined, want)
			}
		})
	}
}

// TestTUINoColor checks NO_COLOR: the screen carries no colour codes.
func TestTUINoColor(t *testing.T) {
	db, _ := importFixture(t)
	for _, tc := range []struct {
		env       []string
		wantColor bool
	}{{[]string{"NO_COLOR=1"}, false}, {[]string{"COLORTERM=truecolor"}, true}} {
		tm := newTerm(t, 100, 30, append(tc.env, "TZ=Asia/Seoul"), "exec "+bin+" --db '"+db+"'")
		tm.waitFor("카카오톡 PC 로그인")
		styled := tm.screen("-e")
		// 38;… sets a foreground colour; bold and reverse stay under NO_COLOR.
		assert.Equal(t, tc.wantColor, strings.Contains(styled, "38;"), "%v:\n%s", tc.env, styled)
		tm.keys("q")
	}
}

// TestTUIResize checks the screen redraws to a new size.
func TestTUIResize(t *testing.T) {
	db, _ := importFixture(t)
	tm := newTerm(t, 70, 24, []string{"TZ=Asia/Seoul"}, "exec "+bin+" --db '"+db+"'")
	tm.waitFor("카카오톡")
	assert.NotContains(t, tm.screen(), "SERVICES", "70 columns leave no room for services")
	tm.tmux("resize-window", "-t", "pm", "-x", "140", "-y", "40")
	tm.waitFor("SERVICES")
	tm.keys("q")
}

// TestTUIHearsOtherWriters: one responder's screens show what another
// process commits, within two seconds, without a key pressed: the home
// screen an incident declared from the command line (the selection kept),
// the live screen an event logged elsewhere, with a form open and what is
// typed in it kept.
func TestTUIHearsOtherWriters(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "첫 장애", "--severity", "SEV3")
	tm := newTerm(t, 80, 24, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
	tm.waitFor("첫 장애")

	within := func(want string) time.Duration {
		t.Helper()
		start := time.Now()
		tm.waitFor(want)
		return time.Since(start)
	}
	pmProcess(t, db, "new", "--title", "결제 전면 장애", "--severity", "SEV1")
	took := within("결제 전면 장애")
	assert.Less(t, took, 2*time.Second, "the home screen heard the declaration")
	t.Logf("home screen current after %s", took)

	// Open the first incident (the SEV1 is listed first: open, newest).
	tm.keys("j", "Enter")
	tm.waitFor("#1 첫 장애")
	pmProcess(t, db, "log", "1", "다른 터미널의 기록")
	took = within("다른 터미널의 기록")
	assert.Less(t, took, 2*time.Second, "the live screen heard the event")
	tm.keys("a", "n", "=작성 중인 메모")
	pmProcess(t, db, "set", "1", "--severity", "SEV2")
	within("[OPEN] SEV2 #1")
	assert.Contains(t, tm.screen(), "작성 중인 메모", "the open form keeps what was typed")
	tm.keys("Enter")
	tm.waitFor("✓ saved note")
	screen := tm.screen()
	assert.Contains(t, screen, "다른 터미널의 기록")
	assert.Contains(t, screen, "작성 중인 메모")
}

// TestTUIPasteIsText: a paste of several lines (bracketed, as a terminal
// sends it) is one event with its line breaks, whether pasted into the
// event form or onto the timeline; none of its lines runs as keys (the
// "R" line would open Resolve).
func TestTUIPasteIsText(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "붙여넣기", "--severity", "SEV2")
	tm := newTerm(t, 80, 24, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
	tm.waitFor("붙여넣기")
	tm.keys("Enter")
	tm.waitFor("#1 붙여넣기")
	paste := func(text string) {
		tm.tmux("set-buffer", "-b", "p", text)
		tm.tmux("paste-buffer", "-p", "-b", "p", "-t", "pm")
	}
	tm.keys("a", "c")
	paste("오류 로그:\nR\nq\n끝")
	tm.waitFor("오류 로그:")
	tm.keys("Enter")
	tm.waitFor("✓ saved comms")
	paste("타임라인에 붙인 메모\nR")
	tm.waitFor("New event")
	tm.keys("Enter")
	tm.waitFor("✓ saved note")

	var v struct {
		Status   string `json:"status"`
		Timeline []struct {
			Kind string `json:"kind"`
			Text string `json:"text"`
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", "1", "--json")), &v))
	assert.Equal(t, "open", v.Status, "no pasted line ran as a key")
	var texts []string
	for _, e := range v.Timeline {
		if e.Kind != "system" {
			texts = append(texts, e.Kind+": "+e.Text)
		}
	}
	assert.Equal(t, []string{"comms: 오류 로그:\nR\nq\n끝", "note: 타임라인에 붙인 메모\nR"}, texts)
	assert.Contains(t, tm.screen(), "오류 로그: ↵ R ↵ q ↵ 끝", "one row, each break shown")
}

// TestTUIUpdateReachesTheClipboard: u drafts the next update, ctrl+s
// records it and sends it to the terminal's clipboard by OSC 52, which
// tmux (as a terminal over SSH would) takes into its own.
func TestTUIUpdateReachesTheClipboard(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "결제 지연", "--service", "pay", "--symptoms", "결제가 늦게 처리됨")
	tm := newTerm(t, 80, 24, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
	tm.tmux("set-option", "-g", "set-clipboard", "on")
	tm.waitFor("결제 지연")
	tm.keys("Enter")
	tm.waitFor("#1 결제 지연")
	tm.keys("u")
	tm.waitFor("서비스 장애 안내")
	tm.keys("C-s")
	tm.waitFor("copied to the clipboard")
	deadline := time.Now().Add(5 * time.Second)
	var buf string
	for time.Now().Before(deadline) {
		if out, err := exec.Command("tmux", "-L", tm.socket, "show-buffer").CombinedOutput(); err == nil {
			buf = string(out)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	assert.Contains(t, buf, "[pay] 서비스 장애 안내")
	assert.Contains(t, buf, "증상: 결제가 늦게 처리됨")
	assert.Contains(t, mustPM(t, db, "show", "1"), "[notice to users]", "recorded as the notice")
}

// TestTUITimesAsMeant replays, at 80x24 with keys at full speed, the time
// cases a commander meets after the fact and live: a bare HH:MM on an
// incident of 2024 is that day's; a time before the start is asked about
// once; one not yet come is refused and corrected in place; the declare
// form's Detected shows and saves the start typed. Then show --json holds
// what was meant.
func TestTUITimesAsMeant(t *testing.T) {
	db := testdb.New(t)
	kst := []string{"--tz", "Asia/Seoul"}
	mustPM(t, db, append(kst, "new", "--title", "지난 장애", "--severity", "SEV2", "--started", "2024-05-21 08:30")...)
	tm := newTerm(t, 80, 24, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
	tm.waitFor("지난 장애")
	tm.burst("Enter", "t", "n", "=08:32", "Enter", "=경보 확인", "Enter", // that day's 08:32
		"t", "n", "=08:20", "Enter", "=배포 시작", "Enter") // before the start: asked
	tm.waitFor("BEFORE the incident started")
	tm.burst("Enter")
	tm.waitFor("✓ saved note at 2024-05-21 08:20:00")

	// Declared now, live: a time an hour ahead is refused, not moved to
	// yesterday; corrected in place, it saves.
	seoul, err := time.LoadLocation("Asia/Seoul")
	require.NoError(t, err)
	now := time.Now().In(seoul)
	ahead, earlier := now.Add(time.Hour).Format("15:04"), now.Add(-30*time.Minute).Format("15:04")
	tm.burst("Escape", "n", "=결제 장애", "Enter", "Enter", "Enter", "="+earlier, "C-s")
	tm.waitFor("#2 결제 장애")
	tm.burst("t", "n", "="+ahead, "Enter", "=한 시간 뒤", "Enter")
	tm.waitFor("not saved: at:")
	tm.burst("C-u", "=-5m", "Enter", "Enter") // the refusal put the focus on the time
	tm.waitFor("✓ saved note")

	type record struct {
		StartedAt  time.Time `json:"started_at"`
		DetectedAt time.Time `json:"detected_at"`
		Timeline   []struct {
			At   time.Time `json:"at"`
			Kind string    `json:"kind"`
			Text string    `json:"text"`
		} `json:"timeline"`
	}
	var old, live record
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", "1", "--json")), &old))
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", "2", "--json")), &live))
	at, moment := map[string]string{}, map[string]time.Time{}
	for _, r := range []record{old, live} {
		for _, e := range r.Timeline {
			if e.Kind != "system" {
				at[e.Text], moment[e.Text] = e.At.In(seoul).Format("2006-01-02 15:04"), e.At
			}
		}
	}
	assert.Equal(t, "2024-05-21 08:32", at["경보 확인"], "on the incident's day, not today")
	assert.Equal(t, "2024-05-21 08:20", at["배포 시작"], "before the start, as confirmed")
	// -5m is read when typed, seconds after now was taken here.
	assert.WithinDuration(t, now.Add(-5*time.Minute), moment["한 시간 뒤"], time.Minute, "corrected to -5m, never stored ahead")
	assert.Equal(t, earlier, live.StartedAt.In(seoul).Format("15:04"))
	assert.True(t, live.DetectedAt.Equal(live.StartedAt), "Detected showed the start typed, and saved it")
}

// TestTUILostUpdateRefused replays the lost update of two terminals on one
// incident, on the suite's engine: one saves the users affected while the
// other's form, opened before, holds its own figure. The second save is
// refused, naming what the field became, by whom; nothing is overwritten;
// having looked, saving again puts it.
func TestTUILostUpdateRefused(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "결제 지연", "--severity", "SEV2", "--users-affected", "8")
	tm := newTerm(t, 80, 24, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=김지휘"}, "exec "+bin+" --db '"+db+"'")
	tm.waitFor("결제 지연")
	tm.keys("Enter")
	tm.waitFor("#1 결제 지연")
	tm.keys("f")
	tm.waitFor("Users affected %")
	tm.keys("Tab", "Tab", "Tab", "Tab", "C-u", "=9")
	r := pmProcess(t, db, "set", "1", "--users-affected", "12")
	require.Equal(t, 0, r.code, r.stderr)
	tm.keys("C-s")
	tm.waitFor("users affected % → 12 by tester")
	assert.Equal(t, 12.0, showJSONOf(t, db, "1")["users_affected_pct"], "not written over")
	tm.keys("C-s")
	tm.waitFor("✓ fields saved")
	assert.Equal(t, 9.0, showJSONOf(t, db, "1")["users_affected_pct"], "having looked, saved")
}
