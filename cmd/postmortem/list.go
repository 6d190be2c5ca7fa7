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
	parsed
	f        *factory
	openOnly bool
	asJSON   bool
}

func newListCmd(f *factory, runF func(*listOptions) error) *cobra.Command {
	o := &listOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [--open] [--json]",
		Short: "List incidents",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
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

func (o *listOptions) run() error {
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
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
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false)
		e.SetIndent("  ", "  ")
		err := s.Lines(o.ctx, f, func(l *incident.Line) error {
			if first {
				w.WriteString("\n  ")
			} else {
				w.WriteString(",\n  ")
			}
			first = false
			buf.Reset()
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
	var buf []byte
	err = s.Lines(o.ctx, f, func(l *incident.Line) error {
		if len(tw.rows) == 1 {
			tw.grow(l.Of, 7, 96)
		}
		tw.ascii(0, strconv.AppendInt(buf[:0], l.ID, 10))
		tw.cell(1, string(l.Status))
		tw.cell(2, string(l.Severity))
		if l.StartedAt != nil {
			tw.ascii(3, appendMinute(buf[:0], l.StartedAt.In(loc)))
			tw.ascii(4, append(strconv.AppendInt(buf[:0], *duration(l), 10), " min"...))
		} else {
			tw.ascii(3, append(buf[:0], '-'))
			tw.ascii(4, append(buf[:0], '-'))
		}
		services := "-"
		if len(l.Services) > 0 {
			services = strings.Join(l.Services, ",")
		}
		tw.cell(5, services)
		tw.cell(6, l.Title)
		tw.endRow()
		return nil
	})
	if err != nil {
		return err
	}
	return tw.write(o.f.out)
}

// appendMinute is t.AppendFormat(b, "2006-01-02 15:04") without reading
// the layout again for each of a listing's lines.
func appendMinute(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, _ := t.Clock()
	if y < 1000 || y > 9999 {
		return t.AppendFormat(b, "2006-01-02 15:04")
	}
	two := func(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
	b = strconv.AppendInt(b, int64(y), 10)
	b = two(append(b, '-'), int(mo))
	b = two(append(b, '-'), d)
	b = two(append(b, ' '), h)
	return two(append(b, ':'), mi)
}
