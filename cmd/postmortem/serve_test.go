package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident/testdb"
)

// server is a postmortem serve process on db, with the team's keys.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	port int
	dir  string
	log  *syncBuffer
	keys map[string]string // person → private key file
}

// syncBuffer is the server's output, written by the process's copier
// while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// serveTeam starts postmortem serve on db for the people named (a name
// starting with "viewer:" is a read-only key), each with a key made by
// ssh-keygen as a user makes one.
func serveTeam(t *testing.T, db string, people ...string) *server {
	t.Helper()
	_, err := exec.LookPath("ssh")
	require.NoError(t, err, "ssh is needed (apt-get install openssh-client; .ci/run does it)")
	dir := t.TempDir()
	sv := &server{t: t, dir: dir, keys: map[string]string{}, log: &syncBuffer{}}
	var authorized strings.Builder
	for i, p := range people {
		name, viewer := strings.CutPrefix(p, "viewer:")
		key := filepath.Join(dir, fmt.Sprintf("key%d", i))
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "laptop", "-f", key).CombinedOutput()
		require.NoError(t, err, string(out))
		pub, err := os.ReadFile(key + ".pub")
		require.NoError(t, err)
		opts := fmt.Sprintf(`name="%s",tz="Asia/Seoul"`, name)
		if viewer {
			opts += ",read-only"
		}
		fmt.Fprintf(&authorized, "%s %s", opts, pub)
		sv.keys[name] = key
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(authorized.String()), 0o600))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	sv.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	sv.cmd = exec.Command(bin, "--db", db, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", sv.port),
		"--authorized-keys", filepath.Join(dir, "authorized_keys"), "--host-key", filepath.Join(dir, "host_key"),
		"--reports", filepath.Join(dir, "reports"))
	sv.cmd.Env = append(os.Environ(), "TZ=UTC")
	sv.cmd.Stdout, sv.cmd.Stderr = sv.log, sv.log
	require.NoError(t, sv.cmd.Start())
	t.Cleanup(func() { _ = sv.cmd.Process.Kill(); _ = sv.cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", sv.port)); err == nil {
			c.Close()
			break
		}
		require.True(t, time.Now().Before(deadline), "serve did not start: %s", sv.log)
		time.Sleep(50 * time.Millisecond)
	}
	return sv
}

// ssh is the OpenSSH command line that connects as the holder of key.
func (sv *server) ssh(key string) string {
	return fmt.Sprintf("ssh -t -p %d -i %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes 127.0.0.1",
		sv.port, key)
}

// client opens a terminal of 80x24 in which person connects with OpenSSH.
func (sv *server) client(person string) *terminal {
	sv.t.Helper()
	tm := newTerm(sv.t, 80, 24, nil, "sh -c '"+sv.ssh(sv.keys[person])+"; echo CLIENT-EXIT=$?; sleep 30'")
	return tm
}

// open connects person and opens incident id, titled title.
func (sv *server) open(person, id, title string) *terminal {
	sv.t.Helper()
	tm := sv.client(person)
	tm.waitFor(title)
	tm.keys("Enter")
	tm.waitFor("#" + id + " " + title)
	return tm
}

// The whole team on one incident through serve, on the suite's engine:
// each responder logs at full speed from their own ssh session, every
// screen shows every entry within two seconds, and the history names each
// by their key. An unknown key gets no screen; a viewer's keystrokes change
// nothing.
func TestServeTheTeam(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "결제 전면 장애", "--severity", "SEV1"))
	sv := serveTeam(t, db, "김지휘", "이인계", "박서기", "viewer:감사팀")

	// A stranger's key is refused before any screen.
	stranger := filepath.Join(sv.dir, "stranger")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger).CombinedOutput()
	require.NoError(t, err, string(out))
	out, err = exec.Command("sh", "-c", sv.ssh(stranger)+" </dev/null").CombinedOutput()
	assert.Error(t, err)
	assert.Contains(t, string(out), "Permission denied")
	assert.NotContains(t, string(out), "결제 전면 장애")

	kim, lee, park, audit := sv.open("김지휘", id, "결제 전면 장애"), sv.open("이인계", id, "결제 전면 장애"),
		sv.open("박서기", id, "결제 전면 장애"), sv.open("감사팀", id, "결제 전면 장애")
	// The viewer types as a responder would: nothing changes.
	before := mustPM(t, db, "export")
	audit.keys("a")
	audit.waitFor("read-only: a viewer's key changes nothing")
	audit.keys("=감사팀의 기록", "Enter", "R", "Enter", "f", "C-s", "p")
	audit.waitFor("Cause [c]") // the postmortem is there to read
	audit.keys("c", "=덮어쓰기", "C-s")
	audit.waitFor("read-only: a viewer's key changes nothing")
	assert.Equal(t, before, mustPM(t, db, "export"), "a viewer's keystrokes change nothing")
	audit.keys("Escape")
	audit.waitFor("#" + id + " 결제 전면 장애")

	// The three responders log at full speed, at once.
	const each = 5
	writers := map[string]*terminal{"김": kim, "이": lee, "박": park}
	for i := 0; i < each; i++ {
		for tag, tm := range writers {
			tm.keys("a", "n", fmt.Sprintf("=%s-%d", tag, i), "Enter")
		}
	}
	for tag, tm := range writers {
		tm.waitFor(fmt.Sprintf("%s-%d", tag, each-1)) // each saw its own saved
	}
	start := time.Now()
	for _, tm := range []*terminal{kim, lee, park, audit} {
		for tag := range writers {
			tm.waitFor(fmt.Sprintf("%s-%d", tag, each-1))
		}
	}
	assert.Less(t, time.Since(start), 2*time.Second, "every screen current")

	hist := mustPM(t, db, "history", id)
	assert.Contains(t, hist, "김지휘")
	assert.Contains(t, hist, "이인계")
	assert.Contains(t, hist, "박서기")
	assert.NotContains(t, hist, "감사팀")
	var events []struct{ Text, Author string }
	show := showJSONOf(t, db, id)
	for _, e := range show["timeline"].([]any) {
		ev := e.(map[string]any)
		events = append(events, struct{ Text, Author string }{fmt.Sprint(ev["text"]), fmt.Sprint(ev["author"])})
	}
	by := map[string]string{"김": "김지휘", "이": "이인계", "박": "박서기"}
	count := map[string]int{}
	for _, e := range events {
		if tag, _, ok := strings.Cut(e.Text, "-"); ok && by[tag] != "" {
			count[tag]++
			assert.Equal(t, by[tag], e.Author, e.Text)
		}
	}
	assert.Equal(t, map[string]int{"김": each, "이": each, "박": each}, count, "none lost or doubled")
}

