package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

// Regimes loads the regimes with the --holidays and --grace flags applied.
func (f *factory) Regimes() (*incident.Regimes, error) {
	if f.regimes != nil {
		return f.regimes, nil
	}
	rs, err := incident.LoadRegimes()
	if err != nil {
		return nil, err
	}
	if f.holidays != "" {
		fh, err := os.Open(f.holidays)
		if err != nil {
			return nil, &incident.FieldError{Field: "holidays", Msg: err.Error()}
		}
		defer fh.Close()
		if err := rs.AddHolidays(fh); err != nil {
			return nil, fmt.Errorf("holidays %s: %w", f.holidays, err)
		}
	}
	if f.grace != "" {
		d, err := time.ParseDuration(f.grace)
		if err != nil {
			return nil, &incident.FieldError{Field: "grace", Msg: fmt.Sprintf("%q is not a duration; accepted: e.g. 30m, 2h", f.grace)}
		}
		if err := rs.SetGrace(d); err != nil {
			return nil, err
		}
	}
	f.regimes = rs
	return rs, nil
}

// loadOrder reads the view of the order named by arg (an id) at p: its
// regime, the incidents it covers, its deadlines and measures.
func loadOrder(ctx context.Context, f *factory, arg string, p incident.Point) (*incident.OrderView, error) {
	id, err := incident.ParseID("order", arg)
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, err
	}
	loc, err := f.Location()
	if err != nil {
		return nil, err
	}
	return s.OrderView(ctx, id, rs, p, loc)
}

func newOrderCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "order",
		Short: "Regulatory orders: their findings, deliverables and due dates",
		Args:  args(0, 0, "a subcommand"),
		RunE: func(*cobra.Command, []string) error {
			return usageError{errors.New("name a subcommand: new, finding, show, submit, list")}
		},
	}
	cmd.AddCommand(newOrderNewCmd(f), newOrderFindingCmd(f), newOrderShowCmd(f), newOrderSubmitCmd(f), newOrderListCmd(f))
	return cmd
}

type orderNewOptions struct {
	f                                                 *factory
	regime, received, incidents, authority, reference string
}

