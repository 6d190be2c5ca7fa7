package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
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
			tm.tmux("send-keys", "-t", "pm", "-l", k[1:])
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

// field waits for a form field to have the focus (the form marks it with
// a bar), then sends keys to it.
func (tm *terminal) field(title string, keys ...string) {
	tm.t.Helper()
	tm.waitFor("┃ " + title)
	tm.keys(keys...)
}

func (tm *terminal) pid() int {
	var pid int
	_, err := fmt.Sscan(tm.tmux("list-panes", "-t", "pm", "-F", "#{pane_pid}"), &pid)
	require.NoError(tm.t, err)
	return pid
}

// TestTUIInRealTerminal declares an incident, logs three events, resolves
// it with two recovery steps, kills the program with SIGKILL, and finds it
// all in the database.
func TestTUIInRealTerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pm.db")
	tm := newTerm(t, 100, 30, []string{"TZ=Asia/Seoul", "POSTMORTEM_AUTHOR=ic"}, "exec "+bin+" --db "+db)
	tm.waitFor("No incidents yet")
	tm.keys("n")
	tm.field("Title", "=메시지 발송 지연", "Enter")
	tm.field("Services", "=talk", "Enter")
	tm.field("Severity", "Enter")
	tm.field("Started", "Enter")
	tm.field("Detected", "Enter")
	tm.field("Users affected", "=80", "Enter")
	tm.field("What users see", "=메시지 전송 실패", "Enter")
	tm.waitFor("[OPEN]")
	tm.keys("a", "d", "=발송 지연 경보", "Enter")
	tm.waitFor("saved detect")
	tm.keys("a", "a", "=이중화 서비스로 전환 시작", "Enter")
	tm.waitFor("saved action")
	tm.keys("a", "c", "=공지 게시", "Enter")
	tm.waitFor("saved comms")
	assert.Equal(t, 3, strings.Count(tm.screen(), "✓ saved\n"), "three rows marked saved:\n%s", tm.screen())
	tm.keys("R")
	tm.waitFor("Recovery steps")
	tm.keys("Tab", "=이중화 서비스로 전환", "Enter", "=예비 서버 투입", "C-s")
	tm.waitFor("[RESOLVED]")

	require.NoError(t, syscall.Kill(tm.pid(), syscall.SIGKILL))

	var v struct {
		Title         string   `json:"title"`
		Status        string   `json:"status"`
		Services      []string `json:"services"`
		RecoverySteps []string `json:"recovery_steps"`
		UsersPct      float64  `json:"users_affected_pct"`
		Timeline      []struct {
			Kind, Text, Author string
		} `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustPM(t, db, "show", "1", "--json")), &v))
	assert.Equal(t, "메시지 발송 지연", v.Title)
	assert.Equal(t, "resolved", v.Status)
	assert.Equal(t, []string{"talk"}, v.Services)
	assert.Equal(t, 80.0, v.UsersPct)
	assert.Equal(t, []string{"이중화 서비스로 전환", "예비 서버 투입"}, v.RecoverySteps)
	var logged, system []string
	for _, e := range v.Timeline {
		if e.Kind == "system" {
			system = append(system, e.Text)
			assert.Equal(t, "ic", e.Author, "system entries are by whoever made the change")
			continue
		}
		logged = append(logged, e.Kind+" "+e.Text+" "+e.Author)
	}
	assert.Equal(t, []string{"detect 발송 지연 경보 ic", "action 이중화 서비스로 전환 시작 ic", "comms 공지 게시 ic"}, logged)
	assert.Equal(t, []string{"declared SEV2: 메시지 발송 지연", "resolved"}, system)
}

// TestTUINoColor checks NO_COLOR: the screen carries no colour codes.
func TestTUINoColor(t *testing.T) {
	db, _ := importFixture(t)
	for _, tc := range []struct {
		env       []string
		wantColor bool
	}{{[]string{"NO_COLOR=1"}, false}, {[]string{"COLORTERM=truecolor"}, true}} {
		tm := newTerm(t, 100, 30, append(tc.env, "TZ=Asia/Seoul"), "exec "+bin+" --db "+db)
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
	tm := newTerm(t, 70, 24, []string{"TZ=Asia/Seoul"}, "exec "+bin+" --db "+db)
	tm.waitFor("카카오톡")
	assert.NotContains(t, tm.screen(), "SERVICES", "70 columns leave no room for services")
	tm.tmux("resize-window", "-t", "pm", "-x", "140", "-y", "40")
	tm.waitFor("SERVICES")
	tm.keys("q")
}
