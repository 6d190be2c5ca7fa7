package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type closeOptions struct {
	parsed
	id     string
	f      *factory
	as     string
	of     int64
	at     string
	reopen bool
}

// newCloseCmd ends an incident that was no outage: a declaration
// cancelled, a false alarm, a duplicate of another. It releases the gate,
// owes no duty and counts in no figure; its timeline stays, with the
// reason.
func newCloseCmd(f *factory, runF func(*closeOptions) error) *cobra.Command {
	o := &closeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "close ID --as cancelled|false-alarm|duplicate [--of ID] --reason TEXT",
		Short: "End an incident that was no outage (cancelled, a false alarm, a duplicate); --reopen takes it back",
		Long: `End an incident that was no outage: a declaration cancelled, a false alarm, or a
duplicate of another incident (--of, which it is then linked to). It is
resolved, releases the gate, owes no duty and is left out of the figures and
the quarterly review; its timeline stays, with the reason. --reopen takes it
back, with the reason.`,
		Args: args(1, 1, "an incident id"),
		RunE: runE(o, func(a []string) { o.id = a[0] }, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.as, "as", "", "cancelled, false-alarm or duplicate")
	fl.Int64Var(&o.of, "of", 0, "the incident a duplicate repeats")
	fl.StringVar(&o.at, "at", "now", "when it was found to be no outage")
	fl.BoolVar(&o.reopen, "reopen", false, "take the closure back")
	f.reasonFlag(cmd)
	return cmd
}

func (o *closeOptions) run() error {
	id, err := incident.ParseID("incident", o.id)
	if err != nil {
		return err
	}
	if strings.TrimSpace(o.f.reason) == "" {
		return &incident.FieldError{Field: "reason", Msg: "say why it was no outage (or why it is reopened); give --reason TEXT"}
	}
	changed := o.changed
	var change func(*incident.Incident) error
	switch {
	case o.reopen && (changed("as") || changed("of")):
		return &incident.FieldError{Field: "reopen", Msg: "--reopen takes no --as or --of"}
	case o.reopen:
		change = func(in *incident.Incident) error { return in.Reopen() }
	default:
		as, err := incident.ParseClosure(o.as)
		if err != nil {
			return err
		}
		var of *int64
		if changed("of") {
			of = &o.of
		}
		at, err := o.f.parseTimeOn(o.ctx, "at", o.at, id)
		if err != nil {
			return err
		}
		change = func(in *incident.Incident) error { return in.Close(as, *at, of) }
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	in, err := s.UpdateIncident(o.ctx, id, change)
	if err != nil {
		return err
	}
	o.f.status("incident %d: %s", in.ID, in.Shown())
	return nil
}
