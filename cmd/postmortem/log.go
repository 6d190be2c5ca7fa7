package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type logOptions struct {
	parsed
	args    []string
	f       *factory
	at      string
	kind    string
	author  string
	retract string
	edit    string
	notice  string
}

func newLogCmd(f *factory, runF func(*logOptions) error) *cobra.Command {
	o := &logOptions{f: f}
	cmd := &cobra.Command{
		Use:   "log ID [--at T] [--kind KIND] TEXT | log ID --edit EVENT [--at T] [--kind K] [TEXT] | log ID --retract EVENT --reason WHY",
		Short: "Add an event to an incident's timeline (stamped now unless --at), edit one, or retract one; prints the event's id",
		Long: `log adds an event to an incident's timeline and prints its id alone on stdout.
--edit EVENT changes an event's time, kind or text (only what is given); its
earlier wording stays in the history. --retract EVENT marks an event withdrawn,
with --reason: it stays on the timeline, struck out. Events are never deleted.`,
		Args: args(1, -1, "an incident id and the event text"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.at, "at", "now", "when it happened")
	fl.StringVar(&o.kind, "kind", "note", "detect, action, comms, mitigate, resolve or note")
	fl.StringVar(&o.author, "author", "", "who (default $POSTMORTEM_AUTHOR, else $USER)")
	fl.StringVar(&o.edit, "edit", "", "an event id: change its time, kind or text")
	fl.StringVar(&o.retract, "retract", "", "an event id: mark it retracted (needs --reason)")
	fl.StringVar(&o.notice, "notice", "", "a comms entry that is a notice sent outside: users, or compensation (meets the regime's notice duty)")
	f.reasonFlag(cmd)
	return cmd
}

func (o *logOptions) run() error {
	a := o.args
	id, err := incident.ParseID("incident", a[0])
	if err != nil {
		return err
	}
	text := strings.Join(a[1:], " ")
	changed := o.changed
	switch {
	case changed("edit") && changed("retract"):
		return usageError{errors.New("give --edit or --retract, not both")}
	case changed("retract"):
		return o.retractEvent(id, text)
	case changed("edit"):
		return o.editEvent(id, text)
	case text == "":
		return usageError{errors.New("log: the event text is missing")}
	}
	if changed("notice") && !changed("kind") {
		o.kind = string(incident.KindComms)
	}
	kind, err := incident.ParseKind(o.kind)
	if err != nil {
		return err
	}
	notice, err := o.parseNotice(changed("notice"))
	if err != nil {
		return err
	}
	at, err := o.f.parseTimeOn(o.ctx, "at", o.at, id)
	if err != nil {
		return err
	}
	author := o.author
	if author == "" {
		author = o.f.Author()
	}
	e := &incident.Event{IncidentID: id, At: *at, Kind: kind, Text: text, Author: author, Notice: notice}
	if err := e.Validate(o.f.now()); err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if err := s.AddEvent(o.ctx, e); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, e.ID)
	loc, _ := o.f.Location()
	o.f.status("saved event %d on incident %d at %s", e.ID, id, e.At.In(loc).Format("2006-01-02 15:04:05 MST"))
	return nil
}

// parseNotice reads --notice; given empty, it clears (on an edit).
func (o *logOptions) parseNotice(given bool) (incident.Notice, error) {
	if !given || o.notice == "" {
		return "", nil
	}
	return incident.ParseNotice(o.notice)
}

func (o *logOptions) retractEvent(id int64, text string) error {
	if text != "" {
		return usageError{errors.New("log --retract takes no text; give the reason with --reason")}
	}
	ev, err := incident.ParseID("retract", o.retract)
	if err != nil {
		return err
	}
	if strings.TrimSpace(o.f.reason) == "" {
		return &incident.FieldError{Field: "reason", Msg: "a retraction needs a reason; give --reason TEXT"}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if _, err := s.RetractEvent(o.ctx, id, ev, o.f.reason); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, ev)
	o.f.status("retracted event %d of incident %d", ev, id)
	return nil
}

func (o *logOptions) editEvent(id int64, text string) error {
	ev, err := incident.ParseID("edit", o.edit)
	if err != nil {
		return err
	}
	changed := o.changed
	var edits []func(*incident.Event)
	if changed("at") {
		at, err := o.f.parseTimeOn(o.ctx, "at", o.at, id)
		if err != nil {
			return err
		}
		edits = append(edits, func(e *incident.Event) { e.At = *at })
	}
	if changed("kind") {
		kind, err := incident.ParseKind(o.kind)
		if err != nil {
			return err
		}
		edits = append(edits, func(e *incident.Event) { e.Kind = kind })
	}
	if changed("notice") {
		notice, err := o.parseNotice(true)
		if err != nil {
			return err
		}
		edits = append(edits, func(e *incident.Event) { e.Notice = notice })
	}
	if text != "" {
		edits = append(edits, func(e *incident.Event) { e.Text = text })
	}
	if len(edits) == 0 {
		return usageError{errors.New("log --edit: give --at, --kind, --notice or the new text")}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if _, err := s.EditEvent(o.ctx, id, ev, func(e *incident.Event) error {
		for _, edit := range edits {
			edit(e)
		}
		return nil
	}); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, ev)
	o.f.status("edited event %d of incident %d", ev, id)
	return nil
}
