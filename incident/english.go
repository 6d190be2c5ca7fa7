package incident

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// English is a record's English texts beside its Korean, by field: what a
// document in English shows in place of the Korean where one is given.
// The Korean stays the record's text; the English is its translation.
type English map[string]string

// The fields of each record that may hold an English text, with the limit
// of each (a name's, a title's, else a text's).
var (
	incidentEnglish = []string{"title", "symptoms", "cause", "trigger"}
	actionEnglish   = []string{"text", "owner", "evidence", "verify", "reason"}
	orgEnglish      = []string{"name", "representative", "department", "person", "address", "marking"}
)

// EnglishFields lists the fields of a record kind (incident, action, org)
// that may hold an English text, for help and messages.
func EnglishFields(kind string) []string {
	switch kind {
	case "incident":
		return incidentEnglish
	case "action":
		return actionEnglish
	case "org":
		return orgEnglish
	}
	return nil
}

func englishLimit(field string) int {
	switch {
	case field == "title":
		return MaxTitle
	case field == "evidence":
		return MaxProse
	case field == "owner" || slices.Contains(orgEnglish, field):
		return MaxName
	}
	return MaxText
}

// oneLine reports whether field is a name or a title: written on one line.
func oneLine(field string) bool {
	return field == "title" || field == "owner" || slices.Contains(orgEnglish, field)
}

// merge gives e with the texts of ch set in it (a field given "" is
// cleared), refusing a field not among accepted and text that is not
// printable text within the field's limit. e itself is not changed.
func (e English) merge(ch map[string]string, accepted []string) (English, error) {
	if len(ch) == 0 {
		return e, nil
	}
	out := maps.Clone(e)
	if out == nil {
		out = English{}
	}
	for field, text := range ch {
		if err := known(field, accepted); err != nil {
			return nil, err // clearing an unknown field too
		}
		if text = strings.TrimSpace(text); text == "" {
			delete(out, field)
		} else {
			out[field] = text
		}
	}
	if err := out.check(accepted); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// check refuses a field not among accepted and text that is not printable
// text within the field's limit (an imported record's, or one merged).
func (e English) check(accepted []string) error {
	for field, text := range e {
		if err := known(field, accepted); err != nil {
			return err
		}
		if err := checkEnglish(field, text); err != nil {
			return err
		}
	}
	return nil
}

// known refuses a field that has no English text.
func known(field string, accepted []string) error {
	if !slices.Contains(accepted, field) {
		return invalid("en", "%q has no English text; accepted: %s", Printable(field), strings.Join(accepted, ", "))
	}
	return nil
}

// checkEnglish refuses an English text that is not UTF-8, too long for
// its field, or holds control characters (a line break aside).
func checkEnglish(field, text string) error {
	if err := checkText("en "+field, text, englishLimit(field)); err != nil {
		return err
	}
	if oneLine(field) && strings.Contains(text, "\n") {
		return invalid("en "+field, "holds a line break; accepted: a name or a title on one line")
	}
	if p := Printable(strings.ReplaceAll(text, "\n", " ")); p != strings.ReplaceAll(text, "\n", " ") {
		return invalid("en "+field, "\"%s\" holds control characters; accepted: printable text", p)
	}
	return nil
}

// parseEnglish reads a stored object of English texts; "{}" is none.
func parseEnglish(what string, s string) (English, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var e English
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		return nil, fmt.Errorf("%s english texts: %w", what, err)
	}
	return e, nil
}

// findingKey is where an order keeps a finding's English text, resultKey
// the English of its result (이행 결과).
func findingKey(no int) string { return "finding." + strconv.Itoa(no) }
func resultKey(no int) string  { return "result." + strconv.Itoa(no) }

// over is the English text of field where one is given for a Korean text
// the document shows, else korean: a Korean text not shown (a reason not
// yet given on the document's day) has no English either.
func (e English) over(field, korean string) string {
	if t := e[field]; t != "" && korean != "" {
		return t
	}
	return korean
}

