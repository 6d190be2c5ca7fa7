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
	// Related are the linked incidents, whole, for their titles and dates.
	Related []incident.Incident
	Doc     DocInfo
}

// DocInfo is the title block's furniture.
type DocInfo struct {
	Date    time.Time // the document date
	Version string    // the record's revision: when it, or its timeline, last changed
}

// Postmortem writes the postmortem of in. related holds the incidents it
// links to (those not found are shown by id alone).
func (r *Renderer) Postmortem(w io.Writer, f Format, in *incident.Incident, related []incident.Incident) error {
	rev := in.UpdatedAt
	for _, e := range in.Timeline {
		if e.RecordedAt.After(rev) {
			rev = e.RecordedAt
		}
	}
	d := PostmortemData{
		I: in, Figures: in.Figures(), Related: related,
		Doc: DocInfo{Date: r.cfg.now, Version: rev.In(r.cfg.loc).Format("2006-01-02 15:04")},
	}
	meta := docMeta{Title: in.Title, Ref: fmt.Sprintf("#%d", in.ID)}
	return r.render(w, f, "postmortem", d, meta)
}
