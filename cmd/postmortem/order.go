package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// Regimes loads the regimes with the --holidays and --grace flags applied.
func (f *factory) Regimes() (*incident.Regimes, error) {
	if f.regimes != nil {
		return f.regimes, nil
	}
	rs, err := incident.LoadRegimes()
	if err != nil {
		return nil, err
	}
	if f.holidays != "" {
		fh, err := os.Open(f.holidays)
		if err != nil {
			return nil, &incident.FieldError{Field: "holidays", Msg: err.Error()}
		}
		defer fh.Close()
		if err := rs.AddHolidays(fh); err != nil {
			return nil, fmt.Errorf("holidays %s: %w", f.holidays, err)
		}
	}
	graces, err := keyed("grace", splitAll(f.grace), "duty", "every duty", "2h for every duty, or KIND=2h for one")
	if err != nil {
		return nil, err
	}
	for _, g := range graces {
		d, err := time.ParseDuration(g.value)
		if err != nil {
			return nil, &incident.FieldError{Field: "grace", Msg: fmt.Sprintf("%q is not a duration; accepted: e.g. 2h, or KIND=2h for one duty (user-notice=30m)", g.value)}
		}
		if err := rs.SetGrace(g.key, d); err != nil {
			return nil, err
		}
	}
	f.regimes = rs
	return rs, nil
}

// loadOrder reads the view of the order named by arg (an id) at p: its
// regime, the incidents it covers, its deadlines and measures.
func loadOrder(ctx context.Context, f *factory, arg string, p incident.Point) (*incident.OrderView, error) {
	id, err := incident.ParseID("order", arg)
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, err
	}
	loc, err := f.Location()
	if err != nil {
		return nil, err
	}
	return s.OrderView(ctx, id, rs, p, loc)
}

func newOrderCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "order",
		Short: "Regulatory orders: their findings, deliverables and due dates",
		Args:  args(0, 0, "a subcommand"),
		RunE: func(*cobra.Command, []string) error {
			return usageError{errors.New("name a subcommand: new, finding, result, attach, show, submit, submitted, archive, package, list")}
		},
	}
	cmd.AddCommand(newOrderNewCmd(f, nil), newOrderFindingCmd(f, nil), newOrderResultCmd(f, nil), newOrderAttachCmd(f, nil), newOrderShowCmd(f, nil), newOrderSubmitCmd(f, nil), newOrderListCmd(f, nil),
		newOrderSubmittedCmd(f, nil), newOrderArchiveCmd(f, nil), newOrderPackageCmd(f, nil))
	return cmd
}

type orderNewOptions struct {
	parsed
	f                                                 *factory
	regime, received, incidents, authority, reference string
	// The order's own periods: --within KIND=P, --due KIND=DATE, and
	// the plan's and the results' by name.
	within, due                                  []string
	planWithin, resultWithin, planDue, resultDue string
}

// The deliverables --plan-* and --result-* name.
const (
	planKind   = "improvement-plan"
	resultKind = "correction-report"
)

