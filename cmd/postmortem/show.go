package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type showOptions struct {
	parsed
	idArg  string
	f      *factory
	asJSON bool
	point  pointFlags
}

func newShowCmd(f *factory, runF func(*showOptions) error) *cobra.Command {
	o := &showOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "Show an incident with its timeline and derived figures",
		Args:  args(1, 1, "an incident id"),
		RunE:  runE(o, func(a []string) { o.idArg = a[0] }, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	o.point.register(cmd, false)
	return cmd
}

// showJSON is the incident record plus the figures derived from it.
type showJSON struct {
	incident.IncidentRecord
	DurationMinutes       *int64       `json:"duration_minutes"`
	DurationExact         *float64     `json:"duration_minutes_exact"`
	TimeToDetectMinutes   *int64       `json:"time_to_detect_minutes"`
	TimeToMitigateMinutes *int64       `json:"time_to_mitigate_minutes"`
	TimeToResolveMinutes  *int64       `json:"time_to_resolve_minutes"`
	UserMinutes           *float64     `json:"user_minutes"`
	Actions               []actionJSON `json:"actions"`
	// RelatedIncidents are the incidents linked either way.
	RelatedIncidents []relatedJSON `json:"related_incidents"`
	AsOf             *time.Time    `json:"as_of,omitempty"`
	KnownAt          *time.Time    `json:"known_at,omitempty"`
	HistoryHead      string        `json:"history_head"`
	// Version is the incident's, for set --if-version (the live record's).
	Version int64      `json:"version,omitempty"`
	Duties  []dutyJSON `json:"duties"`
	// FirstNoticeMinutes is how long after the start the first notice to
	// users went out.
	FirstNoticeMinutes *int64 `json:"first_notice_minutes"`
}

type relatedJSON struct {
	ID     int64           `json:"id"`
	Title  string          `json:"title"`
	Status incident.Status `json:"status"`
}

type actionJSON struct {
	ID         int64                 `json:"id"`
	Area       incident.Area         `json:"area"`
	Text       string                `json:"text"`
	Owner      string                `json:"owner"`
	Due        incident.Date         `json:"due"`
	Status     incident.ActionStatus `json:"status"`
	Evidence   string                `json:"evidence"`
	EvidenceOn *incident.Date        `json:"evidence_on"`
	DoneOn     *incident.Date        `json:"done_on"`
}

func wholeMinutes(d *time.Duration) *int64 {
	if d == nil {
		return nil
	}
	m := incident.WholeMinutes(*d)
	return &m
}

func (o *showOptions) run() error {
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	pt, err := o.f.point(o.point)
	if err != nil {
		return err
	}
	v, err := o.f.Postmortem(o.ctx, o.idArg, pt)
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeJSON(o.f.out, incidentJSON(v, loc))
	}
	return writeIncidentText(o.f.out, v, loc, o.f.now())
}

func incidentJSON(v *incident.PostmortemView, loc *time.Location) showJSON {
	in, fig := v.Incident, v.Figures
	j := showJSON{
		IncidentRecord:        in.Record(loc),
		DurationMinutes:       wholeMinutes(fig.Outage),
		TimeToDetectMinutes:   wholeMinutes(fig.TimeToDetect),
		TimeToMitigateMinutes: wholeMinutes(fig.TimeToMitigate),
		TimeToResolveMinutes:  wholeMinutes(fig.TimeToResolve),
		UserMinutes:           fig.UserMinutes,
		Actions:               []actionJSON{},
		RelatedIncidents:      []relatedJSON{},
		AsOf:                  timePtr(v.Point.AsOf, loc),
		KnownAt:               timePtr(v.Point.KnownAt, loc),
		HistoryHead:           v.Head,
		Version:               in.Version,
		Duties:                []dutyJSON{},
		FirstNoticeMinutes:    wholeMinutes(v.FirstNoticeDelay()),
	}
	for _, d := range v.Duties {
		j.Duties = append(j.Duties, toDutyJSON(d, v.JudgedAt, loc))
	}
	for _, r := range v.Related {
		j.RelatedIncidents = append(j.RelatedIncidents, relatedJSON{ID: r.ID, Title: r.Title, Status: r.Status})
	}
	if fig.Outage != nil {
		x := incident.ExactMinutes(*fig.Outage)
		j.DurationExact = &x
	}
	for _, a := range in.Actions {
		j.Actions = append(j.Actions, actionJSON{ID: a.ID, Area: a.Area, Text: a.Text, Owner: a.Owner, Due: a.Due, Status: a.Status,
			Evidence: a.Evidence, EvidenceOn: a.EvidenceOn, DoneOn: a.DoneOn})
	}
	return j
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

const showTime = "2006-01-02 15:04 MST"

func fmtOpt(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "-"
	}
	return t.In(loc).Format(showTime)
}

func fmtDur(d *time.Duration) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprintf("%d min", incident.WholeMinutes(*d))
}

