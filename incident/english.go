package incident

import (
	"encoding/json"
	"fmt"
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

// merge gives e with the texts of ch set in it (a field given "" is
// cleared), refusing a field not among accepted and text that is not
// printable text within the field's limit. e itself is not changed.
func (e English) merge(ch map[string]string, accepted []string) (English, error) {
	if len(ch) == 0 {
		return e, nil
	}
	out := English{}
	for k, v := range e {
		out[k] = v
	}
	for field, text := range ch {
		if !slices.Contains(accepted, field) {
			return nil, invalid("en", "%q has no English text; accepted: %s", Printable(field), strings.Join(accepted, ", "))
		}
		text = strings.TrimSpace(text)
		if err := checkEnglish(field, text); err != nil {
			return nil, err
		}
		if text == "" {
			delete(out, field)
			continue
		}
		out[field] = text
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// check refuses texts an imported record brings that merge would have
// refused.
func (e English) check(accepted []string) error {
	for field, text := range e {
		if !slices.Contains(accepted, field) {
			return invalid("en", "%q has no English text; accepted: %s", Printable(field), strings.Join(accepted, ", "))
		}
		if err := checkEnglish(field, text); err != nil {
			return err
		}
	}
	return nil
}

// checkEnglish refuses an English text that is not UTF-8, too long for
// its field, or holds control characters (a line break aside).
func checkEnglish(field, text string) error {
	if err := checkText("en "+field, text, englishLimit(field)); err != nil {
		return err
	}
	if strings.Contains(text, "\n") && englishLimit(field) != MaxText {
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

// pick is the English text of field when lang is English and one is
// given for a Korean text the document shows, else korean.
func (e English) pick(lang, field, korean string) string {
	// A Korean text not shown (a reason not yet given on the document's
	// day) has no English either.
	if lang == "en" && korean != "" {
		if t := e[field]; t != "" {
			return t
		}
	}
	return korean
}

// in is the incident as a document in lang shows it.
func (in *Incident) in(lang string) *Incident {
	if in == nil {
		return nil
	}
	c := *in
	c.Title = in.English.pick(lang, "title", in.Title)
	c.Symptoms = in.English.pick(lang, "symptoms", in.Symptoms)
	c.Cause = in.English.pick(lang, "cause", in.Cause)
	c.Trigger = in.English.pick(lang, "trigger", in.Trigger)
	c.Actions = actionsIn(in.Actions, lang)
	return &c
}

// in is the measure as a document in lang shows it.
func (a Action) in(lang string) Action {
	a.Text = a.English.pick(lang, "text", a.Text)
	a.Owner = a.English.pick(lang, "owner", a.Owner)
	a.Evidence = a.English.pick(lang, "evidence", a.Evidence)
	a.Verify = a.English.pick(lang, "verify", a.Verify)
	a.Reason = a.English.pick(lang, "reason", a.Reason)
	return a
}

func actionsIn(as []Action, lang string) []Action {
	if as == nil {
		return nil
	}
	out := make([]Action, len(as))
	for i, a := range as {
		out[i] = a.in(lang)
	}
	return out
}

// in is the profile as a document in lang shows it.
func (o *Org) in(lang string) *Org {
	if o == nil || len(o.English) == 0 {
		return o
	}
	c := *o
	for _, f := range c.fields() {
		if slices.Contains(orgEnglish, f.name) {
			*f.v = o.English.pick(lang, f.name, *f.v)
		}
	}
	return &c
}

// in is the order as a document in lang shows it: its findings' texts.
func (o *Order) in(lang string) *Order {
	if o == nil || len(o.English) == 0 {
		return o
	}
	c := *o
	c.Findings = make([]Finding, len(o.Findings))
	for i, f := range o.Findings {
		c.Findings[i] = o.finding(f, lang)
	}
	return &c
}

func (o *Order) finding(f Finding, lang string) Finding {
	f.Text = o.English.pick(lang, findingKey(f.No), f.Text)
	f.Result = o.English.pick(lang, resultKey(f.No), f.Result)
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
	c.Order, c.Org = v.Order.in(lang), v.Org.in(lang)
	c.Covered = make([]CoveredIncident, len(v.Covered))
	for i, ci := range v.Covered {
		c.Covered[i] = CoveredIncident{I: ci.I.in(lang), Figures: ci.Figures}
	}
	c.Actions, c.Late = actionsIn(v.Actions, lang), actionsIn(v.Late, lang)
	c.Areas = make([]AreaView, len(v.Areas))
	for i, a := range v.Areas {
		a.Measures, a.Unassigned = actionsIn(a.Measures, lang), actionsIn(a.Unassigned, lang)
		fs := make([]FindingView, len(a.Findings))
		for j, f := range a.Findings {
			f.Finding = v.Order.finding(f.Finding, lang)
			f.Measures = actionsIn(f.Measures, lang)
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
	c.Incident = v.Incident.in(lang)
	c.Related = make([]Incident, len(v.Related))
	for i := range v.Related {
		c.Related[i] = *v.Related[i].in(lang)
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

// StyleNotes name the texts of the order's records that end as a sentence
// does, in the 합니다 or the 한다 style (…했습니다, …하였다), where a
// Korean report's sentences, and the texts it quotes, use noun endings
// (…함, …음, …임, …예정): one ending style throughout, as a reviewer reads
// it. Each says which record and field.
func (v *OrderView) StyleNotes() []string {
	var notes []string
	check := func(what, text string) {
		t := strings.TrimRight(strings.TrimSpace(text), ".")
		style := ""
		switch {
		case strings.HasSuffix(t, "니다") || strings.HasSuffix(t, "니까"):
			style = "the 합니다 style"
		case strings.HasSuffix(t, "다"):
			style = "the 한다 style"
		default:
			return
		}
		notes = append(notes, fmt.Sprintf("%s ends in %s (%q): write it with a noun ending (…함, …음, …임, …예정), as the report's own sentences are", what, style, tail(t)))
	}
	for _, ci := range v.Covered {
		check(fmt.Sprintf("incident %d's cause", ci.I.ID), ci.I.Cause)
		check(fmt.Sprintf("incident %d's symptoms", ci.I.ID), ci.I.Symptoms)
		check(fmt.Sprintf("incident %d's trigger", ci.I.ID), ci.I.Trigger)
	}
	for _, f := range v.Order.Findings {
		check(fmt.Sprintf("finding %d", f.No), f.Text)
		check(fmt.Sprintf("finding %d's result", f.No), f.Result)
	}
	for _, a := range v.Actions {
		check(fmt.Sprintf("measure %d", a.ID), a.Text)
		check(fmt.Sprintf("measure %d's reason", a.ID), a.Reason)
		check(fmt.Sprintf("measure %d's evidence", a.ID), a.Evidence)
		check(fmt.Sprintf("measure %d's 완료 확인 방법", a.ID), a.Verify)
	}
	return notes
}

// tail is the last few words of s, for a message.
func tail(s string) string {
	r := []rune(s)
	if len(r) > 12 {
		return "…" + string(r[len(r)-12:])
	}
	return s
}
