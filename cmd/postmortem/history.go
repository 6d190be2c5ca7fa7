package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type historyOptions struct {
	parsed
	arg    string
	f      *factory
	asJSON bool
}

func newHistoryCmd(f *factory, runF func(*historyOptions) error) *cobra.Command {
	o := &historyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "history ID [--json]",
		Short: "Show every change to an incident, its events and its measures, oldest first",
		Args:  args(1, 1, "an incident id"),
		RunE:  runE(o, func(a []string) { o.arg = a[0] }, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

func (o *historyOptions) run() error {
	id, err := incident.ParseID("incident", o.arg)
	if err != nil {
		return err
	}
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	cs, err := s.History(o.ctx, id)
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeJSON(o.f.out, cs)
	}
	return writeHistoryText(o.f.out, cs, loc)
}

func writeHistoryText(w io.Writer, cs []incident.Change, loc *time.Location) error {
	tw := &table{}
	tw.row("SEQ", "WHEN", "WHO", "RECORD", "FIELD", "OLD", "NEW", "WHY")
	for _, c := range cs {
		if c.Field == "updated_at" {
			continue // follows every change to an incident; --json has it
		}
		field, old, nw := c.Field, clip(inLoc(c.Old, loc)), clip(inLoc(c.New, loc))
		if field == "*" {
			field, old, nw = "created", "-", "(whole record)"
		}
		tw.row(fmt.Sprint(c.Seq), c.Time().In(loc).Format("2006-01-02 15:04:05"), c.Author,
			fmt.Sprintf("%s %d", c.Entity, c.RecordID), field, old, nw, orDash(c.Reason))
	}
	return tw.write(w)
}

// inLoc shows a time the history holds (UTC, as stored) in loc, as every
// other time is shown; any other value is left as it is.
func inLoc(p *string, loc *time.Location) *string {
	if p == nil || !strings.HasSuffix(*p, "Z") {
		return p
	}
	t, err := time.Parse(time.RFC3339, *p)
	if err != nil {
		return p
	}
	v := t.In(loc).Format("2006-01-02 15:04:05")
	return &v
}

// clip shows a history value in a table cell: "-" for none, one line, at
// most 40 characters.
func clip(p *string) string {
	if p == nil {
		return "-"
	}
	r := []rune(strings.Join(strings.Fields(*p), " "))
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return orDash(string(r))
}