func writeIncidentText(w io.Writer, v *incident.PostmortemView, loc *time.Location, now time.Time) error {
	in, fig := v.Incident, v.Figures
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	safe := incident.Printable
	fmt.Fprintf(tw, "#%d\t%s\n", in.ID, safe(in.Title))
	if !v.Point.AsOf.IsZero() {
		fmt.Fprintf(tw, "as of\t%s\n", v.Point.AsOf.In(loc).Format(showTime))
		now = v.Point.AsOf
	}
	if !v.Point.KnownAt.IsZero() {
		fmt.Fprintf(tw, "known at\t%s\n", v.Point.KnownAt.In(loc).Format(showTime))
	}
	fmt.Fprintf(tw, "status\t%s, %s\n", in.Shown(), in.Severity)
	if in.ClosedAs != "" {
		of := ""
		if in.DuplicateOf != nil {
			of = fmt.Sprintf(" of #%d", *in.DuplicateOf)
		}
		fmt.Fprintf(tw, "closed\t%s%s at %s: no outage, counted in no figure\n", in.ClosedAs, of, in.ClosedAt.In(loc).Format(showTime))
	}
	fmt.Fprintf(tw, "services\t%s\n", safe(orDash(strings.Join(in.Services, ", "))))
	for _, row := range []struct {
		name string
		t    *time.Time
	}{{"started", in.StartedAt}, {"detected", in.DetectedAt}, {"acknowledged", in.AcknowledgedAt}, {"mitigated", in.MitigatedAt}, {"resolved", in.ResolvedAt}} {
		fmt.Fprintf(tw, "%s\t%s\n", row.name, fmtOpt(row.t, loc))
	}
	// The moments a law's clock runs from, when recorded.
	for _, row := range []struct {
		name string
		t    *time.Time
	}{{"classified", in.ClassifiedAt}, {"material", in.MaterialAt}} {
		if row.t != nil {
			fmt.Fprintf(tw, "%s\t%s\n", row.name, fmtOpt(row.t, loc))
		}
	}
	if fig.Outage != nil {
		fmt.Fprintf(tw, "duration\t%s\n", fmtDur(fig.Outage))
	} else if in.StartedAt != nil {
		fmt.Fprintf(tw, "running for\t%s\n", in.Elapsed(now).Round(time.Second))
	}
	fmt.Fprintf(tw, "to detect\t%s\n", fmtDur(fig.TimeToDetect))
	fmt.Fprintf(tw, "to mitigate\t%s\n", fmtDur(fig.TimeToMitigate))
	fmt.Fprintf(tw, "to resolve\t%s\n", fmtDur(fig.TimeToResolve))
	if in.UsersAffectedPct != nil {
		fmt.Fprintf(tw, "users affected\t%g %%\n", *in.UsersAffectedPct)
	}
	for _, row := range [][2]string{{"symptoms", in.Symptoms}, {"cause", in.Cause}, {"trigger", in.Trigger}} {
		if row[1] != "" {
			fmt.Fprintf(tw, "%s\t%s\n", row[0], safe(row[1]))
		}
	}
	if len(v.Related) > 0 {
		ids := make([]int64, len(v.Related))
		for i, r := range v.Related {
			ids[i] = r.ID
		}
		fmt.Fprintf(tw, "related\t%s\n", joinIDs(ids))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(in.RecoverySteps) > 0 {
		fmt.Fprintln(w, "\nrecovery:")
		for i, s := range in.RecoverySteps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, safe(s))
		}
	}
	fmt.Fprintln(w, "\ntimeline:")
	if len(in.Timeline) == 0 {
		fmt.Fprintln(w, "  (no events yet)")
	}
	for _, e := range in.Timeline {
		text := e.Text
		if e.Kind == incident.KindSystem {
			text = "· " + text
		}
		if e.Notice != "" {
			text = fmt.Sprintf("[notice to %s] %s", e.Notice, text)
		}
		if e.Retracted() {
			text = fmt.Sprintf("[retracted: %s] %s", e.RetractReason, text)
		}
		fmt.Fprintf(w, "  %5d  %s  %-8s %s\n", e.ID, e.At.In(loc).Format("2006-01-02 15:04:05"), e.Kind, safe(text))
	}
	if v.Head != "" {
		defer fmt.Fprintf(w, "\nhistory head %s\n", v.Head)
	}
	if len(v.Duties) > 0 {
		fmt.Fprintln(w, "\nduties:")
		writeDuties(w, v.Duties, v.JudgedAt, loc, "  ")
		if d := v.FirstNoticeDelay(); d != nil {
			fmt.Fprintf(w, "  first notice to users %s after the start\n", fmtDur(d))
		}
	}
	if len(in.Actions) > 0 {
		fmt.Fprintln(w, "\nactions:")
		tw := &table{indent: "  "}
		for _, a := range in.Actions {
			tw.row("#"+strconv.FormatInt(a.ID, 10), a.Due.String(), string(a.Status), string(a.Area), a.Owner, a.Text)
		}
		return tw.write(w)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprintf("#%d", id)
	}
	return strings.Join(s, ", ")
}
