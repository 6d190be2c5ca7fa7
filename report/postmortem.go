package report

import (
	"fmt"
	"io"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// PostmortemData is what the postmortem template sees.
type PostmortemData struct {
	I       *incident.Incident
	Figures incident.Figures
	// Related are the linked incidents (either way), for their titles and
	// dates.
	Related []incident.Incident
	Doc     DocInfo
	// Notices are the notices sent to users and about compensation, oldest
	// first; FirstNotice how long after the start the first to users went.
	Notices     []incident.Event
	FirstNotice *time.Duration
	// Duties are the incident's own duties under the regimes binding it.
	Duties   []incident.Duty
	JudgedAt time.Time
}

// DocInfo is the title block's furniture.
type DocInfo struct {
	Date    time.Time // the document date
	Version string    // the record's revision: when it, its timeline or its measures last changed
	// AsOf and KnownAt are the state the document shows (zero: now, and
	// everything recorded); Head is that state's place on the history chain.
	AsOf    *time.Time
	KnownAt *time.Time
	Head    string
}

func (r *Renderer) docInfo(p incident.Point, head, version string) DocInfo {
	d := DocInfo{Date: r.cfg.now, Head: head, Version: version}
	if !p.AsOf.IsZero() {
		t := p.AsOf
		d.AsOf = &t
	}
	if !p.KnownAt.IsZero() {
		t := p.KnownAt
		d.KnownAt = &t
	}
	return d
}

// Postmortem writes the postmortem of the incident v shows.
func (r *Renderer) Postmortem(w io.Writer, f Format, v *incident.PostmortemView) error {
	v = v.In(r.cfg.lang)
	in := v.Incident
	version := ""
	if !v.Version.IsZero() && !v.Version.After(r.cfg.now) {
		// A record changed after the document's date (entered later,
		// say) has no version the document could show without
		// contradicting its date; the history head on the last page
		// still names the state it shows.
		version = docWhen(r.cfg.lang, r.cfg.loc, v.Version)
	}
	d := PostmortemData{I: in, Figures: v.Figures, Related: v.Related, Doc: r.docInfo(v.Point, v.Head, version),
		Notices: v.Notices(), FirstNotice: v.FirstNoticeDelay(), Duties: v.Duties}
	d.JudgedAt = v.JudgedAt
	meta := docMeta{Title: in.Title, Ref: fmt.Sprintf(word(r.cfg.lang, "ref"), in.ID), Head: v.Head, Seal: r.sealLine(v.Seal)}
	return r.render(w, f, "postmortem", d, meta)
}