// terms reads the order's own periods from the flags.
func (o *orderNewOptions) terms() (map[string]incident.Term, error) {
	within, err := keyed("within", o.within, "deliverable", "", "KIND=PERIOD, e.g. improvement-plan=1m")
	if err != nil {
		return nil, err
	}
	due, err := keyed("due", o.due, "deliverable", "", "KIND=DATE, e.g. improvement-plan=2024-07-01")
	if err != nil {
		return nil, err
	}
	for _, n := range []struct {
		to         *[]keyValue
		flag, kind string
		v          string
	}{{&within, "plan-within", planKind, o.planWithin}, {&within, "result-within", resultKind, o.resultWithin},
		{&due, "plan-due", planKind, o.planDue}, {&due, "result-due", resultKind, o.resultDue}} {
		if n.v != "" {
			*n.to = append(*n.to, keyValue{n.flag, n.kind, strings.TrimSpace(n.v)})
		}
	}
	out := map[string]incident.Term{}
	for _, w := range within {
		t := out[w.key]
		if t.Within != "" {
			return nil, &incident.FieldError{Field: w.flag, Msg: fmt.Sprintf("given twice for %s; give it once", w.key)}
		}
		if _, _, err := incident.ParseWithin(w.flag, w.value); err != nil {
			return nil, err
		}
		t.Within = w.value
		out[w.key] = t
	}
	for _, d := range due {
		t := out[d.key]
		if t.Due != nil {
			return nil, &incident.FieldError{Field: d.flag, Msg: fmt.Sprintf("given twice for %s; give it once", d.key)}
		}
		if t.Within != "" {
			return nil, &incident.FieldError{Field: d.flag, Msg: fmt.Sprintf("%s has both a period and a day; give one", d.key)}
		}
		day, err := incident.ParseDate(d.flag, d.value)
		if err != nil {
			return nil, err
		}
		t.Due = &day
		out[d.key] = t
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func newOrderNewCmd(f *factory, runF func(*orderNewOptions) error) *cobra.Command {
	o := &orderNewOptions{f: f}
	cmd := &cobra.Command{
		Use:   "new --received DATE --incidents ID[,ID] [--regime kr-msit] [--plan-within 1m --result-within 3m | --plan-due DATE --result-due DATE]",
		Short: "Record an order; prints its id alone on stdout",
		Long: `order new records an order. Its deliverables are due as the regime has them
(kr-msit: the improvement plan 1 month, the correction results 3 months from
receipt, counted under the Civil Act) unless the order sets its own:
--plan-within and --result-within give a period (1m, 3m, 14d), --plan-due and
--result-due a day; --within KIND=P and --due KIND=DATE do so for any
deliverable the regime runs from receipt.`,
		Args: args(0, 0, "no arguments"),
		RunE: runE(o, nil, runF),
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.StringVar(&o.regime, "regime", incident.DefaultRegime, "kr-msit, eu-nis2, eu-dora, us-fcc-nors or us-sec-8k")
	fl.StringVar(&o.received, "received", "", `when it was received: YYYY-MM-DD, or "YYYY-MM-DD HH:MM" in the regime's zone`)
	fl.StringVar(&o.incidents, "incidents", "", "the incidents it covers, comma-separated ids")
	fl.StringVar(&o.authority, "authority", "", "who issued it (default: the regime's authority)")
	fl.StringVar(&o.reference, "reference", "", "the authority's reference for it, e.g. 네트워크안전기획과-1234 (documents put the authority's name before it)")
	fl.StringVar(&o.planWithin, "plan-within", "", "the improvement plan's period from receipt, e.g. 1m or 14d (default: the regime's)")
	fl.StringVar(&o.resultWithin, "result-within", "", "the correction results' period from receipt, e.g. 3m (default: the regime's)")
	fl.StringVar(&o.planDue, "plan-due", "", "the improvement plan's due day, YYYY-MM-DD, when the order names one")
	fl.StringVar(&o.resultDue, "result-due", "", "the correction results' due day, YYYY-MM-DD")
	fl.StringSliceVar(&o.within, "within", nil, "a deliverable's period from receipt, KIND=P (repeat)")
	fl.StringSliceVar(&o.due, "due", nil, "a deliverable's due day, KIND=YYYY-MM-DD (repeat)")
	return cmd
}

func (o *orderNewOptions) run() error {
	rs, err := o.f.Regimes()
	if err != nil {
		return err
	}
	r, err := rs.Regime(o.regime)
	if err != nil {
		return err
	}
	day, clock, err := incident.ParseReceived(o.received)
	if err != nil {
		return err
	}
	ids, err := incident.ParseIDs("incidents", o.incidents)
	if err != nil {
		return err
	}
	terms, err := o.terms()
	if err != nil {
		return err
	}
	ord := &incident.Order{Regime: r.ID, Authority: o.authority, Reference: o.reference, Received: day, ReceivedClock: clock, Incidents: ids, Terms: terms}
	if ord.Authority == "" {
		ord.Authority = r.Authority
	}
	if err := ord.Validate(); err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if err := s.CreateOrder(o.ctx, ord); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, ord.ID)
	return nil
}

func newOrderFindingCmd(f *factory, runF func(*orderFindingOptions) error) *cobra.Command {
	o := &orderFindingOptions{f: f}
	cmd := &cobra.Command{
		Use:   "finding ORDER --area AREA [--en TEXT] TEXT | finding ORDER --edit N [--area AREA] [--en TEXT] [TEXT]",
		Short: "Record a finding of the authority's in an area (an area holds several), or change one",
		Long: `Record a finding of the authority's in an area; it is given the order's
next number, printed. An area holds as many findings as the authority made.
--edit N changes finding N's wording or area instead.`,
		Args: args(1, -1, "an order id and the finding"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.area, "area", "", "pretest, change-control, manuals, monitoring, rca, user-notice or other")
	cmd.Flags().IntVar(&o.edit, "edit", 0, "change finding N instead of adding one")
	cmd.Flags().StringVar(&o.en, "en", "", `the finding's English text beside the Korean, for --lang en documents ("" clears)`)
	f.reasonFlag(cmd)
	return cmd
}

type orderFindingOptions struct {
	parsed
	f        *factory
	args     []string
	area, en string
	edit     int
}

func (o *orderFindingOptions) run() error {
	id, err := incident.ParseID("order", o.args[0])
	if err != nil {
		return err
	}
	text := strings.Join(o.args[1:], " ")
	var c incident.FindingChange
	if o.area != "" {
		ar, err := incident.ParseArea(o.area)
		if err != nil {
			return err
		}
		c.Area = &ar
	}
	editing := o.changed("edit")
	if editing && o.edit <= 0 {
		return &incident.FieldError{Field: "edit", Msg: fmt.Sprintf("%d is not a finding number; accepted: 1, 2, 3, ... as order show lists them", o.edit)}
	}
	if !editing && (c.Area == nil || strings.TrimSpace(text) == "") {
		return usageError{errors.New("give --area AREA and the finding's text (or --edit N to change finding N)")}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if editing {
		if len(o.args) > 1 {
			c.Text = &text
		}
		if o.changed("en") {
			c.English = &o.en
		}
		if c.Text == nil && c.Area == nil && c.English == nil {
			return usageError{errors.New("--edit N changes the text, --area or --en; give one")}
		}
		return s.ChangeFinding(o.ctx, id, o.edit, c)
	}
	no, err := s.AddFinding(o.ctx, id, *c.Area, text, o.en)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, no)
	return nil
}

func newOrderResultCmd(f *factory, runF func(*orderResultOptions) error) *cobra.Command {
	o := &orderResultOptions{f: f}
	cmd := &cobra.Command{
		Use:   "result ORDER FINDING [--on DATE] [--en TEXT] TEXT",
		Short: "Record the result of carrying out a finding's measures (이행 결과) and the day it was complete",
		Long: `Record what was done about a finding, as the correction report shows it under
이행 결과, and the day it was complete (--on, default today). An empty TEXT
("") clears it. A report dated before --on does not show it.`,
		Args: args(3, -1, "an order id, a finding number and the result"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.on, "on", "", "the day the finding's measures were complete, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&o.en, "en", "", `the result's English text beside the Korean, for --lang en documents ("" clears)`)
	f.reasonFlag(cmd)
	return cmd
}

type orderResultOptions struct {
	parsed
	f      *factory
	args   []string
	on, en string
}

func (o *orderResultOptions) run() error {
	id, no, err := orderFinding(o.args[0], o.args[1])
	if err != nil {
		return err
	}
	text := strings.Join(o.args[2:], " ")
	c := incident.FindingChange{Result: &text}
	if o.changed("en") {
		c.ResultEnglish = &o.en
	}
	if o.on != "" {
		d, err := incident.ParseDate("on", o.on)
		if err != nil {
			return err
		}
		c.ResultOn = &d
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	return s.ChangeFinding(o.ctx, id, no, c)
}

func newOrderAttachCmd(f *factory, runF func(*orderAttachOptions) error) *cobra.Command {
	o := &orderAttachOptions{f: f}
	cmd := &cobra.Command{
		Use:   "attach ORDER FINDING [--file PATH] [--on DATE] DESCRIPTION",
		Short: "Record a piece of evidence (붙임) for a finding, with the SHA-256 of its file",
		Long: `Record a numbered attachment (붙임) for a finding: what it is and, with --file,
the file's name, size and SHA-256 (the file itself is not copied). Prints the
attachment's number and the SHA-256. A report dated before --on (default
today) does not list it.`,
		Args: args(3, -1, "an order id, a finding number and what the attachment is"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.file, "file", "", "the evidence file, whose name, size and SHA-256 are recorded")
	cmd.Flags().StringVar(&o.on, "on", "", "the day it was added, YYYY-MM-DD (default today)")
	f.reasonFlag(cmd)
	return cmd
}

type orderAttachOptions struct {
	parsed
	f        *factory
	args     []string
	on, file string
}

func (o *orderAttachOptions) run() error {
	id, no, err := orderFinding(o.args[0], o.args[1])
	if err != nil {
		return err
	}
	att := incident.Attachment{Finding: no, What: strings.Join(o.args[2:], " ")}
	if o.on != "" {
		if att.AddedOn, err = incident.ParseDate("on", o.on); err != nil {
			return err
		}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	got, err := s.Attach(o.ctx, id, att, o.file)
	if err != nil {
		return err
	}
	// The correction report lists the report itself as 붙임 1.
	fmt.Fprintf(o.f.errOut, "attachment %d: 붙임 %d in the correction report (붙임 1 is the report itself)\n", got.No, got.No+1)
	if got.SHA256 != "" {
		fmt.Fprintf(o.f.out, "%d\t%s\t%s\n", got.No, got.SHA256, incident.Printable(got.File))
	} else {
		fmt.Fprintln(o.f.out, got.No)
	}
	return nil
}

// orderFinding reads an order id and one of its finding numbers.
func orderFinding(order, finding string) (int64, int, error) {
	id, err := incident.ParseID("order", order)
	if err != nil {
		return 0, 0, err
	}
	no, err := parseFindingNo(finding)
	return id, no, err
}

func parseFindingNo(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, &incident.FieldError{Field: "finding", Msg: fmt.Sprintf("%q is not a finding number; accepted: 1, 2, 3, ... as order show lists them", s)}
	}
	return n, nil
}

func newOrderSubmitCmd(f *factory, runF func(*orderSubmitOptions) error) *cobra.Command {
	o := &orderSubmitOptions{f: f}
	cmd := &cobra.Command{
		Use:   "submit ORDER --deliverable KIND [--incident ID] [--at DATE|TIME]",
		Short: "Record that a deliverable was submitted",
		Args:  args(1, 1, "an order id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.kind, "deliverable", "", "the deliverable's kind, e.g. improvement-plan")
	f.reasonFlag(cmd)
	cmd.Flags().StringVar(&o.incidentID, "incident", "", "the incident, for a duty that runs per incident")
	cmd.Flags().StringVar(&o.at, "at", "", `when it was submitted: the day, YYYY-MM-DD (default today), or the time, "YYYY-MM-DD HH:MM" (a filing after the regime's cut-off counts the next working day)`)
	cmd.Flags().BoolVar(&o.correct, "correct", false, "correct the day recorded for a deliverable already submitted (with --reason)")
	cmd.Flags().StringVar(&o.keyFile, "key", "", "seal the history with this Ed25519 private key once recorded (default $"+sealKeyEnv+")")
	cmd.Flags().StringVar(&o.lang, "lang", "ko", "ko or en: the language the document is submitted in (it is archived so)")
	return cmd
}

type orderSubmitOptions struct {
	parsed
	f                       *factory
	args                    []string
	kind, at, keyFile, lang string
	incidentID              string
	correct                 bool
}

func (o *orderSubmitOptions) run() error {
	v, err := loadOrder(o.ctx, o.f, o.args[0], incident.Point{})
	if err != nil {
		return err
	}
	spec, err := v.Regime.Spec(o.kind)
	if err != nil {
		return err
	}
	var inc int64
	if spec.PerIncident() {
		switch {
		case o.incidentID != "":
			if inc, err = incident.ParseID("incident", o.incidentID); err != nil {
				return err
			}
			if !slices.Contains(v.Order.Incidents, inc) {
				return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("order %d does not cover incident %d; accepted: %s", v.Order.ID, inc, joinIDs(v.Order.Incidents))}
			}
		case len(v.Order.Incidents) == 1:
			inc = v.Order.Incidents[0]
		default:
			return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("%s runs per incident; give --incident, one of %s", o.kind, joinIDs(v.Order.Incidents))}
		}
	} else if o.incidentID != "" {
		return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("%s answers the order as a whole; give no --incident", o.kind)}
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	// A day, or a moment (read in --tz) whose day is the
	// regime's: a filing's time decides its day under a cut-off,
	// and a clock chained to it starts then.
	on := incident.DateOf(o.f.now(), loc)
	var moment *time.Time
	if o.at != "" {
		if on, err = incident.ParseDate("at", o.at); err != nil {
			if moment, err = o.f.parseTime("at", o.at); err != nil {
				if !errors.Is(err, incident.ErrNotATime) {
					return err // a time the zone skips or repeats: its own words
				}
				return &incident.FieldError{Field: "at", Msg: fmt.Sprintf("%q is neither a day nor a time; accepted: YYYY-MM-DD, or \"YYYY-MM-DD HH:MM\" (in --tz)", o.at)}
			}
			on = incident.DateOf(*moment, v.Regime.Location())
		}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	key := incident.DeliverableKey(o.kind, inc)
	if o.correct && strings.TrimSpace(o.f.reason) == "" {
		return &incident.FieldError{Field: "reason", Msg: "a corrected submission day says why; give --reason TEXT"}
	}
	// The seal's key is read before anything is recorded: a key
	// that does not read refuses the submission whole.
	if o.keyFile == "" {
		o.keyFile = o.f.getenv(sealKeyEnv)
	}
	var sealKey ed25519.PrivateKey
	if o.keyFile != "" {
		if sealKey, err = readPrivateKey(o.keyFile, o.f.getenv); err != nil {
			return err
		}
	}
	// With a key, the submission and the seal of the head it makes
	// are one transaction.
	var sl *incident.Seal
	if sealKey != nil {
		note := fmt.Sprintf("order %d: %s submitted %s", v.Order.ID, key, on)
		if s, err = s.SealingWith(sealKey, note, func(done *incident.Seal) { sl = done }); err != nil {
			return err
		}
	}
	if o.lang == "ko" {
		for _, n := range v.StyleNotes() {
			fmt.Fprintf(o.f.errOut, "note: %s\n", incident.Printable(n))
		}
	}
	number, err := s.Submit(o.ctx, v.Order.ID, key, on, moment, o.correct)
	if err != nil {
		return err
	}
	if number != "" {
		fmt.Fprintln(o.f.out, number) // the document number, alone on stdout, for scripts
	}
	if !o.correct && strings.TrimSpace(v.Order.Reference) == "" {
		fmt.Fprintf(o.f.errOut, "note: order %d has no reference (the authority's document number): the letter's 관련 line cites only the authority and its date\n", v.Order.ID)
	}
	if !o.correct {
		// A measure past its date with no new one: the document
		// promises it "새 기한 미정", which a reviewer returns. One moved
		// after the document's day (typed today, say) is not moved yet
		// on the page.
		for _, a := range v.Actions {
			due, movedLater := a.Due, a.RevisedDue != nil && a.RevisedOn != nil && a.RevisedOn.After(on)
			if a.RevisedDue != nil && !movedLater {
				due = *a.RevisedDue
			}
			if a.Closed() || !on.After(due) {
				continue
			}
			if movedLater {
				fmt.Fprintf(o.f.errOut, "note: measure %d was moved to %s on %s, after this document's day %s: the document shows it past due, 새 기한 미정 (action update %d --revised-on DATE gives the day it was moved)\n", a.ID, a.RevisedDue, a.RevisedOn, on, a.ID)
			} else {
				fmt.Fprintf(o.f.errOut, "note: measure %d is past its due date %s with no new one: the document says 새 기한 미정 (action update %d --revised-due DATE --reason WHY gives it one)\n", a.ID, due, a.ID)
			}
		}
	}
	if !o.correct {
		// What was submitted stays submitted: the document, as
		// handed in, is kept with its number.
		if err := archiveSubmission(o.ctx, o.f, s, v.Order.ID, key, o.lang); err != nil {
			return fmt.Errorf("the submission is recorded, but its document was not archived (order archive %d --deliverable %s, once fixed): %w", v.Order.ID, key, err)
		}
	}
	if sl == nil {
		fmt.Fprintf(o.f.errOut, "note: the history is not sealed (give --key FILE or set %s to seal each submission)\n", sealKeyEnv)
		return nil
	}
	fmt.Fprintf(o.f.errOut, "sealed: row %d, head %s, key %s\n", sl.Rows, sl.Head, sl.Fingerprint)
	return nil
}

type deliverableJSON struct {
	Kind      string         `json:"kind"`
	Incident  *int64         `json:"incident,omitempty"`
	Name      string         `json:"name"`
	Due       string         `json:"due"`
	DueAt     time.Time      `json:"due_at"`
	Submitted *incident.Date `json:"submitted"`
	// SubmittedAt is the moment, when recorded; FiledOn the day it
	// counts for when that is another (after the regime's cut-off).
	SubmittedAt *time.Time     `json:"submitted_at,omitempty"`
	FiledOn     *incident.Date `json:"filed_on,omitempty"`
	Status      string         `json:"status"`
	dateOnly    bool           // counted in days: the whole due day is allowed
}

type orderJSON struct {
	ID           int64                 `json:"id"`
	Regime       string                `json:"regime"`
	Authority    string                `json:"authority"`
	Reference    string                `json:"reference"`
	Received     string                `json:"received"`
	Incidents    []int64               `json:"incidents"`
	Findings     []incident.Finding    `json:"findings"`
	Attachments  []incident.Attachment `json:"attachments"`
	Deliverables []deliverableJSON     `json:"deliverables"`
	// Terms are the order's own periods, over the regime's.
	Terms       map[string]incident.Term `json:"terms,omitempty"`
	AsOf        *time.Time               `json:"as_of,omitempty"`
	KnownAt     *time.Time               `json:"known_at,omitempty"`
	HistoryHead string                   `json:"history_head"`
}

func newOrderShowCmd(f *factory, runF func(*orderShowOptions) error) *cobra.Command {
	o := &orderShowOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ORDER [--json]",
		Short: "Show an order with its deliverables and due dates",
		Args:  args(1, 1, "an order id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	o.point.register(cmd, false)
	return cmd
}

type orderShowOptions struct {
	parsed
	f      *factory
	args   []string
	asJSON bool
	point  pointFlags
}

func (o *orderShowOptions) run() error {
	pt, err := o.f.point(o.point)
	if err != nil {
		return err
	}
	v, err := loadOrder(o.ctx, o.f, o.args[0], pt)
	if err != nil {
		return err
	}
	loc := v.Regime.Location()
	ord := v.Order
	j := orderJSON{ID: ord.ID, Regime: ord.Regime, Authority: ord.Authority, Reference: ord.Reference, Received: ord.ReceivedText(), Terms: ord.Terms,
		Incidents: ord.Incidents, Findings: append([]incident.Finding{}, ord.Findings...),
		Attachments: append([]incident.Attachment{}, ord.Attachments...), Deliverables: []deliverableJSON{}}
	j.AsOf, j.KnownAt, j.HistoryHead = timePtr(pt.AsOf, loc), timePtr(pt.KnownAt, loc), v.Head
	for i := range v.Deadlines {
		d := &v.Deadlines[i]
		dj := deliverableJSON{Kind: d.Kind, Name: d.Name["en"], Due: d.DueDate.String(), DueAt: d.Due.In(loc), Submitted: d.Submitted,
			SubmittedAt: inZone(d.SubmittedAt, loc), Status: d.Status(v.JudgedAt), dateOnly: d.DateOnly}
		if d.FiledOn != nil && d.Submitted != nil && *d.FiledOn != *d.Submitted {
			dj.FiledOn = d.FiledOn
		}
		if d.IncidentID != 0 {
			id := d.IncidentID
			dj.Incident = &id
		}
		j.Deliverables = append(j.Deliverables, dj)
	}
	if o.asJSON {
		return writeJSON(o.f.out, j)
	}
	return writeOrderText(o.f.out, j)
}

func writeOrderText(w io.Writer, j orderJSON) error {
	safe := incident.Printable
	fmt.Fprintf(w, "order %d  %s  %s %s\nreceived %s, covers %s\n", j.ID, safe(j.Regime), safe(j.Authority), safe(j.Reference), j.Received, joinIDs(j.Incidents))
	var terms []string
	for kind, t := range j.Terms {
		if t.Due != nil {
			terms = append(terms, kind+" due "+t.Due.String())
		} else {
			terms = append(terms, kind+" within "+t.Within)
		}
	}
	if len(terms) > 0 {
		sort.Strings(terms)
		fmt.Fprintf(w, "the order's own terms: %s\n", strings.Join(terms, "; "))
	}
	if j.AsOf != nil {
		fmt.Fprintf(w, "as of %s\n", j.AsOf.Format("2006-01-02 15:04 MST"))
	}
	if j.KnownAt != nil {
		fmt.Fprintf(w, "as known at %s\n", j.KnownAt.Format("2006-01-02 15:04 MST"))
	}
	if len(j.Findings) > 0 {
		fmt.Fprintln(w, "\nfindings:")
		for _, fd := range j.Findings {
			fmt.Fprintf(w, "  %d. %-15s %s\n", fd.No, fd.Area, safe(fd.Text))
			if fd.Result != "" {
				fmt.Fprintf(w, "     result (%s): %s\n", fd.ResultOn, safe(fd.Result))
			}
			for _, at := range j.Attachments {
				if at.Finding != fd.No {
					continue
				}
				fmt.Fprintf(w, "     attachment %d (붙임 %d, %s): %s", at.No, at.No+1, at.AddedOn, safe(at.What))
				if at.File != "" {
					fmt.Fprintf(w, "  [%s, %d bytes, sha256 %s]", safe(at.File), *at.Size, at.SHA256)
				}
				fmt.Fprintln(w)
			}
		}
	}
	fmt.Fprintln(w, "\ndeliverables:")
	tw := &table{indent: "  "}
	tw.row("KIND", "INCIDENT", "DUE", "SUBMITTED", "STATUS")
	for _, d := range j.Deliverables {
		inc := "-"
		if d.Incident != nil {
			inc = fmt.Sprintf("#%d", *d.Incident)
		}
		due := d.Due
		if !d.dateOnly {
			due = d.DueAt.Format("2006-01-02 15:04 MST")
		}
		sub := "-"
		if d.Submitted != nil {
			sub = d.Submitted.String()
		}
		if d.SubmittedAt != nil {
			sub = d.SubmittedAt.Format("2006-01-02 15:04 MST")
		}
		if d.FiledOn != nil {
			sub += " (filed " + d.FiledOn.String() + ")"
		}
		tw.row(d.Kind, inc, due, sub, d.Status)
	}
	return tw.write(w)
}

func newOrderListCmd(f *factory, runF func(*orderListOptions) error) *cobra.Command {
	o := &orderListOptions{f: f}
	return &cobra.Command{
		Use:   "list",
		Short: "List orders",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
}

type orderListOptions struct {
	parsed
	f *factory
}

func (o *orderListOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	os, err := s.Orders(o.ctx)
	if err != nil {
		return err
	}
	tw := &table{}
	tw.row("ID", "REGIME", "RECEIVED", "INCIDENTS", "REFERENCE")
	for _, ord := range os {
		tw.row(fmt.Sprint(ord.ID), ord.Regime, ord.ReceivedText(), joinIDs(ord.Incidents), ord.Reference)
	}
	return tw.write(o.f.out)
}
