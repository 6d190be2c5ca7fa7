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
	cmd.AddCommand(newFreezeAddCmd(f), newFreezeListCmd(f), newFreezeEndCmd(f))
	return cmd
}

func newFreezeAddCmd(f *factory) *cobra.Command {
	var service, group, from, to string
	cmd := &cobra.Command{
		Use:   "add --service S | --group G [--from T] --to T REASON",
		Short: "Add a freeze window; prints its id",
		Long: `freeze add blocks work on a service, or on every service of a group, from
--from (default now) until --to. Times are "YYYY-MM-DD HH:MM" in the chosen
zone, RFC 3339, or a bare date: --from a date starts at its beginning, --to a
date runs to its end. A bare HH:MM is the next such moment.`,
		Args: args(1, -1, "the reason"),
		RunE: func(cmd *cobra.Command, a []string) error {
			fr := &incident.Freeze{Reason: strings.Join(a, " ")}
			switch {
			case service != "" && group != "":
				return usageError{errors.New("freeze add: give --service or --group, not both")}
			case service != "":
				fr.Scope, fr.Target = "service", service
			case group != "":
				fr.Scope, fr.Target = "group", group
			default:
				return usageError{errors.New("freeze add: name what it freezes with --service S or --group G")}
			}
			if to == "" {
				return usageError{errors.New("freeze add: give its end with --to T")}
			}
			var err error
			if fr.Starts, err = f.plannedTime("from", from, false); err != nil {
				return err
			}
			if fr.Ends, err = f.plannedTime("to", to, true); err != nil {
				return err
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			warnUnknown(cmd, f, fr.Scope, fr.Target)
			if err := s.AddFreeze(cmd.Context(), fr); err != nil {
				return err
			}
			fmt.Fprintln(f.out, fr.ID)
			loc, _ := f.Location()
			f.status("freeze %d on %s %s from %s to %s", fr.ID, fr.Scope, incident.Printable(fr.Target),
				fr.Starts.In(loc).Format(showTime), fr.Ends.In(loc).Format(showTime))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&service, "service", "", "the service it freezes")
	fl.StringVar(&group, "group", "", "the group whose every service it freezes")
	fl.StringVar(&from, "from", "now", "when it starts")
	fl.StringVar(&to, "to", "", "when it ends")
	return cmd
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

func newFreezeListCmd(f *factory) *cobra.Command {
	var asJSON, all bool
	cmd := &cobra.Command{
		Use:   "list [--all] [--json]",
		Short: "List the freezes in force or to come (--all: every one)",
		Args:  args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			now := f.now()
			frs, err := s.Freezes(cmd.Context(), now, all)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]freezeJSON, 0, len(frs))
				for i := range frs {
					out = append(out, toFreezeJSON(&frs[i]))
				}
				return writeJSON(f.out, out)
			}
			if len(frs) == 0 {
				fmt.Fprintln(f.out, "no freezes")
				return nil
			}
			loc, err := f.Location()
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
			return tw.write(f.out)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list past freezes too")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newFreezeEndCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "end ID",
		Short: "End a freeze now, before its planned end",
		Args:  args(1, 1, "a freeze id"),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := incident.ParseID("freeze", a[0])
			if err != nil {
				return err
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			if _, err := s.EndFreeze(cmd.Context(), id); err != nil {
				return err
			}
			f.status("freeze %d ended", id)
			return nil
		},
	}
	f.reasonFlag(cmd)
	return cmd
}
