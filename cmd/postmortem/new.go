package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type newOptions struct {
	parsed
	f                 *factory
	title, services   string
	severity          string
	started, detected string
	usersAffected     string
	symptoms          string
}

func newNewCmd(f *factory, runF func(*newOptions) error) *cobra.Command {
	o := &newOptions{f: f}
	cmd := &cobra.Command{
		Use:   "new --title T [flags]",
		Short: "Declare an incident; prints its id alone on stdout",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.StringVar(&o.title, "title", "", "what is broken, in a line (required)")
	fl.StringVar(&o.services, "service", "", "affected services, comma-separated")
	fl.StringVar(&o.severity, "severity", string(incident.DefaultSeverity), "SEV1 (worst) to SEV4")
	fl.StringVar(&o.started, "started", "now", "when it started")
	fl.StringVar(&o.detected, "detected", "", "when it was detected (default: the start)")
	fl.StringVar(&o.usersAffected, "users-affected", "", "percent of users affected, 0 to 100")
	fl.StringVar(&o.symptoms, "symptoms", "", "what users see")
	return cmd
}

func (o *newOptions) run() error {
	sev, err := incident.ParseSeverity(o.severity)
	if err != nil {
		return err
	}
	in := &incident.Incident{Status: incident.StatusOpen, Title: o.title, Services: incident.SplitList(o.services), Severity: sev, Symptoms: o.symptoms}
	if in.StartedAt, err = o.f.parseTime("started", o.started); err != nil {
		return err
	}
	in.DetectedAt = in.StartedAt
	if o.detected != "" {
		if in.DetectedAt, err = o.f.parseTime("detected", o.detected); err != nil {
			return err
		}
	}
	if o.usersAffected != "" {
		if in.UsersAffectedPct, err = incident.ParsePercent(o.usersAffected); err != nil {
			return err
		}
	}
	if err := in.Validate(); err != nil { // before the database is touched
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	warnUnknown(o.ctx, o.f, "service", in.Services...)
	if err := s.CreateIncident(o.ctx, in); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, in.ID)
	return nil
}
