package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newActionCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "action",
		Short: "Action items: the measures taken after an incident or an order",
		Args:  args(0, 0, "a subcommand"),
		RunE: func(*cobra.Command, []string) error {
			return usageError{errors.New("name a subcommand: add, update, list")}
		},
	}
	cmd.AddCommand(newActionAddCmd(f, nil), newActionUpdateCmd(f, nil), newActionListCmd(f, nil))
	return cmd
}

type actionAddOptions struct {
	parsed
	text                                  string
	f                                     *factory
	incidentID, orderID, area, owner, due string
	verify                                string
	finding                               int
	en                                    []string
}

func newActionAddCmd(f *factory, runF func(*actionAddOptions) error) *cobra.Command {
	o := &actionAddOptions{f: f}
	cmd := &cobra.Command{
		Use:   "add (--incident ID | --order ORDER [--finding N]) --area AREA --owner O --due DATE TEXT",
		Short: "Add an action item; prints its id alone on stdout",
		Args:  args(1, -1, "the action's text"),
		RunE:  runE(o, func(a []string) { o.text = strings.Join(a, " ") }, runF),
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.StringVar(&o.incidentID, "incident", "", "the incident it follows from")
	fl.StringVar(&o.orderID, "order", "", "the order it answers")
	fl.StringVar(&o.area, "area", "", "pretest, change-control, manuals, monitoring, rca, user-notice or other (with --finding, the finding's)")
	fl.IntVar(&o.finding, "finding", 0, "the number of the order's finding it answers")
	fl.StringVar(&o.owner, "owner", "", "who will do it")
	fl.StringVar(&o.due, "due", "", "by when, YYYY-MM-DD")
	fl.StringVar(&o.verify, "verify", "", "how its completion is to be confirmed (the plan's 완료 확인 방법): a test, an inspection, a document")
	englishFlag(cmd, &o.en, "action")
	return cmd
}

func (o *actionAddOptions) run() error {
	a := &incident.Action{Text: o.text, Owner: o.owner, Status: incident.ActionPlanned, Verify: strings.TrimSpace(o.verify)}
	var err error
	if o.incidentID != "" && o.orderID != "" {
		return usageError{errors.New("action add: give --incident or --order, not both (an order's measures cover its incidents)")}
	}
	if o.incidentID != "" {
		id, err := incident.ParseID("incident", o.incidentID)
		if err != nil {
			return err
		}
		a.IncidentID = &id
	}
	if o.orderID != "" {
		id, err := incident.ParseID("order", o.orderID)
		if err != nil {
			return err
		}
		a.OrderID = &id
	}
	if o.finding != 0 {
		if a.OrderID == nil {
			return &incident.FieldError{Field: "finding", Msg: "a measure answers a finding of an order; give --order too"}
		}
		a.Finding = &o.finding
		if o.area == "" {
			v, err := loadOrder(o.ctx, o.f, o.orderID, incident.Point{})
			if err != nil {
				return err
			}
			fd := v.Order.FindingNo(o.finding)
			if fd == nil {
				nums := make([]string, len(v.Order.Findings))
				for i, x := range v.Order.Findings {
					nums[i] = strconv.Itoa(x.No)
				}
				return &incident.FieldError{Field: "finding", Msg: fmt.Sprintf("order %d has no finding %d; accepted: %s", v.Order.ID, o.finding, orDash(strings.Join(nums, ", ")))}
			}
			o.area = string(fd.Area)
		}
	}
	if o.area == "" {
		return &incident.FieldError{Field: "area", Msg: "give --area AREA (pretest, change-control, manuals, monitoring, rca, user-notice, other), or --finding N for the area of an order's finding"}
	}
	if a.Area, err = incident.ParseArea(o.area); err != nil {
		return err
	}
	if a.Due, err = incident.ParseDate("due", o.due); err != nil {
		return err
	}
	english, err := englishTexts(o.en, "action")
	if err != nil {
		return err
	}
	if err := a.SetEnglish(english); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if err := s.AddAction(o.ctx, a); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, a.ID)
	return nil
}

