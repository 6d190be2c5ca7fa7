package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type logOptions struct {
	f      *factory
	at     string
	kind   string
	author string
}

func newLogCmd(f *factory) *cobra.Command {
	o := &logOptions{f: f}
	cmd := &cobra.Command{
		Use:   "log ID [--at T] [--kind KIND] TEXT",
		Short: "Add an event to an incident's timeline, stamped now unless --at",
		Args:  args(2, -1, "an incident id and the event text"),
		RunE:  func(cmd *cobra.Command, a []string) error { return o.run(cmd, a) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.at, "at", "now", "when it happened")
	fl.StringVar(&o.kind, "kind", "note", "detect, action, comms, mitigate, resolve or note")
	fl.StringVar(&o.author, "author", "", "who (default $POSTMORTEM_AUTHOR, else $USER)")
	return cmd
}

func (o *logOptions) run(cmd *cobra.Command, a []string) error {
	id, err := incident.ParseID("incident", a[0])
	if err != nil {
		return err
	}
	kind, err := incident.ParseKind(o.kind)
	if err != nil {
		return err
	}
	at, err := o.f.parseTime("at", o.at)
	if err != nil {
		return err
	}
	author := o.author
	if author == "" {
		author = o.f.Author()
	}
	e := &incident.Event{IncidentID: id, At: *at, Kind: kind, Text: strings.Join(a[1:], " "), Author: author}
	if err := e.Validate(o.f.now()); err != nil {
		return err
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	if err := s.AddEvent(cmd.Context(), e); err != nil {
		return err
	}
	loc, _ := o.f.Location()
	o.f.status("saved event %d on incident %d at %s", e.ID, id, e.At.In(loc).Format("2006-01-02 15:04:05 MST"))
	return nil
}
