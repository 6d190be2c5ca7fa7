package incident

import (
	"fmt"
	"sort"
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
	Findings      []Finding
	// Submitted maps a deliverable kind to the day it was handed in;
	// Numbers to the document number it was given (under the
	// organisation's scheme, when it has one).
	Submitted map[string]Date
	Numbers   map[string]string
	Created   time.Time
}

// Finding is what the authority found in one area.
type Finding struct {
	Area Area   `json:"area"`
	Text string `json:"text"`
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

// Finding returns the finding text for area, or "".
func (o *Order) Finding(area Area) string {
	for _, f := range o.Findings {
		if f.Area == area {
			return f.Text
		}
	}
	return ""
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
	for _, f := range o.Findings {
		if _, err := ParseArea(string(f.Area)); err != nil {
			return err
		}
		if err := checkText("finding", f.Text, MaxText); err != nil {
			return err
		}
	}
	return nil
}

// sortFindings orders findings as Areas lists them.
func sortFindings(fs []Finding) {
	rank := func(a Area) int {
		for i, x := range Areas {
			if x == a {
				return i
			}
		}
		return len(Areas)
	}
	sort.SliceStable(fs, func(i, j int) bool { return rank(fs[i].Area) < rank(fs[j].Area) })
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