func newActionUpdateCmd(f *factory, runF func(*actionUpdateOptions) error) *cobra.Command {
	o := &actionUpdateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "update ACTION [--status S] [--evidence TEXT] [--done DATE] [--owner O] [--due DATE] [--revised-due DATE [--revised-on DATE] --reason WHY]",
		Short: "Change an action item's status, evidence, owner or due date; a late one gets --revised-due and --reason, a withdrawn one --reason",
		Args:  args(1, 1, "an action id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.Int64Var(&o.ifVersion, "if-version", 0, "save only if the measure is still at this version (action list --json has it); else say what changed since")
	fl.StringVar(&o.status, "status", "", "planned, in-progress, done or dropped")
	fl.StringVar(&o.evidence, "evidence", "", "what shows it is done")
	fl.StringVar(&o.verify, "verify", "", "how its completion is to be confirmed (the plan's 완료 확인 방법)")
	fl.StringVar(&o.revised, "revised-due", "", "the later date a late measure is now due (with --reason)")
	fl.StringVar(&o.revisedOn, "revised-on", "", "the day the due date was moved, YYYY-MM-DD (default today): documents dated from then show it")
	fl.StringVar(&o.done, "done", "", "the day it was completed, YYYY-MM-DD (sets status done)")
	fl.StringVar(&o.owner, "owner", "", "who will do it")
	fl.IntVar(&o.finding, "finding", 0, "the number of the order's finding it answers (0: none)")
	fl.StringVar(&o.dropped, "dropped-on", "", "with --status dropped: the day it was withdrawn, YYYY-MM-DD (default today)")
	fl.StringVar(&o.area, "area", "", "move it to another area (with --finding 0, or the finding of that area)")
	fl.StringVar(&o.due, "due", "", "by when, YYYY-MM-DD")
	englishFlag(cmd, &o.en, "action")
	return cmd
}

type actionUpdateOptions struct {
	parsed
	f                                                                  *factory
	args                                                               []string
	status, evidence, done, owner, due, revised, area, dropped, verify string
	revisedOn                                                          string
	en                                                                 []string
	finding                                                            int
	ifVersion                                                          int64
}

func (o *actionUpdateOptions) run() error {
	id, err := incident.ParseID("action", o.args[0])
	if err != nil {
		return err
	}
	changed := o.changed
	var edits []func(*incident.Action)
	if changed("status") {
		st, err := incident.ParseActionStatus(o.status)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.Status = st })
	}
	if changed("evidence") {
		edits = append(edits, func(x *incident.Action) { x.Evidence = strings.TrimSpace(o.evidence) })
	}
	if changed("owner") {
		edits = append(edits, func(x *incident.Action) { x.Owner = o.owner })
	}
	if changed("verify") {
		edits = append(edits, func(x *incident.Action) { x.Verify = strings.TrimSpace(o.verify) })
	}
	if changed("area") {
		ar, err := incident.ParseArea(o.area)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.Area = ar })
	}
	if changed("finding") {
		if o.finding < 0 {
			return &incident.FieldError{Field: "finding", Msg: "accepted: a finding number, or 0 for none"}
		}
		edits = append(edits, func(x *incident.Action) {
			x.Finding = nil
			if o.finding > 0 {
				x.Finding = &o.finding
			}
		})
	}
	if changed("due") {
		d, err := incident.ParseDate("due", o.due)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.Due = d })
	}
	if changed("revised-due") {
		var d *incident.Date
		if strings.TrimSpace(o.revised) != "" {
			x, err := incident.ParseDate("revised-due", o.revised)
			if err != nil {
				return err
			}
			d = &x
		}
		edits = append(edits, func(x *incident.Action) { x.RevisedDue = d })
	}
	if changed("revised-on") {
		d, err := incident.ParseDate("revised-on", o.revisedOn)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.RevisedOn = &d })
	}
	if changed("status") && o.status == string(incident.ActionDropped) && strings.TrimSpace(o.f.reason) == "" {
		return &incident.FieldError{Field: "reason", Msg: "a measure is withdrawn for a reason; give --reason TEXT"}
	}
	if changed("reason") && (changed("revised-due") || o.status == string(incident.ActionDropped)) {
		// The reason is the history's, and the measure's own: why it
		// is late, or why it was withdrawn.
		reason := strings.TrimSpace(o.f.reason)
		edits = append(edits, func(x *incident.Action) { x.Reason = reason })
	}
	if changed("done") && changed("status") && o.status != string(incident.ActionDone) {
		return &incident.FieldError{Field: "status", Msg: fmt.Sprintf("--done marks the measure done; it cannot also be %q", o.status)}
	}
	if changed("dropped-on") {
		if !changed("status") || o.status != string(incident.ActionDropped) {
			return &incident.FieldError{Field: "dropped-on", Msg: "goes with --status dropped --reason WHY"}
		}
		d, err := incident.ParseDate("dropped-on", o.dropped)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.DroppedOn = &d })
	}
	if changed("done") {
		d, err := incident.ParseDate("done", o.done)
		if err != nil {
			return err
		}
		edits = append(edits, func(x *incident.Action) { x.Status, x.DoneOn = incident.ActionDone, &d })
	}
	var english map[string]string
	if changed("en") {
		if english, err = englishTexts(o.en, "action"); err != nil {
			return err
		}
	}
	if len(edits) == 0 && english == nil {
		return usageError{errNothingToSet}
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(o.f.reason)
	if changed("if-version") && o.ifVersion <= 0 {
		return &incident.FieldError{Field: "if-version", Msg: "accepted: a version from action list --json (a positive number)"}
	}
	_, err = s.UpdateActionAt(o.ctx, id, o.ifVersion, loc, func(x *incident.Action) error {
		wasDone := x.Status == incident.ActionDone
		for _, e := range edits {
			e(x)
		}
		if err := x.SetEnglish(english); err != nil {
			return err
		}
		// An order's measure done after its due date says why it
		// was late: the correction report shows it.
		// (A day still to come is the store's to refuse, first.)
		if x.OrderID != nil && !wasDone && x.Status == incident.ActionDone && x.DoneOn != nil && x.DoneOn.After(x.Due) &&
			!x.DoneOn.After(incident.DateOf(o.f.now(), loc)) {
			if reason == "" {
				return &incident.FieldError{Field: "reason", Msg: fmt.Sprintf("done on %s, after its due date %s: give the reason for the delay with --reason TEXT (the correction report shows it)", x.DoneOn, x.Due)}
			}
			x.Reason = reason
		}
		return nil
	})
	var stale *incident.StaleError
	if errors.As(err, &stale) {
		return staleError(o.f, stale, fmt.Sprintf("read it again (action list --json has its version), then update with --if-version %d", stale.Now))
	}
	return err
}

