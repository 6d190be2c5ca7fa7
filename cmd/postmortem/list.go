package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type listOptions struct {
	f        *factory
	openOnly bool
	asJSON   bool
}

func newListCmd(f *factory) *cobra.Command {
	o := &listOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [--open] [--json]",
		Short: "List incidents",
		Args:  args(0, 0, "no arguments"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	cmd.Flags().BoolVar(&o.openOnly, "open", false, "only incidents not yet resolved")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

// listJSON is one line of the listing; show has the whole record.
type listJSON struct {
	ID              int64             `json:"id"`
	Title           string            `json:"title"`
	Services        []string          `json:"services"`
	Severity        incident.Severity `json:"severity"`
	Status          incident.Status   `json:"status"`
	StartedAt       *time.Time        `json:"started_at"`
	ResolvedAt      *time.Time        `json:"resolved_at"`
	DurationMinutes *int64            `json:"duration_minutes"`
}

func inZone(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(loc)
	return &v
}

func (o *listOptions) run(cmd *cobra.Command) error {
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	list, err := s.Incidents(cmd.Context(), incident.ListFilter{OpenOnly: o.openOnly})
	if err != nil {
		return err
	}
	if o.asJSON {
		out := make([]listJSON, 0, len(list))
		for i := range list {
			in := &list[i]
			out = append(out, listJSON{ID: in.ID, Title: in.Title, Services: in.Services, Severity: in.Severity,
				Status: in.Status, StartedAt: inZone(in.StartedAt, loc), ResolvedAt: inZone(in.ResolvedAt, loc),
				DurationMinutes: wholeMinutes(in.Figures().Outage)})
		}
		return writeJSON(o.f.out, out)
	}
	tw := &table{}
	tw.row("ID", "STATUS", "SEV", "STARTED", "DURATION", "SERVICES", "TITLE")
	now := o.f.now()
	for _, in := range list {
		started := "-"
		if in.StartedAt != nil {
			started = in.StartedAt.In(loc).Format("2006-01-02 15:04")
		}
		dur := "-"
		if in.StartedAt != nil {
			dur = fmt.Sprintf("%d min", incident.WholeMinutes(in.Elapsed(now)))
		}
		tw.row(fmt.Sprint(in.ID), string(in.Status), string(in.Severity), started, dur,
			orDash(strings.Join(in.Services, ",")), in.Title)
	}
	return tw.write(o.f.out)
}
