package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type statsOptions struct {
	parsed
	f      *factory
	args   []string
	window windowFlags
	asJSON bool
}

func newStatsCmd(f *factory, runF func(*statsOptions) error) *cobra.Command {
	o := &statsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "stats [QUARTER] [--from DATE --to DATE] [--service S | --group G] [--json]",
		Short: "The quarterly review's figures as text or JSON",
		Args:  args(0, 1, "a quarter, e.g. 2024Q2, or none with --from and --to"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	o.window.register(cmd)
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

func (o *statsOptions) run() error {
	rv, err := o.window.review(o.ctx, o.f, o.args)
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeJSON(o.f.out, statsJSON(rv))
	}
	return writeStats(o.f.out, rv)
}

type statJSON struct {
	N       int     `json:"n"`
	Median  float64 `json:"median_minutes"`
	Mean    float64 `json:"mean_minutes"`
	Worst   float64 `json:"worst_minutes"`
	WorstID int64   `json:"worst_incident,omitempty"`
}

type countJSON struct {
	Name    string  `json:"name"`
	Count   int     `json:"count"`
	Minutes float64 `json:"outage_minutes"`
}

func toStat(s incident.Stat) statJSON {
	return statJSON{N: s.N, Median: round3(s.Median), Mean: round3(s.Mean), Worst: round3(s.Worst), WorstID: s.WorstID}
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func toCounts(cs []incident.Count) []countJSON {
	out := make([]countJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, countJSON{Name: c.Name, Count: c.Count, Minutes: round3(c.Minutes)})
	}
	return out
}

func statsJSON(rv *incident.Review) map[string]any {
	chains := [][]int64{}
	for _, ch := range rv.Chains {
		var ids []int64
		for _, in := range ch {
			ids = append(ids, in.ID)
		}
		chains = append(chains, ids)
	}
	longest := []map[string]any{}
	for _, in := range rv.Longest {
		longest = append(longest, map[string]any{"id": in.ID, "title": in.Title, "outage_minutes": round3(in.Minutes)})
	}
	duties := []map[string]any{}
	for _, d := range rv.Duties {
		m := map[string]any{"kind": d.Kind, "due_at": d.Due, "status": d.Status}
		if d.IncidentID != 0 {
			m["incident"] = d.IncidentID
		} else {
			m["order"] = d.OrderID
		}
		duties = append(duties, m)
	}
	return map[string]any{
		"window":           map[string]any{"label": rv.Window.Label, "from": rv.Window.From, "to": rv.Window.To, "zone": rv.Window.From.Location().String()},
		"judged_at":        rv.JudgedAt,
		"incidents":        rv.Incidents,
		"unresolved":       rv.Unresolved,
		"outage_minutes":   round3(rv.OutageMinutes),
		"share_minutes":    round3(rv.ShareMinutes),
		"user_minutes":     round3(rv.UserMinutes),
		"user_minutes_of":  rv.UserMinutesKnown,
		"by_severity":      toCounts(rv.BySeverity),
		"by_service":       toCounts(rv.ByService),
		"by_month":         toCounts(rv.ByMonth),
		"by_cause":         toCounts(rv.ByCause),
		"by_tag":           toCounts(rv.ByTag),
		"duration":         toStat(rv.Duration),
		"time_to_detect":   toStat(rv.Detect),
		"time_to_mitigate": toStat(rv.Mitigate),
		"time_to_resolve":  toStat(rv.Resolve),
		"longest":          longest,
		"chains":           chains,
		"measures":         map[string]int{"opened": rv.Measures.Opened, "done": rv.Measures.Done, "overdue": rv.Measures.Overdue},
		"duties":           duties,
		"previous":         map[string]any{"incidents": rv.Previous.Incidents, "outage_minutes": round3(rv.Previous.OutageMinutes), "median_minutes": round3(rv.Previous.MedianMinutes), "median_resolve_minutes": round3(rv.Previous.MedianResolve)},
	}
}

func writeStats(w io.Writer, rv *incident.Review) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("%s (%s to %s, days in %s)\n", rv.Window.Label, rv.Window.From.Format("2006-01-02"), rv.Window.LastDay(), rv.Window.From.Location())
	p("incidents %d (before: %d), unresolved %d, outage %.1f min (before: %.1f)\n", rv.Incidents, rv.Previous.Incidents, rv.Unresolved,
		rv.OutageMinutes, rv.Previous.OutageMinutes)
	p("user impact: %.1f share-weighted min, %.0f user-minutes over %d incidents with a count\n", rv.ShareMinutes, rv.UserMinutes, rv.UserMinutesKnown)
	tw := &table{}
	tw.row("", "N", "MEDIAN", "MEAN", "WORST", "")
	for _, s := range []struct {
		name string
		s    incident.Stat
	}{{"to detect", rv.Detect}, {"to mitigate", rv.Mitigate}, {"to resolve", rv.Resolve}, {"duration", rv.Duration}} {
		worst := ""
		if s.s.N > 0 {
			worst = fmt.Sprintf("#%d", s.s.WorstID)
		}
		tw.row(s.name, fmt.Sprint(s.s.N), fmt.Sprintf("%.1f", s.s.Median), fmt.Sprintf("%.1f", s.s.Mean), fmt.Sprintf("%.1f", s.s.Worst), worst)
	}
	if err := tw.write(w); err != nil {
		return err
	}
	for _, g := range []struct {
		name string
		cs   []incident.Count
	}{{"severity", rv.BySeverity}, {"month", rv.ByMonth}, {"service", rv.ByService}, {"cause", rv.ByCause}, {"tag", rv.ByTag}} {
		if len(g.cs) == 0 {
			continue
		}
		var parts []string
		for _, c := range g.cs {
			parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.Count))
		}
		p("by %s: %s\n", g.name, incident.Printable(strings.Join(parts, ", ")))
	}
	for _, ch := range rv.Chains {
		var parts []string
		for _, in := range ch {
			parts = append(parts, fmt.Sprintf("#%d", in.ID))
		}
		p("related: %s\n", strings.Join(parts, " → "))
	}
	p("measures: %d set, %d done, %d overdue at the end\n", rv.Measures.Opened, rv.Measures.Done, rv.Measures.Overdue)
	p("duties and deliverables due: %d met on time, %d late, %d not met\n", rv.DutyCounts["met"], rv.DutyCounts["late"], rv.DutyCounts["open"])
	return nil
}
