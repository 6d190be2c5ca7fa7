package main

import (
	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/testdb"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sqlEdit changes the database behind postmortem's back, as anyone who
// can write the file can.
func sqlEdit(t *testing.T, db, stmt string) {
	t.Helper()
	h, err := rawOpen(db)
	require.NoError(t, err)
	defer h.Close()
	_, err = h.Exec(stmt)
	require.NoError(t, err, stmt)
}

// The gate decides on records anyone who can write the file can edit: it
// checks them against their history and fails closed, naming the record.
func TestGateFailsClosedOnEditedRecords(t *testing.T) {
	setup := func(t *testing.T) string {
		db := testdb.New(t)
		mustPM(t, db, "service", "set", "internal-lb", "--group", "pangyo-dc")
		mustPM(t, db, "service", "set", "java-api", "--group", "pangyo-dc")
		mustPM(t, db, "new", "--title", "내부 LB 장애", "--service", "internal-lb", "--severity", "SEV1", "--started", "2024-05-20 14:52")
		mustPM(t, db, "freeze", "add", "--service", "search", "--from", "now", "--to", "2099-01-01 00:00", "연말 트래픽")
		mustPM(t, db, "service", "set", "search", "--group", "gasan-dc")
		require.Equal(t, 4, pm(t, db, "gate", "--service", "java-api").code, "blocked by the open incident")
		return db
	}
	for _, tc := range []struct{ name, sql, service, want string }{
		{"incident resolved by SQL", `UPDATE incidents SET status = 'resolved', resolved_at = '2024-05-20T06:00:00Z'`, "java-api",
			`incident 1: status is "resolved" in the database but "open" in the history`},
		{"incident deleted by SQL", `PRAGMA foreign_keys = OFF; DELETE FROM incidents`, "java-api",
			"incident 1 is in the history but not in the database"},
		{"incident moved to another service", `UPDATE incidents SET services = '["mail"]'`, "java-api",
			`incident 1: services is "[\"mail\"]" in the database`},
		{"service moved out of the group", `UPDATE services SET groups = '["elsewhere"]' WHERE name = 'java-api'`, "java-api",
			"service 2: groups"},
		{"freeze ended by SQL", `UPDATE freezes SET ended_at = '2024-01-01T00:00:00Z'`, "search",
			"freeze 1: ended_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := setup(t)
			sqlEdit(t, db, tc.sql)
			r := pm(t, db, "gate", "--service", tc.service)
			assert.Equal(t, exitBroken, r.code, "fails closed: %s %s", r.stdout, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.NotContains(t, r.stdout, "clear")
		})
	}
}

// sshKey makes an Ed25519 key pair with ssh-keygen, as a user would.
func sshKey(t *testing.T, name string) (private, public string) {
	t.Helper()
	_, err := exec.LookPath("ssh-keygen")
	require.NoError(t, err, "ssh-keygen is needed (openssh-client; .ci/run installs it)")
	private = filepath.Join(t.TempDir(), name)
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", private).CombinedOutput()
	require.NoError(t, err, string(out))
	return private, private + ".pub"
}

// Sealed with an OpenSSH key, the history passes verify --key until it is
// rewritten; a submission seals, and its document prints the seal.
func TestSealAndVerifyWithOpenSSHKeys(t *testing.T) {
	db, _ := importFixture(t)
	key, pub := sshKey(t, "compliance")
	out := mustPM(t, db, "seal", "--key", key, "--reason", "분기 마감")
	assert.Contains(t, out, "sealed: row ")
	fp, err := exec.Command("ssh-keygen", "-l", "-f", pub).Output()
	require.NoError(t, err)
	fingerprint := strings.Fields(string(fp))[1]
	assert.Contains(t, out, fingerprint, "the fingerprint ssh-keygen -l prints")

	out = mustPM(t, db, "verify", "--key", pub)
	assert.Contains(t, out, "seal 1 of ")
	assert.Contains(t, out, "intact")

	other, otherPub := sshKey(t, "other")
	r := pm(t, db, "verify", "--key", otherPub)
	assert.Equal(t, exitBroken, r.code)
	assert.Contains(t, r.stderr, "not a key given")

	// A submission with the key seals again, and the order's document
	// names the seal.
	mustPM(t, db, "--tz", "Asia/Seoul", "order", "new", "--authority", "과학기술정보통신부", "--received", "2024-05-31", "--incidents", "1,2,3")
	r = pm(t, db, "--tz", "Asia/Seoul", "order", "submit", "1", "--deliverable", "improvement-plan", "--at", "2024-06-28", "--key", key)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "sealed: row ")
	md := mustPM(t, db, "--tz", "Asia/Seoul", "report", "plan", "1")
	assert.Contains(t, md, "서명 키 "+fingerprint)
	out = mustPM(t, db, "verify", "--key", pub)
	assert.Contains(t, out, "seal 2 of ")

	r = pm(t, db, "--tz", "Asia/Seoul", "order", "submit", "1", "--deliverable", "correction-report", "--at", "2024-08-30", "--key", "/nonexistent")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "key: /nonexistent")
	assert.NotContains(t, mustPM(t, db, "order", "show", "1"), "2024-08-30", "a key that does not read refuses the submission whole")

	// A private key given where a public one is asked stands for it; a
	// key of another kind is refused by name.
	mustPM(t, db, "verify", "--key", key)
	rsa := filepath.Join(t.TempDir(), "rsa")
	require.NoError(t, exec.Command("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa).Run())
	r = pm(t, db, "seal", "--key", rsa)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "accepted: an Ed25519 key")
	_ = other

	// Dropping the guard is seen, and the next write puts it back.
	sqlEdit(t, db, `DROP TRIGGER history_no_delete`)
	r = pm(t, db, "verify", "--key", pub)
	assert.Equal(t, exitBroken, r.code)
	assert.Contains(t, r.stderr, "append-only guard is missing")
	mustPM(t, db, "log", "1", "--at", "2024-05-13 13:50", "note")
	mustPM(t, db, "verify", "--key", pub)
	if !incident.IsServerURL(db) {
		_, err = os.Stat(db)
		require.NoError(t, err)
	}
}
