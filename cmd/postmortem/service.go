package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newServiceCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "service",
		Short: "The service catalogue: owners, groups that share a fate, regimes whose duties run for every incident",
		Args:  args(0, 0, "a subcommand: set, list or show"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newServiceSetCmd(f, nil), newServiceListCmd(f, nil), newServiceShowCmd(f, nil))
	return cmd
}

func newServiceSetCmd(f *factory, runF func(*serviceSetOptions) error) *cobra.Command {
	o := &serviceSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set NAME [--owner TEAM] [--group G]... [--regime R]... [--class C] [--fee F] [--daily-users N]",
		Short: "Add a service to the catalogue or change it (only what is given; --group= or --regime= clears)",
		Long: `service set adds NAME to the catalogue, or changes what is given of it.
A group is a set of services that share a fate (a data centre, a load
balancer): the work gate blocks work on any of them while an incident touches
one. A regime bound to a service runs its duties (the report to the ministry,
the notice to users) for every incident on it, from its declaration: for
incidents declared from now on, and those still unresolved. --class (basic
or value-added), --fee (paid or free) and --daily-users are what the law's
exemptions are judged on; a duty is never exempted on a fact not given.`,
		Args: args(1, 1, "a service name"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.owner, "owner", "", "the team that owns it")
	fl.StringVar(&o.public, "public-name", "", "its name as users know it, for the notices they read (e.g. \"카카오톡 PC\")")
	fl.StringSliceVar(&o.groups, "group", nil, "a group it belongs to (repeat, or comma-separated; replaces)")
	fl.StringSliceVar(&o.regimes, "regime", nil, "a regime that binds it, e.g. kr-msit (repeat; replaces)")
	fl.StringVar(&o.class, "class", "", "basic (기간통신역무) or value-added (부가통신역무); empty clears")
	fl.StringVar(&o.fee, "fee", "", "paid or free (no fee charged monthly or at set times); empty clears")
	fl.StringVar(&o.users, "daily-users", "", "its average daily users (empty clears)")
	f.reasonFlag(cmd)
	return cmd
}

type serviceSetOptions struct {
	parsed
	f                                *factory
	args                             []string
	owner, public, class, fee, users string
	groups, regimes                  []string
}

func (o *serviceSetOptions) run() error {
	rs, err := o.f.Regimes()
	if err != nil {
		return err
	}
	ch := incident.ServiceChange{SetGroups: o.changed("group"), SetRegimes: o.changed("regime"),
		Groups: splitAll(o.groups), Regimes: splitAll(o.regimes)}
	if o.changed("owner") {
		ch.Owner = &o.owner
	}
	if o.changed("public-name") {
		ch.PublicName = &o.public
	}
	if o.changed("class") {
		ch.Class = &o.class
	}
	if o.changed("fee") {
		ch.Fee = &o.fee
	}
	if o.changed("daily-users") {
		if ch.DailyUsers, err = countFlag("daily-users", o.users); err != nil {
			return err
		}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	svc, created, err := s.SetService(o.ctx, o.args[0], ch, rs)
	if err != nil {
		return err
	}
	verb := "changed"
	if created {
		verb = "added"
	}
	o.f.status("%s service %s", verb, incident.Printable(svc.Name))
	return writeService(o.f, svc)
}

// splitAll flattens repeated, comma-separated flag values, dropping empty
// ones (so --group= clears).
func splitAll(vs []string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, incident.SplitList(v)...)
	}
	return out
}

type serviceJSON struct {
	Name    string                   `json:"name"`
	Owner   string                   `json:"owner"`
	Public  string                   `json:"public_name"`
	Groups  []string                 `json:"groups"`
	Regimes []incident.ServiceRegime `json:"regimes"`
	Class   string                   `json:"class"`
	Fee     string                   `json:"fee"`
	Users   *int64                   `json:"daily_users"`
	Created time.Time                `json:"created_at"`
	Updated time.Time                `json:"updated_at"`
}

