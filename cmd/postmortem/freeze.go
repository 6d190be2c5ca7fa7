package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type freezeJSON struct {
	ID        int64               `json:"id"`
	Scope     string              `json:"scope"`
	Target    string              `json:"target"`
	From      time.Time           `json:"from"`
	To        time.Time           `json:"to"`
	Reason    string              `json:"reason"`
	Ended     *time.Time          `json:"ended_at"`
	Overrides []incident.Override `json:"overrides"`
}

func toFreezeJSON(fr *incident.Freeze) freezeJSON {
	ov := fr.Overrides
	if ov == nil {
		ov = []incident.Override{}
	}
	return freezeJSON{ID: fr.ID, Scope: fr.Scope, Target: fr.Target, From: fr.Starts, To: fr.Ends, Reason: fr.Reason, Ended: fr.Ended, Overrides: ov}
}

func newFreezeCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "freeze",
		Short: "Freeze windows: no work on a service or a group in a period, unless overridden at the gate",
		Args:  args(0, 0, "a subcommand: add, list or end"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newFreezeAddCmd(f, nil), newFreezeListCmd(f, nil), newFreezeEndCmd(f, nil))
	return cmd
}

func newFreezeAddCmd(f *factory, runF func(*freezeAddOptions) error) *cobra.Command {
	o := &freezeAddOptions{f: f}
	cmd := &cobra.Command{
		Use:   "add --service S | --group G [--from T] --to T REASON",
		Short: "Add a freeze window; prints its id",
		Long: `freeze add blocks work on a service, or on every service of a group, from
--from (default now) until --to. Times are "YYYY-MM-DD HH:MM" in the chosen
zone, RFC 3339, or a bare date: --from a date starts at its beginning, --to a
date runs to its end. A bare HH:MM is the next such moment.`,
		Args: args(1, -1, "the reason"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.service, "service", "", "the service it freezes")
	fl.StringVar(&o.group, "group", "", "the group whose every service it freezes")
	fl.StringVar(&o.from, "from", "now", "when it starts")
	fl.StringVar(&o.to, "to", "", "when it ends")
	return cmd
}

type freezeAddOptions struct {
	parsed
	f                        *factory
	args                     []string
	service, group, from, to string
}

func (o *freezeAddOptions) run() error {
	fr := &incident.Freeze{Reason: strings.Join(o.args, " ")}
	switch {
	case o.service != "" && o.group != "":
		return usageError{errors.New("freeze add: give --service or --group, not both")}
	case o.service != "":
		fr.Scope, fr.Target = "service", o.service
	case o.group != "":
		fr.Scope, fr.Target = "group", o.group
	default:
		return usageError{errors.New("freeze add: name what it freezes with --service S or --group G")}
	}
	if o.to == "" {
		return usageError{errors.New("freeze add: give its end with --to T")}
	}
	var err error
	if fr.Starts, err = o.f.plannedTime("from", o.from, false); err != nil {
		return err
	}
	if fr.Ends, err = o.f.plannedTime("to", o.to, true); err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	warnUnknown(o.ctx, o.f, fr.Scope, fr.Target)
	if err := s.AddFreeze(o.ctx, fr); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, fr.ID)
	loc, _ := o.f.Location()
	o.f.status("freeze %d on %s %s from %s to %s", fr.ID, fr.Scope, incident.Printable(fr.Target),
		fr.Starts.In(loc).Format(showTime), fr.Ends.In(loc).Format(showTime))
	return nil
}

// plannedTime reads a time that may lie ahead: a bare date is its start
// (its end, for an end), a bare clock time the next such moment.
func (f *factory) plannedTime(flag, value string, end bool) (time.Time, error) {
	edge := dayStart
	if end {
		edge = dayAfter
	}
	t, bare, err := f.dayOrTime(flag, value, edge)
	if err != nil || bare {
		return t, err
	}
	if _, cerr := time.Parse("15:04", strings.TrimSpace(value)); cerr == nil && t.Before(f.now()) {
		t = t.AddDate(0, 0, 1) // the next such moment
	}
	return t, nil
}

func newFreezeListCmd(f *factory, runF func(*freezeListOptions) error) *cobra.Command {
	o := &freezeListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [--all] [--json]",
		Short: "List the freezes in force or to come (--all: every one)",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().BoolVar(&o.all, "all", false, "list past freezes too")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type freezeListOptions struct {
	parsed
	f           *factory
	asJSON, all bool
}

func (o *freezeListOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	now := o.f.now()
	frs, err := s.Freezes(o.ctx, now, o.all)
	if err != nil {
		return err
	}
	if o.asJSON {
		out := make([]freezeJSON, 0, len(frs))
		for i := range frs {
			out = append(out, toFreezeJSON(&frs[i]))
		}
		return writeJSON(o.f.out, out)
	}
	if len(frs) == 0 {
		fmt.Fprintln(o.f.out, "no freezes")
		return nil
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	tw := &table{}
	tw.row("ID", "ON", "FROM", "TO", "STATE", "OVERRIDES", "REASON")
	for i := range frs {
		fr := &frs[i]
		state := "ahead"
		switch {
		case fr.Ended != nil:
			state = "ended " + fr.Ended.In(loc).Format(showTime)
		case fr.ActiveAt(now):
			state = "in force"
		case !fr.Ends.After(now):
			state = "over"
		}
		tw.row(fmt.Sprint(fr.ID), fr.Scope+" "+fr.Target, fr.Starts.In(loc).Format(showTime), fr.Ends.In(loc).Format(showTime),
			state, fmt.Sprint(len(fr.Overrides)), fr.Reason)
	}
	return tw.write(o.f.out)
}

func newFreezeEndCmd(f *factory, runF func(*freezeEndOptions) error) *cobra.Command {
	o := &freezeEndOptions{f: f}
	cmd := &cobra.Command{
		Use:   "end ID",
		Short: "End a freeze now, before its planned end",
		Args:  args(1, 1, "a freeze id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	f.reasonFlag(cmd)
	return cmd
}

type freezeEndOptions struct {
	parsed
	f    *factory
	args []string
}

func (o *freezeEndOptions) run() error {
	id, err := incident.ParseID("freeze", o.args[0])
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if _, err := s.EndFreeze(o.ctx, id); err != nil {
		return err
	}
	o.f.status("freeze %d ended", id)
	return nil
}