func newOrderNewCmd(f *factory) *cobra.Command {
	o := &orderNewOptions{f: f}
	cmd := &cobra.Command{
		Use:   "new --received DATE --incidents ID[,ID] [--regime kr-msit]",
		Short: "Record an order; prints its id alone on stdout",
		Args:  args(0, 0, "no arguments"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.StringVar(&o.regime, "regime", incident.DefaultRegime, "kr-msit, eu-nis2, eu-dora, us-fcc-nors or us-sec-8k")
	fl.StringVar(&o.received, "received", "", `when it was received: YYYY-MM-DD, or "YYYY-MM-DD HH:MM" in the regime's zone`)
	fl.StringVar(&o.incidents, "incidents", "", "the incidents it covers, comma-separated ids")
	fl.StringVar(&o.authority, "authority", "", "who issued it (default: the regime's authority)")
	fl.StringVar(&o.reference, "reference", "", "its reference number")
	return cmd
}

func (o *orderNewOptions) run(cmd *cobra.Command) error {
	rs, err := o.f.Regimes()
	if err != nil {
		return err
	}
	r, err := rs.Regime(o.regime)
	if err != nil {
		return err
	}
	day, clock, err := incident.ParseReceived(o.received)
	if err != nil {
		return err
	}
	ids, err := incident.ParseIDs("incidents", o.incidents)
	if err != nil {
		return err
	}
	ord := &incident.Order{Regime: r.ID, Authority: o.authority, Reference: o.reference, Received: day, ReceivedClock: clock, Incidents: ids}
	if ord.Authority == "" {
		ord.Authority = r.Authority
	}
	if err := ord.Validate(); err != nil {
		return err
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	if err := s.CreateOrder(cmd.Context(), ord); err != nil {
		return err
	}
	fmt.Fprintln(o.f.out, ord.ID)
	return nil
}

func newOrderFindingCmd(f *factory) *cobra.Command {
	var area string
	cmd := &cobra.Command{
		Use:   "finding ORDER --area AREA TEXT",
		Short: "Record the authority's finding in one area (replaces the previous one)",
		Args:  args(2, -1, "an order id and the finding"),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := incident.ParseID("order", a[0])
			if err != nil {
				return err
			}
			ar, err := incident.ParseArea(area)
			if err != nil {
				return err
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			return s.SetFinding(cmd.Context(), id, ar, strings.Join(a[1:], " "))
		},
	}
	cmd.Flags().StringVar(&area, "area", "", "pretest, change-control, manuals, monitoring, rca, user-notice or other")
	f.reasonFlag(cmd)
	return cmd
}

func newOrderSubmitCmd(f *factory) *cobra.Command {
	var kind, at string
	var incidentID string
	cmd := &cobra.Command{
		Use:   "submit ORDER --deliverable KIND [--incident ID] [--at DATE]",
		Short: "Record that a deliverable was submitted",
		Args:  args(1, 1, "an order id"),
		RunE: func(cmd *cobra.Command, a []string) error {
			v, err := loadOrder(cmd.Context(), f, a[0], incident.Point{})
			if err != nil {
				return err
			}
			spec, err := v.Regime.Spec(kind)
			if err != nil {
				return err
			}
			var inc int64
			if spec.PerIncident() {
				switch {
				case incidentID != "":
					if inc, err = incident.ParseID("incident", incidentID); err != nil {
						return err
					}
					if !slices.Contains(v.Order.Incidents, inc) {
						return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("order %d does not cover incident %d; accepted: %s", v.Order.ID, inc, joinIDs(v.Order.Incidents))}
					}
				case len(v.Order.Incidents) == 1:
					inc = v.Order.Incidents[0]
				default:
					return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("%s runs per incident; give --incident, one of %s", kind, joinIDs(v.Order.Incidents))}
				}
			} else if incidentID != "" {
				return &incident.FieldError{Field: "incident", Msg: fmt.Sprintf("%s answers the order as a whole; give no --incident", kind)}
			}
			loc, err := f.Location()
			if err != nil {
				return err
			}
			on := incident.DateOf(f.now(), loc)
			if at != "" {
				if on, err = incident.ParseDate("at", at); err != nil {
					return err
				}
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			key := incident.DeliverableKey(kind, inc)
			if err := s.Submit(cmd.Context(), v.Order.ID, key, on); err != nil {
				return err
			}
			o, err := s.Orders(cmd.Context())
			if err != nil {
				return err
			}
			for _, x := range o {
				if x.ID == v.Order.ID && x.Numbers[key] != "" {
					// The document number, alone on stdout, for scripts.
					fmt.Fprintln(f.out, x.Numbers[key])
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "deliverable", "", "the deliverable's kind, e.g. improvement-plan")
	f.reasonFlag(cmd)
	cmd.Flags().StringVar(&incidentID, "incident", "", "the incident, for a duty that runs per incident")
	cmd.Flags().StringVar(&at, "at", "", "the day it was submitted, YYYY-MM-DD (default today)")
	return cmd
}

type deliverableJSON struct {
	Kind      string         `json:"kind"`
	Incident  *int64         `json:"incident,omitempty"`
	Name      string         `json:"name"`
	Due       string         `json:"due"`
	DueAt     time.Time      `json:"due_at"`
	Submitted *incident.Date `json:"submitted"`
	Status    string         `json:"status"`
	dateOnly  bool           // counted in days: the whole due day is allowed
}

type orderJSON struct {
	ID           int64              `json:"id"`
	Regime       string             `json:"regime"`
	Authority    string             `json:"authority"`
	Reference    string             `json:"reference"`
	Received     string             `json:"received"`
	Incidents    []int64            `json:"incidents"`
	Findings     []incident.Finding `json:"findings"`
	Deliverables []deliverableJSON  `json:"deliverables"`
	AsOf         *time.Time         `json:"as_of,omitempty"`
	KnownAt      *time.Time         `json:"known_at,omitempty"`
	HistoryHead  string             `json:"history_head"`
}

func newOrderShowCmd(f *factory) *cobra.Command {
	var asJSON bool
	var point pointFlags
	cmd := &cobra.Command{
		Use:   "show ORDER [--json]",
		Short: "Show an order with its deliverables and due dates",
		Args:  args(1, 1, "an order id"),
		RunE: func(cmd *cobra.Command, a []string) error {
			pt, err := f.point(point)
			if err != nil {
				return err
			}
			v, err := loadOrder(cmd.Context(), f, a[0], pt)
			if err != nil {
				return err
			}
			loc := v.Regime.Location()
			o := v.Order
			j := orderJSON{ID: o.ID, Regime: o.Regime, Authority: o.Authority, Reference: o.Reference, Received: o.ReceivedText(),
				Incidents: o.Incidents, Findings: append([]incident.Finding{}, o.Findings...), Deliverables: []deliverableJSON{}}
			j.AsOf, j.KnownAt, j.HistoryHead = timePtr(pt.AsOf, loc), timePtr(pt.KnownAt, loc), v.Head
			for i := range v.Deadlines {
				d := &v.Deadlines[i]
				dj := deliverableJSON{Kind: d.Kind, Name: d.Name["en"], Due: d.DueDate.String(), DueAt: d.Due.In(loc), Submitted: d.Submitted, Status: d.Status(v.JudgedAt), dateOnly: d.DateOnly}
				if d.IncidentID != 0 {
					id := d.IncidentID
					dj.Incident = &id
				}
				j.Deliverables = append(j.Deliverables, dj)
			}
			if asJSON {
				return writeJSON(f.out, j)
			}
			return writeOrderText(f.out, j)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	point.register(cmd, false)
	return cmd
}

func writeOrderText(w io.Writer, j orderJSON) error {
	safe := incident.Printable
	fmt.Fprintf(w, "order %d  %s  %s %s\nreceived %s, covers %s\n", j.ID, safe(j.Regime), safe(j.Authority), safe(j.Reference), j.Received, joinIDs(j.Incidents))
	if j.AsOf != nil {
		fmt.Fprintf(w, "as of %s\n", j.AsOf.Format("2006-01-02 15:04 MST"))
	}
	if j.KnownAt != nil {
		fmt.Fprintf(w, "as known at %s\n", j.KnownAt.Format("2006-01-02 15:04 MST"))
	}
	if len(j.Findings) > 0 {
		fmt.Fprintln(w, "\nfindings:")
		for _, fd := range j.Findings {
			fmt.Fprintf(w, "  %-15s %s\n", fd.Area, safe(fd.Text))
		}
	}
	fmt.Fprintln(w, "\ndeliverables:")
	tw := &table{indent: "  "}
	tw.row("KIND", "INCIDENT", "DUE", "SUBMITTED", "STATUS")
	for _, d := range j.Deliverables {
		inc := "-"
		if d.Incident != nil {
			inc = fmt.Sprintf("#%d", *d.Incident)
		}
		due := d.Due
		if !d.dateOnly {
			due = d.DueAt.Format("2006-01-02 15:04 MST")
		}
		sub := "-"
		if d.Submitted != nil {
			sub = d.Submitted.String()
		}
		tw.row(d.Kind, inc, due, sub, d.Status)
	}
	return tw.write(w)
}

func newOrderListCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List orders",
		Args:  args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			os, err := s.Orders(cmd.Context())
			if err != nil {
				return err
			}
			tw := &table{}
			tw.row("ID", "REGIME", "RECEIVED", "INCIDENTS", "REFERENCE")
			for _, o := range os {
				tw.row(fmt.Sprint(o.ID), o.Regime, o.ReceivedText(), joinIDs(o.Incidents), o.Reference)
			}
			return tw.write(f.out)
		},
	}
}
