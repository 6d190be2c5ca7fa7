package report

import (
	"fmt"
	"io"
	"math"

	"github.com/postmortem/postmortem/incident"
)

// OrderData is what the plan and correction templates see.
type OrderData struct {
	O       *incident.Order
	Regime  *incident.Regime
	Covered []Covered
	// Due holds the order's own deliverables by kind (per-incident duties
	// are left out: the plan and the report answer the order itself).
	Due map[string]incident.Deadline
	// Areas lists the six areas in the ministry's order, then "other" when
	// anything is filed under it.
	Areas   []AreaData
	Overall Progress
	// Late lists measures past their due date: done after it, or still
	// open at the document date.
	Late []incident.Action
	Doc  DocInfo
}

// Covered is one incident the order covers, with its figures.
type Covered struct {
	I       *incident.Incident
	Figures incident.Figures
}

// AreaData is one regulatory area: the finding and the measures.
type AreaData struct {
	Area     incident.Area
	Finding  string
	Measures []incident.Action
	Progress Progress
}

// Progress counts measures: done out of those not dropped.
type Progress struct {
	Done, Dropped, Total int
}

// Rate is the share done, in whole percent, of the measures not dropped;
// 0 when there are none.
func (p Progress) Rate() int {
	if n := p.Total - p.Dropped; n > 0 {
		return int(math.Round(float64(p.Done) * 100 / float64(n)))
	}
	return 0
}

func (p *Progress) add(a incident.Action) {
	p.Total++
	switch a.Status {
	case incident.ActionDone:
		p.Done++
	case incident.ActionDropped:
		p.Dropped++
	}
}

// orderData assembles the view of an order: actions are those filed under
// the order and those of the incidents it covers.
func (r *Renderer) orderData(o *incident.Order, reg *incident.Regime, covered []incident.Incident, actions []incident.Action) *OrderData {
	d := &OrderData{O: o, Regime: reg, Due: map[string]incident.Deadline{}, Doc: DocInfo{Date: r.cfg.now, Version: r.cfg.now.In(r.cfg.loc).Format("2006-01-02")}}
	for i := range covered {
		d.Covered = append(d.Covered, Covered{I: &covered[i], Figures: covered[i].Figures()})
	}
	for _, dl := range reg.Deadlines(o, covered) {
		if dl.IncidentID == 0 {
			d.Due[dl.Kind] = dl
		}
	}
	today := incident.DateOf(r.cfg.now, r.cfg.loc)
	d.Areas = make([]AreaData, len(incident.Areas))
	index := map[incident.Area]int{}
	for i, a := range incident.Areas {
		d.Areas[i] = AreaData{Area: a, Finding: o.Finding(a)}
		index[a] = i
	}
	for _, a := range actions {
		ad := &d.Areas[index[a.Area]]
		ad.Measures = append(ad.Measures, a)
		ad.Progress.add(a)
		d.Overall.add(a)
		if (a.DoneOn != nil && a.DoneOn.After(a.Due)) || (!a.Closed() && today.After(a.Due)) {
			d.Late = append(d.Late, a)
		}
	}
	if other := d.Areas[len(d.Areas)-1]; other.Finding == "" && len(other.Measures) == 0 {
		d.Areas = d.Areas[:len(d.Areas)-1]
	}
	return d
}

// Plan writes the improvement action plan for an order.
func (r *Renderer) Plan(w io.Writer, f Format, o *incident.Order, reg *incident.Regime, covered []incident.Incident, actions []incident.Action) error {
	d := r.orderData(o, reg, covered, actions)
	return r.render(w, f, "plan", d, docMeta{Title: orderTitle(r.cfg.lang, "plan", o), Ref: orderRef(o)})
}

// Correction writes the correction results report for an order.
func (r *Renderer) Correction(w io.Writer, f Format, o *incident.Order, reg *incident.Regime, covered []incident.Incident, actions []incident.Action) error {
	d := r.orderData(o, reg, covered, actions)
	return r.render(w, f, "correction", d, docMeta{Title: orderTitle(r.cfg.lang, "correction", o), Ref: orderRef(o)})
}

func orderTitle(lang, kind string, o *incident.Order) string {
	return word(lang, "title."+kind) + " — " + o.Authority
}

func orderRef(o *incident.Order) string {
	if o.Reference != "" {
		return o.Reference
	}
	return fmt.Sprintf("order %d", o.ID)
}
