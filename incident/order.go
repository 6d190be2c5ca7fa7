package incident

import (
	"fmt"
	"strings"
	"time"
)

// Order is a regulatory order: an authority's demand, under a regime, for
// deliverables about one or more incidents.
type Order struct {
	ID        int64
	Regime    string
	Authority string
	Reference string
	// Received is when the order arrived, as local wall-clock time in the
	// regime's zone. ReceivedClock is "HH:MM", or "" when only the day is
	// known (the common case: the day is not then counted, Civil Act 157).
	Received      Date
	ReceivedClock string
	Incidents     []int64
	// Findings are numbered within the order, in the order they were
	// recorded; Attachments (붙임) too, each under one finding.
	Findings    []Finding
	Attachments []Attachment
	// Submitted maps a deliverable kind to the day it was handed in;
	// Numbers to the document number it was given (under the
	// organisation's scheme, when it has one).
	Submitted map[string]Date
	// SubmittedAt is the moment of a submission, where it is known.
	SubmittedAt map[string]time.Time
	Numbers     map[string]string
	// Terms are the order's own periods for deliverables from its
	// receipt, over the regime's: the May 2024 order gave 1 and 3 months,
	// another order may give 2 weeks or a day.
	Terms   map[string]Term
	Created time.Time
	// Archived maps "kind.format" (correction-report.pdf) to the SHA-256
	// of the document archived when that deliverable was submitted.
	Archived map[string]string
	// English holds the findings' English texts, by finding.N.
	English English
}

// Finding is one thing the authority found in an area, numbered within
// its order, with the result of carrying out its measures (이행 결과) once
// that is written, and the day it was complete.
type Finding struct {
	No       int    `json:"no"`
	Area     Area   `json:"area"`
	Text     string `json:"text"`
	Result   string `json:"result,omitempty"`
	ResultOn *Date  `json:"result_on,omitempty"`
}

