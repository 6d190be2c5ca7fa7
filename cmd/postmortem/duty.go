package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newDutyCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "duty",
		Short: "An incident's own duties (report to the authority, notice to users, ...): list them, mark one done or waived",
		Long: `An incident's duties run from its detection or resolution under each regime
that binds it: through its services in the catalogue (service set --regime),
or an order that covers it. A notice logged on the timeline meets the notice
duties (log ID --kind comms --notice users TEXT); duty done marks any other
met, with the record that meets it (--ref).`,
		Args: args(0, 0, "a subcommand: list, done or waive"),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDutyListCmd(f, nil), newDutyMarkCmd(f, false, nil), newDutyMarkCmd(f, true, nil))
	return cmd
}

// dutyArgs reads the incident argument and opens what duties need.
func dutyArgs(ctx context.Context, f *factory, arg string) (int64, *incident.Regimes, *incident.Store, error) {
	id, err := incident.ParseID("incident", arg)
	if err != nil {
		return 0, nil, nil, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return 0, nil, nil, err
	}
	s, err := f.Store(ctx)
	return id, rs, s, err
}

type dutyJSON struct {
	Incident int64      `json:"incident"`
	Regime   string     `json:"regime"`
	Kind     string     `json:"kind"`
	Name     string     `json:"name"`
	Start    time.Time  `json:"start"`
	Due      string     `json:"due"`
	DueAt    time.Time  `json:"due_at"`
	Status   string     `json:"status"`
	Met      *time.Time `json:"met_at"`
	By       string     `json:"by,omitempty"`
	// WithoutDelay duties have no period in law: Target is the time they
	// are judged on ("" when none is named, and then never late), Took
	// how long after the start they were met.
	WithoutDelay bool     `json:"without_delay,omitempty"`
	Target       string   `json:"target,omitempty"`
	Took         *float64 `json:"took_minutes,omitempty"`
	// NotRequired says why the law does not ask it of this incident;
	// Basis is the text in force it was judged under.
	NotRequired string `json:"not_required,omitempty"`
	Basis       string `json:"basis,omitempty"`
}

func newDutyListCmd(f *factory, runF func(*dutyListOptions) error) *cobra.Command {
	o := &dutyListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list ID [--json]",
		Short: "List an incident's duties: open, met (when, by what), waived, overdue",
		Args:  args(1, 1, "an incident id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type dutyListOptions struct {
	parsed
	f      *factory
	args   []string
	asJSON bool
}

func (o *dutyListOptions) run() error {
	id, rs, s, err := dutyArgs(o.ctx, o.f, o.args[0])
	if err != nil {
		return err
	}
	duties, err := s.Duties(o.ctx, id, rs)
	if err != nil {
		return err
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	now := o.f.now()
	if o.asJSON {
		out := make([]dutyJSON, 0, len(duties))
		for _, d := range duties {
			out = append(out, toDutyJSON(d, now, loc))
		}
		return writeJSON(o.f.out, out)
	}
	if len(duties) == 0 {
		fmt.Fprintf(o.f.out, "incident %d has no duties: none of its services is bound to a regime (service set NAME --regime R), and no order covers it\n", id)
		return nil
	}
	return writeDuties(o.f.out, duties, now, loc, "")
}

func toDutyJSON(d incident.Duty, now time.Time, loc *time.Location) dutyJSON {
	j := dutyJSON{Incident: d.IncidentID, Regime: d.Regime, Kind: d.Kind, Name: d.Name["en"],
		Start: d.Start.In(loc), Due: d.DueDate.String(), DueAt: d.Due.In(loc), Status: d.Status(now), Met: inZone(d.Met, loc), By: d.By,
		WithoutDelay: d.WithoutDelay, NotRequired: d.NotRequired["en"], Basis: d.Cite["en"]}
	if d.HasTarget {
		j.Target = shortDuration(d.Target)
	}
	if took, ok := d.Took(); ok {
		m := incident.ExactMinutes(took)
		j.Took = &m
	}
	return j
}

// writeDuties prints duties as a table, each line after indent.
func writeDuties(w io.Writer, duties []incident.Duty, now time.Time, loc *time.Location, indent string) error {
	tw := &table{indent: indent}
	tw.row("DUTY", "REGIME", "DUE", "STATUS", "MET", "BY / WHY")
	for _, d := range duties {
		due := d.Due.In(loc).Format(showTime)
		switch {
		case d.DateOnly:
			due = d.DueDate.String()
		case d.WithoutDelay && !d.HasTarget:
			due = "without delay"
		}
		met := "—"
		if d.Met != nil {
			met = d.Met.In(loc).Format(showTime)
			if d.MetDay {
				met = incident.DateOf(*d.Met, loc).String()
			}
			if took, ok := d.Took(); ok && d.WithoutDelay {
				met += " (" + fmtDur(&took) + " after)"
			}
		}
		by := d.By
		if why := d.NotRequired["en"]; why != "" {
			by = why
		}
		tw.row(d.Kind, d.Regime, due, d.Status(now), met, orDash(by))
	}
	return tw.write(w)
}

type dutyMarkOptions struct {
	parsed
	f       *factory
	args    []string
	at, ref string
	correct bool
	waive   bool
}

func newDutyMarkCmd(f *factory, waive bool, runF func(*dutyMarkOptions) error) *cobra.Command {
	o := &dutyMarkOptions{f: f, waive: waive}
	use, short := "done ID KIND [--at T] [--ref TEXT]", "Mark a duty met (e.g. the ministry report sent), at a time, with the record that meets it"
	if waive {
		use, short = "waive ID KIND --reason TEXT", "Mark a duty not applicable to this incident, with the reason"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args(2, 2, "an incident id and a duty kind"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.at, "at", "now", "when it was met")
	cmd.Flags().BoolVar(&o.correct, "correct", false, "replace an earlier mark (the history keeps it)")
	if !waive {
		cmd.Flags().StringVar(&o.ref, "ref", "", "the record that meets it: a reference number, a link")
	}
	f.reasonFlag(cmd)
	return cmd
}

func (o *dutyMarkOptions) run() error {
	id, rs, s, err := dutyArgs(o.ctx, o.f, o.args[0])
	if err != nil {
		return err
	}
	when, err := o.f.parseTimeOn(o.ctx, "at", o.at, id)
	if err != nil {
		return err
	}
	mark := s.MeetDuty
	if o.correct {
		mark = s.CorrectDuty
	}
	d, err := mark(o.ctx, id, o.args[1], *when, o.ref, o.waive, rs)
	if err != nil {
		return err
	}
	loc, _ := o.f.Location()
	o.f.status("incident %d: %s %s at %s", id, d.Kind, d.Status(o.f.now()), d.Met.In(loc).Format(showTime))
	return nil
}

// shortDuration is d as a flag takes it, without zero units: 1h, 30m,
// 1h30m, 0s.
func shortDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return strings.TrimSuffix(d.String(), "0s")
	}
	return d.String()
}
