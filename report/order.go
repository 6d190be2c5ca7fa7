package report

import (
	"fmt"
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
}

func (r *Renderer) orderData(v *incident.OrderView) *OrderData {
	d := &OrderData{O: v.Order, Regime: v.Regime, Covered: v.Covered, Due: map[string]incident.Deadline{},
		Areas: v.Areas, Overall: v.Overall, Late: v.Late, Doc: r.docInfo(v.Point, v.Head, r.cfg.now.In(r.cfg.loc).Format("2006-01-02"))}
	for _, dl := range v.Deadlines {
		if dl.IncidentID == 0 {
			d.Due[dl.Kind] = dl
		}
	}
	return d
}

// Plan writes the improvement action plan for the order v shows.
func (r *Renderer) Plan(w io.Writer, f Format, v *incident.OrderView) error {
	return r.render(w, f, "plan", r.orderData(v), docMeta{Title: orderTitle(r.cfg.lang, "plan", v.Order), Ref: orderRef(v.Order), Head: v.Head})
}

// Correction writes the correction results report for the order v shows.
func (r *Renderer) Correction(w io.Writer, f Format, v *incident.OrderView) error {
	return r.render(w, f, "correction", r.orderData(v), docMeta{Title: orderTitle(r.cfg.lang, "correction", v.Order), Ref: orderRef(v.Order), Head: v.Head})
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
