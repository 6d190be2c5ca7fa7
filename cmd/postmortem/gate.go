package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type gateJSON struct {
	Services   []string         `json:"services"`
	Reach      []string         `json:"reach"`
	Groups     []string         `json:"groups"`
	Unknown    []string         `json:"unknown_services"`
	At         time.Time        `json:"at"`
	Blocked    bool             `json:"blocked"`
	Incidents  []gateIncident   `json:"incidents"`
	Freezes    []freezeJSON     `json:"freezes"`
	Upcoming   []freezeJSON     `json:"upcoming_freezes"`
	Overridden *overrideJSONOut `json:"overridden,omitempty"`
}

type gateIncident struct {
	ID       int64      `json:"id"`
	Title    string     `json:"title"`
	Severity string     `json:"severity"`
	Status   string     `json:"status"`
	Services []string   `json:"services"`
	Started  *time.Time `json:"started_at"`
}

type overrideJSONOut struct {
	Author string    `json:"author"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

func newGateCmd(f *factory, runF func(*gateOptions) error) *cobra.Command {
	o := &gateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "gate --service S[,S] [--override REASON] [--json]",
		Short: "May work go ahead on these services now? Exits 0 if so, 4 naming what blocks it",
		Long: `gate checks whether work (a deploy, a change, an update) may go ahead on the
given services: not while an unresolved incident touches one of them or a
service sharing one of their groups, nor inside a freeze window on one of
them or their groups. It exits 0 when clear and 4 when blocked, naming each
blocking incident and freeze.

--override REASON lets the work go on (exit 0) and records who overrode what
and why: on each blocking incident's timeline and on each freeze.

  postmortem gate --service java-api && ./deploy.sh`,
		Args: args(0, 0, "no arguments; name services with --service"),
		RunE: runE(o, nil, runF),
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.services, "service", nil, "the services the work touches (repeat, or comma-separated)")
	fl.StringVar(&o.override, "override", "", "go ahead anyway, for this reason (recorded on each blocking incident and freeze)")
	fl.BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type gateOptions struct {
	parsed
	f        *factory
	services []string
	override string
	asJSON   bool
}

func (o *gateOptions) run() error {
	names := splitAll(o.services)
	if len(names) == 0 {
		return usageError{fmt.Errorf("gate: name the services with --service S[,S]")}
	}
	// The gate fails closed: a database that is not there (a wrong
	// path in a deploy script) is an error, not an empty "clear".
	path, err := o.f.DBPath()
	if err != nil {
		return err
	}
	if fi, err := os.Stat(path); !incident.IsServerURL(path) && (err != nil || fi.Size() == 0) {
		return &incident.FieldError{Field: "db", Msg: fmt.Sprintf("no database at %s (missing or empty); the gate checks an existing one (give --db or $POSTMORTEM_DB)", path)}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	var g *incident.Gate
	if o.changed("override") {
		g, err = s.OverrideGate(o.ctx, names, o.override)
	} else {
		g, err = s.CheckGate(o.ctx, names, o.f.now())
	}
	if err != nil {
		return err
	}
	if o.asJSON {
		err = writeJSON(o.f.out, toGateJSON(g))
	} else {
		err = writeGate(o.f, g)
	}
	if err != nil {
		return err
	}
	if g.Blocked() && g.Overridden == nil {
		return exitCodeError{exitBlocked}
	}
	return nil
}

func toGateJSON(g *incident.Gate) gateJSON {
	j := gateJSON{Services: g.Services, Reach: nonNilStrings(g.Reach), Groups: nonNilStrings(g.Groups), Unknown: nonNilStrings(g.Unknown),
		At: g.At, Blocked: g.Blocked(), Incidents: []gateIncident{}, Freezes: []freezeJSON{}, Upcoming: []freezeJSON{}}
	for _, b := range g.Incidents {
		in := b.Incident
		j.Incidents = append(j.Incidents, gateIncident{ID: in.ID, Title: in.Title, Severity: string(in.Severity), Status: string(in.Status),
			Services: b.Services, Started: in.StartedAt})
	}
	for i := range g.Freezes {
		j.Freezes = append(j.Freezes, toFreezeJSON(&g.Freezes[i]))
	}
	for i := range g.Upcoming {
		j.Upcoming = append(j.Upcoming, toFreezeJSON(&g.Upcoming[i]))
	}
	if o := g.Overridden; o != nil {
		j.Overridden = &overrideJSONOut{Author: o.Author, Reason: o.Reason, At: o.At}
	}
	return j
}

func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func writeGate(f *factory, g *incident.Gate) error {
	loc, err := f.Location()
	if err != nil {
		return err
	}
	p := func(format string, args ...any) { fmt.Fprintf(f.out, format, args...) }
	what := incident.Printable(strings.Join(g.Services, ", "))
	switch {
	case !g.Blocked():
		p("clear: no unresolved incident or freeze on %s\n", what)
	case g.Overridden != nil:
		p("OVERRIDDEN: work on %s goes ahead despite what follows; recorded: %s\n", what, incident.Printable(g.Overridden.Reason))
	default:
		p("BLOCKED: work on %s may not go ahead\n", what)
	}
	if len(g.Reach) > len(g.Services) {
		p("  checked with the services sharing a group (%s): %s\n", incident.Printable(strings.Join(g.Groups, ", ")),
			incident.Printable(strings.Join(g.Reach, ", ")))
	}
	for _, b := range g.Incidents {
		in := b.Incident
		since := ""
		if in.StartedAt != nil {
			since = ", since " + in.StartedAt.In(loc).Format(showTime)
		}
		p("  incident #%d %s (%s, %s%s) on %s\n", in.ID, incident.Printable(in.Title), in.Severity, in.Status, since,
			incident.Printable(strings.Join(b.Services, ", ")))
	}
	for _, fr := range g.Freezes {
		p("  freeze %d on %s %s until %s: %s\n", fr.ID, fr.Scope, incident.Printable(fr.Target), fr.Ends.In(loc).Format(showTime),
			incident.Printable(fr.Reason))
	}
	for _, fr := range g.Upcoming {
		p("  note: freeze %d on %s %s starts %s (until %s): %s\n", fr.ID, fr.Scope, incident.Printable(fr.Target),
			fr.Starts.In(loc).Format(showTime), fr.Ends.In(loc).Format(showTime), incident.Printable(fr.Reason))
	}
	for _, u := range g.Unknown {
		p("  note: %s is not in the service catalogue; only incidents naming it were checked (postmortem service set %s --group G)\n",
			incident.Printable(u), incident.Printable(u))
	}
	if g.Blocked() && g.Overridden == nil {
		p("  to go ahead anyway: postmortem gate --service %s --override REASON\n", incident.Printable(strings.Join(g.Services, ",")))
	}
	return nil
}