// SIGTERM ends every session as q would: the clients get their terminals
// back (no screen left behind, ssh exits 0) and the server exits.
func TestServeStopsCleanly(t *testing.T) {
	db := testdb.New(t)
	mustPM(t, db, "new", "--title", "점검 중 장애", "--severity", "SEV3")
	sv := serveTeam(t, db, "김지휘")
	kim := sv.client("김지휘")
	kim.waitFor("점검 중 장애")
	require.NoError(t, sv.cmd.Process.Signal(syscall.SIGTERM))
	kim.waitFor("CLIENT-EXIT=0")
	assert.NotContains(t, kim.screen(), "점검 중 장애", "the screen is given back")
	assert.Contains(t, kim.screen(), "the server is stopping", "told why")
	done := make(chan error, 1)
	go func() { done <- sv.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, sv.log.String())
		assert.Equal(t, 143, ee.ExitCode(), "stopped by SIGTERM, drained: %s", sv.log)
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop: %s", sv.log)
	}
	assert.Contains(t, sv.log.String(), "stopping")
}

// kill -9 of the server loses nothing a screen said was saved: each save
// commits before the screen says so.
func TestServeKilledLosesNothing(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "정전", "--severity", "SEV2"))
	sv := serveTeam(t, db, "김지휘")
	// A line mistyped into the key file of a running server locks out no
	// one else: it is skipped and said in the server's log.
	f, err := os.OpenFile(filepath.Join(sv.dir, "authorized_keys"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("this is junk\ntz=\"Mars/Olympus\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOSPm5m2wXlmMxX9s3vXk0pQ3nqCzB5S3pXW3n0r5Fe1 x\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	kim := sv.open("김지휘", id, "정전")
	assert.Contains(t, sv.log.String(), "skipped:")
	for i := 0; i < 5; i++ {
		kim.keys("a", "n", fmt.Sprintf("=기록-%d", i), "Enter")
	}
	kim.waitFor("기록-4")
	kim.waitFor("✓ saved note")
	require.NoError(t, sv.cmd.Process.Kill())
	_ = sv.cmd.Wait()
	show := mustPM(t, db, "show", id)
	for i := 0; i < 5; i++ {
		assert.Contains(t, show, fmt.Sprintf("기록-%d", i))
	}
	assert.Contains(t, mustPM(t, db, "verify"), "intact")
}

// A report exported in a session is kept on the server, in the reports
// folder, under a plain name: a path typed to elsewhere on the server's
// disk is refused, and the screen says how to fetch it; scp gives back
// the same bytes and takes none.
func TestServeExportsToFetch(t *testing.T) {
	db := testdb.New(t)
	id := strings.TrimSpace(mustPM(t, db, "new", "--title", "보고서 장애", "--severity", "SEV2"))
	sv := serveTeam(t, db, "김지휘")
	kim := sv.open("김지휘", id, "보고서 장애")
	kim.keys("x")
	kim.waitFor("Export incident #" + id)
	kim.keys("Tab", "Tab", "=../../escape.pdf", "C-s")
	kim.waitFor("a plain file name")
	kim.keys("C-u", "C-s")
	kim.waitFor("fetch it with: scp -O -P")
	name := "postmortem-" + id + ".ko.pdf"
	assert.Contains(t, kim.screen(), "✓ wrote "+name)
	assert.NotContains(t, kim.screen(), sv.dir, "no server path shown")
	_, err := os.Stat(filepath.Join(sv.dir, "escape.pdf"))
	assert.True(t, os.IsNotExist(err))

	local := t.TempDir()
	scp := func(args ...string) ([]byte, error) {
		base := []string{"-O", "-P", fmt.Sprint(sv.port), "-i", sv.keys["김지휘"], "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes"}
		return exec.Command("scp", append(base, args...)...).CombinedOutput()
	}
	out, err := scp("127.0.0.1:"+name, local)
	require.NoError(t, err, "%s\nserve: %s", out, sv.log)
	got, err := os.ReadFile(filepath.Join(local, name))
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(sv.dir, "reports", name))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	_, err = scp(filepath.Join(local, name), "127.0.0.1:upload.pdf")
	assert.Error(t, err, "scp takes nothing to the server")
	_, err = os.Stat(filepath.Join(sv.dir, "reports", "upload.pdf"))
	assert.True(t, os.IsNotExist(err))
}
