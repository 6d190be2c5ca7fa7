package incident

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Org is who submits: the organisation, its representative (대표자), the
// department and person responsible, how to reach them, its own
// document-number scheme (a prefix; numbers run on from it), and the
// marking its documents carry by default (대외비).
type Org struct {
	Name           string    `json:"name"`
	Representative string    `json:"representative"`
	Department     string    `json:"department"`
	Person         string    `json:"person"`
	Contact        string    `json:"contact"`
	Address        string    `json:"address"`
	DocPrefix      string    `json:"doc_prefix"`
	Marking        string    `json:"marking"`
	Updated        time.Time `json:"updated_at"`
}

// OrgChange is what `org set` changes; a nil field stays as it is.
type OrgChange struct {
	Name, Representative, Department, Person, Contact, Address, DocPrefix, Marking *string
}

func (o *Org) fields() []struct {
	name string
	v    *string
} {
	return []struct {
		name string
		v    *string
	}{{"name", &o.Name}, {"representative", &o.Representative}, {"department", &o.Department}, {"person", &o.Person},
		{"contact", &o.Contact}, {"address", &o.Address}, {"doc-prefix", &o.DocPrefix}, {"marking", &o.Marking}}
}

func scanOrg(r scanner) (*Org, error) {
	var o Org
	var id int64
	var updated string
	if err := r.Scan(&id, &o.Name, &o.Representative, &o.Department, &o.Person, &o.Contact, &o.Address, &o.DocPrefix, &o.Marking, &updated); err != nil {
		return nil, err
	}
	var err error
	o.Updated, err = parseTime(updated)
	return &o, err
}

func queryOrg(ctx context.Context, q querier) (*Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgEntity.columns+` FROM org WHERE id = 1`))
	if err == sql.ErrNoRows {
		return &Org{}, nil
	}
	return o, mapErr(err)
}

// Org returns the profile; empty fields until `org set`.
func (s *Store) Org(ctx context.Context) (*Org, error) {
	var o *Org
	err := s.read(ctx, func(q querier) error {
		var err error
		o, err = queryOrg(ctx, q)
		return err
	})
	return o, err
}

// SetOrg changes the profile as ch says.
func (s *Store) SetOrg(ctx context.Context, ch OrgChange) (*Org, error) {
	vals := []*string{ch.Name, ch.Representative, ch.Department, ch.Person, ch.Contact, ch.Address, ch.DocPrefix, ch.Marking}
	var out *Org
	err := s.withTx(ctx, func(t *txn) error {
		o, err := queryOrg(ctx, t)
		if err != nil {
			return err
		}
		before, err := t.snap(orgEntity, 1)
		if err != nil {
			return err
		}
		for i, f := range o.fields() {
			if vals[i] == nil {
				continue
			}
			v := strings.TrimSpace(*vals[i])
			if err := checkText(f.name, v, MaxName); err != nil {
				return err
			}
			if Printable(v) != v {
				return invalid(f.name, "\"%s\" holds control characters; accepted: printable text", Printable(v))
			}
			*f.v = v
		}
		o.Updated = t.now
		if _, err := t.ExecContext(ctx, `INSERT INTO org (id, name, representative, department, person, contact, address, doc_prefix, marking, updated_at)
			VALUES (1,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET name=excluded.name, representative=excluded.representative,
			department=excluded.department, person=excluded.person, contact=excluded.contact, address=excluded.address,
			doc_prefix=excluded.doc_prefix, marking=excluded.marking, updated_at=excluded.updated_at`,
			o.Name, o.Representative, o.Department, o.Person, o.Contact, o.Address, o.DocPrefix, o.Marking, fmtTime(o.Updated)); err != nil {
			return err
		}
		out = o
		return t.logged(orgEntity, 1, before, "")
	})
	return out, err
}

// nextDocNumber is the number the next submission gets under the
// organisation's scheme: its prefix and a running number ("" without a
// prefix).
func nextDocNumber(ctx context.Context, t *txn) (string, error) {
	o, err := queryOrg(ctx, t)
	if err != nil || o.DocPrefix == "" {
		return "", err
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE doc_number <> ''`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d", o.DocPrefix, n+1), nil
}
