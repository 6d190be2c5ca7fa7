package report

import (
	"cmp"
	"slices"
	"strings"

	"io"

	"github.com/postmortem/postmortem/incident"
)

// OrderData is what the plan and correction templates see: the order's
// view, as the domain assembled it, and the document's furniture.
type OrderData struct {
	O       *incident.Order
	Regime  *incident.Regime
	Covered []incident.CoveredIncident
	// Due holds the order's own deliverables by kind (per-incident duties
	// are left out: the plan and the report answer the order itself).
	Due     map[string]incident.Deadline
	Areas   []incident.AreaView
	Overall incident.Progress
	Late    []incident.Action
	Doc     DocInfo
	// Org is who submits; Number the document number this deliverable
	// was given when submitted ("" before); Basis the provision the
	// order rests on, in the document's language.
	Org    *incident.Org
	Number string
	// Mark is "" on the submission, else "draft" or "copy" (참고용 사본).
	Mark  string
	Basis string
	// Authority and Addressee are the authority and the head of it the
	// document is addressed to, in the document's language; Handler the
	// unit that handles it (참조), if the regime names one; Reference the
	// order's reference as the 관련 line cites it after the authority (an
	// authority's name typed into it is not said twice).
	Authority, Addressee, Handler, Reference string
	// PlanSubmitted and PlanNumber say when the improvement plan was
	// handed in and under what number (the correction report cites them).
	PlanSubmitted *incident.Date
	PlanNumber    string
	// Withdrawn are the measures dropped, with their reasons; Open those
	// counted and not yet done (the next steps).
	Withdrawn, Open []incident.Action
	// Title is the document's title; Deliverable the deadline it meets
	// (the cover shows its due date).
	Title       string
	Deliverable incident.Deadline

	day incident.Date // the day the document speaks of
	// all are the order's measures by id: what No counts over.
	all []incident.Action
}

// Overdue reports whether measure a is past its due date, and any
// revised one, on the document's day and not done: the next steps must
// not promise a day already gone.
func (d *OrderData) Overdue(a incident.Action) bool {
	if a.Closed() {
		return false
	}
	due := a.Due
	if a.RevisedDue != nil {
		due = *a.RevisedDue
	}
	return d.day.After(due)
}

func (r *Renderer) orderData(v *incident.OrderView, kind string) *OrderData {
	d := &OrderData{O: v.Order, Regime: v.Regime, Covered: v.Covered, Due: map[string]incident.Deadline{},
		Areas: v.Areas, Overall: v.Overall, Late: v.Late, Doc: r.docInfo(v.Point, v.Head, r.cfg.now.In(r.cfg.loc).Format("2006-01-02")),
		Org: v.Org, Basis: v.Regime.Basis[r.cfg.lang]}
	d.Number, d.Mark = r.numbering(v.Order, kind)
	if d.Org == nil {
		d.Org = &incident.Org{}
	}
	d.Authority, d.Addressee = v.Order.Authority, v.Order.Authority
	if n := v.Regime.AuthorityName[r.cfg.lang]; n != "" {
		d.Authority = n
	}
	if n := v.Regime.Addressee[r.cfg.lang]; n != "" {
		d.Addressee = n
	}
	d.Handler = v.Regime.Handler[r.cfg.lang]
	d.Reference = strings.TrimSpace(v.Order.Reference)
	for _, name := range []string{d.Authority, v.Order.Authority} {
		if name != "" {
			d.Reference = strings.TrimSpace(strings.TrimPrefix(d.Reference, name))
		}
	}
	d.all = slices.Clone(v.Actions)
	slices.SortFunc(d.all, func(a, b incident.Action) int { return cmp.Compare(a.ID, b.ID) })
	for _, a := range v.Actions {
		switch a.Status {
		case incident.ActionDropped:
			d.Withdrawn = append(d.Withdrawn, a)
		case incident.ActionPlanned, incident.ActionInProgress:
			d.Open = append(d.Open, a)
		}
	}
	if on, ok := v.Order.Submitted["improvement-plan"]; ok {
		d.PlanSubmitted, d.PlanNumber = &on, v.Order.Numbers["improvement-plan"]
	}
	for _, dl := range v.Deadlines {
		if dl.IncidentID == 0 {
			d.Due[dl.Kind] = dl
		}
	}
	d.Deliverable = d.Due[kind]
	d.day = incident.DateOf(v.JudgedAt, r.cfg.loc)
	d.Title = word(r.cfg.lang, map[string]string{"improvement-plan": "title.plan", "correction-report": "title.correction"}[kind])
	return d
}

// No is the measure's number within the order, as every table of the
// document numbers it (조치 6), by the order it was recorded in: a
// measure named in one place can be found in another.
func (d *OrderData) No(a incident.Action) int {
	if i := slices.IndexFunc(d.all, func(x incident.Action) bool { return x.ID == a.ID }); i >= 0 {
		return i + 1
	}
	return 0
}

// numbering is the document number a rendering carries, and its mark: the
// submission carries its number; any other rendering none, marked a draft
// (not submitted yet) or a copy for reference (submitted: the document
// handed in is the archived one).
func (r *Renderer) numbering(o *incident.Order, kind string) (number, mark string) {
	_, submitted := o.Submitted[kind]
	switch {
	case r.cfg.submission:
		return o.Numbers[kind], ""
	case submitted:
		return "", "copy"
	}
	return "", "draft"
}

// Plan writes the improvement action plan for the order v shows.
func (r *Renderer) Plan(w io.Writer, f Format, v *incident.OrderView) error {
	v = v.In(r.cfg.lang)
	return r.render(w, f, "plan", r.orderData(v, "improvement-plan"), docMeta{Title: orderTitle(r.cfg.lang, "plan", v), Ref: r.orderRef(v.Order, "improvement-plan"), Head: v.Head, Seal: r.sealLine(v.Seal), Marking: marking(v)})
}

// Correction writes the correction results report for the order v shows.
func (r *Renderer) Correction(w io.Writer, f Format, v *incident.OrderView) error {
	v = v.In(r.cfg.lang)
	return r.render(w, f, "correction", r.orderData(v, "correction-report"), docMeta{Title: orderTitle(r.cfg.lang, "correction", v), Ref: r.orderRef(v.Order, "correction-report"), Head: v.Head, Seal: r.sealLine(v.Seal), Marking: marking(v)})
}

// marking is the organisation's security marking, for every page.
func marking(v *incident.OrderView) string {
	if v.Org == nil {
		return ""
	}
	return v.Org.Marking
}

// orderTitle heads every page: the document and who submits it (the
// organisation, once its profile is set; else the order's reference).
func orderTitle(lang, kind string, v *incident.OrderView) string {
	if v.Org != nil && v.Org.Name != "" {
		return word(lang, "title."+kind) + " — " + v.Org.Name
	}
	return word(lang, "title."+kind)
}

// orderRef is the right of the running header: the submission's own
// number; on a draft or a copy, the word that says which (the authority's
// reference, there, would read as the document's number).
func (r *Renderer) orderRef(o *incident.Order, kind string) string {
	n, mark := r.numbering(o, kind)
	if mark != "" {
		return word(r.cfg.lang, "mark."+mark)
	}
	return n
}
