package main

import (
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// dueItem is one open deliverable or action on the deadlines list.
type dueItem struct {
	What     string    `json:"what"` // deliverable or action
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

func newDeadlinesCmd(f *factory) *cobra.Command {
	var at string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "deadlines [--at DATE] [--json]",
		Short: "Every open deliverable and action, soonest first; exits 3 when anything is overdue",
		Args:  args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := f.Location()
			if err != nil {
				return err
			}
			now := f.now()
			if at != "" {
				if d, derr := incident.ParseDate("at", at); derr == nil {
					now = d.In(loc)
				} else if now, err = incident.ParseTime("at", at, loc, f.now()); err != nil {
					return &incident.FieldError{Field: "at", Msg: fmt.Sprintf("%q is not a date; accepted: YYYY-MM-DD or %s", at, incident.TimeForms)}
				}
			}
			items, err := openDeadlines(cmd, f, now, loc)
			if err != nil {
				return err
			}
			overdue := false
			for _, it := range items {
				overdue = overdue || it.Overdue
			}
			if asJSON {
				if items == nil {
					items = []dueItem{}
				}
				err = writeJSON(f.out, items)
			} else {
				err = writeDeadlinesText(f, items)
			}
			if err != nil {
				return err
			}
			if overdue {
				return exitCodeError{exitOverdue}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "judge as of this day (default now)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// openDeadlines gathers every unsubmitted deliverable of every order and
// every open action, soonest first.
func openDeadlines(cmd *cobra.Command, f *factory, now time.Time, loc *time.Location) ([]dueItem, error) {
	s, err := f.Store(cmd.Context())
	if err != nil {
		return nil, err
	}
	orders, err := s.Orders(cmd.Context())
	if err != nil {
		return nil, err
	}
	today := incident.DateOf(now, loc)
	var items []dueItem
	for _, o := range orders {
		v, err := loadOrder(cmd.Context(), f, o.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range v.deadlines {
			if d.Submitted != nil {
				continue
			}
			oid := o.ID
			it := dueItem{What: "deliverable", Order: &oid, Kind: d.Kind, Text: d.Name["en"], Due: d.DueDate.String(),
				DueAt: d.Due.In(v.regime.Location()), Overdue: d.Overdue(now), DaysLeft: today.DaysUntil(d.DueDate)}
			if d.IncidentID != 0 {
				iid := d.IncidentID
				it.Incident = &iid
			}
			items = append(items, it)
		}
	}
	actions, err := s.Actions(cmd.Context(), incident.ActionFilter{OpenOnly: true})
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		aid := a.ID
		end := a.Due.AddDays(1).In(loc).Add(-time.Second)
		items = append(items, dueItem{What: "action", Order: a.OrderID, Incident: a.IncidentID, Action: &aid, Kind: string(a.Area),
			Text: a.Text, Due: a.Due.String(), DueAt: end, Overdue: now.After(end), DaysLeft: today.DaysUntil(a.Due)})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].DueAt.Before(items[j].DueAt) })
	return items, nil
}

func writeDeadlinesText(f *factory, items []dueItem) error {
	if len(items) == 0 {
		fmt.Fprintln(f.out, "nothing open")
		return nil
	}
	tw := tabwriter.NewWriter(f.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DUE\tLEFT\tWHAT\tKIND\tWHERE\tTEXT")
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.Due, left, what, it.Kind, orDash(where), it.Text)
	}
	return tw.Flush()
}
