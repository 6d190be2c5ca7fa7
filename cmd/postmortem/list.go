package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
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

func (o *listOptions) run(cmd *cobra.Command) error {
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	f := incident.ListFilter{OpenOnly: o.openOnly}
	now := o.f.now()
	duration := func(l *incident.Line) *int64 {
		if l.StartedAt == nil {
			return nil
		}
		end := now
		if l.ResolvedAt != nil {
			end = *l.ResolvedAt
		}
		m := incident.WholeMinutes(end.Sub(*l.StartedAt))
		return &m
	}
	if o.asJSON {
		// Streamed: a line at a time, the same bytes as one indented list.
		w := bufio.NewWriterSize(o.f.out, 1<<16)
		first := true
		w.WriteString("[")
		err := s.Lines(cmd.Context(), f, func(l *incident.Line) error {
			if first {
				w.WriteString("\n  ")
			} else {
				w.WriteString(",\n  ")
			}
			first = false
			var buf bytes.Buffer
			e := json.NewEncoder(&buf)
			e.SetEscapeHTML(false)
			e.SetIndent("  ", "  ")
			if err := e.Encode(listJSON{ID: l.ID, Title: l.Title, Services: append([]string{}, l.Services...), Severity: l.Severity,
				Status: l.Status, StartedAt: inZone(l.StartedAt, loc), ResolvedAt: inZone(l.ResolvedAt, loc), DurationMinutes: duration(l)}); err != nil {
				return err
			}
			_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			return err
		})
		if err != nil {
			return err
		}
		if first {
			w.WriteString("]\n")
		} else {
			w.WriteString("\n]\n")
		}
		return w.Flush()
	}
	tw := &table{}
	tw.row("ID", "STATUS", "SEV", "STARTED", "DURATION", "SERVICES", "TITLE")
	err = s.Lines(cmd.Context(), f, func(l *incident.Line) error {
		started, dur := "-", "-"
		if l.StartedAt != nil {
			started = l.StartedAt.In(loc).Format("2006-01-02 15:04")
			dur = strconv.FormatInt(*duration(l), 10) + " min"
		}
		tw.row(strconv.FormatInt(l.ID, 10), string(l.Status), string(l.Severity), started, dur,
			orDash(strings.Join(l.Services, ",")), l.Title)
		return nil
	})
	if err != nil {
		return err
	}
	return tw.write(o.f.out)
}
