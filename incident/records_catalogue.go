package incident

import (
	"context"
	"fmt"
	"time"
)

// The catalogue's records in an export: services, freezes and the duties
// marked by hand. An export without them (an older file) reads as having
// none; one that has none writes none, so its bytes do not change.

// ServiceRecord is a service of the catalogue as JSON.
type ServiceRecord struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	Owner      string          `json:"owner"`
	PublicName string          `json:"public_name,omitempty"`
	Groups     []string        `json:"groups"`
	Regimes    []ServiceRegime `json:"regimes"`
	Class      string          `json:"class,omitempty"`
	Fee        string          `json:"fee,omitempty"`
	DailyUsers *int64          `json:"daily_users,omitempty"`
	CreatedAt  *time.Time      `json:"created_at,omitempty"`
	UpdatedAt  *time.Time      `json:"updated_at,omitempty"`
}

// FreezeRecord is a freeze window as JSON.
type FreezeRecord struct {
	ID        int64      `json:"id"`
	Scope     string     `json:"scope"`
	Target    string     `json:"target"`
	From      time.Time  `json:"from"`
	To        time.Time  `json:"to"`
	Reason    string     `json:"reason"`
	EndedAt   *time.Time `json:"ended_at"`
	Overrides []Override `json:"overrides"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// DutyRecord is a duty marked met or waived by hand, as JSON.
type DutyRecord struct {
	ID        int64      `json:"id"`
	Incident  int64      `json:"incident"`
	Kind      string     `json:"kind"`
	State     string     `json:"state"`
	At        time.Time  `json:"at"`
	Ref       string     `json:"ref"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

func (svc *Service) record() ServiceRecord {
	c, u := svc.Created, svc.Updated
	return ServiceRecord{ID: svc.ID, Name: svc.Name, Owner: svc.Owner, PublicName: svc.PublicName, Groups: nonNil(svc.Groups), Regimes: nonNil(svc.Regimes),
		Class: svc.Class, Fee: svc.Fee, DailyUsers: svc.DailyUsers, CreatedAt: &c, UpdatedAt: &u}
}

func (f *Freeze) record() FreezeRecord {
	c := f.Created
	return FreezeRecord{ID: f.ID, Scope: f.Scope, Target: f.Target, From: f.Starts, To: f.Ends, Reason: f.Reason,
		EndedAt: f.Ended, Overrides: nonNil(f.Overrides), CreatedAt: &c}
}

// exportCatalogue writes the services, freezes and duty marks, each list
// only when it has records.
func exportCatalogue(ctx context.Context, q querier, out *dumpWriter, tick func()) error {
	svcs, err := queryServices(ctx, q)
	if err != nil {
		return err
	}
	if len(svcs) > 0 {
		out.list("services")
		for i := range svcs {
			r := svcs[i].record()
			out.record(&r)
			tick()
		}
		out.end()
	}
	frs, err := queryFreezes(ctx, q, ``)
	if err != nil {
		return err
	}
	if len(frs) > 0 {
		out.list("freezes")
		for i := range frs {
			r := frs[i].record()
			out.record(&r)
			tick()
		}
		out.end()
	}
	var org []Org
	if o, err := queryOrg(ctx, q); err != nil {
		return err
	} else if !o.Updated.IsZero() {
		org = []Org{*o}
	}
	defer writeList(out, "org", org)
	recs, err := queryDutyRecords(ctx, q, ``)
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		out.list("duties")
		for _, d := range recs {
			r := d.record()
			out.record(&r)
			tick()
		}
		out.end()
	}
	return nil
}

func (d *dutyRecord) record() DutyRecord {
	c := d.Created
	return DutyRecord{ID: d.ID, Incident: d.IncidentID, Kind: d.Kind, State: d.State, At: d.At, Ref: d.Ref, CreatedAt: &c}
}