// Attachment is a numbered piece of evidence (붙임) for a finding: what it
// is and, when a file was given, the file's name, size and SHA-256, so the
// file handed in can be shown to be the one recorded.
type Attachment struct {
	No      int    `json:"no"`
	Finding int    `json:"finding"`
	What    string `json:"what"`
	File    string `json:"file,omitempty"`
	Size    *int64 `json:"size,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
	AddedOn Date   `json:"added_on"`
}

// Term is an order's own time for a deliverable: a period from receipt
// (Within: "1m" months, "14d" days), counted by the regime's rule, or a
// day (Due).
type Term struct {
	Within string `json:"within,omitempty"`
	Due    *Date  `json:"due,omitempty"`
}

// ParseWithin reads a period: N months ("1m") or N days ("30d").
func ParseWithin(field, s string) (months, days int, err error) {
	v := strings.ToLower(strings.TrimSpace(s))
	var n int
	var unit string
	if _, e := fmt.Sscanf(v, "%d%s", &n, &unit); e != nil || n <= 0 || n > 120 || (unit != "m" && unit != "d") || fmt.Sprintf("%d%s", n, unit) != v {
		return 0, 0, invalid(field, "%q is not a period; accepted: N months as Nm (1m, 3m) or N days as Nd (14d), 1 to 120", Printable(s))
	}
	if unit == "m" {
		return n, 0, nil
	}
	return 0, n, nil
}

// checkTerms refuses a term for a deliverable the regime does not run
// from the order's receipt, a period that does not read, and a day before
// the receipt.
func (o *Order) checkTerms(r *Regime) error {
	for kind, t := range o.Terms {
		spec, err := r.Spec(kind)
		if err != nil {
			return err
		}
		if spec.From != "order-received" {
			return invalid("term", "%s runs from %s, not from the order's receipt; an order sets no period for it", kind, spec.From)
		}
		if (t.Within == "") == (t.Due == nil) {
			return invalid("term", "%s: give a period or a day, one of them", kind)
		}
		if t.Within != "" {
			if _, _, err := ParseWithin("within", t.Within); err != nil {
				return err
			}
		}
		if t.Due != nil && t.Due.Before(o.Received) {
			return invalid("due", "%s: %s is before the order was received (%s)", kind, t.Due, o.Received)
		}
	}
	return nil
}

// ParseReceived reads "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (also with T).
func ParseReceived(s string) (Date, string, error) {
	v := strings.TrimSpace(s)
	if d, err := ParseDate("received", v); err == nil {
		return d, "", nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			return DateOf(t, time.UTC), t.Format("15:04"), nil
		}
	}
	return Date{}, "", invalid("received", "%q is not a date; accepted: YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (in the regime's zone)", s)
}

// ReceivedText is the receipt as stored and shown: day, and clock if known.
func (o *Order) ReceivedText() string {
	if o.ReceivedClock == "" {
		return o.Received.String()
	}
	return o.Received.String() + "T" + o.ReceivedClock
}

// FindingNo returns finding no, or nil.
func (o *Order) FindingNo(no int) *Finding {
	for i := range o.Findings {
		if o.Findings[i].No == no {
			return &o.Findings[i]
		}
	}
	return nil
}

// Validate checks the order's own fields; the regime is checked against the
// known regimes by the store.
func (o *Order) Validate() error {
	if strings.TrimSpace(o.Regime) == "" {
		return invalid("regime", "must not be empty")
	}
	if err := checkTexts(textField{"authority", o.Authority, MaxName}, textField{"reference", o.Reference, MaxName},
		textField{"regime", o.Regime, MaxName}); err != nil {
		return err
	}
	if o.Received.IsZero() {
		return invalid("received", "a date is required (YYYY-MM-DD)")
	}
	if o.ReceivedClock != "" {
		if _, err := time.Parse("15:04", o.ReceivedClock); err != nil {
			return invalid("received", "clock %q is not HH:MM", o.ReceivedClock)
		}
	}
	if len(o.Incidents) == 0 {
		return invalid("incidents", "an order covers at least one incident id")
	}
	keys := make([]string, 0, 2*len(o.Findings))
	for _, f := range o.Findings {
		keys = append(keys, findingKey(f.No), resultKey(f.No))
	}
	if err := o.English.check(keys); err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, f := range o.Findings {
		if f.No <= 0 || seen[f.No] {
			return invalid("finding", "number %d: findings are numbered 1, 2, 3, ... once each", f.No)
		}
		seen[f.No] = true
		if _, err := ParseArea(string(f.Area)); err != nil {
			return err
		}
		if strings.TrimSpace(f.Text) == "" {
			return invalid("finding", "finding %d: must not be empty", f.No)
		}
		if err := checkTexts(textField{"finding", f.Text, MaxText}, textField{"result", f.Result, MaxProse}); err != nil {
			return err
		}
		if f.ResultOn != nil && f.Result == "" {
			return invalid("result", "finding %d: a completion date needs the result it completes", f.No)
		}
	}
	atts := map[int]bool{}
	for _, a := range o.Attachments {
		if a.No <= 0 || atts[a.No] {
			return invalid("attachment", "number %d: attachments are numbered 1, 2, 3, ... once each", a.No)
		}
		atts[a.No] = true
		if !seen[a.Finding] {
			return invalid("attachment", "attachment %d: the order has no finding %d", a.No, a.Finding)
		}
		if strings.TrimSpace(a.What) == "" {
			return invalid("attachment", "attachment %d: what it is must be said", a.No)
		}
		if err := checkTexts(textField{"attachment", a.What, MaxText}, textField{"file", a.File, MaxName}); err != nil {
			return err
		}
		if a.SHA256 != "" && !isSHA256(a.SHA256) {
			return invalid("sha256", "attachment %d: %q is not a SHA-256 (64 hex digits)", a.No, a.SHA256)
		}
		if a.AddedOn.IsZero() {
			return invalid("attachment", "attachment %d: the day it was added is required", a.No)
		}
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// FindingsIn lists the order's findings in area, by number.
func (o *Order) FindingsIn(area Area) []Finding {
	return keep(o.Findings, func(f Finding) bool { return f.Area == area })
}

// AttachmentsOf lists finding no's attachments, by number.
func (o *Order) AttachmentsOf(no int) []Attachment {
	return keep(o.Attachments, func(a Attachment) bool { return a.Finding == no })
}

// keep is the items of all that ok keeps, in order.
func keep[T any](all []T, ok func(T) bool) []T {
	var out []T
	for _, x := range all {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// String names the order for messages.
func (o *Order) String() string { return fmt.Sprintf("order %d (%s)", o.ID, o.Regime) }

// validateAt checks the days the order records against the clock: the
// receipt and the submissions happened, and no submission came before the
// receipt.
func (o *Order) validateAt(now time.Time) error {
	if err := happenedOn("received", &o.Received, now); err != nil {
		return err
	}
	for kind, d := range o.Submitted {
		if err := o.checkSubmission(kind, d, now); err != nil {
			return err
		}
	}
	for kind, at := range o.SubmittedAt {
		if _, ok := o.Submitted[kind]; !ok {
			return invalid("submitted_at", "%s has a time but no day of submission", Printable(kind))
		}
		if err := happened("submitted_at", &at, now); err != nil {
			return err
		}
	}
	for _, f := range o.Findings {
		if err := o.checkDay("result-on", f.ResultOn, now); err != nil {
			return err
		}
	}
	for _, a := range o.Attachments {
		if err := o.checkDay("on", &a.AddedOn, now); err != nil {
			return err
		}
	}
	return nil
}

// checkDay checks a day the order's work records: it happened, and not
// before the order was received.
func (o *Order) checkDay(field string, d *Date, now time.Time) error {
	if d == nil {
		return nil
	}
	if err := happenedOn(field, d, now); err != nil {
		return err
	}
	if d.Before(o.Received) {
		return invalid(field, "%s is before the order was received (%s); work on it comes after", d, o.Received)
	}
	return nil
}

func (o *Order) checkSubmission(kind string, d Date, now time.Time) error {
	if err := happenedOn("at", &d, now); err != nil {
		return err
	}
	if _, perIncident := splitKey(kind); !perIncident && d.Before(o.Received) {
		return invalid("at", "%s is before the order was received (%s); %s can only be submitted after it", d, o.Received, kind)
	}
	return nil
}