func toServiceJSON(svc *incident.Service) serviceJSON {
	j := serviceJSON{Name: svc.Name, Owner: svc.Owner, Public: svc.PublicName, Groups: svc.Groups, Regimes: svc.Regimes,
		Class: svc.Class, Fee: svc.Fee, Users: svc.DailyUsers, Created: svc.Created, Updated: svc.Updated}
	if j.Groups == nil {
		j.Groups = []string{}
	}
	if j.Regimes == nil {
		j.Regimes = []incident.ServiceRegime{}
	}
	return j
}

func newServiceListCmd(f *factory, runF func(*serviceListOptions) error) *cobra.Command {
	o := &serviceListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the service catalogue by name",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type serviceListOptions struct {
	parsed
	f      *factory
	asJSON bool
}

func (o *serviceListOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	svcs, err := s.Services(o.ctx)
	if err != nil {
		return err
	}
	if o.asJSON {
		out := make([]serviceJSON, 0, len(svcs))
		for i := range svcs {
			out = append(out, toServiceJSON(&svcs[i]))
		}
		return writeJSON(o.f.out, out)
	}
	if len(svcs) == 0 {
		fmt.Fprintln(o.f.out, "no services; add one with: postmortem service set NAME --group G --regime R --owner TEAM")
		return nil
	}
	tw := &table{}
	tw.row("SERVICE", "OWNER", "GROUPS", "REGIMES")
	for _, svc := range svcs {
		tw.row(svc.Name, orDash(svc.Owner), orDash(strings.Join(svc.Groups, ", ")), orDash(strings.Join(svc.RegimeIDs(), ", ")))
	}
	return tw.write(o.f.out)
}

func newServiceShowCmd(f *factory, runF func(*serviceShowOptions) error) *cobra.Command {
	o := &serviceShowOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show NAME [--json]",
		Short: "Show one service of the catalogue",
		Args:  args(1, 1, "a service name"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

type serviceShowOptions struct {
	parsed
	f      *factory
	args   []string
	asJSON bool
}

func (o *serviceShowOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	svc, err := s.Service(o.ctx, o.args[0])
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeJSON(o.f.out, toServiceJSON(svc))
	}
	return writeService(o.f, svc)
}

func writeService(f *factory, svc *incident.Service) error {
	loc, err := f.Location()
	if err != nil {
		return err
	}
	tw := &table{}
	tw.row("service", svc.Name)
	tw.row("owner", orDash(svc.Owner))
	tw.row("public name", orDash(svc.PublicName))
	tw.row("groups", orDash(strings.Join(svc.Groups, ", ")))
	tw.row("class", orDash(svc.Class))
	tw.row("fee", orDash(svc.Fee))
	tw.row("daily users", orDash(countText(svc.DailyUsers)))
	if len(svc.Regimes) == 0 {
		tw.row("regimes", "—")
	}
	for i, r := range svc.Regimes {
		label := ""
		if i == 0 {
			label = "regimes"
		}
		tw.row(label, fmt.Sprintf("%s (since %s)", r.ID, r.Since.In(loc).Format(showTime)))
	}
	return tw.write(f.out)
}

// warnUnknown notes on stderr the names the catalogue does not hold (when
// it holds any): a typo there would leave the gate and the duties blind.
// The record is kept as typed: an outage is no time to refuse a name.
func warnUnknown(ctx context.Context, f *factory, what string, names ...string) {
	s, err := f.Store(ctx)
	if err != nil || len(names) == 0 {
		return
	}
	svcs, err := s.Services(ctx)
	if err != nil || len(svcs) == 0 {
		return
	}
	known := map[string]bool{}
	for _, svc := range svcs {
		known[strings.ToLower(svc.Name)] = true
		if what == "group" {
			for _, g := range svc.Groups {
				known[strings.ToLower(g)] = true
			}
		}
	}
	for _, n := range names {
		if !known[strings.ToLower(strings.TrimSpace(n))] {
			fmt.Fprintf(f.errOut, "postmortem: note: %s %s is not in the service catalogue; the gate and the duties know it only as typed (service set NAME adds it)\n",
				what, incident.Printable(n))
		}
	}
}