func (im *importer) service(_ int, r *ServiceRecord) error {
	if err := positive("service", r.ID); err != nil {
		return err
	}
	name, err := checkName("service", r.Name)
	if err != nil {
		return err
	}
	groups, err := cleanNames("group", r.Groups)
	if err != nil {
		return fmt.Errorf("service %q: %w", name, err)
	}
	for _, reg := range r.Regimes {
		if _, err := im.rs.Regime(reg.ID); err != nil {
			return fmt.Errorf("service %q: %w", name, err)
		}
	}
	if err := cleanServiceTexts(&r.Owner, &r.PublicName); err != nil {
		return fmt.Errorf("service %q: %w", name, err)
	}
	if r.DailyUsers != nil && *r.DailyUsers < 0 {
		return fmt.Errorf("service %q: %w", name, invalid("daily_users", "%d is negative; accepted: a count of users", *r.DailyUsers))
	}
	if err := checkServiceFacts(&r.Class, &r.Fee, r.DailyUsers); err != nil {
		return fmt.Errorf("service %q: %w", name, err)
	}
	svc := Service{ID: r.ID, Name: name, Owner: r.Owner, PublicName: r.PublicName, Groups: groups, Regimes: r.Regimes,
		Class: r.Class, Fee: r.Fee, DailyUsers: r.DailyUsers, Created: stamp(r.CreatedAt, im.now), Updated: stamp(r.UpdatedAt, im.now)}
	svc.Regimes = keepSince(r.Regimes, svc.RegimeIDs(), im.now)
	var id any = svc.ID
	if im.renumber {
		id = nil
	}
	_, err = im.t.create(serviceEntity, "", func() (int64, error) {
		newID, err := im.t.insertID(`INSERT INTO services (id, name, owner, groups, regimes, created_at, updated_at, public_name, class, fee, daily_users)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, id, svc.Name, svc.Owner, jsonList(svc.Groups), mustJSON(regimeMap(svc.Regimes)), fmtTime(svc.Created),
			fmtTime(svc.Updated), svc.PublicName, svc.Class, svc.Fee, svc.DailyUsers)
		if err != nil {
			if isConflict(mapErr(err)) {
				return 0, fmt.Errorf("service %q (id %d) %w", name, r.ID, mapErr(err))
			}
			return 0, err
		}
		svc.ID = newID
		return svc.ID, nil
	})
	return err
}

func stamp(t *time.Time, now time.Time) time.Time {
	if t == nil {
		return now
	}
	return t.UTC()
}

func (im *importer) freeze(_ int, r *FreezeRecord) error {
	if err := positive("freeze", r.ID); err != nil {
		return err
	}
	f := Freeze{Scope: r.Scope, Target: r.Target, Reason: r.Reason, Starts: r.From, Ends: r.To}
	if err := f.validate(); err != nil {
		return fmt.Errorf("freeze %d: %w", r.ID, err)
	}
	var id any = r.ID
	if im.renumber {
		id = nil
	}
	_, err := im.t.create(freezeEntity, "", func() (int64, error) {
		newID, err := im.t.insertID(`INSERT INTO freezes (id, scope, target, starts_at, ends_at, reason, ended_at, created_at) VALUES (?,?,?,?,?,?,?,?)`,
			id, f.Scope, f.Target, fmtTime(f.Starts), fmtTime(f.Ends), f.Reason, fmtTimePtr(r.EndedAt), fmtTime(stamp(r.CreatedAt, im.now)))
		if err != nil {
			if isConflict(mapErr(err)) {
				return 0, fmt.Errorf("freeze %d %w", r.ID, mapErr(err))
			}
			return 0, err
		}
		fid := newID
		for _, o := range r.Overrides {
			if o.Reason == "" || len(o.Services) == 0 {
				return 0, invalid("overrides", "freeze %d: an override needs a reason and its services", r.ID)
			}
			if err := checkTexts(textField{"reason", o.Reason, MaxText}, textField{"author", o.Author, MaxName}); err != nil {
				return 0, fmt.Errorf("freeze %d: %w", r.ID, err)
			}
			if _, err := im.t.ExecContext(im.ctx, `INSERT INTO freeze_overrides (freeze_id, at, author, services, reason) VALUES (?,?,?,?,?)`,
				fid, fmtTime(o.At), o.Author, jsonList(o.Services), o.Reason); err != nil {
				return 0, err
			}
		}
		return fid, nil
	})
	return err
}

func (im *importer) duty(_ int, r *DutyRecord) error {
	if err := positive("duty", r.ID); err != nil {
		return err
	}
	if r.State != "met" && r.State != "waived" {
		return invalid("state", "duty %d: %q; accepted: met, waived", r.ID, r.State)
	}
	if r.Kind == "" {
		return invalid("kind", "duty %d: must not be empty", r.ID)
	}
	if err := checkTexts(textField{"kind", r.Kind, MaxName}, textField{"ref", r.Ref, MaxText}); err != nil {
		return fmt.Errorf("duty %d: %w", r.ID, err)
	}
	at := r.At.UTC()
	if err := happened("at", &at, im.now); err != nil {
		return fmt.Errorf("duty %d: %w", r.ID, err)
	}
	var id any = r.ID
	if im.renumber {
		id = nil
	}
	inc := *remap(im.res.Incidents, r.Incident)
	_, err := im.t.create(dutyEntity, "", func() (int64, error) {
		newID, err := im.t.insertID(`INSERT INTO duties (id, incident_id, kind, state, at, ref, created_at) VALUES (?,?,?,?,?,?,?)`,
			id, inc, r.Kind, r.State, fmtTime(at), r.Ref, fmtTime(stamp(r.CreatedAt, im.now)))
		if err != nil {
			if m := mapErr(err); isNotFound(m) {
				return 0, fmt.Errorf("duty %d: %w", r.ID, notFound("incident", r.Incident))
			} else if isConflict(m) {
				return 0, fmt.Errorf("duty %d %w", r.ID, m)
			}
			return 0, err
		}
		return newID, nil
	})
	return err
}

func (im *importer) org(i int, r *Org) error {
	if i > 1 {
		return invalid("import", "more than one org record; a database has one profile")
	}
	for _, f := range r.fields() {
		if err := checkText(f.name, *f.v, MaxName); err != nil {
			return fmt.Errorf("org: %w", err)
		}
	}
	if err := r.check(im.rs); err != nil {
		return fmt.Errorf("org: %w", err)
	}
	_, err := im.t.create(orgEntity, "", func() (int64, error) {
		_, err := im.t.ExecContext(im.ctx, `INSERT INTO org (id, name, representative, department, person, contact, address, doc_prefix, marking, updated_at,
			revenue, daily_users, targets, zone, yearly, via, english, approval) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.Name, r.Representative, r.Department, r.Person, r.Contact, r.Address,
			r.DocPrefix, r.Marking, fmtTime(stamp(nonZero(r.Updated), im.now)), r.Revenue, r.DailyUsers, objectJSON(r.Targets), r.Zone, objectJSON(r.Yearly), r.Via,
			objectJSON(r.English), jsonList(r.Approval))
		if err != nil {
			if isConflict(mapErr(err)) {
				return 0, fmt.Errorf("org profile %w (the database has one)", mapErr(err))
			}
			return 0, err
		}
		return 1, nil
	})
	return err
}

func nonZero(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
