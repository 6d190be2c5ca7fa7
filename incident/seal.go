package incident

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// A seal is the history's head signed with an Ed25519 key the database
// does not hold. It is kept in the history itself, as the creation of a
// record of kind "seal", so it travels with the chain (export, import,
// backup). Whoever can write the file can recompute every hash, but not
// sign: a rewritten history no longer passes through its sealed heads.
const sealEntityName = "seal"

// Seal is one seal: which head (the rows up to it and its hash) was
// signed, when, by whom, with which key.
type Seal struct {
	No     int64     `json:"no"`
	Rows   int64     `json:"rows"`
	Head   string    `json:"head"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	// Key is the public key in OpenSSH's authorized_keys form
	// ("ssh-ed25519 AAAA..."); Fingerprint as ssh-keygen -l prints it.
	Key         string `json:"key"`
	Fingerprint string `json:"fingerprint"`
	Signature   string `json:"signature"` // base64
	Note        string `json:"note,omitempty"`
}

// sealBody is what a seal's history row holds, as JSON.
type sealBody struct {
	Rows      int64  `json:"rows"`
	Head      string `json:"head"`
	Key       string `json:"key"`
	Signature string `json:"signature"`
}

// sealMessage is the text signed: the format, the head and its place, the
// time and who sealed it.
func sealMessage(rows int64, head, at, author string) []byte {
	return fmt.Appendf(nil, "postmortem-seal-v1\nrows %d\nhead %s\nat %s\nauthor %s\n", rows, head, at, author)
}

// sshWire is an Ed25519 public key in SSH's wire form.
func sshWire(pub ed25519.PublicKey) []byte {
	const kind = "ssh-ed25519"
	b := binary.BigEndian.AppendUint32(nil, uint32(len(kind)))
	b = append(b, kind...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(pub)))
	return append(b, pub...)
}

// AuthorizedKey is pub as a line of OpenSSH's authorized_keys.
func AuthorizedKey(pub ed25519.PublicKey) string {
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(sshWire(pub))
}

// Fingerprint is pub's SHA-256 fingerprint as ssh-keygen -l prints it.
func Fingerprint(pub ed25519.PublicKey) string {
	h := sha256.Sum256(sshWire(pub))
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(h[:])
}

// parseAuthorizedKey reads the key a seal names.
func parseAuthorizedKey(s string) (ed25519.PublicKey, error) {
	kind, b64, _ := strings.Cut(strings.TrimSpace(s), " ")
	wire, err := base64.StdEncoding.DecodeString(strings.Fields(b64 + " ")[0])
	if kind != "ssh-ed25519" || err != nil || len(wire) != 4+11+4+ed25519.PublicKeySize {
		return nil, fmt.Errorf("not an ssh-ed25519 key")
	}
	pub := ed25519.PublicKey(wire[len(wire)-ed25519.PublicKeySize:])
	if string(sshWire(pub)) != string(wire) {
		return nil, fmt.Errorf("not an ssh-ed25519 key")
	}
	return pub, nil
}

// sealOf reads a seal from its history row.
func sealOf(c *Change) (*Seal, error) {
	if c.New == nil {
		return nil, fmt.Errorf("seal %d: empty", c.RecordID)
	}
	var b sealBody
	if err := json.Unmarshal([]byte(*c.New), &b); err != nil {
		return nil, fmt.Errorf("seal %d: %w", c.RecordID, err)
	}
	sl := &Seal{No: c.RecordID, Rows: b.Rows, Head: b.Head, At: c.Time(), Author: c.Author, Key: b.Key, Signature: b.Signature, Note: c.Reason}
	if pub, err := parseAuthorizedKey(b.Key); err == nil {
		sl.Fingerprint = Fingerprint(pub)
	}
	return sl, nil
}

// Seal signs the history's head with key and appends the seal to the
// history, with note as its reason; it returns the seal.
func (s *Store) Seal(ctx context.Context, key ed25519.PrivateKey, note string) (*Seal, error) {
	if err := checkSealing(key, note); err != nil {
		return nil, err
	}
	var out *Seal
	err := s.withTx(ctx, func(t *txn) error {
		var err error
		out, err = t.seal(key, note)
		return err
	})
	return out, err
}

// sealing is what a store made by SealingWith seals each change with.
type sealing struct {
	key  ed25519.PrivateKey
	note string
	done func(*Seal)
}

// SealingWith returns a store on the same database that ends every
// transaction it writes by sealing the head it made with key (note as the
// seal's reason): the change and its seal are committed together or not
// at all. done hears of each seal once it is committed.
func (s *Store) SealingWith(key ed25519.PrivateKey, note string, done func(*Seal)) (*Store, error) {
	if err := checkSealing(key, note); err != nil {
		return nil, err
	}
	c := *s
	c.sealing = &sealing{key: key, note: note, done: done}
	return &c, nil
}

func checkSealing(key ed25519.PrivateKey, note string) error {
	if len(key) != ed25519.PrivateKeySize {
		return invalid("key", "not an Ed25519 private key")
	}
	return checkText("reason", note, MaxText)
}

// seal signs the head as it stands in t and appends the seal.
func (t *txn) seal(key ed25519.PrivateKey, note string) (*Seal, error) {
	if err := t.readHead(); err != nil {
		return nil, err
	}
	if t.seq == 0 {
		return nil, invalid("seal", "the history is empty: there is nothing to seal yet")
	}
	var n int64
	if err := t.QueryRowContext(t.ctx, `SELECT count(*) FROM history WHERE entity = ?`, sealEntityName).Scan(&n); err != nil {
		return nil, err
	}
	at := t.stamp()
	sig := ed25519.Sign(key, sealMessage(t.seq, t.head, at, t.author))
	body, err := json.Marshal(sealBody{Rows: t.seq, Head: t.head, Key: AuthorizedKey(key.Public().(ed25519.PublicKey)),
		Signature: base64.StdEncoding.EncodeToString(sig)})
	if err != nil {
		return nil, err
	}
	text := string(body)
	c := &Change{At: at, Author: t.author, Entity: sealEntityName, RecordID: n + 1, Field: "*", New: &text, Reason: note}
	if err := t.appendChange(c); err != nil {
		return nil, err
	}
	return sealOf(c)
}

// SealCheck is what verify found of one seal.
type SealCheck struct {
	Seal
	// Problem is empty when the seal is signed by a key given and its
	// head is still on the chain.
	Problem string `json:"problem,omitempty"`
}

// checkSeals checks each seal against keys and the chain.
func checkSeals(ctx context.Context, q querier, v *Verification, seals []Change, keys []ed25519.PublicKey) error {
	if len(seals) == 0 {
		v.Seals = []SealCheck{}
		if v.Problem == "" {
			v.Problem = "no seal in the history: nothing to check the keys against (postmortem seal --key FILE makes one)"
		}
		return nil
	}
	trusted := map[string]bool{}
	for _, k := range keys {
		trusted[string(k)] = true
	}
	for i := range seals {
		c := &seals[i]
		sl, err := sealOf(c)
		if err != nil {
			v.Seals = append(v.Seals, SealCheck{Seal: Seal{No: c.RecordID, At: c.Time()}, Problem: fmt.Sprintf("history row %d: %v", c.Seq, err)})
			continue
		}
		sc := SealCheck{Seal: *sl}
		date := sl.At.Format(time.DateOnly)
		pub, kerr := parseAuthorizedKey(sl.Key)
		sig, serr := base64.StdEncoding.DecodeString(sl.Signature)
		var hash string
		herr := q.QueryRowContext(ctx, `SELECT hash FROM history WHERE seq = ?`, sl.Rows).Scan(&hash)
		if herr != nil && !isNotFound(mapErr(herr)) {
			return herr
		}
		switch {
		case kerr != nil || !trusted[string(pub)]:
			sc.Problem = fmt.Sprintf("seal %d of %s was made with key %s, not a key given", sl.No, date, orDash(sl.Fingerprint))
		case serr != nil || !ed25519.Verify(pub, sealMessage(sl.Rows, sl.Head, c.At, c.Author), sig):
			sc.Problem = fmt.Sprintf("seal %d of %s: its signature does not verify: the seal was altered", sl.No, date)
		case sl.Rows >= c.Seq || hash != sl.Head:
			sc.Problem = fmt.Sprintf("sealed head %s of %s is no longer in the history (row %d): the history was rewritten",
				short(sl.Head), date, sl.Rows)
		}
		v.Seals = append(v.Seals, sc)
	}
	return nil
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// headAndSeal reads the last history row that is not a seal and meets
// cond (on the history's columns), and the first seal after it: the seal
// that vouches for the state it ends. Both are found by index.
func headAndSeal(ctx context.Context, q querier, cond string, args ...any) (string, *Seal, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM history WHERE entity <> ? `+cond+` ORDER BY seq DESC LIMIT 1`,
		append([]any{sealEntityName}, args...)...).Scan(&seq, &hash)
	if isNotFound(mapErr(err)) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, mapErr(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history
		WHERE entity = ? AND seq > ? ORDER BY record_id LIMIT 1`, sealEntityName, seq)
	if err != nil {
		return "", nil, mapErr(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return hash, nil, mapErr(rows.Err())
	}
	c, err := scanChange(rows)
	if err != nil {
		return "", nil, mapErr(err)
	}
	sl, err := sealOf(&c)
	return hash, sl, err
}