func newActionListCmd(f *factory, runF func(*actionListOptions) error) *cobra.Command {
	o := &actionListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [--order ORDER | --incident ID] [--open] [--json]",
		Short: "List measures: of an order, of an incident, or all; by the date they are due",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().StringVar(&o.orderID, "order", "", "the measures answering this order (its own and its incidents')")
	cmd.Flags().StringVar(&o.incidentID, "incident", "", "the measures of this incident (its own and its orders')")
	cmd.Flags().BoolVar(&o.openOnly, "open", false, "only those not done or withdrawn")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type actionListOptions struct {
	parsed
	f                   *factory
	orderID, incidentID string
	openOnly, asJSON    bool
}

func (o *actionListOptions) run() error {
	var fl incident.ActionFilter
	var err error
	if o.orderID != "" {
		if fl.OrderID, err = incident.ParseID("order", o.orderID); err != nil {
			return err
		}
	}
	if o.incidentID != "" {
		if fl.IncidentID, err = incident.ParseID("incident", o.incidentID); err != nil {
			return err
		}
	}
	fl.OpenOnly = o.openOnly
	if fl.OrderID != 0 && fl.IncidentID != 0 {
		return usageError{errors.New("give --order or --incident, not both")}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if fl.OrderID != 0 {
		if _, err := loadOrder(o.ctx, o.f, o.orderID, incident.Point{}); err != nil {
			return err
		}
	}
	if fl.IncidentID != 0 {
		if _, err := s.Incident(o.ctx, fl.IncidentID); err != nil {
			return err
		}
	}
	actions, err := s.Actions(o.ctx, fl)
	if err != nil {
		return err
	}
	if o.asJSON {
		type listed struct {
			incident.ActionRecord
			Version int64 `json:"version"` // for update --if-version
		}
		recs := make([]listed, len(actions))
		for i := range actions {
			recs[i] = listed{actions[i].Record(), actions[i].Version}
		}
		return writeJSON(o.f.out, recs)
	}
	tw := &table{}
	tw.row("ID", "FOR", "AREA", "FINDING", "OWNER", "DUE", "STATUS", "DONE", "TEXT")
	for _, a := range actions {
		of := "-"
		switch {
		case a.OrderID != nil:
			of = "order " + strconv.FormatInt(*a.OrderID, 10)
		case a.IncidentID != nil:
			of = "#" + strconv.FormatInt(*a.IncidentID, 10)
		}
		finding, done, due := "-", "-", a.Due.String()
		if a.Finding != nil {
			finding = strconv.Itoa(*a.Finding)
		}
		if a.DoneOn != nil {
			done = a.DoneOn.String()
		}
		if a.RevisedDue != nil {
			due = a.RevisedDue.String() + " (was " + a.Due.String() + ")"
		}
		tw.row(strconv.FormatInt(a.ID, 10), of, string(a.Area), finding, a.Owner, due, string(a.Status), done, a.Text)
	}
	return tw.write(o.f.out)
}
