package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// dueItem is one open deliverable or action on the deadlines list.
type dueItem struct {
	What     string    `json:"what"` // deliverable, duty or action
	Regime   string    `json:"regime,omitempty"`
	Order    *int64    `json:"order,omitempty"`
	Incident *int64    `json:"incident,omitempty"`
	Action   *int64    `json:"action,omitempty"`
	Kind     string    `json:"kind"`
	Text     string    `json:"text"`
	Due      string    `json:"due"`
	DueAt    time.Time `json:"due_at"`
	Overdue  bool      `json:"overdue"`
	DaysLeft int       `json:"days_left"`
}

func newDeadlinesCmd(f *factory, runF func(*deadlinesOptions) error) *cobra.Command {
	o := &deadlinesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "deadlines [--at DATE] [--limit N | --all] [--json]",
		Short: "Open deliverables, duties and actions, soonest first (the first 100 unless --all); exits 3 when anything is overdue and unmet",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().StringVar(&o.at, "at", "", "judge as of this day (default now)")
	cmd.Flags().IntVar(&o.limit, "limit", 100, "list the soonest N")
	cmd.Flags().BoolVar(&o.all, "all", false, "list every open item")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type deadlinesOptions struct {
	parsed
	f           *factory
	at          string
	asJSON, all bool
	limit       int
}

func (o *deadlinesOptions) run() error {
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	now := o.f.now()
	if o.at != "" {
		var bare bool
		if now, bare, err = o.f.dayOrTime("at", o.at, dayStart); err != nil {
			if bare || !errors.Is(err, incident.ErrNotATime) {
				return err // a day that is not one, a time the zone skips: their own words
			}
			return &incident.FieldError{Field: "at", Msg: fmt.Sprintf("%q is not a date; accepted: YYYY-MM-DD or %s", o.at, incident.TimeForms)}
		}
	}
	if o.limit < 0 {
		return &incident.FieldError{Field: "limit", Msg: fmt.Sprintf("%d; accepted: 1 or more, or --all", o.limit)}
	}
	if o.all {
		o.limit = 0
	}
	items, total, err := openDeadlines(o.ctx, o.f, now, loc, o.limit)
	if err != nil {
		return err
	}
	// Soonest first: anything overdue is at the head of the list,
	// so the first item says for all of them.
	overdue := len(items) > 0 && items[0].Overdue
	if o.asJSON {
		err = writeJSON(o.f.out, items)
	} else {
		err = writeDeadlinesText(o.f, items)
		if err == nil && total > len(items) {
			fmt.Fprintf(o.f.out, "… and %d more (--all lists every one)\n", total-len(items))
		}
	}
	if err != nil {
		return err
	}
	if overdue {
		return exitCodeError{exitOverdue}
	}
	return nil
}

// openDeadlines is the store's list of open dues (the soonest limit, or
// all with 0), shaped for output, and how many are open in all.
func openDeadlines(ctx context.Context, f *factory, now time.Time, loc *time.Location, limit int) ([]dueItem, int, error) {
	s, err := f.Store(ctx)
	if err != nil {
		return nil, 0, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, 0, err
	}
	dues, total, err := s.OpenDues(ctx, rs, now, loc, limit)
	if err != nil {
		return nil, 0, err
	}
	items := make([]dueItem, 0, len(dues))
	for _, d := range dues {
		it := dueItem{What: "deliverable", Kind: d.Kind, Text: d.Text, Due: d.DueDate.String(), DueAt: d.Due.In(loc),
			Overdue: d.Overdue, DaysLeft: d.DaysLeft, Order: optID(d.OrderID), Incident: optID(d.IncidentID), Action: optID(d.ActionID)}
		switch {
		case d.ActionID != 0:
			it.What = "action"
		case d.Regime != "":
			it.What, it.Regime = "duty", d.Regime
		}
		items = append(items, it)
	}
	return items, total, nil
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func writeDeadlinesText(f *factory, items []dueItem) error {
	if len(items) == 0 {
		fmt.Fprintln(f.out, "nothing open")
		return nil
	}
	tw := &table{}
	tw.row("DUE", "LEFT", "WHAT", "KIND", "WHERE", "TEXT")
	for _, it := range items {
		left := fmt.Sprintf("%dd", it.DaysLeft)
		if it.Overdue {
			left = "OVERDUE"
		}
		where := ""
		if it.Order != nil {
			where += fmt.Sprintf("order %d ", *it.Order)
		}
		if it.Incident != nil {
			where += fmt.Sprintf("#%d", *it.Incident)
		}
		what := it.What
		if it.Action != nil {
			what = fmt.Sprintf("action %d", *it.Action)
		}
		tw.row(it.Due, left, what, it.Kind, orDash(strings.TrimSpace(where)), it.Text)
	}
	return tw.write(f.out)
}