// inEnglish is the incident as a document in English shows it.
func (in *Incident) inEnglish() *Incident {
	if in == nil {
		return nil
	}
	c := *in
	c.Title = in.English.over("title", in.Title)
	c.Symptoms = in.English.over("symptoms", in.Symptoms)
	c.Cause = in.English.over("cause", in.Cause)
	c.Trigger = in.English.over("trigger", in.Trigger)
	c.Actions = actionsInEnglish(in.Actions)
	return &c
}

// inEnglish is the measure as a document in English shows it.
func (a Action) inEnglish() Action {
	a.Text = a.English.over("text", a.Text)
	a.Owner = a.English.over("owner", a.Owner)
	a.Evidence = a.English.over("evidence", a.Evidence)
	a.Verify = a.English.over("verify", a.Verify)
	a.Reason = a.English.over("reason", a.Reason)
	return a
}

func actionsInEnglish(as []Action) []Action {
	if as == nil {
		return nil
	}
	out := make([]Action, len(as))
	for i, a := range as {
		out[i] = a.inEnglish()
	}
	return out
}

// inEnglish is the profile as a document in English shows it.
func (o *Org) inEnglish() *Org {
	if o == nil || len(o.English) == 0 {
		return o
	}
	c := *o
	for _, f := range c.fields() {
		if slices.Contains(orgEnglish, f.name) {
			*f.v = o.English.over(f.name, *f.v)
		}
	}
	return &c
}

// inEnglish is the order as a document in English shows it: its
// findings' texts.
func (o *Order) inEnglish() *Order {
	if o == nil || len(o.English) == 0 {
		return o
	}
	c := *o
	c.Findings = make([]Finding, len(o.Findings))
	for i, f := range o.Findings {
		c.Findings[i] = o.findingInEnglish(f)
	}
	return &c
}

func (o *Order) findingInEnglish(f Finding) Finding {
	f.Text = o.English.over(findingKey(f.No), f.Text)
	f.Result = o.English.over(resultKey(f.No), f.Result)
	return f
}

// In is the view as a document in lang shows it: in English, each
// record's English text in place of its Korean where one is given. The
// view itself is left as it was.
func (v *OrderView) In(lang string) *OrderView {
	if lang != "en" {
		return v
	}
	c := *v
	c.Order, c.Org = v.Order.inEnglish(), v.Org.inEnglish()
	c.Covered = make([]CoveredIncident, len(v.Covered))
	for i, ci := range v.Covered {
		c.Covered[i] = CoveredIncident{I: ci.I.inEnglish(), Figures: ci.Figures}
	}
	c.Actions, c.Late = actionsInEnglish(v.Actions), actionsInEnglish(v.Late)
	c.Areas = make([]AreaView, len(v.Areas))
	for i, a := range v.Areas {
		a.Measures, a.Unassigned = actionsInEnglish(a.Measures), actionsInEnglish(a.Unassigned)
		fs := make([]FindingView, len(a.Findings))
		for j, f := range a.Findings {
			f.Finding = v.Order.findingInEnglish(f.Finding)
			f.Measures = actionsInEnglish(f.Measures)
			fs[j] = f
		}
		a.Findings = fs
		c.Areas[i] = a
	}
	return &c
}

// In is the view as a document in lang shows it (see OrderView.In).
func (v *PostmortemView) In(lang string) *PostmortemView {
	if lang != "en" {
		return v
	}
	c := *v
	c.Incident = v.Incident.inEnglish()
	c.Related = make([]Incident, len(v.Related))
	for i := range v.Related {
		c.Related[i] = *v.Related[i].inEnglish()
	}
	return &c
}

// SetEnglish sets the incident's English texts as ch says (a field given
// "" is cleared); fields: EnglishFields("incident").
func (in *Incident) SetEnglish(ch map[string]string) (err error) {
	in.English, err = in.English.merge(ch, incidentEnglish)
	return err
}

// SetEnglish sets the measure's English texts as ch says (a field given
// "" is cleared); fields: EnglishFields("action").
func (a *Action) SetEnglish(ch map[string]string) (err error) {
	a.English, err = a.English.merge(ch, actionEnglish)
	return err
}
